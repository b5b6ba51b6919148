"""The workspace API for objectives."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.apifilters import code_filter, scoped_uuid_filter, updated_since
from core.restapi import WorkspaceViewSet, changed
from territories.api.filters import cycle_filter
from territories.api.serializers import only_visible_projects
from territories.models import Audience, Project
from territories.selectors import visible_projects
from tracer import services
from tracer.api.serializers import ObjectiveSerializer
from tracer.models import Objective, TracerStage


class ObjectiveFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    cycle = cycle_filter()
    stage = code_filter(TracerStage, field_name="stage", help_text="A TRACER stage code.")
    audience = code_filter(Audience, field_name="audiences", help_text="An audience code.")
    is_draft = django_filters.BooleanFilter()
    updated_since = updated_since()
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List objectives"),
    retrieve=extend_schema(summary="Get an objective"),
    create=extend_schema(summary="Create an objective (in the project's open cycle)"),
    partial_update=extend_schema(summary="Update an objective"),
    destroy=extend_schema(summary="Delete an objective and its actions"),
)
class ObjectiveViewSet(WorkspaceViewSet):
    """The plan's operational objectives, each under one TRACER stage. Every change is recorded
    in the plan's history and reaches the co-editors' pages within seconds."""

    model = Objective
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    ordering_fields = ["title", "priority", "created_at", "updated_at"]
    ordering = ["project_id", "stage__position", "priority", "id"]
    actions_map = {
        "list": "plan.view",
        "retrieve": "plan.view",
        "create": "objective.create",
        "partial_update": "objective.update",
        "destroy": "objective.delete",
    }
    schema_example = {
        "id": "0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b",
        "url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/objectives/0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b/",
        "project": "6a1f0e2d-3c4b-4a59-8e7f-9d0c1b2a3f4e",
        "project_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/projects/6a1f0e2d-3c4b-4a59-8e7f-9d0c1b2a3f4e/",
        "cycle": "7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a",
        "cycle_url": "http://127.0.0.1:8000/api/v1/w/cote-d-opale/cycles/7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a/",
        "stage": "tracer.reputation",
        "title": "Make the coast known to young families in Lille",
        "description": "",
        "audiences": ["audience.new_residents"],
        "segment": "Young families",
        "priority": 1,
        "owner": None,
        "owner_url": None,
        "is_draft": False,
        "version": 3,
        "created_at": "2026-09-01T09:30:00Z",
        "updated_at": "2026-10-12T14:02:11Z",
        "created_by": "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6",
        "updated_by": "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6",
    }

    def visible(self) -> Any:
        return (
            Objective.objects.filter(project__in=visible_projects(membership=self.membership))
            .select_related("project", "cycle", "stage", "owner", "created_by", "updated_by")
            .prefetch_related(Prefetch("audiences"))
        )

    def perform_create(self, serializer: Any) -> Objective:
        return services.objective_create(
            actor=self.request.user, workspace=self.workspace, **changed(serializer)
        )

    def perform_update(self, serializer: Any) -> Objective:
        objective: Objective = serializer.instance
        return services.objective_save_fields(
            actor=self.request.user,
            workspace=self.workspace,
            objective=objective,
            values=changed(serializer),
            version=objective.version,
        )

    def perform_destroy(self, instance: Objective) -> None:
        services.objective_delete(
            actor=self.request.user, workspace=self.workspace, objective=instance
        )
