"""The workspace API for territories, projects and cycles."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.apifilters import ArchivedFilter, scoped_uuid_filter, updated_since
from core.restapi import WorkspaceViewSet, changed
from territories import services
from territories.api.serializers import (
    CycleSerializer,
    ProjectSerializer,
    TerritorySerializer,
    only_visible_projects,
    only_visible_territories,
)
from territories.models import (
    Cycle,
    CycleStatus,
    Project,
    ProjectStatus,
    Territory,
    TerritoryKind,
)
from territories.selectors import visible_projects, visible_territories


class TerritoryFilter(django_filters.FilterSet):
    parent = scoped_uuid_filter(Territory, field_name="parent", limit=only_visible_territories)
    archived = ArchivedFilter()
    updated_since = updated_since()
    kind = django_filters.ChoiceFilter(choices=TerritoryKind.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List territories"),
    retrieve=extend_schema(summary="Get a territory"),
    create=extend_schema(summary="Create a territory"),
    partial_update=extend_schema(summary="Update a territory (or archive it)"),
)
class TerritoryViewSet(WorkspaceViewSet):
    """Territories and micro-territories. Archive with ``PATCH {"archived": true}``; territories
    are never deleted (projects and history refer to them)."""

    model = Territory
    serializer_class = TerritorySerializer
    filterset_class = TerritoryFilter
    ordering_fields = ["name", "kind", "created_at", "updated_at"]
    ordering = ["name", "id"]
    actions_map = {
        "list": "territory.view",
        "retrieve": "territory.view",
        "create": "territory.create",
        "partial_update": "territory.update",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible(self) -> Any:
        return visible_territories(membership=self.membership).select_related("parent")

    def perform_create(self, serializer: Any) -> Territory:
        data = changed(serializer)
        archived = data.pop("archived", False)
        territory = services.territory_create(
            actor=self.request.user, workspace=self.workspace, **data
        )
        if archived:
            services.territory_set_archived(
                actor=self.request.user,
                workspace=self.workspace,
                territory=territory,
                archived=True,
            )
        return territory

    def perform_update(self, serializer: Any) -> Territory:
        data = changed(serializer)
        archived = data.pop("archived", None)
        territory: Territory = serializer.instance
        if data:
            territory = services.territory_update(
                actor=self.request.user, workspace=self.workspace, territory=territory, **data
            )
        if archived is not None and archived != territory.is_archived:
            territory = services.territory_set_archived(
                actor=self.request.user,
                workspace=self.workspace,
                territory=territory,
                archived=archived,
            )
        return territory


class ProjectFilter(django_filters.FilterSet):
    territory = scoped_uuid_filter(
        Territory, field_name="territory", limit=only_visible_territories
    )
    archived = ArchivedFilter()
    updated_since = updated_since()
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")


@extend_schema_view(
    list=extend_schema(summary="List projects"),
    retrieve=extend_schema(summary="Get a project"),
    create=extend_schema(summary="Create a project (it starts in cycle 1)"),
    partial_update=extend_schema(summary="Update a project (or archive it)"),
)
class ProjectViewSet(WorkspaceViewSet):
    """Territorial marketing projects (the démarche). Partners see the projects shared with
    their organisation. Archive with ``PATCH {"archived": true}``."""

    model = Project
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["name", "start_date", "created_at", "updated_at"]
    ordering = ["name", "id"]
    actions_map = {
        "list": "project.view",
        "retrieve": "project.view",
        "create": "project.create",
        "partial_update": "project.update",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible(self) -> Any:
        last_cycle = (
            Cycle.objects.filter(project=OuterRef("pk")).order_by("-number").values("number")[:1]
        )
        return (
            visible_projects(membership=self.membership)
            .select_related("territory")
            .annotate(current_cycle=Subquery(last_cycle))
        )

    def perform_create(self, serializer: Any) -> Project:
        data = changed(serializer)
        archived = data.pop("archived", False)
        project = services.project_create(actor=self.request.user, workspace=self.workspace, **data)
        if archived:
            services.project_set_archived(
                actor=self.request.user, workspace=self.workspace, project=project, archived=True
            )
        return project

    def perform_update(self, serializer: Any) -> Project:
        data = changed(serializer)
        archived = data.pop("archived", None)
        project: Project = serializer.instance
        if data:
            project = services.project_update(
                actor=self.request.user, workspace=self.workspace, project=project, **data
            )
        if archived is not None and archived != project.is_archived:
            project = services.project_set_archived(
                actor=self.request.user,
                workspace=self.workspace,
                project=project,
                archived=archived,
            )
        return project


class CycleFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    status = django_filters.ChoiceFilter(choices=CycleStatus.choices)


@extend_schema_view(
    list=extend_schema(summary="List cycles"),
    retrieve=extend_schema(summary="Get a cycle"),
)
class CycleViewSet(WorkspaceViewSet):
    """The cycles of each project (read-only here)."""

    model = Cycle
    serializer_class = CycleSerializer
    filterset_class = CycleFilter
    ordering_fields = ["number", "started_on"]
    ordering = ["project_id", "number"]
    actions_map = {"list": "cycle.view", "retrieve": "cycle.view"}
    http_method_names = ["get", "head", "options"]

    def visible(self) -> Any:
        return Cycle.objects.filter(
            project__in=visible_projects(membership=self.membership)
        ).select_related("project")
