"""Celery tasks of evaluation: thin wrappers around evaluation.services."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.models import Workspace
from core.tasks import WorkspaceTask
from evaluation import services
from territories.models import Cycle, Project

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

# The longest computation. The broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT) is above
# it, and DASHBOARD_STALE_SECONDS (after which the sweep hands a running snapshot to another run)
# too: a task is killed at its time limit, so a claim older than that is dead.
COMPUTE_TIME_LIMIT = 300

# Idempotent workspace tasks on the heavy queue (settings.DASHBOARD_QUEUE, by the task routes):
# acknowledged after they finish, sent back when their worker dies, retried only for transient
# errors, with backoffs well below the visibility timeout (a countdown task is held unacked).
DASHBOARD_TASK: dict[str, Any] = {
    "bind": True,
    "base": WorkspaceTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "max_retries": 5,
}


@shared_task(
    **DASHBOARD_TASK,
    name="evaluation.compute_snapshot",
    time_limit=COMPUTE_TIME_LIMIT,
    soft_time_limit=COMPUTE_TIME_LIMIT - 60,
)
def compute_snapshot(
    self: Any,
    *,
    workspace: Workspace,
    project_id: int | None,
    version: str,
    cycle_id: int | None = None,
) -> str:
    """Compute one snapshot (of a project's cycle, its current one when ``cycle_id`` is not
    given, or of the workspace); a second run of the same inputs version does nothing."""
    project = Project.objects.get(pk=project_id) if project_id else None
    cycle = Cycle.objects.get(pk=cycle_id, project=project) if cycle_id and project else None
    snapshot = services.snapshot_compute(
        workspace=workspace,
        project=project,
        cycle=cycle,
        version=version,
        claim=self.request.id or "eager",
    )
    return "computed" if snapshot is not None else "skipped"


@shared_task(
    **DASHBOARD_TASK,
    name="evaluation.refresh_dashboards",
    time_limit=60,
    soft_time_limit=50,  # below time_limit: the global soft limit (240 s) would be refused
)
def refresh_dashboards(
    self: Any,
    *,
    workspace: Workspace,
    project_id: int | None = None,
    not_before: float | None = None,
) -> None:
    """Snapshots of the current inputs of a project's current cycle (if given) and of its
    workspace (which adds up every project's current cycle). A debounced refresh
    (:func:`evaluation.services.schedule_dashboards`) first waits until ``not_before``, the end
    of its burst of saves."""
    services.wait_until(not_before)
    targets: list[Project | None] = [None]
    if project_id:
        project = Project.objects.filter(pk=project_id).first()
        if project is not None:  # (deleted meanwhile: only the workspace's dashboard is left)
            targets.insert(0, project)
    for target in targets:
        snapshot = services.snapshot_request(workspace=workspace, project=target)
        if snapshot.status != "done":
            # In the embedded default (always eager) this runs right here, in-process.
            compute_snapshot.apply_async(
                kwargs={
                    "workspace_id": workspace.pk,
                    "project_id": target.pk if target else None,
                    "cycle_id": snapshot.cycle_id,
                    "version": snapshot.inputs_version,
                },
                queue=settings.DASHBOARD_QUEUE,
            )


@shared_task(name="evaluation.dashboards_sweep", time_limit=120, soft_time_limit=100)
def dashboards_sweep() -> dict[str, int]:
    """Celery beat, every minute: send again the dashboard work a dead worker lost."""
    outcome = services.dashboards_sweep()
    return {"refreshed": outcome.refreshed, "computations": outcome.computations}


@shared_task(name="evaluation.nightly_refresh", time_limit=120, soft_time_limit=100)
def nightly_refresh() -> int:
    """Celery beat, every night: the date moves "on track" to "late", so every dashboard of every
    workspace is brought up to date (each project's current cycle: a closed cycle's numbers are
    those of its closing day and never change). It only sends the refreshes."""
    # Unscoped on purpose: the nightly task looks after every workspace; each refresh then
    # runs in its own workspace's scope (WorkspaceTask).
    projects = Project.unscoped_objects.filter(archived_at__isnull=True).values_list(
        "workspace_id", "pk"
    )
    count = 0
    for workspace_id, project_id in projects.order_by("workspace_id", "pk"):
        refresh_dashboards.apply_async(
            kwargs={"workspace_id": workspace_id, "project_id": project_id},
            queue=settings.DASHBOARD_QUEUE,
        )
        count += 1
    return count
