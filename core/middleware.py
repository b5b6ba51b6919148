"""The one entry point that activates the workspace scope.

Every URL with a ``workspace_slug`` keyword (pages under ``/w/<slug>/``, API under
``/api/v1/w/<slug>/``) goes through here before its view runs:

* anonymous: pages redirect to the login page, the API answers 401/403 (DRF decides);
* signed in but not a member: 404, whatever the rest of the URL names;
* member: ``request.workspace`` and ``request.membership`` are set and the view runs inside
  ``workspace_scope``. Role checks (403) are made by the view through ``core.views.permission``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import Token
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from core import tenancy
from core.errors import Refused
from core.models import Membership
from core.roles import can

_TOKEN_ATTR = "_territoria_scope_token"  # noqa: S105 - an attribute name, not a secret


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token: Token[Any] | None = getattr(request, _TOKEN_ATTR, None)
            if token is not None:
                tenancy._active.reset(token)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.path_info.startswith("/admin/"):
            # Unscoped on purpose: the Django admin is for superusers and must see every workspace.
            setattr(request, _TOKEN_ATTR, tenancy._active.set(tenancy._ALL))
            return None
        slug = view_kwargs.get("workspace_slug")
        if slug is None:
            return None
        is_api = request.path_info.startswith("/api/")
        user = request.user
        if not user.is_authenticated:
            if is_api:
                return None  # DRF's authentication and permission classes answer 401/403.
            return redirect_to_login(request.get_full_path())
        membership = (
            # Unscoped on purpose: this lookup is what decides the scope.
            Membership.unscoped_objects.select_related("workspace", "user")
            .filter(workspace__slug=slug, user=user)
            .first()
        )
        if membership is None:
            raise Http404("No such workspace.")
        if membership.workspace.is_marked_for_deletion:
            # Deleted, in its grace period: gone for everyone but its owners, who reach only
            # the page that restores it (everything else sends them there).
            if is_api or not can(membership.role, "workspace.delete"):
                raise Http404("No such workspace.")
            if request.resolver_match is None or (
                request.resolver_match.url_name != "workspace_deletion"
            ):
                return redirect("workspace_deletion", workspace_slug=slug)
        request.workspace = membership.workspace  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        setattr(request, _TOKEN_ATTR, tenancy._active.set(membership.workspace))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A service refused the change (a closed cycle...): the page says why, with its status."""
        if not isinstance(exception, Refused) or request.path_info.startswith("/api/"):
            return None
        from core.htmx import render_page

        return render_page(
            request,
            "core/refused.html",
            {"message": exception.message},
            partial="message",
            status=exception.status,
        )
