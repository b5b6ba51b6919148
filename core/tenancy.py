"""Fail-closed workspace scoping.

Every workspace-owned model inherits :class:`WorkspaceOwned`. Its default manager ``objects``
refuses to build a query unless a workspace scope is active, and then filters by that workspace.
There is exactly one way in for requests (``core.middleware.WorkspaceMiddleware``) and one for
Celery tasks (``core.tasks.WorkspaceTask``); both call :func:`workspace_scope`.

Framework internals (cascading deletes, ``obj.fk`` access) use Django's base manager, which is a
plain manager. Our own code that must see across workspaces uses ``unscoped_objects`` and says why
in a comment next to the call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

if TYPE_CHECKING:
    from core.models import Workspace


class ScopeError(RuntimeError):
    """A workspace-owned model was queried with no active workspace scope."""


_ALL = object()  # the value of the scope inside ``scopes_disabled()``
_active: ContextVar[Any] = ContextVar("territoria_workspace_scope", default=None)


@contextmanager
def workspace_scope(workspace: Workspace) -> Iterator[Workspace]:
    """Activate ``workspace`` for the block: scoped managers filter by it."""
    if workspace is None or workspace.pk is None:
        raise ScopeError("workspace_scope() needs a saved workspace.")
    token = _active.set(workspace)
    try:
        yield workspace
    finally:
        _active.reset(token)


@contextmanager
def scopes_disabled() -> Iterator[None]:
    """Let scoped managers see every workspace. For admin, migrations-like commands and tests."""
    token = _active.set(_ALL)
    try:
        yield
    finally:
        _active.reset(token)


def active_workspace() -> Workspace | None:
    """The workspace of the active scope, or None (no scope, or scopes disabled)."""
    value = _active.get()
    return None if value is _ALL else value


def require_workspace() -> Workspace:
    value = _active.get()
    if value is None or value is _ALL:
        raise ScopeError("This needs an active workspace scope.")
    return value


M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    pass


class ScopedManager(models.Manager[M], Generic[M]):
    """Default manager of workspace-owned models: raises outside a scope."""

    def get_queryset(self) -> models.QuerySet[M]:
        value = _active.get()
        if value is None:
            raise ScopeError(
                f"{self.model._meta.label} was queried with no active workspace scope. "
                "Run inside core.tenancy.workspace_scope(), or use unscoped_objects and say why."
            )
        qs = super().get_queryset()
        if value is _ALL:
            return qs
        return qs.filter(workspace=value)


class WorkspaceOwned(models.Model):
    """Abstract base of everything a workspace owns."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(
        "core.Workspace", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects: ScopedManager[Any] = ScopedManager()
    # For code that must look across workspaces; every use is named and justified.
    unscoped_objects: models.Manager[Any] = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped_objects"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.workspace_id is None:
            self.workspace = require_workspace()
        super().save(*args, **kwargs)


def assert_same_workspace(workspace: Workspace, *objects: WorkspaceOwned | None) -> None:
    """Services call this on every related object they are handed."""
    for obj in objects:
        if obj is not None and obj.workspace_id != workspace.pk:
            raise ScopeError(f"{obj._meta.label} belongs to another workspace.")
