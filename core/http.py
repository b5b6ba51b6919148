"""Typed requests: what the middlewares put on a request, for views and mypy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from core.models import Membership, User, Workspace


class AuthenticatedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class WorkspaceRequest(AuthenticatedRequest):
    """A request under /w/<workspace_slug>/, after core.middleware.WorkspaceMiddleware."""

    workspace: Workspace
    membership: Membership


def client_address(request: HttpRequest) -> str | None:
    """The address sign-in failures and rate limits are counted by.

    Without a trusted proxy, the TCP peer. Behind ``TRUSTED_PROXY_COUNT`` proxies, the entry
    of ``X-Forwarded-For`` that the outermost trusted proxy appended (counted from the right);
    anything further left was written by the client and is ignored."""
    peer = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return peer
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return peer
    return forwarded[-count]
