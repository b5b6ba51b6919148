from django.contrib import admin

from core.admin_reference import ReferenceAdmin
from tracer.models import TracerStage

admin.site.register(TracerStage, ReferenceAdmin)
