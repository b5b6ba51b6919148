"""Typed requests: what the middlewares put on a request, for views and mypy."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
