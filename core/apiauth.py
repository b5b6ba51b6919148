"""Who may call the API, how often, how much: token authentication, the role permission,
throttles and pagination.

Kept apart from :mod:`core.restapi` because DRF imports these classes while it is itself loading.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from core.apipaging import LateRowPaginator
from core.models import ApiToken, Membership, User
from core.roles import can
from core.tokens import token_authenticate

# --- Authentication ---------------------------------------------------------------------------


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``: ``request.auth`` is then the :class:`ApiToken`."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>.")
            )
        try:
            secret = parts[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        token = token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid: it may be mistyped, revoked or expired.")
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


# --- Permissions, throttling, pagination ----------------------------------------------------


class WorkspaceRolePermission(BasePermission):
    """The member's role must allow the view's action for this operation (core.roles)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        membership: Membership | None = getattr(request, "membership", None)
        if membership is None:  # pragma: no cover - WorkspaceViewSet.initial() set it or raised
            return False
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if request.method not in SAFE_METHODS and token is not None and not token.can_write:
            self.message = _(
                "This token is read-only: create a read and write token to change data."
            )
            return False
        action = view.permission_action()
        if action is None:
            return True
        if not can(membership.role, action):
            self.message = _("Your role in this workspace does not allow this.")
            return False
        return True


class RateThrottle(SimpleRateThrottle):
    """Rates come from settings.API_THROTTLE_RATES at each request, so they can be tuned live."""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope or "")


class TokenRateThrottle(RateThrottle):
    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"throttle:token:{request.auth.pk}"
        return None


class UserRateThrottle(RateThrottle):
    """Every authenticated user, whatever the credentials (session or any of their tokens)."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"throttle:user:{request.user.pk}"
        return None


class AnonRateThrottle(RateThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return f"throttle:anon:{self.get_ident(request)}"


class Pagination(PageNumberPagination):
    django_paginator_class = LateRowPaginator  # the page's rows by id: see core.apipaging
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = gettext_lazy(
        "Objects per page: 50 unless asked, at most 100 (a larger size gets 100)."
    )
    last_page_strings = ()  # pages are numbers; the answer's ``next`` leads to the last one

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        # DRF ignores a page size it cannot read and answers 404 to a page it cannot: both are
        # the client's mistakes, answered 400 with the parameter's message.
        errors: dict[str, list[str]] = {}
        for name in (self.page_query_param, self.page_size_query_param):
            values = request.query_params.getlist(name)
            if len(values) > 1:
                errors[name] = [_("Give this parameter once.")]
            elif values and (not re.fullmatch(r"[0-9]{1,18}", values[0]) or int(values[0]) < 1):
                errors[name] = [_("Give a whole number, 1 or more.")]
        if errors:
            raise exceptions.ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
