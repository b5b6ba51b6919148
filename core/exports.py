"""Workspace exports: an owner asks, a task builds the archive (core.portability) with its
progress on the page, the owner downloads it, and it is deleted after
``WORKSPACE_EXPORT_RETENTION_DAYS``."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core import audit, portability
from core.models import ExportStatus, User, Workspace, WorkspaceExport
from core.tasks import LONG_TASK_SECONDS, build_workspace_export
from core.tenancy import assert_same_workspace

logger = logging.getLogger(__name__)


def export_list(*, workspace: Workspace) -> QuerySet[WorkspaceExport]:
    """The workspace's exports still kept, newest first."""
    return (
        WorkspaceExport.objects.filter(workspace=workspace)
        .exclude(expires_at__lte=timezone.now())
        .select_related("requested_by", "workspace")
    )


def export_get(*, workspace: Workspace, export_uuid: Any) -> WorkspaceExport | None:
    return export_list(workspace=workspace).filter(uuid=export_uuid).first()


def export_request(
    *, actor: User, workspace: Workspace, request: HttpRequest | None = None
) -> WorkspaceExport:
    """Ask for a new export; the task starts once the row is committed."""
    with transaction.atomic():
        export = WorkspaceExport.objects.create(workspace=workspace, requested_by=actor)
        audit.record(
            event=audit.Event.EXPORT_REQUESTED,
            workspace=workspace,
            actor=actor,
            request=request,
            target=export,
        )
        transaction.on_commit(
            partial(build_workspace_export.delay, workspace_id=workspace.pk, export_id=export.pk)
        )
    return export


def export_build(*, workspace: Workspace, export_id: int) -> str:
    """The task's work. Idempotent: only the first run claims a pending export; a run whose
    worker died (the claim is older than the task's time limit) may claim it again."""
    stale = timezone.now() - dt.timedelta(seconds=LONG_TASK_SECONDS)
    claimed = (
        WorkspaceExport.objects.filter(pk=export_id, workspace=workspace)
        .filter(
            status=ExportStatus.PENDING,
        )
        .update(status=ExportStatus.RUNNING, progress=1, finished_at=None)
    ) or (
        WorkspaceExport.objects.filter(
            pk=export_id, workspace=workspace, status=ExportStatus.RUNNING, created_at__lt=stale
        ).update(progress=1)
    )
    if not claimed:
        return "skipped"
    export = WorkspaceExport.objects.select_related("workspace").get(pk=export_id)

    def progress(percent: int) -> None:
        # Committed at once (no transaction here): the page's poll reads it.
        WorkspaceExport.objects.filter(pk=export_id).update(progress=max(1, min(percent, 99)))

    try:
        with portability.export_to_temporary_file(workspace, on_progress=progress) as archive:
            export.file.save(f"{workspace.pk}/{export.uuid.hex}.zip", File(archive), save=False)
    except Exception as exc:
        logger.exception("workspace export %s failed", export_id)
        WorkspaceExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        return "failed"
    now = timezone.now()
    WorkspaceExport.objects.filter(pk=export_id).update(
        status=ExportStatus.READY,
        progress=100,
        file=export.file.name,
        size=export.file.size,
        finished_at=now,
        expires_at=now + dt.timedelta(days=settings.WORKSPACE_EXPORT_RETENTION_DAYS),
    )
    return "ready"


def export_downloaded(
    *, actor: User, workspace: Workspace, export: WorkspaceExport, request: HttpRequest
) -> None:
    assert_same_workspace(workspace, export)
    audit.record(
        event=audit.Event.EXPORT_DOWNLOADED,
        workspace=workspace,
        actor=actor,
        request=request,
        target=export,
    )


def exports_prune() -> int:
    """Beat: delete the exports past their retention, files first. An export still unfinished
    long after the task's time limit lost its task: it is marked failed (the owner asks again)."""
    now = timezone.now()
    lost_before = now - dt.timedelta(seconds=2 * LONG_TASK_SECONDS)
    # Unscoped on purpose: a periodic sweep over every workspace's exports.
    WorkspaceExport.unscoped_objects.filter(
        status__in=[ExportStatus.PENDING, ExportStatus.RUNNING], created_at__lt=lost_before
    ).update(
        status=ExportStatus.FAILED,
        error="The task building it was lost.",
        finished_at=now,
        expires_at=now + dt.timedelta(days=settings.WORKSPACE_EXPORT_RETENTION_DAYS),
    )
    # Unscoped on purpose: as above.
    expired = WorkspaceExport.unscoped_objects.filter(expires_at__lte=timezone.now())
    count = 0
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
