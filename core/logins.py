"""Sign-in protection: django-axes counts failed sign-ins and locks guessing out.

An account is locked after ``LOGIN_FAILURE_LIMIT_ACCOUNT`` failures within
``LOGIN_LOCKOUT_MINUTES`` (from any address), and a client address after
``LOGIN_FAILURE_LIMIT_ADDRESS`` failures within the same window (whatever the accounts it tried).
Axes keeps the attempts in its database table (both settings shapes); this module gives it our
two limits, the lockout page (the login form, 429, the time to wait) and the record of each
failure and lockout in the audit log of the account's workspaces and in the
``territoria.security`` logger.

The API is not concerned: its token and session authentications never call
``django.contrib.auth.authenticate`` (DRF's throttles guard it), and a session opened before a
lockout keeps working.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, QuerySet, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import audit
from core.http import client_address
from core.models import Membership, User, Workspace

logger = logging.getLogger("territoria.security")


# --- What axes asks us (settings.AXES_*) ---------------------------------------------------


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The e-mail address tried, as accounts store it: ``Paul@X.org`` and ``paul@x.org`` are
    one account, so they share one counter."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return str(value).strip().lower() if value else None


def failure_limit(request: HttpRequest | None = None, credentials: Any = None) -> int:
    """The limit axes compares with :meth:`LoginAttemptHandler.get_failures` (the account's)."""
    return int(settings.LOGIN_FAILURE_LIMIT_ACCOUNT)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _group_limits() -> dict[str, int]:
    return {
        "username": int(settings.LOGIN_FAILURE_LIMIT_ACCOUNT),
        "ip_address": int(settings.LOGIN_FAILURE_LIMIT_ADDRESS),
    }


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per lockout parameter.

    Axes compares a single number with a single limit. Each parameter's failure count is
    scaled to the account limit: ``count * account_limit // own_limit`` reaches the account
    limit exactly when ``count`` reaches its own limit (integer arithmetic, no rounding error).
    """

    def _groups(
        self, request: HttpRequest, credentials: dict[str, Any] | None
    ) -> list[tuple[str, QuerySet[AccessAttempt]]]:
        parameters = [str(p) for p in get_lockout_parameters(request, credentials)]
        return list(zip(parameters, self.get_user_attempts(request, credentials), strict=True))

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        base = failure_limit()
        limits = _group_limits()
        worst = 0
        for parameter, attempts in self._groups(request, credentials):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, count * base // limits.get(parameter, base))
        return worst

    def locked_until(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> dt.datetime | None:
        """When every lockout that applies to this request ends (None: not locked)."""
        limits = _group_limits()
        latest: dt.datetime | None = None
        for parameter, attempts in self._groups(request, credentials):
            totals = attempts.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            if (totals["n"] or 0) >= limits.get(parameter, failure_limit()) and totals["last"]:
                latest = max(latest or totals["last"], totals["last"])
        return latest + cool_off() if latest else None

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful sign-in clears its account's failures, never its address's: otherwise
        a guesser with one account of their own would clear the address lockout at will."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def _handler() -> LoginAttemptHandler:
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    assert isinstance(handler, LoginAttemptHandler)
    return handler


def minutes_to_wait(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    until = _handler().locked_until(request, credentials)
    if until is None:
        return int(settings.LOGIN_LOCKOUT_MINUTES)
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, with the time to wait, as 429 with ``Retry-After``."""
    from core.forms import LoginForm

    minutes = minutes_to_wait(request, credentials)
    username = attempted_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    response = render(
        request,
        "registration/login.html",
        {"form": form, "locked_minutes": minutes, "next": next_url},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


# --- What happened: the audit log and the logger -------------------------------------------


def _workspaces_of(email: str | None) -> tuple[User | None, list[Workspace]]:
    if not email:
        return None, []
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return None, []
    # Unscoped on purpose: a sign-in belongs to no workspace yet; each of the account's
    # workspaces gets its own copy of the event.
    memberships = Membership.unscoped_objects.filter(user=user).select_related("workspace")
    return user, [m.workspace for m in memberships]


def _record(event: audit.Event, request: HttpRequest, email: str | None, **detail: Any) -> None:
    user, workspaces = _workspaces_of(email)
    if user is None:
        # Unknown address: no team to show it to; the logger keeps it (without the text typed,
        # which may be a password typed in the wrong field).
        audit.log_only(event=event, request=request, account="unknown", **detail)
        return
    for workspace in workspaces:
        audit.record(
            event=event,
            workspace=workspace,
            actor=None,
            request=request,
            target=user.email,
            **detail,
        )
    if not workspaces:
        audit.log_only(event=event, request=request, account=user.email, **detail)


@receiver(user_login_failed, dispatch_uid="territoria_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    email = attempted_username(request, credentials)
    address = client_address(request)
    # Refused by the lockout (the password was not even checked): the logger only, so that a
    # guesser who keeps trying does not fill the audit log. Axes sets ``axes_locked_out`` for
    # these and leaves ``axes_failures_since_start`` unset, whichever receiver runs first.
    if (
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    ):
        logger.warning("sign-in refused (locked out) account=%s ip=%s", email or "-", address)
        return
    logger.warning("sign-in failed account=%s ip=%s", email or "-", address)
    _record(audit.Event.SIGNIN_FAILED, request, email)


@receiver(user_locked_out, dispatch_uid="territoria_locked_out")
def _on_locked_out(
    sender: Any,
    request: HttpRequest,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    # Axes sends this again for each attempt refused during the lockout; the lockout itself is
    # the attempt that reached a limit (its failure count is known).
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    minutes = int(settings.LOGIN_LOCKOUT_MINUTES)
    logger.warning(
        "sign-in locked out account=%s ip=%s for %d min", username or "-", ip_address, minutes
    )
    _record(audit.Event.SIGNIN_LOCKED, request, username, minutes=minutes)


def record_password_reset_request(request: HttpRequest, email: str) -> None:
    """A reset link was asked for ``email``: the audit log of its account's workspaces."""
    _record(audit.Event.PASSWORD_RESET_REQUESTED, request, email)
