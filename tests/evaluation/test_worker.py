"""The dashboards' tasks on a real Celery worker, against the real Redis and PostgreSQL.

* A measurement recorded through the service reaches the worker after commit (debounced) and
  leaves a DONE snapshot of the new inputs version with the right numbers.
* A worker killed (SIGKILL, the whole process group) in the middle of a computation: its message
  was never acknowledged, Redis gives it back after the visibility timeout, and the same task
  (same id) takes over its own claim. One row, DONE.
* Two runs of the same version at once: one computes, the other is "skipped".
* A task scheduled in a transaction that rolls back is never sent.
* With the production visibility timeout (Redis gives a dead worker's message back only after
  6 minutes): a worker killed in the middle of the computation a save asked for is recovered by
  the beat sweep, one snapshot of the new inputs, done within two minutes; a worker killed while
  its refresh waits for the end of a burst blocks the next save no longer than the window; a
  burst of saves is one refresh and one computation; a refresh lost on its way is swept.

The kill and concurrency tests start workers of their own (:class:`Workers`) on a private queue:
the session worker (``celery_worker_process``) also listens to ``dashboards`` and would take
their tasks. Every worker started here is killed when its test ends, passed or failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections, transaction
from kombu import Exchange, Queue

from core.models import User, Workspace
from core.tenancy import workspace_scope
from evaluation import services
from evaluation.models import DashboardSnapshot, Indicator, Measurement, SnapshotStatus
from evaluation.tasks import compute_snapshot
from territories.models import Project
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, WorkspaceFactory
from tracer.models import TracerStage

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
VISIBILITY = 3  # seconds before Redis hands an unacknowledged message out again
COMPUTE_DELAY = 5  # seconds the first worker sleeps inside the computation
T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T | None], timeout: float, logs: str = "") -> T:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: nothing within {timeout} s\n{logs}")
        time.sleep(0.1)


# --- Workers of one test ----------------------------------------------------------------------


def database_url() -> str:
    """The test database, as the worker subprocess must reach it (like celery_worker_process)."""
    db = django_settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the main process and its pool children at once: no goodbye, no ack."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Workers:
    """Starts ``celery worker`` subprocesses; :meth:`stop_all` kills what is left."""

    queue: str = field(default_factory=lambda: f"dashboards.test-{uuid.uuid4().hex[:8]}")
    started: list[Worker] = field(default_factory=list)

    def start(
        self, label: str, *, concurrency: int = 1, delay: float = 0.0, **settings: str
    ) -> Worker:
        name = f"{label}-{uuid.uuid4().hex[:6]}@territoria-test"
        ARTIFACTS.mkdir(exist_ok=True)
        # Named after the worker: test sessions running side by side share the folder.
        log_path = ARTIFACTS / f"celery-{name.replace('@', '-')}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
            "DASHBOARD_TEST_DELAY_SECONDS": str(delay),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            # What a refresh sends (the computations) stays on this test's queue.
            "DASHBOARD_QUEUE": self.queue,
            **settings,
        }
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "config", "worker",
                    "--loglevel=INFO", f"--concurrency={concurrency}", "--pool=prefork",
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                    f"--hostname={name}", f"--queues={self.queue}",
                ],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches the pool too
            )  # fmt: skip
        worker = Worker(name, process, log_path)
        self.started.append(worker)
        deadline = time.monotonic() + 30
        while not current_app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker {name} did not start\n{worker.log()}")
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # exited meanwhile
                    os.killpg(worker.process.pid, signal.SIGKILL)
                worker.process.wait(timeout=10)
        # Nothing of this test's queue may reach a later test, and the queue and its binding
        # go (declared first: the channel deletes only the bindings it knows).
        queue = Queue(self.queue, Exchange(self.queue), routing_key=self.queue)
        with current_app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()
            bound.purge()
            bound.delete()
            # A killed worker's unacknowledged messages stay in Redis until the visibility
            # timeout, when a worker would put them back on this (deleted) queue: forget them.
            client = conn.default_channel.client
            for tag, raw in client.hgetall("unacked").items():
                _message, exchange, routing_key = json.loads(raw)
                if self.queue in (exchange, routing_key):
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.log()[-4000:]}" for w in self.started)


@pytest.fixture
def workers(transactional_db: Any) -> Iterator[Workers]:
    """Set up after the database, so torn down (workers killed) before its flush."""
    started = Workers()
    try:
        yield started
    finally:
        started.stop_all()


# --- A project with an indicator ---------------------------------------------------------------


@dataclass
class World:
    workspace: Workspace
    actor: User
    project: Project
    indicator: Indicator

    def version(self, project: Project | None = None) -> str:
        with workspace_scope(self.workspace):
            return services.inputs_version(project or self.project, self.workspace)

    def snapshots(self, project: Project | None = None, **filters: Any) -> Any:
        # Unscoped: the test reads what the worker wrote, outside any request.
        return DashboardSnapshot.unscoped_objects.filter(
            workspace=self.workspace, project=project or self.project, **filters
        )

    def record(self, value: str, period: dt.date, indicator: Indicator | None = None) -> None:
        with workspace_scope(self.workspace):
            services.measurement_record(
                actor=self.actor,
                workspace=self.workspace,
                indicator=indicator or self.indicator,
                period=period,
                value=Decimal(value),
            )


def add_indicator(project: Project, name: str) -> Indicator:
    indicator = Indicator.unscoped_objects.create(
        workspace=project.workspace,
        project=project,
        name=name,
        unit="visitors",
        frequency="monthly",
        stage=TracerStage.objects.order_by("position").first(),
        baseline_value=Decimal(100),
        target_value=Decimal(200),
    )
    Measurement.unscoped_objects.create(
        workspace=project.workspace,
        indicator=indicator,
        period=dt.date(2026, 1, 1),
        value=Decimal(120),
    )
    return indicator


@pytest.fixture
def world(transactional_db: Any, settings: Any) -> World:
    settings.DASHBOARD_DEBOUNCE_SECONDS = 1  # the countdown of the debounced refresh
    # These tests are about the real worker: nothing may run in-process.
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "CELERY_TASK_ALWAYS_EAGER is on"
    assert not current_app.conf.task_always_eager, "Celery's task_always_eager is on"
    workspace = WorkspaceFactory()
    actor = UserFactory()
    MembershipFactory(workspace=workspace, user=actor, role="editor")
    project = ProjectFactory(workspace=workspace, name="Visit the valley")
    indicator = add_indicator(project, "Visitors")
    return World(workspace, actor, project, indicator)


def indicator_row(snapshot: DashboardSnapshot, indicator: Indicator) -> dict[str, Any]:
    return next(row for row in snapshot.data["indicators"] if row["id"] == indicator.pk)


def executed(task: str) -> int:
    """How many ``task`` the session worker has executed since it started."""
    name = f"test-worker@{socket.gethostname()}"  # its --hostname=test-worker@%h
    stats = current_app.control.inspect(destination=[name], limit=1, timeout=5).stats()
    assert stats, f"{name} did not answer"
    return int(stats[name]["total"].get(task, 0))


def received(log: str, task: str, task_id: str = "") -> int:
    """How many times the worker log says it received ``task`` (with that id, if given)."""
    needle = f"Task {task}[{task_id}"
    return sum(needle in line and line.endswith("received") for line in log.splitlines())


# --- The tests ---------------------------------------------------------------------------------


def test_a_recorded_measurement_reaches_the_worker_and_its_snapshot_is_done(
    world: World, celery_worker_process: subprocess.Popen[bytes]
) -> None:
    cache.delete(f"dashboards-scheduled:{world.workspace.pk}:{world.project.pk}")
    before = world.version()
    refreshes = executed("evaluation.refresh_dashboards")
    computations = executed("evaluation.compute_snapshot")

    world.record("150", dt.date(2026, 2, 14))  # February: the latest period

    version = world.version()
    assert version != before  # the inputs changed
    snapshot = wait_for(
        "the snapshot of the new inputs",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.DONE).first(),
        timeout=30,
        logs=f"see the session worker's log, {ARTIFACTS / 'celery-worker.log'}",
    )
    row = indicator_row(snapshot, world.indicator)
    assert row["latest"] == 150.0 and row["latest_period"] == "2026-02-01"
    assert row["measurements"] == 2
    assert row["attainment"] == 50.0  # (150 - 100) / (200 - 100)
    assert row["trend"] == [["2026-01-01", 120.0], ["2026-02-01", 150.0]]
    assert snapshot.computed_at is not None and snapshot.attempts == 1
    assert snapshot.error == ""
    assert world.snapshots().count() == 1  # no snapshot of an older version was made
    # The same refresh brought the workspace's dashboard up to date.
    with workspace_scope(world.workspace):
        workspace_version = services.inputs_version(None, world.workspace)
    workspace_snapshot = wait_for(
        "the workspace snapshot",
        lambda: DashboardSnapshot.unscoped_objects.filter(
            workspace=world.workspace,
            project=None,
            inputs_version=workspace_version,
            status=SnapshotStatus.DONE,
        ).first(),
        timeout=15,
    )
    assert workspace_snapshot.data["projects"][0]["indicators"] == 1
    # All of it on the worker: one refresh, and the project's and the workspace's computations.
    assert executed("evaluation.refresh_dashboards") == refreshes + 1
    assert executed("evaluation.compute_snapshot") == computations + 2


def test_a_worker_killed_mid_computation_leaves_one_snapshot_finished_by_the_same_task(
    world: World, workers: Workers
) -> None:
    version = world.version()
    first = workers.start("killed", delay=COMPUTE_DELAY)
    result = compute_snapshot.apply_async(
        kwargs={
            "workspace_id": world.workspace.pk,
            "project_id": world.project.pk,
            "version": version,
        },
        queue=workers.queue,
    )
    running = wait_for(
        "the computation to start",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.RUNNING).first(),
        timeout=20,
        logs=workers.logs(),
    )
    seen_running = time.monotonic()
    assert running.error == f"claim:{result.id}"  # the claim is the task's id

    first.kill()  # within the 5 s the computation sleeps

    stuck = world.snapshots(inputs_version=version).get()
    assert (stuck.status, stuck.attempts) == (SnapshotStatus.RUNNING, 1)
    # The message is neither acknowledged nor rejected: it sits in Redis's unacked set. A worker
    # gives it back to the queue, when it starts, once it is older than the visibility timeout.
    time.sleep(max(0.0, seen_running + VISIBILITY + 0.5 - time.monotonic()))
    second = workers.start("redelivered", delay=0.5)

    done = wait_for(
        "the redelivered task to finish",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.DONE).first(),
        timeout=30,
        logs=workers.logs(),
    )
    assert world.snapshots(inputs_version=version).count() == 1
    assert world.snapshots().count() == 1
    # Claimed twice, both times by the same task: the redelivery took over its own claim (the
    # stale-claim rule only lets another task in after DASHBOARD_STALE_SECONDS, 330 s).
    assert done.attempts == 2 and done.error == ""
    assert result.get(timeout=10) == "computed"
    assert received(second.log(), "evaluation.compute_snapshot", result.id) == 1
    assert received(first.log(), "evaluation.compute_snapshot", result.id) == 1
    row = indicator_row(done, world.indicator)
    assert (row["latest"], row["attainment"], row["measurements"]) == (120.0, 20.0, 1)


def test_two_tasks_of_one_version_on_a_two_process_worker_compute_once(
    world: World, workers: Workers
) -> None:
    version = world.version()
    workers.start("pair", concurrency=2, delay=2)
    kwargs = {
        "workspace_id": world.workspace.pk,
        "project_id": world.project.pk,
        "version": version,
    }
    results = [compute_snapshot.apply_async(kwargs=kwargs, queue=workers.queue) for _ in "ab"]
    assert results[0].id != results[1].id

    outcomes = sorted(r.get(timeout=30) for r in results)

    assert outcomes == ["computed", "skipped"], workers.logs()
    snapshot = world.snapshots(inputs_version=version).get()
    assert snapshot.status == SnapshotStatus.DONE and snapshot.attempts == 1


def test_two_threads_computing_one_version_at_once_compute_once(
    world: World, settings: Any
) -> None:
    settings.DASHBOARD_TEST_DELAY_SECONDS = 0.5  # the first is still computing when the other asks
    version = world.version()
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(claim: str) -> None:
        try:
            with workspace_scope(world.workspace):
                start.wait()
                snapshot = services.snapshot_compute(
                    workspace=world.workspace, project=world.project, version=version, claim=claim
                )
            outcomes.append("computed" if snapshot is not None else "skipped")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(f"task-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert sorted(outcomes) == ["computed", "skipped"]
    snapshot = world.snapshots(inputs_version=version).get()
    assert snapshot.status == SnapshotStatus.DONE and snapshot.attempts == 1


def test_a_refresh_scheduled_in_a_rolled_back_transaction_is_never_sent(
    world: World, celery_worker_process: subprocess.Popen[bytes]
) -> None:
    marker_project = ProjectFactory(workspace=world.workspace, name="Marker")
    marker = add_indicator(marker_project, "Marker visitors")
    keys = [
        f"dashboards-scheduled:{world.workspace.pk}:{p.pk}" for p in (world.project, marker_project)
    ]
    cache.delete_many(keys)
    refreshes = executed("evaluation.refresh_dashboards")

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        world.record("175", dt.date(2026, 3, 1))  # schedules the refresh for after the commit
        raise Abandoned
    # The marker: the same thing, committed. Its refresh runs the same countdown later.
    world.record("130", dt.date(2026, 3, 1), indicator=marker)

    version = world.version(marker_project)
    wait_for(
        "the marker's snapshot",
        lambda: world.snapshots(marker_project, inputs_version=version, status="done").first(),
        timeout=30,
    )
    assert not world.snapshots().exists()  # no snapshot of any version of the rolled-back project
    assert not Measurement.unscoped_objects.filter(indicator=world.indicator, value=175).exists()
    assert cache.get(keys[0]) is None  # its on-commit callback never ran
    # The worker ran one refresh meanwhile: the marker's.
    assert executed("evaluation.refresh_dashboards") == refreshes + 1


# --- No work lost when a worker dies (the production settings: a long visibility timeout) -------

# The dashboards' settings of the workers below: the production visibility timeout (Redis gives
# a dead worker's message back only after 6 minutes, longer than these tests wait), and a stale
# claim after 10 s standing in for the computation's 300 s time limit.
PRODUCTION_LIKE = {
    "CELERY_VISIBILITY_TIMEOUT": "360",
    "DASHBOARD_STALE_SECONDS": "10",
    "DASHBOARD_SWEEP_AFTER_SECONDS": "5",
    "DASHBOARD_DEBOUNCE_SECONDS": "3",
}
RECOVERY = 120  # seconds: the snapshot of the new inputs is done within two minutes of the kill


@pytest.fixture
def private_dashboards(world: World, workers: Workers, settings: Any) -> Workers:
    """What the test process sends (refreshes, sweeps) goes to the test's own queue."""
    settings.DASHBOARD_QUEUE = workers.queue
    settings.DASHBOARD_DEBOUNCE_SECONDS = 3
    cache.delete(f"dashboards-scheduled:{world.workspace.pk}:{world.project.pk}")
    return workers


def sweep_until(what: str, check: Callable[[], T | None], workers: Workers) -> T:
    """Send the beat's sweep to the test's queue every two seconds (beat sends it every minute)
    until ``check`` holds, within :data:`RECOVERY` seconds."""
    from evaluation.tasks import dashboards_sweep

    deadline = time.monotonic() + RECOVERY
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: nothing within {RECOVERY} s\n{workers.logs()}")
        dashboards_sweep.apply_async(queue=workers.queue)
        time.sleep(2)


def test_a_worker_killed_mid_computation_of_a_save_is_recovered_by_the_sweep_once(
    world: World, private_dashboards: Workers
) -> None:
    workers = private_dashboards
    first = workers.start("killed", delay=60, **PRODUCTION_LIKE)

    world.record("150", dt.date(2026, 2, 14))  # the save: its refresh goes to the worker

    version = world.version()
    running = wait_for(
        "the computation of the new inputs to start",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.RUNNING).first(),
        timeout=30,
        logs=workers.logs(),
    )
    first.kill()  # kill -9 in the middle of the computation (it sleeps 60 s)
    killed_at = time.monotonic()
    assert world.snapshots(inputs_version=version).get().status == SnapshotStatus.RUNNING
    second = workers.start("new", **PRODUCTION_LIKE)

    done = sweep_until(
        "the snapshot of the new inputs, done",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.DONE).first(),
        workers,
    )
    assert time.monotonic() - killed_at < RECOVERY
    # Exactly once: one row for the version, claimed by the dead run then by the sweep's.
    assert world.snapshots(inputs_version=version).count() == 1
    assert world.snapshots().count() == 1
    assert done.pk == running.pk and done.attempts == 2 and done.error == ""
    row = indicator_row(done, world.indicator)
    assert (row["latest"], row["attainment"], row["measurements"]) == (150.0, 50.0, 2)

    # The dead worker's message never came back (the visibility timeout is far off): the new
    # worker computed what the sweep sent, and once only.
    def computed() -> list[str]:  # a task's outcome is logged just after its row is written
        return [
            line
            for line in second.log().splitlines()
            if "evaluation.compute_snapshot[" in line and "'computed'" in line
        ]

    wait_for("the new worker's computations", lambda: len(computed()) >= 2, timeout=10)
    assert len(computed()) == 2, second.log()  # the project's snapshot and the workspace's
    # Nothing is left to send again.
    from evaluation.tasks import dashboards_sweep

    assert dashboards_sweep.apply_async(queue=workers.queue).get(timeout=20) == {
        "refreshed": 0,
        "computations": 0,
    }


def test_a_worker_killed_during_the_debounce_blocks_the_next_save_no_longer_than_its_window(
    world: World, private_dashboards: Workers
) -> None:
    workers = private_dashboards
    first = workers.start("killed", **PRODUCTION_LIKE)

    world.record("150", dt.date(2026, 2, 14))
    wait_for(
        "the refresh to arrive",
        lambda: received(first.log(), "evaluation.refresh_dashboards"),
        timeout=20,
        logs=workers.logs(),
    )
    first.kill()  # while the refresh waits for the end of the burst's window (3 s)
    killed_at = time.monotonic()
    assert not world.snapshots().exists()  # it never got to ask for the snapshot
    second = workers.start("new", **PRODUCTION_LIKE)
    # The window is over: the next save sends its refresh at once, nothing holds it back.
    time.sleep(max(0.0, killed_at + 3.5 - time.monotonic()))
    world.record("160", dt.date(2026, 3, 14))

    version = world.version()
    done = wait_for(
        "the snapshot of the latest inputs",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.DONE).first(),
        timeout=30,
        logs=workers.logs(),
    )
    assert world.snapshots().count() == 1 and done.attempts == 1
    row = indicator_row(done, world.indicator)
    assert (row["latest"], row["measurements"]) == (160.0, 3)
    assert received(second.log(), "evaluation.refresh_dashboards") == 1


def test_a_burst_of_saves_is_one_refresh_and_one_computation(
    world: World, private_dashboards: Workers
) -> None:
    workers = private_dashboards
    worker = workers.start("burst", **PRODUCTION_LIKE)

    for day in range(1, 6):  # five saves within the 3 s window
        world.record(str(140 + day), dt.date(2026, 2, day))

    version = world.version()
    done = wait_for(
        "the snapshot after the burst",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.DONE).first(),
        timeout=30,
        logs=workers.logs(),
    )
    assert indicator_row(done, world.indicator)["latest"] == 145.0  # the last save's value
    assert world.snapshots().count() == 1  # no snapshot of an intermediate version
    with workspace_scope(world.workspace):
        workspace_version = services.inputs_version(None, world.workspace)
    wait_for(
        "the workspace's snapshot after the burst",
        lambda: DashboardSnapshot.unscoped_objects.filter(
            workspace=world.workspace, project=None, inputs_version=workspace_version,
            status=SnapshotStatus.DONE,
        ).first(),
        timeout=30,
        logs=workers.logs(),
    )  # fmt: skip
    assert received(worker.log(), "evaluation.refresh_dashboards") == 1
    # The project's and the workspace's computations, nothing more.
    assert received(worker.log(), "evaluation.compute_snapshot") == 2


def test_the_sweep_refreshes_a_dashboard_whose_refresh_was_lost(
    world: World, private_dashboards: Workers, settings: Any
) -> None:
    workers = private_dashboards
    worker = workers.start("sweeper", **PRODUCTION_LIKE)
    # The save's refresh is lost before any worker gets it (Redis flushed, a deploy...).
    settings.DASHBOARD_QUEUE = f"{workers.queue}.lost"
    world.record("150", dt.date(2026, 2, 14))
    settings.DASHBOARD_QUEUE = workers.queue
    with current_app.connection_for_write() as conn:
        Queue(settings.DASHBOARD_QUEUE + ".lost")(conn.default_channel).delete()

    version = world.version()
    done = sweep_until(
        "the snapshot of the new inputs",
        lambda: world.snapshots(inputs_version=version, status=SnapshotStatus.DONE).first(),
        workers,
    )
    assert world.snapshots().count() == 1 and done.attempts == 1
    assert indicator_row(done, world.indicator)["latest"] == 150.0
    assert received(worker.log(), "evaluation.refresh_dashboards") == 1
