"""Celery plumbing shared by every app, and the health-check task."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, connection

from core.tenancy import workspace_scope


class WorkspaceTask(Task):
    """Base class of tasks that work on one workspace's data.

    Call them with ``workspace_id=<pk>``: the task loads the workspace and runs inside its scope,
    so the scoped managers behave exactly as they do in a request.
    """

    abstract = True
    # Callers pass ``workspace_id``, the task function takes ``workspace``: Celery's check of
    # the arguments against the function's signature would refuse every call.
    typing = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from core.models import Workspace

        workspace = Workspace.objects.get(pk=kwargs.pop("workspace_id"))
        with workspace_scope(workspace):
            return super().__call__(*args, workspace=workspace, **kwargs)


@shared_task(name="core.ping", time_limit=30, soft_time_limit=20)
def ping() -> dict[str, str]:
    """Health check: proves the worker is up and can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"pong": "ok", "database": connection.vendor}


# --- Webhooks (core.webhooks) ----------------------------------------------------------------

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    base=WorkspaceTask,
    name="core.deliver_webhook",
    # The delivery's state is in the database and a claim keeps two workers from sending it at
    # once: a message sent again (worker lost, redelivered) does no harm.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=60,  # a countdown task is held unacked: stay far below the visibility timeout
    max_retries=5,
    time_limit=90,
    soft_time_limit=60,
)
def deliver_webhook(self: Any, *, workspace: Any, delivery_id: int) -> str:
    """One attempt at one delivery; a failed attempt schedules the next one itself."""
    from core import webhooks

    return webhooks.deliver(workspace=workspace, delivery_id=delivery_id)


@shared_task(name="core.webhooks_sweep", time_limit=120, soft_time_limit=100)
def webhooks_sweep() -> int:
    """Celery beat, every minute: send again the deliveries whose task was lost."""
    from core import webhooks

    return webhooks.sweep()


# Below the broker's visibility timeout (360 s), as every task: it is acknowledged late too.
@shared_task(name="core.webhooks_prune", time_limit=300, soft_time_limit=240)
def webhooks_prune() -> int:
    """Celery beat, every night: forget finished deliveries past their retention."""
    from core import webhooks

    return webhooks.prune()


# --- Leaving: exports and erasure (core.exports, core.erasure) -------------------------------

# Every task is acknowledged after its work (CELERY_TASK_ACKS_LATE): none may run longer than the
# broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 360 s), as tests/ops/test_tasks.py checks.
LONG_TASK_SECONDS = 300


@shared_task(
    bind=True,
    base=WorkspaceTask,
    name="core.build_workspace_export",
    # The export row is claimed with a compare-and-set: a message delivered again after a
    # worker died rebuilds a stale claim, and does nothing to a finished export.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    # Below the broker's visibility timeout (360 s), or Redis would hand the message to a second
    # worker while the first still builds.
    time_limit=LONG_TASK_SECONDS,
    soft_time_limit=LONG_TASK_SECONDS - 30,
)
def build_workspace_export(self: Any, *, workspace: Any, export_id: int) -> str:
    """Build one workspace export archive, reporting its progress on the export row."""
    from core import exports

    return exports.export_build(workspace=workspace, export_id=export_id)


@shared_task(
    name="core.prune_workspace_exports",
    time_limit=LONG_TASK_SECONDS,
    soft_time_limit=LONG_TASK_SECONDS - 30,
)
def prune_workspace_exports() -> int:
    """Celery beat: delete the exports kept longer than WORKSPACE_EXPORT_RETENTION_DAYS."""
    from core import exports

    return exports.exports_prune()


@shared_task(
    name="core.erase_workspace",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    time_limit=LONG_TASK_SECONDS,
    soft_time_limit=LONG_TASK_SECONDS - 30,
)
def erase_workspace(workspace_id: int) -> int:
    """Erase one workspace whose grace period is over. Not a WorkspaceTask: it removes the
    workspace itself, and does nothing when the workspace was restored or is already gone."""
    from core import erasure

    return sum(erasure.erase(workspace_id=workspace_id).values())


@shared_task(name="core.erase_due_workspaces", time_limit=120, soft_time_limit=100)
def erase_due_workspaces() -> list[int]:
    """Celery beat, hourly: send one erasure task per workspace whose grace period is over."""
    from core import erasure

    due = erasure.erase_due()
    for workspace_id in due:
        erase_workspace.delay(workspace_id)
    return due
