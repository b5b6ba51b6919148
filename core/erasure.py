"""A workspace's deletion: requested by an owner (who types its name), a grace period of
``WORKSPACE_DELETION_GRACE_DAYS`` during which members no longer reach it but an owner can restore
it (the *Delete the workspace* settings page), then erasure of every row and file of it by a
periodic task.

Erasure is generic, like the export: every table with a workspace column (found by
:func:`core.portability.workspace_tables`), the many-to-many tables of those, every file their
rows name, then the workspace row. The user accounts stay (a person may belong to other
workspaces, and their account is theirs); their memberships go.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, portability
from core.models import Membership, User, Workspace
from core.roles import can

logger = logging.getLogger(__name__)


def _check_allowed(actor: User, workspace: Workspace) -> None:
    """The permission the pages require (``workspace.delete``, owners), checked again here for
    any other caller, as the other services do with :func:`core.roles.can`."""
    # Unscoped on purpose: the workspace is named by the caller (the owners of a workspace
    # marked for deletion reach it outside its usual scope), and the actor's own membership in
    # it is what is checked.
    membership = Membership.unscoped_objects.filter(workspace=workspace, user=actor).first()
    if membership is None or not can(membership.role, "workspace.delete"):
        raise PermissionDenied("Only an owner deletes or restores the workspace.")


def deletion_request(
    *, actor: User, workspace: Workspace, confirm_name: str, request: HttpRequest | None = None
) -> Workspace:
    """Mark ``workspace`` for deletion, if ``confirm_name`` is its name exactly."""
    _check_allowed(actor, workspace)
    if confirm_name.strip() != workspace.name.strip():
        raise ValidationError(
            _("Type the workspace's name exactly as it is written to confirm."),
            code="name_mismatch",
        )
    if workspace.is_marked_for_deletion:
        return workspace
    now = timezone.now()
    workspace.deletion_requested_at = now
    workspace.erase_after = now + dt.timedelta(days=settings.WORKSPACE_DELETION_GRACE_DAYS)
    with transaction.atomic():
        workspace.save(update_fields=["deletion_requested_at", "erase_after"])
        audit.record(
            event=audit.Event.DELETION_REQUESTED,
            workspace=workspace,
            actor=actor,
            request=request,
            target=workspace,
            erase_after=workspace.erase_after.isoformat(),
        )
    return workspace


def deletion_cancel(
    *, actor: User, workspace: Workspace, request: HttpRequest | None = None
) -> Workspace:
    """Restore a workspace marked for deletion (before it is erased)."""
    _check_allowed(actor, workspace)
    if not workspace.is_marked_for_deletion:
        return workspace
    workspace.deletion_requested_at = None
    workspace.erase_after = None
    with transaction.atomic():
        workspace.save(update_fields=["deletion_requested_at", "erase_after"])
        audit.record(
            event=audit.Event.DELETION_CANCELLED,
            workspace=workspace,
            actor=actor,
            request=request,
            target=workspace,
        )
    return workspace


def due_for_erasure() -> QuerySet[Workspace]:
    return Workspace.objects.filter(erase_after__lte=timezone.now())


def erase(*, workspace_id: int, force: bool = False) -> dict[str, int]:
    """Erase every row and file of a workspace marked for deletion whose grace period is over
    (``force``: marked or not, for the tests and the operator). Returns the rows deleted per
    table; a workspace already gone, or restored meanwhile, gives ``{}``."""
    with transaction.atomic():
        workspace = Workspace.objects.select_for_update().filter(pk=workspace_id).first()
        if workspace is None:
            return {}
        if not force and (workspace.erase_after is None or workspace.erase_after > timezone.now()):
            return {}
        slug = workspace.slug
        files = portability.workspace_files(workspace.pk, include_not_exported=True)
        deleted: dict[str, int] = {}
        # Many-to-many rows first, then the tables that point at others before those they
        # point at; foreign keys are checked at the commit anyway (deferred constraints).
        tables = portability.workspace_tables(include_not_exported=True)
        m2m = [t for t in tables if t.model._meta.auto_created]
        owned = [t for t in tables if not t.model._meta.auto_created]
        for table in [*m2m, *reversed(owned)]:
            # Unscoped on purpose: erasure runs outside any request and removes exactly this
            # workspace's rows. _raw_delete: one DELETE per table, no cascade collector (some
            # foreign keys inside a workspace PROTECT their targets, which go too).
            queryset = table.rows(workspace.pk).order_by()
            deleted[table.label] = queryset._raw_delete(queryset.db)
        Workspace.objects.filter(pk=workspace.pk).delete()
        deleted["core.Workspace"] = 1

        def remove_files() -> None:
            for name in files:
                try:
                    default_storage.delete(name)
                except OSError:
                    logger.warning("could not delete %s of erased workspace %s", name, slug)

        transaction.on_commit(remove_files)
    audit.log_only(
        event=audit.Event.WORKSPACE_ERASED,
        slug=slug,
        rows=sum(deleted.values()),
        files=len(files),
    )
    return deleted


def erase_due() -> list[int]:
    """Beat: the ids of the workspaces whose grace period is over (a task erases each)."""
    return list(due_for_erasure().values_list("pk", flat=True))
