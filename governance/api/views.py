"""The workspace API for partner organisations."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.restapi import Conflict, WorkspaceViewSet, changed
from governance import services
from governance.api.serializers import PartnerOrganisationSerializer
from governance.models import PartnerOrganisation
from governance.selectors import partner_organisation_list


class PartnerOrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List partner organisations"),
    retrieve=extend_schema(summary="Get a partner organisation"),
    create=extend_schema(summary="Create a partner organisation"),
    partial_update=extend_schema(summary="Rename a partner organisation or change its members"),
    destroy=extend_schema(summary="Delete a partner organisation that takes part in no action"),
)
class PartnerOrganisationViewSet(WorkspaceViewSet):
    """The project's partners. Admins manage them; everyone reads them."""

    model = PartnerOrganisation
    serializer_class = PartnerOrganisationSerializer
    filterset_class = PartnerOrganisationFilter
    ordering_fields = ["name", "created_at"]
    ordering = ["name", "id"]
    actions_map = {
        "list": "partner_org.view",
        "retrieve": "partner_org.view",
        "create": "partner_org.manage",
        "partial_update": "partner_org.manage",
        "destroy": "partner_org.manage",
    }

    def visible(self) -> Any:
        return partner_organisation_list(membership=self.membership).prefetch_related(
            Prefetch("members"), Prefetch("shared_projects")
        )

    def perform_create(self, serializer: Any) -> PartnerOrganisation:
        return services.partner_organisation_create(
            actor=self.request.user, workspace=self.workspace, **changed(serializer)
        )

    def perform_update(self, serializer: Any) -> PartnerOrganisation:
        organisation: PartnerOrganisation = serializer.instance
        data = changed(serializer)
        return services.partner_organisation_update(
            actor=self.request.user,
            workspace=self.workspace,
            organisation=organisation,
            name=data.get("name", organisation.name),
            members=data.get("members", organisation.members.all()),
        )

    def perform_destroy(self, instance: PartnerOrganisation) -> None:
        try:
            services.partner_organisation_delete(
                actor=self.request.user, workspace=self.workspace, organisation=instance
            )
        except ValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from exc
