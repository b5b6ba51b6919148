from django.contrib import admin

from core.admin_reference import ReferenceAdmin
from evaluation.models import CatalogueIndicator

admin.site.register(CatalogueIndicator, ReferenceAdmin)
