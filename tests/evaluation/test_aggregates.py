"""The dashboard's SQL aggregates against a plain-Python reference, on generated plans.

Hypothesis generates a project: indicators (higher or lower is better, with or without baseline
and target, a target equal to the baseline, dates), their measurements (some indicators have
none; periods are unique per indicator, as the database requires), objectives at TRACER stages
and actions with statuses, mix families, budgets and end dates. The rows are bulk-created in a
transaction rolled back after each example. :func:`evaluation.dashboard.compute_project` must
give what :func:`reference` computes here, from the generated rows, with no SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.tenancy import workspace_scope
from evaluation import dashboard
from evaluation.dashboard import TREND_POINTS, compute_project
from evaluation.models import Direction, Indicator, IndicatorLevel, Measurement
from mix.models import Action, ActionStatus, MixFamily
from territories.models import Cycle, Project
from tests.factories import ProjectFactory, WorkspaceFactory
from tracer.models import Objective, TracerStage

TODAY = dt.date(2026, 6, 1)
STAGES = 6  # TRACER
FAMILIES = 12  # the marketing mix
OPEN = {ActionStatus.IDEA, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}

days = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2029, 12, 31))
values = st.decimals(
    min_value=-1_000_000, max_value=1_000_000, places=4, allow_nan=False, allow_infinity=False
)
money = st.decimals(min_value=0, max_value=500_000, places=2, allow_nan=False, allow_infinity=False)


@dataclass
class GenIndicator:
    name: str
    stage: int
    level: str
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    baseline_date: dt.date | None
    target_date: dt.date | None
    measurements: list[tuple[dt.date, Decimal]]  # unique periods, in no particular order
    pk: int = 0


@dataclass
class GenAction:
    objective: int  # index into the objectives
    family: int
    status: str
    planned: Decimal
    spent: Decimal
    end_date: dt.date | None


@dataclass
class GenPlan:
    objectives: list[int]  # the stage of each objective
    actions: list[GenAction]
    indicators: list[GenIndicator]


@st.composite
def indicators(draw: st.DrawFn) -> GenIndicator:
    baseline = draw(st.none() | values)
    target_kind = draw(st.sampled_from(["none", "any", "same"]))
    target = {"none": None, "any": draw(values), "same": baseline}[target_kind]
    first, second = draw(st.none() | days), draw(st.none() | days)
    if first and second and second < first:
        first, second = second, first
    return GenIndicator(
        # Few names: equal names are ordered by id.
        name=draw(st.sampled_from(["Visitors", "Jobs", "Image"])),
        stage=draw(st.integers(0, STAGES - 1)),
        level=draw(st.sampled_from(IndicatorLevel.values)),
        direction=draw(st.sampled_from(Direction.values)),
        baseline=baseline,
        target=target,
        baseline_date=first,
        target_date=second,
        measurements=draw(
            st.lists(st.tuples(days, values), max_size=TREND_POINTS + 6, unique_by=lambda m: m[0])
        ),
    )


@st.composite
def plans(draw: st.DrawFn) -> GenPlan:
    objectives = draw(st.lists(st.integers(0, STAGES - 1), max_size=5))
    actions = []
    if objectives:
        for _ in range(draw(st.integers(0, 12))):
            planned = draw(money)
            actions.append(
                GenAction(
                    objective=draw(st.integers(0, len(objectives) - 1)),
                    family=draw(st.integers(0, FAMILIES - 1)),
                    status=draw(st.sampled_from(ActionStatus.values)),
                    planned=planned,
                    spent=draw(money),
                    # Around today: before, on, after, or none.
                    end_date=draw(
                        st.none()
                        | st.just(TODAY)
                        | st.dates(TODAY - dt.timedelta(days=400), TODAY + dt.timedelta(days=400))
                    ),
                )
            )
    return GenPlan(
        objectives=objectives,
        actions=actions,
        indicators=draw(st.lists(indicators(), max_size=6)),
    )


# --- The reference: plain Python over the generated rows ---------------------------------------


def ref_attainment(ind: GenIndicator, latest: Decimal | None) -> Fraction | None:
    """(latest - baseline) / (target - baseline) * 100, baseline 0 when missing."""
    if latest is None or ind.target is None:
        return None
    start = ind.baseline if ind.baseline is not None else Decimal(0)
    if ind.target == start:  # the target is the baseline: reached or not, by direction
        reached = latest >= start if ind.direction == Direction.HIGHER else latest <= start
        return Fraction(100) if reached else Fraction(0)
    return (Fraction(latest) - Fraction(start)) / (Fraction(ind.target) - Fraction(start)) * 100


def ref_status(ind: GenIndicator, attainment: Fraction | None, has_data: bool) -> set[str]:
    """The statuses the indicator may have (two only when it sits exactly on the line, where
    the float arithmetic of the implementation may fall either side)."""
    if not has_data:
        return {"no_data"}
    if attainment is None:
        return {"no_target"}
    if attainment >= 100:
        return {"reached"}
    start, end = ind.baseline_date, ind.target_date
    if end is None:
        return {"on_track"}
    if start is None or end <= start:
        return {"on_track" if end >= TODAY else "late"}
    # The straight line from 0 % at the baseline date to 100 % at the target date.
    elapsed = Fraction((min(TODAY, end) - start).days, (end - start).days)
    expected = max(Fraction(0), min(Fraction(1), elapsed)) * 100
    if attainment == expected:
        return {"on_track"}
    if abs(attainment - expected) < Fraction(1, 10**9):
        return {"on_track", "late"}
    return {"on_track" if attainment > expected else "late"}


def reference(plan: GenPlan, stages: list[TracerStage], families: list[MixFamily]) -> dict:
    indicators = []
    for ind in sorted(plan.indicators, key=lambda i: (i.stage, i.name, i.pk)):
        latest_period = max((p for p, _v in ind.measurements), default=None)
        latest = dict(ind.measurements).get(latest_period) if latest_period else None
        attainment = ref_attainment(ind, latest)
        trend = sorted(ind.measurements)[-TREND_POINTS:]
        indicators.append(
            {
                "id": ind.pk,
                "stage": stages[ind.stage].code,
                "level": ind.level,
                "direction": ind.direction,
                "baseline": None if ind.baseline is None else float(ind.baseline),
                "target": None if ind.target is None else float(ind.target),
                "latest": None if latest is None else float(latest),
                "latest_period": latest_period.isoformat() if latest_period else None,
                "measurements": len(ind.measurements),
                "attainment": None if attainment is None else float(attainment),
                "statuses": ref_status(ind, attainment, bool(ind.measurements)),
                "trend": [[p.isoformat(), float(v)] for p, v in trend],
            }
        )
    funnel = []
    for position, stage in enumerate(stages):
        acts = [a for a in plan.actions if plan.objectives[a.objective] == position]
        reached = [
            i["attainment"]
            for i in indicators
            if i["stage"] == stage.code and i["attainment"] is not None
        ]
        funnel.append(
            {
                "stage": stage.code,
                "objectives": plan.objectives.count(position),
                "actions": len(acts),
                "by_status": {s: sum(a.status == s for a in acts) for s in ActionStatus.values},
                "planned": float(sum((a.planned for a in acts), Decimal(0))),
                "spent": float(sum((a.spent for a in acts), Decimal(0))),
                "indicators": sum(i["stage"] == stage.code for i in indicators),
                "attainment": sum(reached) / len(reached) if reached else None,
            }
        )
    kept = plan.actions  # dropped ones too: the total is the plan's planned budget
    budget_by_family = [
        {
            "family": family.code,
            "actions": sum(a.family == position for a in kept),
            "planned": float(sum((a.planned for a in kept if a.family == position), Decimal(0))),
            "spent": float(sum((a.spent for a in kept if a.family == position), Decimal(0))),
        }
        for position, family in enumerate(families)
    ]
    opened = [a for a in plan.actions if a.status in OPEN]
    schedule = {
        "done": sum(a.status == ActionStatus.DONE for a in plan.actions),
        "late": sum(a.end_date is not None and a.end_date < TODAY for a in opened),
        "on_schedule": sum(a.end_date is None or a.end_date >= TODAY for a in opened),
        "dropped": sum(a.status == ActionStatus.DROPPED for a in plan.actions),
    }
    return {
        "indicators": indicators,
        "funnel": funnel,
        "budget_by_family": budget_by_family,
        "schedule": schedule,
    }


# --- Writing the generated rows -----------------------------------------------------------------


def write(plan: GenPlan, stages: list[TracerStage], families: list[MixFamily]) -> Project:
    """The generated project, plus a second project of the same workspace whose rows must not
    count (a later measurement, a dropped action, an objective)."""
    project: Project = ProjectFactory(workspace=WorkspaceFactory())
    workspace = project.workspace
    other: Project = ProjectFactory(workspace=workspace, territory=project.territory)
    with workspace_scope(workspace):
        cycles = {c.project_id: c for c in Cycle.objects.filter(number=1)}
        objectives = Objective.objects.bulk_create(
            [
                Objective(
                    workspace=workspace, project=p, cycle=cycles[p.pk], stage=stages[s], title="O"
                )
                for p, s in [*((project, s) for s in plan.objectives), (other, 0)]
            ]
        )
        Action.objects.bulk_create(
            [
                Action(
                    workspace=workspace,
                    project=project,
                    objective=objectives[a.objective],
                    family=families[a.family],
                    title="A",
                    status=a.status,
                    end_date=a.end_date,
                    budget_planned=a.planned,
                    budget_spent=a.spent,
                )
                for a in plan.actions
            ]
            + [
                Action(
                    workspace=workspace,
                    project=other,
                    objective=objectives[-1],
                    family=families[0],
                    title="Elsewhere",
                    status=ActionStatus.PLANNED,
                    end_date=TODAY - dt.timedelta(days=1),
                    budget_planned=Decimal(1000),
                )
            ]
        )
        rows = [
            Indicator(
                workspace=workspace,
                project=project,
                name=ind.name,
                unit="u",
                stage=stages[ind.stage],
                level=ind.level,
                direction=ind.direction,
                baseline_value=ind.baseline,
                target_value=ind.target,
                baseline_date=ind.baseline_date,
                target_date=ind.target_date,
            )
            for ind in plan.indicators
        ]
        elsewhere = Indicator(
            workspace=workspace, project=other, name="Elsewhere", unit="u", stage=stages[0]
        )
        created = Indicator.objects.bulk_create([*rows, elsewhere])
        for ind, row in zip(plan.indicators, created, strict=False):
            ind.pk = row.pk
        Measurement.objects.bulk_create(
            [
                Measurement(workspace=workspace, indicator=row, period=period, value=value)
                for ind, row in zip(plan.indicators, created, strict=False)
                for period, value in ind.measurements
            ]
            + [
                Measurement(
                    workspace=workspace, indicator=created[-1], period=TODAY, value=Decimal(7)
                )
            ]
        )
    return project


def first_cycle(project: Project) -> Cycle:
    """The generated plan is the one of cycle 1, the project's open cycle."""
    return Cycle.objects.get(project=project, number=1)


# --- Comparing ------------------------------------------------------------------------------


def close(actual: float | None, expected: float | None, *, tolerance: float = 0.005) -> bool:
    if actual is None or expected is None:
        return actual is expected
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=tolerance)


def check(actual: dict, expected: dict) -> None:
    got = actual["indicators"]
    assert [i["id"] for i in got] == [i["id"] for i in expected["indicators"]]
    for row, ref in zip(got, expected["indicators"], strict=True):
        where = f"indicator {ref}"
        for key in ("stage", "level", "direction", "latest_period", "measurements", "trend"):
            assert row[key] == ref[key], f"{key} of {where}: {row[key]!r}"
        for key in ("baseline", "target", "latest"):
            assert close(row[key], ref[key], tolerance=0), f"{key} of {where}: {row[key]!r}"
        # Shown rounded to one decimal.
        assert close(row["attainment"], ref["attainment"], tolerance=0.05 + 1e-9), where
        assert row["status"] in ref["statuses"], f"status of {where}: {row['status']!r}"
    assert actual["outputs"] == [i for i in got if i["level"] == IndicatorLevel.OUTPUT]
    statuses = {"reached": 0, "on_track": 0, "late": 0, "no_target": 0, "no_data": 0}
    for row in got:
        statuses[row["status"]] += 1
    assert actual["statuses"] == statuses

    assert len(actual["funnel"]) == len(expected["funnel"])
    for row, ref in zip(actual["funnel"], expected["funnel"], strict=True):
        for key in ("stage", "objectives", "actions", "by_status", "indicators"):
            assert row[key] == ref[key], f"funnel {ref['stage']} {key}: {row[key]!r}"
        for key in ("planned", "spent"):
            assert close(row[key], ref[key]), f"funnel {ref['stage']} {key}: {row[key]!r}"
        # The mean of attainments each rounded to 0.1, itself rounded to 0.1.
        assert close(row["attainment"], ref["attainment"], tolerance=0.1 + 1e-9), ref["stage"]

    assert len(actual["budget_by_family"]) == len(expected["budget_by_family"])
    for row, ref in zip(actual["budget_by_family"], expected["budget_by_family"], strict=True):
        assert (row["family"], row["actions"]) == (ref["family"], ref["actions"])
        assert close(row["planned"], ref["planned"]) and close(row["spent"], ref["spent"]), ref
    assert actual["schedule"] == expected["schedule"]
    assert actual["today"] == TODAY.isoformat()


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    # The database fixture is function-scoped on purpose: every example rolls its rows back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans())
def test_compute_project_equals_a_plain_python_reference(plan: GenPlan) -> None:
    stages = list(TracerStage.objects.order_by("position"))
    families = list(MixFamily.objects.order_by("position"))
    assert (len(stages), len(families)) == (STAGES, FAMILIES)
    with transaction.atomic():
        project = write(plan, stages, families)
        # Trends are fetched TREND_CHUNK indicators per query: several chunks here.
        with workspace_scope(project.workspace), mock.patch.object(dashboard, "TREND_CHUNK", 2):
            actual = compute_project(project, cycle=first_cycle(project), today=TODAY)
        transaction.set_rollback(True)
    check(actual, reference(plan, stages, families))


@pytest.mark.django_db
def test_the_reference_sees_what_a_hand_made_project_shows() -> None:
    """One example worked by hand, so that the reference itself is checked."""
    stages = list(TracerStage.objects.order_by("position"))
    families = list(MixFamily.objects.order_by("position"))
    visitors = GenIndicator(
        name="Visitors",
        stage=0,
        level=IndicatorLevel.OUTPUT,
        direction=Direction.HIGHER,
        baseline=Decimal(100),
        target=Decimal(200),
        baseline_date=dt.date(2026, 1, 1),
        target_date=dt.date(2026, 12, 31),
        measurements=[(dt.date(2026, 3, 1), Decimal(175)), (dt.date(2026, 2, 1), Decimal(120))],
    )
    unemployment = GenIndicator(
        name="Unemployment",
        stage=1,
        level=IndicatorLevel.RESULT,
        direction=Direction.LOWER,
        baseline=Decimal(10),
        target=Decimal(10),
        baseline_date=None,
        target_date=None,
        measurements=[(dt.date(2026, 4, 1), Decimal("9.5"))],
    )
    empty = GenIndicator(
        "Image", 1, IndicatorLevel.IMPACT, Direction.HIGHER, None, None, None, None, []
    )
    plan = GenPlan(
        objectives=[0, 1],
        actions=[
            GenAction(0, 0, ActionStatus.PLANNED, Decimal(1000), Decimal(0), dt.date(2026, 5, 1)),
            GenAction(0, 1, ActionStatus.DONE, Decimal(500), Decimal(450), None),
            GenAction(1, 1, ActionStatus.DROPPED, Decimal(300), Decimal(0), None),
        ],
        indicators=[visitors, unemployment, empty],
    )
    with transaction.atomic():
        project = write(plan, stages, families)
        with workspace_scope(project.workspace):
            actual = compute_project(project, cycle=first_cycle(project), today=TODAY)
        transaction.set_rollback(True)
    expected = reference(plan, stages, families)
    check(actual, expected)
    by_name = {i["name"]: i for i in actual["indicators"]}
    assert by_name["Visitors"]["latest"] == 175.0 and by_name["Visitors"]["attainment"] == 75.0
    # 151 of 364 days: 41.5 % expected, 75 % reached.
    assert by_name["Visitors"]["status"] == "on_track"
    # Lower is better, the target is the baseline, the value is below it: reached.
    assert by_name["Unemployment"]["attainment"] == 100.0
    assert by_name["Unemployment"]["status"] == "reached"
    assert by_name["Image"]["status"] == "no_data" and by_name["Image"]["measurements"] == 0
    assert actual["schedule"] == {"done": 1, "late": 1, "on_schedule": 0, "dropped": 1}
    assert actual["funnel"][0]["planned"] == 1500.0 and actual["funnel"][0]["spent"] == 450.0
    # The dropped action counts too: the family's total adds up to the plan's planned budget.
    assert actual["budget_by_family"][1] == {
        "family": families[1].code,
        "actions": 2,
        "planned": 800.0,
        "spent": 450.0,
    }
    assert sum(r["planned"] for r in actual["budget_by_family"]) == 1800.0
