"""View guards built on the permission table in :mod:`core.roles`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from core.roles import PERMISSIONS, can

F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def require_action(action: str) -> Callable[[F], F]:
    """Guard a workspace view: 403 unless the member's role may perform ``action``.

    The workspace middleware has already answered 404 for non-members and redirected anonymous
    visitors, so here ``request.membership`` always exists.
    """
    if action not in PERMISSIONS:
        raise ImproperlyConfigured(
            f"Unknown action {action!r}: add a row to core.roles.PERMISSIONS"
        )

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            membership = getattr(request, "membership", None)
            if membership is None:
                raise ImproperlyConfigured(
                    f"{view.__name__} is not under a /w/<workspace_slug>/ URL"
                )
            if not can(membership.role, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        wrapped.required_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def member_can(request: HttpRequest, action: str) -> bool:
    """For templates and views that show or hide a control."""
    membership = getattr(request, "membership", None)
    return membership is not None and can(membership.role, action)
