"""The cycle review (element 7): what a cycle achieved, then close it and open the next one,
carrying the chosen unfinished objectives and actions over.

It lives in ``evaluation``, the highest layer, because it reads every app (the plan, the
evaluation, governance) and writes through their services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User, Workspace
from core.tenancy import assert_same_workspace
from evaluation import dashboard, dashboard_display
from evaluation import services as evaluation_services
from evaluation.models import Lesson
from governance import selectors as governance_selectors
from mix import services as mix_services
from mix.models import Action, ActionStatus
from territories import revisions
from territories.models import Cycle, CycleStatus
from territories.services import CycleClosed
from tracer import services as tracer_services
from tracer.models import Objective
from tracer.selectors import plan_objectives

UNFINISHED = (ActionStatus.IDEA, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@dataclass
class CycleReview:
    cycle: Cycle
    attainment: list[dict[str, Any]]
    statuses: dict[str, int]
    lessons: list[Lesson]
    maturity: governance_selectors.MaturityComparison
    means: dict[str, Any]
    ownership: dict[str, Any]
    proposals: list[Any]
    objectives: list[Objective]  # of the cycle, with their actions

    @property
    def unfinished_actions(self) -> list[Action]:
        return [a for o in self.objectives for a in o.actions.all() if a.status in UNFINISHED]


def cycle_objectives(*, cycle: Cycle) -> QuerySet[Objective]:
    """The objectives of ``cycle`` with their actions: two queries."""
    return (
        plan_objectives(project=cycle.project, cycle=cycle)
        .select_related("stage")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("family").order_by("id"))
        )
        .order_by("stage__position", "priority", "id")
    )


def cycle_review(*, cycle: Cycle) -> CycleReview:
    project = cycle.project
    today = cycle.closed_on or timezone.localdate()
    evaluation = dashboard.attainment(project, today=today, until=dashboard.as_of(cycle))
    rows = dashboard_display.indicator_rows(evaluation, dashboard_display.reference())
    return CycleReview(
        cycle=cycle,
        attainment=rows,
        statuses=evaluation["statuses"],
        lessons=list(Lesson.objects.filter(cycle=cycle).order_by("-created_at", "-id")),
        maturity=governance_selectors.maturity_comparison(cycle=cycle),
        means=governance_selectors.contribution_totals(cycle=cycle),
        ownership=governance_selectors.ownership_totals(cycle=cycle),
        proposals=list(governance_selectors.actor_proposal_list(cycle=cycle)),
        objectives=list(cycle_objectives(cycle=cycle)),
    )


@transaction.atomic
def cycle_close(
    *,
    actor: User,
    workspace: Workspace,
    cycle: Cycle,
    started_on: dt.date,
    objectives: Iterable[Objective] = (),
    actions: Iterable[Action] = (),
) -> Cycle:
    """Close ``cycle`` and open the next one, in one transaction.

    The chosen objectives and actions are copied into the new cycle, each copy linked to its
    original (``carried_from``); an action carried over brings its objective; every matrix cell
    marked not relevant is marked in the new cycle too. Anything failing
    midway rolls everything back: the cycle stays open and nothing is copied.
    """
    objectives, actions = list(objectives), list(actions)
    assert_same_workspace(workspace, cycle, *objectives, *actions)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != CycleStatus.OPEN:
        raise CycleClosed(_("This cycle is already closed."))
    if Cycle.objects.filter(project_id=locked.project_id, number__gt=locked.number).exists():
        raise ValidationError(_("A later cycle already exists."))
    if started_on < locked.started_on:
        raise ValidationError(
            {"started_on": _("The next cycle cannot start before this one started.")}
        )
    if any(o.cycle_id != locked.pk for o in objectives) or any(
        a.objective.cycle_id != locked.pk for a in actions
    ):
        raise ValidationError(_("Carry over only objectives and actions of this cycle."))
    locked.status = CycleStatus.CLOSED
    locked.closed_on = max(locked.started_on, min(timezone.localdate(), started_on))
    locked.save(update_fields=["status", "closed_on"])
    # After the commit: the closed cycle's dashboard, once and for good, and the new current one
    # (a new inputs version: the workspace's dashboard reads the project's new cycle too).
    evaluation_services.schedule_closed_cycle(locked)
    revisions.evaluation_changed(cycle.project)
    following = Cycle.objects.create(
        workspace=workspace,
        project_id=locked.project_id,
        number=locked.number + 1,
        started_on=started_on,
    )
    carried = {o.pk: o for o in objectives} | {a.objective_id: a.objective for a in actions}
    copies: dict[int, Objective] = {}
    for original in sorted(carried.values(), key=lambda o: o.pk):
        copies[original.pk] = tracer_services.objective_create(
            actor=actor,
            workspace=workspace,
            project=original.project,
            stage=original.stage,
            title=original.title,
            description=original.description,
            audiences=list(original.audiences.all()),
            segment=original.segment,
            priority=original.priority,
            owner=original.owner,
            carried_from=original,
        )
    for original_action in sorted(actions, key=lambda a: a.pk):
        mix_services.action_create(
            actor=actor,
            workspace=workspace,
            objective=copies[original_action.objective_id],
            family=original_action.family,
            title=original_action.title,
            description=original_action.description,
            audiences=list(original_action.audiences.all()),
            lead_partner=original_action.lead_partner,
            contributors=list(original_action.contributors.all()),
            status=original_action.status,
            priority=original_action.priority,
            start_date=original_action.start_date,
            end_date=original_action.end_date,
            budget_planned=original_action.budget_planned,
            carried_from=original_action,
        )
    # The matrix cells marked not relevant are decisions about the project: all carry over.
    mix_services.irrelevant_cells_carry_over(workspace=workspace, cycle=locked, following=following)
    return following
