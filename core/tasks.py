"""Celery plumbing shared by every app, and the health-check task."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import connection

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
