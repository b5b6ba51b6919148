"""The dashboards' numbers, computed with SQL aggregates.

:func:`compute_project` and :func:`compute_workspace` return plain JSON-ready dicts that a
:class:`~evaluation.models.DashboardSnapshot` stores. No Python loop runs over measurement or
action rows: the database aggregates, Python only shapes the (few) aggregated rows.

A project's dashboard is one cycle's: the plan figures (TRACER funnel, budget by mix family,
schedule, the output indicators of its actions) read that cycle's plan through
``mix.selectors.plan_actions`` and ``tracer.selectors.plan_objectives``. Indicators belong to
the project, not to a cycle: the open cycle shows where they stand today; a closed cycle shows
where they stood when it closed (the values of the periods up to its closing day, the statuses
of that day), so its numbers no longer change. The workspace's dashboard adds up the current
cycle of each active project.

:func:`reference_attainment` is the plain-Python definition of attainment, shared by the SQL
post-processing, the property tests and the benchmark's reference.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from evaluation.models import Direction, Indicator, IndicatorLevel, Measurement
from mix.models import Action, ActionStatus, MixFamily
from mix.selectors import plan_actions
from territories.models import Cycle, CycleStatus, Project
from territories.selectors import cycles_current_of
from tracer.models import Objective, TracerStage
from tracer.selectors import plan_objectives

TREND_POINTS = 24  # the last periods drawn per indicator
TREND_CHUNK = 200  # indicators per trend query

ZERO = Decimal(0)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def reference_attainment(
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    latest: Decimal | None,
    direction: str = Direction.HIGHER,
) -> float | None:
    """Progress from baseline to target, in percent (100 = reached). "Lower is better"
    indicators have a target below their baseline, so the same formula holds. A target equal to
    the baseline (keep a level) is reached on the good side of it, as the direction says."""
    if latest is None or target is None:
        return None
    start = baseline if baseline is not None else ZERO
    if target == start:
        reached = latest <= target if direction == Direction.LOWER else latest >= target
        return 100.0 if reached else 0.0
    return float((latest - start) / (target - start) * 100)


def status_of(
    *,
    attainment: float | None,
    baseline_date: dt.date | None,
    target_date: dt.date | None,
    latest_period: dt.date | None,
    today: dt.date,
) -> str:
    """reached / on_track / late, against the straight line from baseline to target date."""
    if latest_period is None:
        return "no_data"
    if attainment is None:
        return "no_target"
    if attainment >= 100:
        return "reached"
    if target_date is None or baseline_date is None or target_date <= baseline_date:
        return "on_track" if target_date is None or today <= target_date else "late"
    elapsed = (min(today, target_date) - baseline_date).days / (target_date - baseline_date).days
    expected = max(0.0, min(1.0, elapsed)) * 100
    return "on_track" if attainment >= expected else "late"


def as_of(cycle: Cycle) -> dt.date | None:
    """The last day whose measurements a cycle's dashboard reads: its closing day once it is
    closed; None (every period) while it is open."""
    return cycle.closed_on if cycle.status == CycleStatus.CLOSED else None


def _indicators(qs: QuerySet[Indicator], *, until: dt.date | None = None) -> QuerySet[Indicator]:
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period")
    counted = Measurement.unscoped_objects.filter(indicator=OuterRef("pk"))
    if until is not None:  # a closed cycle: the periods up to its closing day
        latest = latest.filter(period__lte=until)
        counted = counted.filter(period__lte=until)
    return (
        qs.select_related("stage", "objective")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period")[:1]),
            # The oldest period the trend shows; None when there are fewer points than that.
            trend_from=Subquery(latest.values("period")[TREND_POINTS - 1 : TREND_POINTS]),
            # A plain COUNT(*) (no GROUP BY) on the (indicator, period) index alone. Unscoped:
            # the indicators are the scoped query's and their measurements are in their
            # workspace; a "workspace = ..." here makes PostgreSQL read every measurement row
            # for it (and, over tens of indicators, JIT-compile the query): 3x slower.
            measurement_count=Subquery(
                counted.order_by().values(n=Func(template="COUNT(*)", output_field=IntegerField()))
            ),
        )
        .order_by("stage__position", "name", "id")
    )


def _trends(
    indicators: list[Indicator], *, until: dt.date | None = None
) -> dict[int, list[list[Any]]]:
    """The last TREND_POINTS measurements of each indicator (annotated by :func:`_indicators`).

    Each indicator's points are one range of the (workspace, indicator, period) index: from its
    ``trend_from`` period, or all of them when it has fewer. So the query reads TREND_POINTS rows
    per indicator, however many measurements there are (a window over all of them would read
    every one). One query per TREND_CHUNK indicators keeps the OR list short enough for SQLite.
    """
    trends: dict[int, list[list[Any]]] = {}
    measured = [ind for ind in indicators if getattr(ind, "measurement_count", None)]
    for start in range(0, len(measured), TREND_CHUNK):
        chunk = measured[start : start + TREND_CHUNK]
        starts = [(ind, getattr(ind, "trend_from", None)) for ind in chunk]
        few = [ind for ind, start in starts if start is None]
        ranges = [
            Q(workspace_id=ind.workspace_id, indicator_id=ind.pk, period__gte=start)
            for ind, start in starts
            if start is not None
        ]
        if few:
            ranges.append(
                Q(workspace_id=few[0].workspace_id, indicator_id__in=[ind.pk for ind in few])
            )
        if until is not None:  # every range ends on the closing day (still an index range)
            ranges = [r & Q(period__lte=until) for r in ranges]
        # Unscoped, each range naming its workspace instead: next to one "workspace = ..." for
        # the whole query, SQLite scans all of the workspace's measurements rather than the
        # ranges. The ranges come from indicators read through the scoped manager.
        rows = (
            Measurement.unscoped_objects.filter(reduce(operator.or_, ranges))
            .values_list("indicator_id", "period", "value")
            .order_by("indicator_id", "period")
        )
        for indicator_id, period, value in rows:  # at most TREND_POINTS per indicator
            trends.setdefault(indicator_id, []).append([period.isoformat(), float(value)])
    return trends


def _indicator_rows(qs: Iterable[Indicator], today: dt.date) -> list[dict[str, Any]]:
    result = []
    for ind in qs:  # one row per indicator (tens), the measurements are aggregated in SQL
        latest_value: Decimal | None = getattr(ind, "latest_value", None)
        latest_period: dt.date | None = getattr(ind, "latest_period", None)
        attainment = reference_attainment(
            baseline=ind.baseline_value,
            target=ind.target_value,
            latest=latest_value,
            direction=ind.direction,
        )
        result.append(
            {
                "id": ind.pk,
                "uuid": str(ind.uuid),
                "name": ind.name,
                "unit": ind.unit,
                "level": ind.level,
                "direction": ind.direction,
                "stage": ind.stage.code,
                "project_id": ind.project_id,
                "baseline": _num(ind.baseline_value),
                "baseline_date": ind.baseline_date.isoformat() if ind.baseline_date else None,
                "target": _num(ind.target_value),
                "target_date": ind.target_date.isoformat() if ind.target_date else None,
                "latest": _num(latest_value),
                "latest_period": latest_period.isoformat() if latest_period else None,
                "measurements": getattr(ind, "measurement_count", None) or 0,
                "attainment": None if attainment is None else round(attainment, 1),
                "status": status_of(
                    attainment=attainment,
                    baseline_date=ind.baseline_date,
                    target_date=ind.target_date,
                    latest_period=latest_period,
                    today=today,
                ),
            }
        )
    return result


def _money(field: str) -> Any:
    return Coalesce(
        Sum(field), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2)
    )


def _funnel(
    objectives_qs: QuerySet[Objective],
    actions_qs: QuerySet[Action],
    indicators: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Per TRACER stage: objectives, actions by status, budget planned and spent, attainment."""
    objectives = dict(
        objectives_qs.values("stage__code")
        .annotate(n=Count("pk"))
        .values_list("stage__code", "n")
        .order_by()
    )
    actions = {
        row["objective__stage__code"]: row
        for row in actions_qs.values("objective__stage__code")
        .annotate(
            total=Count("pk"),
            planned=_money("budget_planned"),
            spent=_money("budget_spent"),
            # Prefixed: the status "planned" would clash with the planned budget.
            **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in ActionStatus.values},
        )
        .order_by()
    }
    funnel = []
    for stage in TracerStage.objects.order_by("position"):
        row = actions.get(stage.code, {})
        reached = [
            i["attainment"]
            for i in indicators
            if i["stage"] == stage.code and i["attainment"] is not None
        ]
        funnel.append(
            {
                "stage": stage.code,
                "letter": stage.letter,
                "objectives": objectives.get(stage.code, 0),
                "actions": row.get("total", 0),
                "by_status": {s: row.get(f"status_{s}", 0) for s in ActionStatus.values},
                "planned": _num(row.get("planned", ZERO)),
                "spent": _num(row.get("spent", ZERO)),
                "indicators": len([i for i in indicators if i["stage"] == stage.code]),
                "attainment": round(sum(reached) / len(reached), 1) if reached else None,
            }
        )
    return funnel


def _budget_by_family(actions_qs: QuerySet[Action]) -> list[dict[str, Any]]:
    """Every action of the plan, dropped ones too: the total is the plan's planned budget, the
    figure of the plan's header and of the pooled means."""
    rows = {
        r["family_id"]: r
        for r in actions_qs.values("family_id")
        .annotate(planned=_money("budget_planned"), spent=_money("budget_spent"), n=Count("pk"))
        .order_by()
    }
    return [
        {
            "family": family.code,
            "actions": rows.get(family.pk, {}).get("n", 0),
            "planned": _num(rows.get(family.pk, {}).get("planned", ZERO)),
            "spent": _num(rows.get(family.pk, {}).get("spent", ZERO)),
        }
        for family in MixFamily.objects.order_by("position")
    ]


def _schedule(actions_qs: QuerySet[Action], today: dt.date) -> dict[str, int]:
    """Actions done, on schedule and late (past their end date and not done)."""
    open_statuses = [ActionStatus.IDEA, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
    return actions_qs.aggregate(
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        late=Count("pk", filter=Q(status__in=open_statuses, end_date__lt=today)),
        on_schedule=Count(
            "pk",
            filter=Q(status__in=open_statuses)
            & (Q(end_date__gte=today) | Q(end_date__isnull=True)),
        ),
        dropped=Count("pk", filter=Q(status=ActionStatus.DROPPED)),
    )


def cycle_info(cycle: Cycle) -> dict[str, Any]:
    """The cycle a snapshot is of, as its numbers carry it (the exports and the workspace's
    table of projects name it without a query)."""
    return {
        "uuid": str(cycle.uuid),
        "number": cycle.number,
        "status": cycle.status,
        "closed_on": cycle.closed_on.isoformat() if cycle.closed_on else None,
    }


def _outputs(
    indicators: list[dict[str, Any]], project: Project, actions_qs: QuerySet[Action]
) -> list[dict[str, Any]]:
    """The output indicators that evaluate the cycle's actions: those linked to one of its
    actions, and those linked to no action at all (they evaluate the plan as a whole). One
    linked only to other cycles' actions is left out. Two queries."""
    outputs = [i for i in indicators if i["level"] == IndicatorLevel.OUTPUT]
    if not outputs:
        return []
    linked = set(
        Indicator.objects.filter(
            project=project, level=IndicatorLevel.OUTPUT, actions__isnull=False
        ).values_list("pk", flat=True)
    )
    of_cycle = set(
        actions_qs.filter(indicators__level=IndicatorLevel.OUTPUT).values_list(
            "indicators", flat=True
        )
    )
    return [i for i in outputs if i["id"] in of_cycle or i["id"] not in linked]


def compute_project(
    project: Project, *, cycle: Cycle, today: dt.date | None = None
) -> dict[str, Any]:
    """The dashboard of ``project`` in ``cycle``; a closed cycle's as of its closing day."""
    until = as_of(cycle)
    today = today or until or dt.date.today()
    rows = list(_indicators(Indicator.objects.filter(project=project), until=until))
    indicators = _indicator_rows(rows, today)
    trends = _trends(rows, until=until)
    for row in indicators:
        row["trend"] = trends.get(row["id"], [])
    actions = plan_actions(project=project, cycle=cycle)
    return {
        "today": today.isoformat(),
        "cycle": cycle_info(cycle),
        "indicators": indicators,
        "funnel": _funnel(plan_objectives(project=project, cycle=cycle), actions, indicators),
        "budget_by_family": _budget_by_family(actions),
        "schedule": _schedule(actions, today),
        "outputs": _outputs(indicators, project, actions),
        "statuses": _count_statuses(indicators),
    }


def attainment(
    project: Project, *, today: dt.date | None = None, until: dt.date | None = None
) -> dict[str, Any]:
    """Where each indicator of ``project`` stands against its target, computed now (the cycle
    review reads it live; the dashboards read their snapshot); with ``until``, from the periods
    up to that day (a closed cycle, see :func:`as_of`)."""
    today = today or until or dt.date.today()
    indicators = _indicator_rows(
        _indicators(Indicator.objects.filter(project=project), until=until), today
    )
    return {"indicators": indicators, "statuses": _count_statuses(indicators)}


def _count_statuses(indicators: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"reached": 0, "on_track": 0, "late": 0, "no_target": 0, "no_data": 0}
    for row in indicators:
        counts[row["status"]] += 1
    return counts


def compute_workspace(*, today: dt.date | None = None) -> dict[str, Any]:
    """Across the workspace's active projects (the scope says which workspace), each in its
    current cycle: their plans are read through the plan selectors, one per project, and
    queried together."""
    today = today or dt.date.today()
    projects = list(Project.objects.filter(archived_at__isnull=True).order_by("name"))
    ids = [p.pk for p in projects]
    current = cycles_current_of(project_ids=ids)
    indicators = _indicator_rows(_indicators(Indicator.objects.filter(project_id__in=ids)), today)
    actions: QuerySet[Action] = Action.objects.none()
    objectives: QuerySet[Objective] = Objective.objects.none()
    for project in projects:  # the workspace's projects, not rows of data
        if project.pk in current:
            running = current[project.pk]
            actions = actions | plan_actions(project=project, cycle=running)
            objectives = objectives | plan_objectives(project=project, cycle=running)
    per_project = []
    for project in projects:
        own = [i for i in indicators if i["project_id"] == project.pk]
        per_project.append(
            {
                "project": str(project.uuid),
                "name": project.name,
                "cycle": current[project.pk].number if project.pk in current else None,
                "indicators": len(own),
                "statuses": _count_statuses(own),
            }
        )
    budgets = (
        actions.values("project_id")
        .annotate(planned=_money("budget_planned"), spent=_money("budget_spent"), n=Count("pk"))
        .order_by()
    )
    by_project = {b["project_id"]: b for b in budgets}
    for row, project in zip(per_project, projects, strict=True):
        b = by_project.get(project.pk, {})
        row.update(
            actions=b.get("n", 0),
            planned=_num(b.get("planned", ZERO)),
            spent=_num(b.get("spent", ZERO)),
        )
    return {
        "today": today.isoformat(),
        "projects": per_project,
        "funnel": _funnel(objectives, actions, indicators),
        "budget_by_family": _budget_by_family(actions),
        "schedule": _schedule(actions, today),
        "statuses": _count_statuses(indicators),
    }
