"""The audit log: security events per workspace, written once, read by its admins.

Callers name the event, the workspace, who did it and to what::

    from core import audit

    audit.record(event=audit.Event.TOKEN_CREATED, workspace=ws, actor=user, request=request,
                 target=token, scope=token.scope)

Extra keyword arguments go into ``detail`` (JSON: keep them short and free of secrets). Every event
is also written to the ``territoria.audit`` logger, one line, so that a log collector keeps a copy
outside the database. Events without a workspace (a sign-in failure for an unknown address) go to
the logger only: there is no team to show them to.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.http import HttpRequest

from core.http import client_address
from core.models import AuditEvent, User, Workspace
from core.models import AuditEventKind as Event

__all__ = ["Event", "client_ip", "log_only", "record"]

logger = logging.getLogger("territoria.audit")


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, as sign-in limits count it (behind the trusted proxies, the
    address the outermost one saw: :func:`core.http.client_address`)."""
    return client_address(request) if request is not None else None


def _target(target: models.Model | str | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label, str(target)[:200]
    return "", str(target)[:200]


def _actor_label(actor: User | None, request: HttpRequest | None) -> tuple[User | None, str]:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return actor, (actor.email if actor is not None else "")


def record(
    *,
    event: Event | str,
    workspace: Workspace,
    actor: User | None = None,
    request: HttpRequest | None = None,
    target: models.Model | str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event to ``workspace``'s log (and to the ``territoria.audit`` logger).

    ``actor`` defaults to the request's signed-in user; ``target`` is the object acted on (its
    label is kept as text, so the event still reads after the object is gone) or a text."""
    event = Event(event)
    actor, actor_label = _actor_label(actor, request)
    target_type, target_label = _target(target)
    ip = client_ip(request)
    entry = AuditEvent(
        workspace=workspace,
        event=event,
        actor=actor,
        actor_label=actor_label,
        target_type=target_type,
        target_label=target_label,
        detail=detail,
        ip=ip,
    )
    entry.save()
    logger.info(
        "%s workspace=%s actor=%s target=%s ip=%s %s",
        event.value,
        workspace.slug,
        actor_label or "-",
        target_label or "-",
        ip or "-",
        " ".join(f"{k}={v}" for k, v in sorted(detail.items())),
    )
    return entry


def log_only(*, event: Event | str, request: HttpRequest | None = None, **detail: Any) -> None:
    """An event that belongs to no workspace: the logger keeps it, the database does not."""
    logger.info(
        "%s workspace=- ip=%s %s",
        Event(event).value,
        client_ip(request) or "-",
        " ".join(f"{k}={v}" for k, v in sorted(detail.items())),
    )
