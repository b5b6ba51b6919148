"""Serializers of the evaluation app: the indicator catalogue (reference), a project's indicators
and their measurements, the dashboards' snapshots and the lessons register."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ReferenceSerializer
from core.restapi import CodeField, LinkField, ResourceSerializer, ScopedUUIDField, user_ref
from evaluation.models import (
    CatalogueIndicator,
    DashboardSnapshot,
    Indicator,
    Lesson,
    Measurement,
    SnapshotStatus,
)
from mix.api.serializers import only_visible_plan_items
from mix.models import Action
from territories.api.serializers import only_visible_projects
from territories.models import Cycle, Project
from tracer.models import Objective, TracerStage


class CatalogueIndicatorSerializer(ReferenceSerializer):
    tracer_stage: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(ReferenceSerializer.Meta):
        model = CatalogueIndicator
        fields = [
            "code",
            "label_en",
            "label_fr",
            "domain",
            "unit_en",
            "unit_fr",
            "unit_kind",
            "level",
            "tracer_stage",
            "is_proposal",
        ]


# --- Workspace resources -----------------------------------------------------------------------


def _stays(
    serializer: serializers.Serializer, attrs: dict[str, Any], names: tuple[str, ...]
) -> None:
    """On a PATCH, ``names`` cannot change: refuse them with one message each."""
    if serializer.instance is None:
        return
    moved = [name for name in names if name in attrs]
    if moved:
        raise serializers.ValidationError(
            {
                name: [_("This cannot change once created: create a new one instead.")]
                for name in moved
            }
        )


class IndicatorSerializer(ResourceSerializer):
    """What a project measures, at one level (means, output, result, impact) under one TRACER
    stage, with its baseline and target. Values are plausible for the kind of unit."""

    project = ScopedUUIDField(
        Project, limit=only_visible_projects, help_text="The project's id (set on creation)."
    )
    project_url = LinkField("project", source="project.uuid")
    stage = CodeField(
        TracerStage, help_text="The TRACER stage's code (see /api/v1/reference/tracer-stages/)."
    )
    objective = ScopedUUIDField(
        Objective,
        limit=only_visible_plan_items,
        required=False,
        allow_null=True,
        help_text="The objective of the project's plan it evaluates.",
    )
    objective_url = LinkField("objective", source="objective.uuid")
    actions = ScopedUUIDField(
        Action,
        limit=only_visible_plan_items,
        many=True,
        required=False,
        help_text="The ids of the project's actions whose effect it measures.",
    )
    catalogue = CodeField(
        CatalogueIndicator,
        required=False,
        allow_null=True,
        help_text="The catalogue entry it comes from (see /api/v1/reference/indicators/).",
    )
    created_by = user_ref("created_by", "Who created it (a user id).")

    class Meta:
        model = Indicator
        route = "indicator"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "name",
            "unit",
            "unit_kind",
            "direction",
            "level",
            "stage",
            "objective",
            "objective_url",
            "actions",
            "catalogue",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "frequency",
            "source",
            "version",
            "created_at",
            "updated_at",
            "created_by",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("project",))
        return attrs


class MeasurementSerializer(ResourceSerializer):
    """One value of an indicator for one period. ``period`` may be any day of the period: it is
    stored as the period's first day (the 1st of the month, quarter or year)."""

    indicator = ScopedUUIDField(
        Indicator, limit=only_visible_plan_items, help_text="The indicator's id."
    )
    indicator_url = LinkField("indicator", source="indicator.uuid")
    project = serializers.UUIDField(
        source="indicator.project.uuid", read_only=True, help_text="The indicator's project."
    )
    project_url = LinkField("project", source="indicator.project.uuid")
    period = serializers.DateField(
        help_text="Any day of the period; answered as the period's first day."
    )
    value = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="Plausible for the indicator's kind of unit (a percentage stays within 0-100).",
    )
    entered_by = user_ref("entered_by", "Who entered the current value (a user id).")

    class Meta:
        model = Measurement
        route = "measurement"
        fields = [
            "id",
            "url",
            "indicator",
            "indicator_url",
            "project",
            "project_url",
            "period",
            "value",
            "source",
            "note",
            "entered_by",
            "entered_at",
        ]
        read_only_fields = ["entered_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("indicator", "period"))
        return attrs


# Integer primary keys inside a snapshot's numbers: never shown outside.
PRIVATE_KEYS = frozenset({"id", "project_id"})


class DashboardSnapshotSerializer(ResourceSerializer):
    """The dashboard's numbers for one state of its inputs (the plan's and the evaluation's
    revisions, and the day), computed in the background. A project's dashboard is of one
    ``cycle``; ``project`` and ``cycle`` are null for the workspace's dashboard (which adds up
    each project's current cycle)."""

    project = serializers.UUIDField(
        source="project.uuid",
        read_only=True,
        allow_null=True,
        help_text="The project's id; null for the workspace's dashboard (not shown to partners).",
    )
    project_url = LinkField("project", source="project.uuid")
    cycle = serializers.UUIDField(
        source="cycle.uuid",
        read_only=True,
        allow_null=True,
        help_text="The cycle whose plan the numbers count (a closed cycle's snapshot is its "
        "numbers on its closing day, never computed again); null for the workspace's dashboard.",
    )
    cycle_url = LinkField("cycle", source="cycle.uuid")
    # The metaclass moves declared fields out of the class: Serializer.data stays a property.
    data = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The numbers, as the dashboard page shows them (empty until the status is "
        "done): per indicator, per TRACER stage, per mix family, the schedule and the statuses."
    )
    error = serializers.SerializerMethodField(help_text="Why the computation failed, if it did.")

    class Meta:
        model = DashboardSnapshot
        route = "dashboard-snapshot"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "cycle",
            "cycle_url",
            "status",
            "inputs_version",
            "data",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "computed_at",
            "duration_ms",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_data(self, snapshot: DashboardSnapshot) -> dict[str, Any]:
        """The stored numbers without the database's row ids (the public ``uuid`` stays)."""
        data = dict(snapshot.data or {})
        for key in ("indicators", "outputs"):
            rows = data.get(key)
            if isinstance(rows, list):
                data[key] = [
                    {k: v for k, v in row.items() if k not in PRIVATE_KEYS}
                    if isinstance(row, dict)
                    else row
                    for row in rows
                ]
        return data

    def get_error(self, snapshot: DashboardSnapshot) -> str:
        # While it runs, the column holds the worker's claim: not for clients.
        return snapshot.error if snapshot.status == SnapshotStatus.FAILED else ""


class LessonSerializer(ResourceSerializer):
    """A lesson of the feedback loop: what was learned, from what evidence, and which public
    policy it should feed."""

    project = ScopedUUIDField(
        Project, limit=only_visible_projects, help_text="The project's id (set on creation)."
    )
    project_url = LinkField("project", source="project.uuid")
    cycle = ScopedUUIDField(
        Cycle,
        limit=only_visible_plan_items,
        required=False,
        help_text="The cycle it was learned in (a cycle of the project); by default the "
        "project's current cycle.",
    )
    cycle_url = LinkField("cycle", source="cycle.uuid")
    learned = serializers.CharField(max_length=5000, help_text="What was learned.")
    indicator = ScopedUUIDField(
        Indicator,
        limit=only_visible_plan_items,
        required=False,
        allow_null=True,
        help_text="Evidence: an indicator of the project.",
    )
    indicator_url = LinkField("indicator", source="indicator.uuid")
    action = ScopedUUIDField(
        Action,
        limit=only_visible_plan_items,
        required=False,
        allow_null=True,
        help_text="Evidence: an action of the project.",
    )
    action_url = LinkField("action", source="action.uuid")
    created_by = user_ref("created_by", "Who wrote it (a user id).")

    class Meta:
        model = Lesson
        route = "lesson"
        fields = [
            "id",
            "url",
            "project",
            "project_url",
            "cycle",
            "cycle_url",
            "learned",
            "source",
            "indicator",
            "indicator_url",
            "action",
            "action_url",
            "policy",
            "status",
            "sent_to",
            "created_at",
            "created_by",
        ]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _stays(self, attrs, ("project",))
        return attrs
