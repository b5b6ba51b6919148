from django.contrib import admin

from core.admin_reference import ReferenceAdmin
from mix.models import MixFamily

admin.site.register(MixFamily, ReferenceAdmin)
