"""Serializers of the territories app: the audiences (reference), territories, projects, cycles."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api import ReferenceSerializer
from core.restapi import LinkField, ResourceSerializer, ScopedUUIDField
from territories.models import Audience, Cycle, Project, Territory
from territories.selectors import visible_projects, visible_territories


class AudienceSerializer(ReferenceSerializer):
    class Meta(ReferenceSerializer.Meta):
        model = Audience
        fields = [*ReferenceSerializer.Meta.fields, "sphere", "is_internal", "position"]


# --- Workspace resources -----------------------------------------------------------------------


def only_visible_territories(qs: Any, request: Any) -> Any:
    return qs.filter(pk__in=visible_territories(membership=request.membership).values("pk"))


def only_visible_projects(qs: Any, request: Any) -> Any:
    return qs.filter(pk__in=visible_projects(membership=request.membership).values("pk"))


class TerritorySerializer(ResourceSerializer):
    """A territory or micro-territory (town centre, business park, campus...)."""

    parent = ScopedUUIDField(  # type: ignore[assignment]
        Territory, limit=only_visible_territories, required=False, allow_null=True
    )
    parent_url = LinkField("territory", source="parent.uuid")
    archived = serializers.BooleanField(
        required=False, help_text="Archived territories are hidden from lists and forms."
    )

    class Meta:
        model = Territory
        route = "territory"
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "parent",
            "parent_url",
            "description",
            "archived",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance: Territory) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["archived"] = instance.archived_at is not None
        return data


class ProjectSerializer(ResourceSerializer):
    """A territorial marketing project (the démarche), run in numbered cycles."""

    territory = ScopedUUIDField(Territory, limit=only_visible_territories)
    territory_url = LinkField("territory", source="territory.uuid")
    archived = serializers.BooleanField(required=False)
    current_cycle = serializers.IntegerField(
        read_only=True, help_text="The number of the project's latest cycle."
    )

    class Meta:
        model = Project
        route = "project"
        fields = [
            "id",
            "url",
            "name",
            "territory",
            "territory_url",
            "ambition",
            "status",
            "start_date",
            "current_cycle",
            "archived",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance: Project) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["archived"] = instance.archived_at is not None
        return data


class CycleSerializer(ResourceSerializer):
    """One turn of a project's loop, from diagnosis to evaluation and new actors."""

    project = serializers.UUIDField(source="project.uuid", read_only=True)
    project_url = LinkField("project", source="project.uuid")

    class Meta:
        model = Cycle
        route = "cycle"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "number",
            "status",
            "started_on",
            "closed_on",
        ]
        read_only_fields = fields
