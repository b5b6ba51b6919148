"""Every change that moves a dashboard figure recomputes the dashboard, pages and API alike.

* An action's budget edited in the plan page's inline editor (HTMX) and through the API: each
  produces a new DONE snapshot whose figures show the new budget, and the API's
  ``dashboard-snapshots`` list shows it first. In the embedded default (SQLite, tasks
  in-process) the computation runs after the save's commit; against the real services the real
  worker computes it (the session worker, on the ``dashboards`` queue).
* Each kind of change (an action's status, dates, objective, family, deletion; an objective's
  stage, deletion; the library import; a measurement; an indicator; a closed cycle and what it
  carries over; a project renamed or archived) moves the inputs version and leaves a done
  snapshot of the new version: one rule, :mod:`territories.revisions`, for every service.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from celery import current_app
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Role
from core.tenancy import workspace_scope
from core.tokens import token_create
from evaluation import cycles, services
from evaluation.models import DashboardSnapshot, SnapshotStatus
from mix import services as mix_services
from mix.models import Action, MixFamily
from territories import services as territories_services
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import ProjectFactory
from tracer import services as tracer_services
from tracer.models import Objective, TracerStage

HTMX = {"HTTP_HX_REQUEST": "true"}
BASE = "/api/v1/w/alpha"
WAIT = 60  # seconds the real worker has to compute (it computes in well under a second)


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: nothing within {timeout} s (see test-artifacts/celery-*.log)")
        time.sleep(0.2)


def a_plan(personas: Personas) -> tuple[Project, Objective, Action]:
    """A project with one objective and one action of 1,200 € planned, made through the services
    (as people make them), then every dashboard request of its creation forgotten."""
    ws, owner = personas.workspace, personas.user(Role.OWNER)
    with workspace_scope(ws):
        project = ProjectFactory(workspace=ws, name="Wine Entrepreneurs 2026")
        objective = tracer_services.objective_create(
            actor=owner,
            workspace=ws,
            project=project,
            stage=TracerStage.objects.get(code="tracer.reputation"),
            title="Be known for wine",
        )
        action = mix_services.action_create(
            actor=owner,
            workspace=ws,
            objective=objective,
            family=MixFamily.objects.get(code="mix.promotion"),
            title="Wine fair stand",
            budget_planned=Decimal("1200.00"),
        )
    # The debounce keys live in Redis, which outlives the test database's ids.
    cache.delete(f"dashboards-scheduled:{ws.pk}:{project.pk}")
    return project, objective, action


def planned(snapshot: DashboardSnapshot, family: str = "mix.promotion") -> float:
    return next(r["planned"] for r in snapshot.data["budget_by_family"] if r["family"] == family)


def done_snapshot(personas: Personas, project: Project) -> DashboardSnapshot:
    """The done snapshot of the project's current inputs, computed by whoever computes."""
    with workspace_scope(personas.workspace):
        version = services.inputs_version(project, personas.workspace)
    return wait_for(
        f"a done snapshot of {version}",
        lambda: DashboardSnapshot.unscoped_objects.filter(
            project=project, inputs_version=version, status=SnapshotStatus.DONE
        ).first(),
        WAIT,
    )


def token_client(personas: Personas) -> APIClient:
    with workspace_scope(personas.workspace):
        _token, secret = token_create(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace, name="BI", scope="write"
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def computing(request: pytest.FixtureRequest, settings: Any) -> str:
    """Who computes: the embedded default in-process, or the real worker with the services."""
    settings.DASHBOARD_DEBOUNCE_SECONDS = 1
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    request.getfixturevalue("celery_worker_process")
    return "worker"


def edit_in_the_page(personas: Personas, action: Action, budget: str) -> None:
    client = Client()
    client.force_login(personas.user(Role.EDITOR))
    url = reverse("action_field", args=[personas.workspace.slug, action.uuid, "budget_planned"])
    response = client.post(url, {"budget_planned": budget, "version": str(action.version)}, **HTMX)
    assert response.status_code == 200, response.content.decode()[:500]


def edit_through_the_api(personas: Personas, action: Action, budget: str) -> None:
    client = token_client(personas)
    url = f"{BASE}/actions/{action.uuid}/"
    response = client.patch(
        url, {"budget_planned": budget}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("edit", [edit_in_the_page, edit_through_the_api], ids=["page", "api"])
def test_an_action_budget_edit_recomputes_the_dashboard_and_the_api_lists_it(
    personas: Personas, computing: str, edit: Callable[[Personas, Action, str], None]
) -> None:
    project, _objective, action = a_plan(personas)
    before = done_snapshot(personas, project)  # the plan as created: 1,200 €
    assert planned(before) == 1200.0

    edit(personas, action, "2500")

    after = done_snapshot(personas, project)
    assert after.pk != before.pk and after.inputs_version != before.inputs_version
    assert planned(after) == 2500.0
    reputation = next(r for r in after.data["funnel"] if r["stage"] == "tracer.reputation")
    assert reputation["planned"] == 2500.0
    # The API's list of the project's done snapshots shows the new numbers first.
    listed = token_client(personas).get(
        f"{BASE}/dashboard-snapshots/?project={project.uuid}&status=done"
    )
    assert listed.status_code == 200
    newest = listed.json()["results"][0]
    assert newest["id"] == str(after.uuid) and newest["inputs_version"] == after.inputs_version
    family = next(r for r in newest["data"]["budget_by_family"] if r["family"] == "mix.promotion")
    assert family["planned"] == 2500.0
    # Exactly one snapshot per version: the burst of requests was coalesced, nothing computed twice.
    versions = list(
        DashboardSnapshot.unscoped_objects.filter(project=project).values_list(
            "inputs_version", flat=True
        )
    )
    assert len(versions) == len(set(versions))


# --- Every kind of change, in-process ------------------------------------------------------------


@pytest.fixture
def in_process() -> Iterator[None]:
    """Celery runs the tasks in-process for the test (already so in the embedded default)."""
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = previous


def _changes(personas: Personas, project: Project, objective: Objective, action: Action) -> Any:
    """(name, change) pairs: each change is made through the services, as pages and API do."""
    ws, editor = personas.workspace, personas.user(Role.EDITOR)
    membership = personas.memberships[Role.EDITOR]
    families = {f.code: f for f in MixFamily.objects.all()}
    stages = {s.code: s for s in TracerStage.objects.all()}

    def action_fields(**values: Any) -> Callable[[], Any]:
        def change() -> Any:
            current = Action.objects.get(pk=action.pk)
            return mix_services.action_save_fields(
                actor=editor, membership=membership, workspace=ws, action=current,
                values=values, version=current.version,
            )  # fmt: skip

        return change

    def objective_stage() -> Any:
        current = Objective.objects.get(pk=objective.pk)
        return tracer_services.objective_save_field(
            actor=editor, workspace=ws, objective=current, name="stage",
            value=stages["tracer.conversion"], version=current.version,
        )  # fmt: skip

    def other_objective() -> Objective:
        return tracer_services.objective_create(
            actor=editor, workspace=ws, project=project, stage=stages["tracer.affinities"],
            title="Second objective",
        )  # fmt: skip

    def move_to_other_objective() -> Any:
        return action_fields(objective=other_objective())()

    def delete_action() -> None:
        mix_services.action_delete(
            actor=editor, workspace=ws, action=Action.objects.get(pk=action.pk)
        )

    def delete_objective() -> None:
        tracer_services.objective_delete(actor=editor, workspace=ws, objective=other_objective())

    def library_import() -> Any:
        return mix_services.plan_library_import(
            actor=editor, workspace=ws, project=project, stage_codes=["tracer.retention"],
            language="en",
        )  # fmt: skip

    def indicator() -> Any:
        return services.indicator_create(
            actor=editor, workspace=ws, project=project, name="Visitors", unit="visitors",
            frequency="monthly", stage=stages["tracer.reputation"],
            baseline_value=Decimal(100), target_value=Decimal(200),
        )  # fmt: skip

    def measurement() -> Any:
        made = indicator()
        return services.measurement_record(
            actor=editor, workspace=ws, indicator=made, period=dt.date(2026, 2, 1),
            value=Decimal(150),
        )  # fmt: skip

    def close_cycle() -> Any:
        cycle = Cycle.objects.get(project=project, number=1)
        return cycles.cycle_close(
            actor=personas.user(Role.OWNER), workspace=ws, cycle=cycle,
            started_on=dt.date.today(), actions=[Action.objects.get(pk=action.pk)],
        )  # fmt: skip

    def rename_project() -> Any:
        return territories_services.project_update(
            actor=editor, workspace=ws, project=project, name="Wine and Vines"
        )

    def archive_project() -> Any:
        return territories_services.project_set_archived(
            actor=personas.user(Role.OWNER), workspace=ws, project=project, archived=True
        )

    return {
        "action budget": action_fields(budget_planned=Decimal("900")),
        "action spent": action_fields(budget_spent=Decimal("300")),
        "action status": action_fields(status="in_progress"),
        "action dates": action_fields(
            start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 31)
        ),
        "action family": action_fields(family=families["mix.partnerships"]),
        "action objective": move_to_other_objective,
        "action deleted": delete_action,
        "objective stage": objective_stage,
        "objective deleted": delete_objective,
        "library import": library_import,
        "indicator": indicator,
        "measurement": measurement,
        "closed cycle (and carried over)": close_cycle,
        "project renamed": rename_project,
        "project archived": archive_project,
    }


CHANGES = [
    "action budget", "action spent", "action status", "action dates", "action family",
    "action objective", "action deleted", "objective stage", "objective deleted",
    "library import", "indicator", "measurement", "closed cycle (and carried over)",
    "project renamed", "project archived",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHANGES)
def test_each_change_of_a_dashboard_input_recomputes_it(
    personas: Personas,
    settings: Any,
    in_process: None,
    django_capture_on_commit_callbacks: Any,
    name: str,
) -> None:
    # In-process, whatever the services: this is about which changes schedule, not who computes.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ws = personas.workspace
    with django_capture_on_commit_callbacks(execute=True):
        project, objective, action = a_plan(personas)
    with workspace_scope(ws):
        other = ProjectFactory(workspace=ws, name="Another project")
        change = _changes(personas, project, objective, action)[name]
        before = {
            "project": services.inputs_version(project, ws),
            "workspace": services.inputs_version(None, ws),
        }
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            change()
        # One refresh per transaction, however many items the change wrote (an import, a close).
        scheduled = [
            c for c in callbacks if getattr(c, "dashboards_key", "").endswith(f":{project.pk}")
        ]
        assert len(scheduled) == 1, f"{name}: {len(scheduled)} refreshes scheduled"
        project.refresh_from_db()
        if project.archived_at is None:
            version = services.inputs_version(project, ws)
            assert version != before["project"], name
            assert DashboardSnapshot.objects.filter(
                project=project, inputs_version=version, status=SnapshotStatus.DONE
            ).exists(), f"{name}: no done snapshot of the new inputs"
        workspace_version = services.inputs_version(None, ws)
        assert workspace_version != before["workspace"], name
        assert DashboardSnapshot.objects.filter(
            project=None, inputs_version=workspace_version, status=SnapshotStatus.DONE
        ).exists(), f"{name}: the workspace's dashboard was not recomputed"
        # Another project's dashboard is not touched.
        assert not DashboardSnapshot.objects.filter(project=other).exists()


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_schedules_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    project, _objective, action = a_plan(personas)
    ws = personas.workspace
    with workspace_scope(ws):
        before = services.inputs_version(project, ws)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            mix_services.action_save_fields(
                actor=personas.user(Role.EDITOR), membership=personas.memberships[Role.EDITOR],
                workspace=ws, action=action, values={"budget_planned": Decimal("1200.00")},
                version=action.version,
            )  # fmt: skip
        assert services.inputs_version(project, ws) == before
    assert callbacks == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "values"),
    [
        ("action", {"title": "Wine fair stand, bigger"}),
        ("action", {"description": "With the tourism office."}),
        ("objective", {"title": "Be known for wine and vines"}),
    ],
)
def test_an_edit_that_moves_no_figure_computes_nothing(
    personas: Personas,
    settings: Any,
    in_process: None,
    django_capture_on_commit_callbacks: Any,
    model: str,
    values: Any,
) -> None:
    """A title or a description is on no dashboard: its edit bumps the plan (the co-editors'
    polls see it) but sends no computation; a budget edit after it does."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ws = personas.workspace
    editor, membership = personas.user(Role.EDITOR), personas.memberships[Role.EDITOR]
    with django_capture_on_commit_callbacks(execute=True):
        project, objective, action = a_plan(personas)

    def scheduled(callbacks: list[Any]) -> int:
        key = f":{project.pk}"
        return sum(1 for c in callbacks if getattr(c, "dashboards_key", "").endswith(key))

    with workspace_scope(ws):
        revision = Project.objects.get(pk=project.pk).plan_revision
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            if model == "action":
                mix_services.action_save_fields(
                    actor=editor, membership=membership, workspace=ws, action=action,
                    values=values, version=action.version,
                )  # fmt: skip
            else:
                tracer_services.objective_save_field(
                    actor=editor, workspace=ws, objective=objective, name="title",
                    value=values["title"], version=objective.version,
                )  # fmt: skip
        assert Project.objects.get(pk=project.pk).plan_revision == revision + 1
        assert scheduled(callbacks) == 0
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            current = Action.objects.get(pk=action.pk)
            mix_services.action_save_fields(
                actor=editor, membership=membership, workspace=ws, action=current,
                values={"budget_planned": Decimal("999")}, version=current.version,
            )  # fmt: skip
        assert scheduled(callbacks) == 1
