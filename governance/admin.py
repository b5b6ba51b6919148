from django.contrib import admin

from core.admin_reference import ReferenceAdmin
from governance.models import (
    Element,
    ElementComponent,
    MethodSequence,
    MethodStep,
    PartnerOrganisation,
)

for model in (Element, ElementComponent, MethodSequence, MethodStep):
    admin.site.register(model, ReferenceAdmin)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace"]
    filter_horizontal = ["members", "shared_projects"]
