"""The workspace API for evaluation: indicators, measurements, dashboard snapshots, lessons.

Partners read the evaluation of the projects shared with their organisation and change nothing;
the workspace's own dashboard covers every project, so they never see its snapshots.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.apifilters import code_filter, scoped_uuid_filter, updated_since
from core.restapi import WorkspaceViewSet, changed
from core.roles import Role
from evaluation import services
from evaluation.api.serializers import (
    DashboardSnapshotSerializer,
    IndicatorSerializer,
    LessonSerializer,
    MeasurementSerializer,
)
from evaluation.models import (
    DashboardSnapshot,
    Indicator,
    IndicatorLevel,
    Lesson,
    LessonSource,
    LessonStatus,
    Measurement,
    Policy,
    SnapshotStatus,
)
from mix.api.serializers import only_visible_plan_items
from territories.api.filters import cycle_filter
from territories.api.serializers import only_visible_projects
from territories.models import Project
from territories.selectors import visible_projects
from tracer.models import Objective, TracerStage

EXAMPLE_BASE = "http://127.0.0.1:8000/api/v1/w/cote-d-opale"
EXAMPLE_PROJECT = "6a1f0e2d-3c4b-4a59-8e7f-9d0c1b2a3f4e"
EXAMPLE_INDICATOR = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
EXAMPLE_USER = "4f7d3c2a-1b0e-4c5d-8e9f-a1b2c3d4e5f6"
EXAMPLE_CYCLE = "7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a"


# --- Indicators --------------------------------------------------------------------------------


class IndicatorFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    stage = code_filter(TracerStage, field_name="stage", help_text="A TRACER stage code.")
    level = django_filters.ChoiceFilter(choices=IndicatorLevel.choices)
    objective = scoped_uuid_filter(Objective, field_name="objective", limit=only_visible_plan_items)
    updated_since = updated_since()


@extend_schema_view(
    list=extend_schema(summary="List indicators"),
    retrieve=extend_schema(summary="Get an indicator"),
    create=extend_schema(summary="Create an indicator for a project"),
    partial_update=extend_schema(summary="Update an indicator"),
    destroy=extend_schema(summary="Delete an indicator and its measurements"),
)
class IndicatorViewSet(WorkspaceViewSet):
    """What each project measures to evaluate its actions and their effect on the territory's
    attractiveness. Baselines and targets must be plausible for the kind of unit, and every
    change makes the project's dashboard be computed again."""

    model = Indicator
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["name", "level", "created_at", "updated_at"]
    ordering = ["project_id", "stage__position", "name", "id"]
    actions_map = {
        "list": "indicator.view",
        "retrieve": "indicator.view",
        "create": "indicator.manage",
        "partial_update": "indicator.manage",
        "destroy": "indicator.manage",
    }
    schema_example = {
        "id": EXAMPLE_INDICATOR,
        "url": f"{EXAMPLE_BASE}/indicators/{EXAMPLE_INDICATOR}/",
        "project": EXAMPLE_PROJECT,
        "project_url": f"{EXAMPLE_BASE}/projects/{EXAMPLE_PROJECT}/",
        "name": "Share of young families among new residents",
        "unit": "%",
        "unit_kind": "percent",
        "direction": "higher",
        "level": "result",
        "stage": "tracer.reputation",
        "objective": "0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b",
        "objective_url": f"{EXAMPLE_BASE}/objectives/0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b/",
        "actions": ["3c9b2a1d-0e4f-4a6b-8c7d-5e6f7a8b9c0d"],
        "catalogue": None,
        "baseline_value": "18.5000",
        "baseline_date": "2026-01-01",
        "target_value": "25.0000",
        "target_date": "2028-12-31",
        "frequency": "yearly",
        "source": "INSEE, population census",
        "version": 2,
        "created_at": "2026-09-02T10:15:00Z",
        "updated_at": "2026-10-05T16:40:22Z",
        "created_by": EXAMPLE_USER,
    }

    def visible(self) -> Any:
        return (
            Indicator.objects.filter(project__in=visible_projects(membership=self.membership))
            .select_related("project", "stage", "objective", "catalogue", "created_by")
            .prefetch_related(Prefetch("actions"))
        )

    def perform_create(self, serializer: Any) -> Indicator:
        return services.indicator_create(
            actor=self.request.user, workspace=self.workspace, **changed(serializer)
        )

    def perform_update(self, serializer: Any) -> Indicator:
        return services.indicator_update(
            actor=self.request.user,
            workspace=self.workspace,
            indicator=serializer.instance,
            **changed(serializer),
        )

    def perform_destroy(self, instance: Indicator) -> None:
        services.indicator_delete(
            actor=self.request.user, workspace=self.workspace, indicator=instance
        )


# --- Measurements ------------------------------------------------------------------------------


class MeasurementFilter(django_filters.FilterSet):
    indicator = scoped_uuid_filter(Indicator, field_name="indicator", limit=only_visible_plan_items)
    project = scoped_uuid_filter(
        Project, field_name="indicator__project", limit=only_visible_projects
    )
    period_after = django_filters.DateFilter(
        field_name="period", lookup_expr="gte", help_text="Periods starting on or after this day."
    )
    period_before = django_filters.DateFilter(
        field_name="period", lookup_expr="lte", help_text="Periods starting on or before this day."
    )
    updated_since = updated_since("entered_at")


@extend_schema_view(
    list=extend_schema(summary="List measurements"),
    retrieve=extend_schema(summary="Get a measurement"),
    create=extend_schema(summary="Record the value of an indicator for a new period"),
    partial_update=extend_schema(summary="Correct a measurement (the old value stays in history)"),
)
class MeasurementViewSet(WorkspaceViewSet):
    """The values of the indicators, one per period. A new period is recorded with POST (any day
    of the period: it is stored as its first day); a period that has a value already is
    corrected with PATCH, and the history keeps the old value. Each change makes the project's
    dashboard be computed again. Measurements are not deleted: correct them instead."""

    model = Measurement
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    ordering_fields = ["period", "entered_at"]
    ordering = ["indicator_id", "period", "id"]
    actions_map = {
        "list": "indicator.view",
        "retrieve": "indicator.view",
        "create": "measurement.record",
        "partial_update": "measurement.record",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_example = {
        "id": "2e1d0c9b-8a7f-4e6d-9c5b-4a3f2e1d0c9b",
        "url": f"{EXAMPLE_BASE}/measurements/2e1d0c9b-8a7f-4e6d-9c5b-4a3f2e1d0c9b/",
        "indicator": EXAMPLE_INDICATOR,
        "indicator_url": f"{EXAMPLE_BASE}/indicators/{EXAMPLE_INDICATOR}/",
        "project": EXAMPLE_PROJECT,
        "project_url": f"{EXAMPLE_BASE}/projects/{EXAMPLE_PROJECT}/",
        "period": "2026-01-01",
        "value": "21.3000",
        "source": "INSEE, population census",
        "note": "Provisional figure, to be confirmed in June.",
        "entered_by": EXAMPLE_USER,
        "entered_at": "2026-03-14T11:02:37Z",
    }

    def visible(self) -> Any:
        return Measurement.objects.filter(
            indicator__project__in=visible_projects(membership=self.membership)
        ).select_related("indicator__project", "entered_by")

    def perform_create(self, serializer: Any) -> Measurement:
        return services.measurement_create(
            actor=self.request.user, workspace=self.workspace, **changed(serializer)
        )

    def perform_update(self, serializer: Any) -> Measurement:
        return services.measurement_update(
            actor=self.request.user,
            workspace=self.workspace,
            measurement=serializer.instance,
            **changed(serializer),
        )


# --- Dashboard snapshots -----------------------------------------------------------------------


class DashboardSnapshotFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    cycle = cycle_filter()  # the workspace's dashboard (no cycle) is left out
    whole_workspace = django_filters.BooleanFilter(
        field_name="project",
        lookup_expr="isnull",
        help_text="true: only the workspace's dashboard; false: only the projects' dashboards.",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=SnapshotStatus.choices, help_text="Repeat to match several statuses."
    )


@extend_schema_view(
    list=extend_schema(summary="List dashboard snapshots, newest first"),
    retrieve=extend_schema(summary="Get a dashboard snapshot"),
)
class DashboardSnapshotViewSet(WorkspaceViewSet):
    """The dashboards' numbers, one snapshot per state of their inputs, computed in the
    background after every change of the plan or the evaluation (and every night, as dates move
    on). A project's snapshot is of one cycle: the latest ``done`` snapshot of its current cycle
    (``cycle=current``) holds its current numbers; a closed cycle has one snapshot, its numbers
    on its closing day. The workspace's (no project, no cycle) adds up each project's current
    cycle. Read-only."""

    model = DashboardSnapshot
    serializer_class = DashboardSnapshotSerializer
    filterset_class = DashboardSnapshotFilter
    ordering_fields = ["created_at", "computed_at"]
    ordering = ["-created_at", "-id"]
    actions_map = {"list": "dashboard.view", "retrieve": "dashboard.view"}
    http_method_names = ["get", "head", "options"]
    schema_example = {
        "id": "7b6a5f4e-3d2c-4b1a-9f8e-7d6c5b4a3f2e",
        "url": f"{EXAMPLE_BASE}/dashboard-snapshots/7b6a5f4e-3d2c-4b1a-9f8e-7d6c5b4a3f2e/",
        "project": EXAMPLE_PROJECT,
        "project_url": f"{EXAMPLE_BASE}/projects/{EXAMPLE_PROJECT}/",
        "cycle": EXAMPLE_CYCLE,
        "cycle_url": f"{EXAMPLE_BASE}/cycles/{EXAMPLE_CYCLE}/",
        "status": "done",
        "inputs_version": "p-2026-10-12-14-6",
        "data": {
            "today": "2026-10-12",
            "cycle": {"uuid": EXAMPLE_CYCLE, "number": 2, "status": "open", "closed_on": None},
            "indicators": [
                {
                    "uuid": EXAMPLE_INDICATOR,
                    "name": "Share of young families among new residents",
                    "unit": "%",
                    "level": "result",
                    "direction": "higher",
                    "stage": "tracer.reputation",
                    "baseline": 18.5,
                    "baseline_date": "2026-01-01",
                    "target": 25.0,
                    "target_date": "2028-12-31",
                    "latest": 21.3,
                    "latest_period": "2026-01-01",
                    "measurements": 1,
                    "attainment": 43.1,
                    "status": "on_track",
                    "trend": [["2026-01-01", 21.3]],
                }
            ],
            "statuses": {"reached": 0, "on_track": 1, "late": 0, "no_target": 0, "no_data": 0},
        },
        "error": "",
        "attempts": 1,
        "created_at": "2026-10-12T14:02:12Z",
        "started_at": "2026-10-12T14:02:17Z",
        "computed_at": "2026-10-12T14:02:18Z",
        "duration_ms": 412,
    }

    def visible(self) -> Any:
        projects = visible_projects(membership=self.membership)
        shown = Q(project__in=projects)
        if self.membership.role != Role.PARTNER:  # the workspace's numbers cover every project
            shown |= Q(project__isnull=True)
        return DashboardSnapshot.objects.filter(shown).select_related("project", "cycle")


# --- Lessons -----------------------------------------------------------------------------------


class LessonFilter(django_filters.FilterSet):
    project = scoped_uuid_filter(Project, field_name="project", limit=only_visible_projects)
    cycle = cycle_filter()
    source = django_filters.ChoiceFilter(choices=LessonSource.choices)
    policy = django_filters.ChoiceFilter(choices=Policy.choices)
    status = django_filters.MultipleChoiceFilter(
        choices=LessonStatus.choices, help_text="Repeat to match several statuses."
    )


@extend_schema_view(
    list=extend_schema(summary="List lessons"),
    retrieve=extend_schema(summary="Get a lesson"),
    create=extend_schema(summary="Record a lesson (in the project's current cycle by default)"),
    partial_update=extend_schema(summary="Update a lesson or move its status along"),
    destroy=extend_schema(summary="Delete a lesson"),
)
class LessonViewSet(WorkspaceViewSet):
    """The register of lessons (the feedback loop): what each cycle taught, with its evidence
    (an indicator or an action), and the public policy it should feed, from proposed to sent to
    acted on."""

    model = Lesson
    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    ordering_fields = ["created_at", "status", "policy"]
    ordering = ["-created_at", "-id"]
    actions_map = {
        "list": "lesson.view",
        "retrieve": "lesson.view",
        "create": "lesson.manage",
        "partial_update": "lesson.manage",
        "destroy": "lesson.manage",
    }
    schema_example = {
        "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "url": f"{EXAMPLE_BASE}/lessons/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/",
        "project": EXAMPLE_PROJECT,
        "project_url": f"{EXAMPLE_BASE}/projects/{EXAMPLE_PROJECT}/",
        "cycle": "7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a",
        "cycle_url": f"{EXAMPLE_BASE}/cycles/7d2e1f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a/",
        "learned": "Families who visited in spring came back to look at housing: "
        "the seaside campaign should carry the housing offer.",
        "source": "evaluation",
        "indicator": EXAMPLE_INDICATOR,
        "indicator_url": f"{EXAMPLE_BASE}/indicators/{EXAMPLE_INDICATOR}/",
        "action": None,
        "action_url": None,
        "policy": "housing",
        "status": "sent",
        "sent_to": "Housing department of the urban community",
        "created_at": "2026-11-03T09:20:00Z",
        "created_by": EXAMPLE_USER,
    }

    def visible(self) -> Any:
        return Lesson.objects.filter(
            project__in=visible_projects(membership=self.membership)
        ).select_related("project", "cycle", "indicator", "action", "created_by")

    def perform_create(self, serializer: Any) -> Lesson:
        data = changed(serializer)
        project = data.pop("project")
        return services.lesson_save(
            actor=self.request.user, workspace=self.workspace, project=project, **data
        )

    def perform_update(self, serializer: Any) -> Lesson:
        lesson: Lesson = serializer.instance
        return services.lesson_save(
            actor=self.request.user,
            workspace=self.workspace,
            project=lesson.project,
            lesson=lesson,
            **changed(serializer),
        )

    def perform_destroy(self, instance: Lesson) -> None:
        services.lesson_delete(actor=self.request.user, workspace=self.workspace, lesson=instance)
