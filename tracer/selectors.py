"""Reads for the plan's objectives and its history."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from core.models import Membership
from territories.models import Cycle, Project
from territories.selectors import cycle_current, visible_projects
from tracer.models import Objective, PlanChange, TracerStage


def stage_list() -> list[TracerStage]:
    return list(TracerStage.objects.order_by("position"))


def current_cycle(*, project: Project) -> Cycle:
    """The open cycle with the highest number (the last one when all are closed)."""
    return cycle_current(project=project)


def plan_objectives(*, project: Project, cycle: Cycle) -> QuerySet[Objective]:
    """The objectives of the plan of ``project`` in ``cycle``: every plan view reads the plan
    through this (and mix.selectors.plan_actions), never by filtering on the cycle itself."""
    return Objective.objects.filter(project=project, cycle=cycle)


def objective_list(*, project: Project, cycle: Cycle) -> QuerySet[Objective]:
    return (
        plan_objectives(project=project, cycle=cycle)
        .select_related("stage", "owner__user", "updated_by")
        .prefetch_related(Prefetch("audiences"))
        .order_by("stage__position", "priority", "id")
    )


def objective_get(*, membership: Membership, uuid: Any) -> Objective | None:
    """An objective of a project the member may see (partners: shared projects only)."""
    return (
        Objective.objects.filter(uuid=uuid, project__in=visible_projects(membership=membership))
        .select_related("project", "stage", "cycle", "owner__user", "updated_by")
        .first()
    )


def plan_change_list(*, project: Project, cycle: Cycle) -> QuerySet[PlanChange]:
    """The activity of the plan of ``project`` in ``cycle``, newest first."""
    return (
        PlanChange.objects.filter(project=project, cycle=cycle)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def target_change_list(*, project: Project, target_uuid: Any) -> QuerySet[PlanChange]:
    return (
        PlanChange.objects.filter(project=project, target_uuid=target_uuid)
        .select_related("actor")
        .order_by("-at", "-id")
    )
