"""The beat sweep's rules (``evaluation.dashboards_sweep``), tasks run in-process.

What it sends again: a dashboard whose current inputs have no snapshot while its latest one is
older than a few minutes (the refresh was lost), a snapshot pending for that long (its
computation was lost), one running past the computation's time limit (its worker died). What it
leaves alone: anything done, and work younger than that (the normal path is on it). The kill
-9 tests with real workers are in ``test_worker.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from celery import current_app
from django.utils import timezone

from core.tenancy import workspace_scope
from evaluation import services
from evaluation.models import DashboardSnapshot, SnapshotStatus
from evaluation.tasks import dashboards_sweep
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process(settings: Any) -> Iterator[None]:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = previous


@pytest.fixture
def project(personas: Personas, in_process: None) -> Project:
    project = ProjectFactory(workspace=personas.workspace, name="Visit the valley")
    IndicatorFactory(
        workspace=personas.workspace,
        project=project,
        baseline_value=Decimal(100),
        target_value=Decimal(200),
    )
    return project


def snapshot(personas: Personas, project: Project | None, status: str, age: float) -> Any:
    """The snapshot of the current inputs, ``status``, created (and started) ``age`` s ago."""
    ws = personas.workspace
    with workspace_scope(ws):
        cycle = Cycle.objects.get(project=project) if project else None
        version = services.inputs_version(project, ws, cycle)
        at = timezone.now() - dt.timedelta(seconds=age)
        made = DashboardSnapshot.objects.create(
            workspace=ws, project=project, cycle=cycle, inputs_version=version, status=status,
            started_at=at if status == SnapshotStatus.RUNNING else None,
            error="claim:dead-task" if status == SnapshotStatus.RUNNING else "",
        )  # fmt: skip
        DashboardSnapshot.objects.filter(pk=made.pk).update(created_at=at)
        return made


def old_snapshot(personas: Personas, project: Project | None, age: float) -> None:
    """A done snapshot of older inputs, created ``age`` s ago."""
    ws = personas.workspace
    with workspace_scope(ws):
        made = DashboardSnapshot.objects.create(
            workspace=ws, project=project, inputs_version=f"p-old-{age}", status="done"
        )
        DashboardSnapshot.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - dt.timedelta(seconds=age)
        )


def status_of(personas: Personas, made: DashboardSnapshot) -> tuple[str, int]:
    with workspace_scope(personas.workspace):
        made.refresh_from_db()
    return made.status, made.attempts


def test_a_snapshot_pending_for_minutes_is_computed_and_a_fresh_one_is_left(
    personas: Personas, project: Project
) -> None:
    lost = snapshot(personas, project, SnapshotStatus.PENDING, age=180)
    fresh = snapshot(personas, None, SnapshotStatus.PENDING, age=10)  # its task is on its way

    assert dashboards_sweep.delay().get() == {"refreshed": 0, "computations": 1}

    assert status_of(personas, lost) == (SnapshotStatus.DONE, 1)
    assert status_of(personas, fresh) == (SnapshotStatus.PENDING, 0)


def test_a_computation_running_past_its_time_limit_is_taken_over_once(
    personas: Personas, project: Project, settings: Any
) -> None:
    dead = snapshot(
        personas, project, SnapshotStatus.RUNNING, age=settings.DASHBOARD_STALE_SECONDS + 5
    )
    alive = snapshot(personas, None, SnapshotStatus.RUNNING, age=60)  # still within the limit

    assert dashboards_sweep.delay().get() == {"refreshed": 0, "computations": 1}

    with workspace_scope(personas.workspace):
        dead.refresh_from_db()
    assert (dead.status, dead.error) == (SnapshotStatus.DONE, "")
    assert DashboardSnapshot.unscoped_objects.filter(project=project).count() == 1
    assert status_of(personas, alive)[0] == SnapshotStatus.RUNNING
    # Done now: the next sweep sends nothing for it.
    assert dashboards_sweep.delay().get() == {"refreshed": 0, "computations": 0}


def test_inputs_changed_without_a_snapshot_are_refreshed_once_quiet(
    personas: Personas, project: Project
) -> None:
    old_snapshot(personas, project, age=600)  # the latest: ten minutes ago, older inputs
    old_snapshot(personas, None, age=600)

    assert dashboards_sweep.delay().get() == {"refreshed": 1, "computations": 0}

    ws = personas.workspace
    with workspace_scope(ws):
        for target in (project, None):
            version = services.inputs_version(target, ws)
            assert (
                DashboardSnapshot.objects.get(project=target, inputs_version=version).status
                == SnapshotStatus.DONE
            )
    assert dashboards_sweep.delay().get() == {"refreshed": 0, "computations": 0}


def test_a_change_of_a_few_seconds_ago_is_left_to_its_own_refresh(
    personas: Personas, project: Project
) -> None:
    old_snapshot(personas, project, age=20)  # the normal path made one moments ago
    old_snapshot(personas, None, age=20)

    assert dashboards_sweep.delay().get() == {"refreshed": 0, "computations": 0}
    assert not DashboardSnapshot.unscoped_objects.filter(status="pending").exists()


def test_archived_projects_and_other_workspaces_are_looked_after_apart(
    personas: Personas, project: Project
) -> None:
    archived = ProjectFactory(workspace=personas.workspace, name="Old", archived_at=timezone.now())
    other = ProjectFactory(workspace=personas.other_workspace, name="Beta's")

    outcome = dashboards_sweep.delay().get()

    assert outcome == {"refreshed": 2, "computations": 0}  # one per workspace, never computed
    assert not DashboardSnapshot.unscoped_objects.filter(project=archived).exists()
    beta = DashboardSnapshot.unscoped_objects.filter(workspace=personas.other_workspace)
    assert set(beta.values_list("project_id", flat=True)) == {other.pk, None}
    assert not beta.exclude(status="done").exists()


def test_after_a_close_the_open_cycle_is_swept_and_the_closed_ones_numbers_are_left(
    personas: Personas, project: Project, django_capture_on_commit_callbacks: Any
) -> None:
    """A project with cycle 1 closed beside cycle 2 open: the sweep looks after the current
    cycle's dashboard, and never recomputes the closed cycle's (its numbers are its closing
    day's)."""
    from core.roles import Role
    from evaluation import cycles

    ws = personas.workspace
    with workspace_scope(ws):
        first = Cycle.objects.get(project=project, number=1)
        with django_capture_on_commit_callbacks(execute=True):
            cycles.cycle_close(
                actor=personas.user(Role.OWNER), workspace=ws, cycle=first,
                started_on=dt.date.today(), actions=[],
            )  # fmt: skip
        closed = DashboardSnapshot.objects.get(cycle=first)
        assert closed.status == SnapshotStatus.DONE
        # Everything computed at the close is ten minutes old, and the inputs moved since.
        DashboardSnapshot.objects.update(created_at=timezone.now() - dt.timedelta(seconds=600))
        Project.objects.filter(pk=project.pk).update(evaluation_revision=999)

    assert dashboards_sweep.delay().get() == {"refreshed": 1, "computations": 0}

    with workspace_scope(ws):
        second = Cycle.objects.get(project=project, number=2)
        version = services.inputs_version(project, ws, second)
        swept = DashboardSnapshot.objects.get(project=project, inputs_version=version)
        assert (swept.cycle, swept.status) == (second, SnapshotStatus.DONE)
        assert list(DashboardSnapshot.objects.filter(cycle=first)) == [closed]
        closed.refresh_from_db()
        assert closed.attempts == 1
    assert dashboards_sweep.delay().get() == {"refreshed": 0, "computations": 0}


def test_the_nightly_refresh_brings_every_active_project_of_every_workspace_up_to_date(
    personas: Personas, project: Project
) -> None:
    from evaluation.tasks import nightly_refresh

    archived = ProjectFactory(workspace=personas.workspace, name="Old", archived_at=timezone.now())
    other = ProjectFactory(workspace=personas.other_workspace, name="Beta's")

    assert nightly_refresh.delay().get() == 2

    for workspace, target in ((personas.workspace, project), (personas.other_workspace, other)):
        with workspace_scope(workspace):
            version = services.inputs_version(target, workspace)
            done = DashboardSnapshot.objects.get(project=target, inputs_version=version)
            assert done.status == SnapshotStatus.DONE
            assert DashboardSnapshot.objects.filter(project=None, status="done").exists()
    assert not DashboardSnapshot.unscoped_objects.filter(project=archived).exists()
