"""The dashboards read one cycle: a project whose cycle 1 was closed by the real close service
(``evaluation.cycles.cycle_close``), two of its actions carried over into the open cycle 2.

The project's dashboard shows cycle 2 by default and cycle 1 with ``?cycle=1``; its plan figures
(funnel, budget by family, schedule, the outputs of the cycle's actions) count that cycle's
actions only, and the budget by family adds up to the plan header's and the pooled means'
planned budget. A closed cycle's numbers are those of its closing day and are never computed
again. The workspace's dashboard adds up each project's current cycle.

Snapshots are computed by calling the service (as the task does); the computations the pages
send run after commit, which the test transaction holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.tenancy import workspace_scope
from evaluation import cycles, services
from evaluation.models import DashboardSnapshot, Indicator, Measurement, SnapshotStatus
from governance.selectors import contribution_totals
from mix import selectors as mix_selectors
from mix.models import Action, ActionStatus, MixFamily
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    LessonFactory,
    ObjectiveFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)
from tracer.models import TracerStage

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CLOSE = TODAY - dt.timedelta(days=60)  # cycle 2 starts then: cycle 1 closed on that day


@dataclass
class TwoCycles:
    project: Project
    first: Cycle
    second: Cycle
    indicator: Indicator
    stages: list[TracerStage]
    families: list[MixFamily]


def two_cycles(personas: Personas, name: str = "Harbour Project", extra: int = 0) -> TwoCycles:
    """Cycle 1: done (1,000 €), late (2,000 €, carried over), dropped (500 €) under stage 1, and
    on schedule (4,000 €, carried over) under stage 2; ``extra`` more done actions of 10 €.
    Closed by the service; cycle 2 then gets a new idea (300 €, no end date). An output
    indicator measured before and after the close, linked to a cycle-1 action."""
    ws = personas.workspace
    stages = list(TracerStage.objects.order_by("position"))
    families = list(MixFamily.objects.order_by("position"))
    project = ProjectFactory(workspace=ws, name=name, start_date=TODAY - dt.timedelta(days=400))
    first_stage = ObjectiveFactory(workspace=ws, project=project, stage=stages[0], title="Known")
    second_stage = ObjectiveFactory(workspace=ws, project=project, stage=stages[1], title="Liked")

    def action(objective: Any, family: int, status: str, budget: int, end: Any) -> Action:
        return ActionFactory(
            workspace=ws, objective=objective, family=families[family], status=status,
            budget_planned=Decimal(budget), budget_spent=Decimal(budget // 2), end_date=end,
        )  # fmt: skip

    done = action(first_stage, 0, ActionStatus.DONE, 1000, CLOSE - dt.timedelta(days=90))
    late = action(first_stage, 1, ActionStatus.PLANNED, 2000, CLOSE - dt.timedelta(days=30))
    action(first_stage, 0, ActionStatus.DROPPED, 500, None)
    steady = action(second_stage, 2, ActionStatus.IN_PROGRESS, 4000, TODAY + dt.timedelta(days=90))
    for _ in range(extra):
        action(first_stage, 3, ActionStatus.DONE, 10, None)
    indicator = Indicator.unscoped_objects.create(
        workspace=ws, project=project, name="Visitors welcomed", unit="visitors",
        stage=stages[0], level="output", baseline_value=Decimal(0), target_value=Decimal(100),
    )  # fmt: skip
    indicator.actions.add(done)
    Measurement.unscoped_objects.bulk_create(
        Measurement(workspace=ws, indicator=indicator, period=period, value=Decimal(value))
        for period, value in (
            (CLOSE - dt.timedelta(days=40), 40),
            (TODAY - dt.timedelta(days=5), 80),
        )
    )
    with workspace_scope(ws):
        first = Cycle.objects.get(project=project, number=1)
        second = cycles.cycle_close(
            actor=personas.user(Role.OWNER), workspace=ws, cycle=first, started_on=CLOSE,
            actions=list(Action.objects.filter(pk__in=[late.pk, steady.pk])),
        )  # fmt: skip
        first.refresh_from_db()
        copy = Action.objects.get(carried_from=late)
        ActionFactory(
            workspace=ws, objective=copy.objective, family=families[4], status=ActionStatus.IDEA,
            budget_planned=Decimal(300), end_date=None,
        )  # fmt: skip
    return TwoCycles(project, first, second, indicator, stages, families)


def compute(world: TwoCycles, cycle: Cycle | None, personas: Personas) -> DashboardSnapshot:
    """The snapshot of the cycle's current inputs (the project's current cycle if None)."""
    ws = personas.workspace
    with workspace_scope(ws):
        version = services.inputs_version(world.project, ws, cycle)
        snapshot = services.snapshot_compute(
            workspace=ws, project=world.project, cycle=cycle, version=version, claim="test"
        )
    assert snapshot is not None and snapshot.status == SnapshotStatus.DONE
    return snapshot


def page(personas: Personas, project: Project, query: str = "") -> str:
    return reverse("project_dashboard", args=[personas.workspace.slug, project.uuid]) + query


def by_stage(data: dict[str, Any], stages: list[TracerStage]) -> list[tuple[int, int]]:
    rows = {r["stage"]: r for r in data["funnel"]}
    return [(rows[s.code]["objectives"], rows[s.code]["actions"]) for s in stages[:2]]


@pytest.fixture
def world(personas: Personas, django_capture_on_commit_callbacks: Any) -> TwoCycles:
    with django_capture_on_commit_callbacks(execute=False):  # the close's computations, held
        return two_cycles(personas)


# --- One cycle's figures -------------------------------------------------------------------------


def test_the_dashboard_counts_the_current_cycle_by_default_and_another_when_asked(
    personas: Personas, world: TwoCycles, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    for cycle in (world.first, world.second):
        compute(world, cycle, personas)

    with django_capture_on_commit_callbacks(execute=False):
        current = client.get(page(personas, world.project))
        closed = client.get(page(personas, world.project, "?cycle=1"))
    assert current.status_code == closed.status_code == 200
    now, then = current.context["state"].data, closed.context["state"].data
    assert (now["cycle"]["number"], then["cycle"]["number"]) == (2, 1)

    # Cycle 2: the two copies and the new idea; cycle 1: its four actions, none counted twice.
    assert now["schedule"] == {"done": 0, "late": 1, "on_schedule": 2, "dropped": 0}
    assert then["schedule"] == {"done": 1, "late": 1, "on_schedule": 1, "dropped": 1}
    assert by_stage(now, world.stages) == [(1, 2), (1, 1)]
    assert by_stage(then, world.stages) == [(1, 3), (1, 1)]
    assert sum(r["actions"] for r in now["budget_by_family"]) == 3
    assert sum(r["planned"] for r in now["budget_by_family"]) == 6300.0
    assert sum(r["planned"] for r in then["budget_by_family"]) == 7500.0
    assert sum(r["planned"] for r in now["funnel"]) == 6300.0

    # The page says which cycle it shows and lets the reader switch; cycle 1 reads as closed.
    body = current.content.decode()
    assert 'name="cycle"' in body and "Cycle 2 · open" in body
    assert "was closed on" not in body
    old = closed.content.decode()
    assert "Cycle 1 was closed on" in old and "?cycle=2" in old  # the banner leads on
    assert "as they stood when it closed" in old
    assert "with every value measured so far" in body
    # The evaluation of the actions: the output indicator linked to a cycle-1 action.
    assert [r["name"] for r in closed.context["shown"]["outputs"]] == ["Visitors welcomed"]
    assert current.context["shown"]["outputs"] == []
    assert "No output indicator for this cycle" in body


def test_the_budget_by_family_is_the_plans_planned_budget_in_each_cycle(
    personas: Personas, world: TwoCycles
) -> None:
    for cycle in (world.first, world.second):
        data = compute(world, cycle, personas).data
        with workspace_scope(personas.workspace):
            header = mix_selectors.counters(project=world.project, cycle=cycle)["planned"]
            pooled = contribution_totals(cycle=cycle)["planned"]
        total = Decimal(str(sum(r["planned"] for r in data["budget_by_family"])))
        assert total == header == pooled, cycle


def test_a_closed_cycle_reads_its_measurements_up_to_its_closing_day(
    personas: Personas, world: TwoCycles
) -> None:
    closed = compute(world, world.first, personas).data
    current = compute(world, world.second, personas).data
    [then] = closed["indicators"]
    [now] = current["indicators"]
    assert (then["latest"], then["measurements"], len(then["trend"])) == (40.0, 1, 1)
    assert (now["latest"], now["measurements"]) == (80.0, 2)
    assert closed["today"] == CLOSE.isoformat()  # late and on schedule as on the closing day
    # The output indicator evaluates a cycle-1 action: it is cycle 1's evaluation of actions.
    assert [o["name"] for o in closed["outputs"]] == ["Visitors welcomed"]
    assert current["outputs"] == []


def test_a_closed_cycles_snapshot_is_never_computed_again(
    personas: Personas, world: TwoCycles, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = compute(world, world.first, personas)
    with workspace_scope(personas.workspace):  # its inputs "change": a measurement, a plan edit
        services.measurement_record(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace,
            indicator=world.indicator, period=CLOSE - dt.timedelta(days=10), value=Decimal(55),
        )  # fmt: skip
        Project.objects.filter(pk=world.project.pk).update(plan_revision=999)
        assert services.inputs_version(world.project, personas.workspace, world.first) == (
            first.inputs_version
        )
    client = client_for(personas.user(Role.VIEWER))
    with django_capture_on_commit_callbacks(execute=False) as sent:
        body = client.get(page(personas, world.project, "?cycle=1")).content.decode()
    assert not sent  # nothing to compute: its numbers are in
    assert DashboardSnapshot.unscoped_objects.filter(cycle=world.first).count() == 1
    assert 'id="dashboard-poller"' not in body  # nothing will change: no polling
    # The current cycle's numbers are the ones brought up to date.
    with django_capture_on_commit_callbacks(execute=False) as sent:
        body = client.get(page(personas, world.project)).content.decode()
    assert len(sent) == 1 and 'id="dashboard-poller"' in body


def test_the_status_poll_and_the_exports_keep_the_cycle(
    personas: Personas, world: TwoCycles, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = compute(world, world.first, personas)
    compute(world, world.second, personas)
    client = client_for(personas.user(Role.VIEWER))
    body = client.get(page(personas, world.project, "?cycle=1")).content.decode()
    export = reverse(
        "project_dashboard_export",
        args=[personas.workspace.slug, world.project.uuid, "budget", "csv"],
    )
    assert f'href="{export}?cycle=1"' in body
    status = reverse("project_dashboard_status", args=[personas.workspace.slug, world.project.uuid])
    query = {"cycle": "1", "version": first.inputs_version, "pending": "0"}
    assert client.get(status, query).status_code == 204  # cycle 1's numbers are the ones shown

    answer = client.get(export, {"cycle": "1", "lang": "en"})
    assert answer["Content-Disposition"].endswith('-dashboard-cycle-1-budget-by-mix-family.csv"')
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["Mix family", "Actions", "Planned budget (€)", "Spent (€)", "Cycle"]
    assert {row[-1] for row in rows[1:]} == {"1"}
    assert sum(float(row[2]) for row in rows[1:]) == 7500.0
    current = client.get(export, {"lang": "en"})
    assert "-cycle-2-" in current["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(current.content.decode("utf-8-sig"))))
    assert sum(float(row[2]) for row in rows[1:]) == 6300.0


def test_lessons_shown_are_the_chosen_cycles(
    personas: Personas, world: TwoCycles, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ws = personas.workspace
    LessonFactory(workspace=ws, project=world.project, cycle=world.first, learned="Old lesson")
    LessonFactory(workspace=ws, project=world.project, cycle=world.second, learned="New lesson")
    for cycle in (world.first, world.second):
        compute(world, cycle, personas)
    client = client_for(personas.user(Role.VIEWER))
    with django_capture_on_commit_callbacks(execute=False):
        now = client.get(page(personas, world.project)).content.decode()
        then = client.get(page(personas, world.project, "?cycle=1")).content.decode()
    assert "New lesson" in now and "Old lesson" not in now
    assert "Old lesson" in then and "New lesson" not in then
    assert f"?cycle={world.first.uuid}" in then  # the register, filtered to that cycle


@pytest.mark.parametrize("query", ["?cycle=3", "?cycle=one", "?cycle=-1"])
def test_a_cycle_the_project_does_not_have_is_404(
    personas: Personas, world: TwoCycles, client_for: Any, query: str
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    assert client.get(page(personas, world.project, query)).status_code == 404
    export = reverse(
        "project_dashboard_export",
        args=[personas.workspace.slug, world.project.uuid, "funnel", "csv"],
    )
    assert client.get(export + query).status_code == 404


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?cycle=1"])
def test_the_page_of_a_cycle_makes_as_many_queries_for_a_large_plan_as_for_a_small_one(
    personas: Personas,
    client_for: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    query: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        small = two_cycles(personas, "Small Project")
        large = two_cycles(personas, "Large Project", extra=40)
    for world in (small, large):
        for cycle in (world.first, world.second):
            compute(world, cycle, personas)
    client = client_for(personas.user(Role.VIEWER))
    client.get(page(personas, small.project, query))  # the session, once
    with CaptureQueriesContext(connection) as one:
        assert client.get(page(personas, small.project, query)).status_code == 200
    with django_assert_num_queries(len(one)):
        response = client.get(page(personas, large.project, query))
    done = response.context["state"].data["schedule"]["done"]
    assert done == (41 if query else 0)


# --- The workspace and the partners --------------------------------------------------------------


def test_the_workspace_dashboard_adds_up_each_projects_current_cycle(
    personas: Personas, world: TwoCycles, client_for: Any
) -> None:
    other = two_cycles(personas, "Valley Project")
    with workspace_scope(personas.workspace):
        snapshot = services.snapshot_compute(
            workspace=personas.workspace, project=None, claim="test",
            version=services.inputs_version(None, personas.workspace),
        )  # fmt: skip
    assert snapshot is not None and snapshot.cycle is None
    data = snapshot.data
    assert sum(r["planned"] for r in data["budget_by_family"]) == 2 * 6300.0
    assert data["schedule"] == {"done": 0, "late": 2, "on_schedule": 4, "dropped": 0}
    cycles_of = {r["name"]: r["cycle"] for r in data["projects"]}
    assert cycles_of[world.project.name] == cycles_of[other.project.name] == 2

    response = client_for(personas.user(Role.VIEWER)).get(
        reverse("workspace_dashboard", args=[personas.workspace.slug])
    )
    body = response.content.decode()
    assert "Each project counts with its current cycle" in body
    export = client_for(personas.user(Role.VIEWER)).get(
        reverse("workspace_dashboard_export", args=[personas.workspace.slug, "projects", "csv"]),
        {"lang": "en"},
    )
    assert "current-cycles" in export["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Cycle" and {r[0]: r[-1] for r in rows[1:]}["Valley Project"] == "2"


def test_the_partners_view_shows_only_their_shared_projects_current_cycles(
    personas: Personas, world: TwoCycles, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hidden = two_cycles(personas, "Hidden Project")
    organisation = PartnerOrganisationFactory(workspace=personas.workspace, name="Harbour office")
    organisation.members.add(personas.memberships[Role.PARTNER])
    organisation.shared_projects.add(world.project)
    for each in (world, hidden):
        compute(each, None, personas)
    client = client_for(personas.user(Role.PARTNER))

    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(reverse("workspace_dashboard", args=[personas.workspace.slug]))
        assert client.get(page(personas, world.project, "?cycle=1")).status_code == 200
        assert client.get(page(personas, hidden.project, "?cycle=1")).status_code == 404
    body = response.content.decode()
    assert "Harbour Project" in body and "Hidden Project" not in body
    data = response.context["state"].data
    assert sum(r["planned"] for r in data["budget_by_family"]) == 6300.0  # cycle 2 of one project
    assert data["schedule"]["late"] == 1
    assert [p["cycle"] for p in data["projects"]] == [2]


# --- At the close ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_closing_a_cycle_computes_its_dashboard_once_in_the_embedded_default(
    personas: Personas, embedded: None
) -> None:
    world = two_cycles(personas)  # the close commits: its dashboard is computed in-process
    [snapshot] = DashboardSnapshot.unscoped_objects.filter(cycle=world.first)
    assert snapshot.status == SnapshotStatus.DONE
    assert snapshot.inputs_version == f"c-1-{CLOSE.isoformat()}"
    assert snapshot.data["schedule"] == {"done": 1, "late": 1, "on_schedule": 1, "dropped": 1}


@pytest.fixture
def embedded(settings: Any) -> Any:
    """Tasks in-process, as in the embedded default, whatever this run's settings."""
    from celery import current_app

    before = current_app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = before
