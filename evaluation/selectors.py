"""Reads for evaluation: a project's indicators and their measurements, the lessons register.

Partners see only what belongs to the projects shared with their organisation: every ``_get``
goes through :func:`territories.selectors.visible_projects`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import Membership
from evaluation.models import CatalogueIndicator, Indicator, Lesson, Measurement, MeasurementChange
from mix.models import Action
from territories.models import Cycle, Project
from territories.selectors import visible_projects
from tracer.models import Objective

# --- Indicators --------------------------------------------------------------------------------


def indicator_list(*, project: Project) -> QuerySet[Indicator]:
    """The project's indicators by TRACER stage, each with its latest value and its number of
    measurements: correlated subqueries, one query whatever the number of indicators."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period")
    count = (
        Measurement.objects.filter(indicator=OuterRef("pk"))
        .order_by()
        .values("indicator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Indicator.objects.filter(project=project)
        .select_related("stage", "objective", "catalogue")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period")[:1]),
            measurement_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        )
        .order_by("stage__position", "name", "id")
    )


def indicator_get(*, membership: Membership, uuid: Any) -> Indicator | None:
    """An indicator of a project the member may see (partners: shared projects only)."""
    return (
        Indicator.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership))
        .select_related("project", "stage", "objective", "catalogue", "created_by")
        .first()
    )


def indicator_choices(*, project: Project) -> QuerySet[Indicator]:
    """The indicators offered as evidence of a lesson."""
    return Indicator.objects.filter(project=project).order_by("stage__position", "name", "id")


def project_indicators_by_key(*, project: Project) -> list[Indicator]:
    """Every indicator of the project, for matching the rows of an imported file."""
    return list(Indicator.objects.filter(project=project).order_by("id"))


def catalogue_list() -> QuerySet[CatalogueIndicator]:
    return CatalogueIndicator.objects.select_related("tracer_stage").order_by(
        "tracer_stage__position", "position"
    )


def catalogue_get(*, code: str) -> CatalogueIndicator | None:
    return CatalogueIndicator.objects.select_related("tracer_stage").filter(code=code).first()


def objective_choices(*, project: Project) -> QuerySet[Objective]:
    """Every cycle's objectives, the latest cycle first, each named with its cycle."""
    return (
        Objective.objects.filter(project=project)
        .select_related("stage", "cycle")
        .order_by("-cycle__number", "stage__position", "priority", "id")
    )


def action_choices(*, project: Project) -> QuerySet[Action]:
    """Every cycle's actions, the latest cycle first, each named with its cycle."""
    return (
        Action.objects.filter(project=project)
        .select_related("objective__stage", "objective__cycle")
        .order_by("-objective__cycle__number", "objective__stage__position", "title", "id")
    )


# --- Measurements ------------------------------------------------------------------------------


def measurement_list(*, indicator: Indicator) -> QuerySet[Measurement]:
    return (
        Measurement.objects.filter(indicator=indicator)
        .select_related("entered_by")
        .order_by("-period", "-id")
    )


def measurement_change_list(*, indicator: Indicator) -> QuerySet[MeasurementChange]:
    return (
        MeasurementChange.objects.filter(measurement__indicator=indicator)
        .select_related("measurement", "actor")
        .order_by("-at", "-id")
    )


def measurement_get(*, indicator: Indicator, period: Any) -> Measurement | None:
    return Measurement.objects.filter(indicator=indicator, period=period).first()


# --- Lessons -----------------------------------------------------------------------------------


def lesson_list(
    *,
    project: Project,
    cycle: Cycle | None = None,
    policy: str = "",
    status: str = "",
) -> QuerySet[Lesson]:
    qs = Lesson.objects.filter(project=project)
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if policy:
        qs = qs.filter(policy=policy)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("cycle", "indicator", "action", "created_by").order_by(
        "-cycle__number", "-created_at", "-id"
    )


def lesson_get(*, membership: Membership, uuid: Any) -> Lesson | None:
    """A lesson of a project the member may see (partners: shared projects only)."""
    return (
        Lesson.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership))
        .select_related("project", "cycle", "indicator", "action", "created_by")
        .first()
    )


def cycle_choices(*, project: Project) -> QuerySet[Cycle]:
    return Cycle.objects.filter(project=project).order_by("-number")
