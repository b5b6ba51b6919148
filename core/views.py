"""Accounts, workspaces, members and health."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import logins, ratelimit, selectors, services
from core.forms import InvitationForm, RoleForm, SignupForm, WorkspaceForm, role_choices
from core.htmx import redirect_after_success, render_invalid, render_page
from core.http import AuthenticatedRequest, WorkspaceRequest
from core.permissions import member_can, require_action
from core.roles import ROLE_HELP, Role


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Signed in: the first workspace (or the list of them). Otherwise: what Territoria is."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    memberships = list(selectors.user_workspace_memberships(user=request.user))
    if len(memberships) == 1:
        return redirect("workspace_home", workspace_slug=memberships[0].workspace.slug)
    return redirect("workspace_list")


def signup(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user, workspace = services.user_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                workspace_name=form.cleaned_data["workspace_name"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Territoria! Your workspace is ready."))
            return redirect_after_success(request, reverse("workspace_home", args=[workspace.slug]))
        return render_invalid(request, "core/signup.html", {"form": form})
    return render_page(request, "core/signup.html", {"form": form})


@login_required
def workspace_list(request: AuthenticatedRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            workspace = services.workspace_create(
                actor=request.user, name=form.cleaned_data["name"]
            )
            return redirect_after_success(request, reverse("workspace_home", args=[workspace.slug]))
        return render_invalid(request, "core/workspace_list.html", {"form": form})
    return render_page(request, "core/workspace_list.html", {"form": form})


@require_action("workspace.update")
def workspace_settings(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    workspace = request.workspace
    form = WorkspaceForm(request.POST or None, initial={"name": workspace.name})
    if request.method == "POST":
        if form.is_valid():
            services.workspace_update(
                actor=request.user, workspace=workspace, name=form.cleaned_data["name"]
            )
            messages.success(request, _("Workspace renamed."))
            return redirect_after_success(
                request, reverse("workspace_settings", args=[workspace.slug])
            )
        return render_invalid(request, "core/workspace_settings.html", {"form": form})
    return render_page(request, "core/workspace_settings.html", {"form": form})


def _members_context(request: WorkspaceRequest, **extra: Any) -> dict[str, Any]:
    workspace = request.workspace
    membership = request.membership
    context = {
        "members": selectors.membership_list(workspace=workspace),
        "invitations": selectors.pending_invitation_list(workspace=workspace),
        "invite_form": InvitationForm(grantor_role=membership.role),
        "role_choices": role_choices(membership.role),
        "role_help": [(Role(value).label, ROLE_HELP[Role(value)]) for value in Role.values],
    }
    context.update(extra)
    return context


@require_action("member.view")
def members(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """Members and invitations. POST invites someone (owners and admins)."""
    workspace = request.workspace
    membership = request.membership
    if request.method == "POST":
        if not member_can(request, "member.invite"):
            raise PermissionDenied
        form = InvitationForm(request.POST, grantor_role=membership.role)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=request.user,
                    actor_membership=membership,
                    workspace=workspace,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    request_base_url=request.build_absolute_uri("/"),
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                if not request.htmx:
                    return redirect("members", workspace_slug=workspace.slug)
                return render_page(
                    request, "core/members.html", _members_context(request), partial="invite_done"
                )
        return render_invalid(
            request,
            "core/members.html",
            _members_context(request, invite_form=form),
            partial="invite_form",
        )
    return render_page(request, "core/members.html", _members_context(request))


@require_POST
@require_action("member.change_role")
def member_role(request: WorkspaceRequest, workspace_slug: str, member_uuid: str) -> HttpResponse:
    workspace = request.workspace
    target = selectors.membership_get(workspace=workspace, uuid=member_uuid)
    if target is None:
        raise Http404
    form = RoleForm(request.POST, grantor_role=request.membership.role)
    error = None
    if form.is_valid():
        try:
            target = services.membership_change_role(
                actor_membership=request.membership,
                workspace=workspace,
                membership=target,
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied as exc:
            error = str(exc) or _("You may not change this member's role.")
    else:
        error = _("Choose one of the roles offered.")
    context = _members_context(request, m=target, row_error=error)
    return render_page(
        request, "core/members.html", context, partial="member_row", status=422 if error else 200
    )


@require_POST
@require_action("member.remove")
def member_remove(request: WorkspaceRequest, workspace_slug: str, member_uuid: str) -> HttpResponse:
    workspace = request.workspace
    target = selectors.membership_get(workspace=workspace, uuid=member_uuid)
    if target is None:
        raise Http404
    try:
        services.membership_remove(
            actor_membership=request.membership,
            workspace=workspace,
            membership=target,
            request=request,
        )
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        context = _members_context(request, m=target, row_error=message)
        return render_page(request, "core/members.html", context, partial="member_row", status=422)
    if target.user_id == request.user.pk:
        return redirect_after_success(request, reverse("home"))
    messages.success(request, _("%(name)s was removed.") % {"name": target.user.display_name})
    return redirect_after_success(request, reverse("members", args=[workspace.slug]))


@require_POST
@require_action("member.invite")
def invitation_revoke(
    request: WorkspaceRequest, workspace_slug: str, invitation_uuid: str
) -> HttpResponse:
    workspace = request.workspace
    invitation = (
        selectors.pending_invitation_list(workspace=workspace).filter(uuid=invitation_uuid).first()
    )
    if invitation is None:
        raise Http404
    services.invitation_revoke(
        actor=request.user, workspace=workspace, invitation=invitation, request=request
    )
    return render_page(
        request, "core/members.html", _members_context(request), partial="invitations"
    )


def throttled(request: HttpRequest, retry_after: int) -> HttpResponse:
    """Too many requests: the time to wait, as 429 with ``Retry-After``."""
    minutes = max(1, -(-retry_after // 60))
    response = render(request, "core/throttled.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per e-mail address and per client address (each
    request may send a mail), and recorded in the audit log of the account's workspaces."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = ratelimit.hit("password_reset", request, email=request.POST.get("email") or None)
        if wait is not None:
            return throttled(request, wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        logins.record_password_reset_request(self.request, form.cleaned_data["email"])
        return response


def invitation_accept(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail. New people create their account here."""
    invitation = selectors.invitation_by_token(token=token)
    valid = invitation is not None and invitation.is_pending
    # Guessed tokens and repeated submissions are limited per client address (and per invited
    # address when the token is real).
    if request.method == "POST" or not valid:
        email = invitation.email if invitation is not None and valid else None
        wait = ratelimit.hit("invitation", request, email=email)
        if wait is not None:
            return throttled(request, wait)
    if invitation is None or not valid:
        return render(request, "core/invitation_invalid.html", status=404)
    workspace = invitation.workspace
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(
                    invitation=invitation, user=request.user, request=request
                )
            except ValidationError as error:
                return render(
                    request,
                    "core/invitation_accept.html",
                    {"invitation": invitation, "error": " ".join(error.messages)},
                    status=422,
                )
            messages.success(request, _("You joined %(name)s.") % {"name": workspace.name})
            return redirect("workspace_home", workspace_slug=workspace.slug)
        return render(request, "core/invitation_accept.html", {"invitation": invitation})
    from core.models import User

    if User.objects.filter(email__iexact=invitation.email).exists():
        return redirect(f"{reverse('login')}?next={request.path}")
    form = SignupForm(request.POST or None, fixed_email=invitation.email)
    if request.method == "POST":
        if form.is_valid():
            user = User.objects.create_user(
                email=invitation.email,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
            services.invitation_accept(invitation=invitation, user=user, request=request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(name)s!") % {"name": workspace.name})
            return redirect_after_success(request, reverse("workspace_home", args=[workspace.slug]))
        return render_invalid(
            request, "core/invitation_signup.html", {"form": form, "invitation": invitation}
        )
    return render(request, "core/invitation_signup.html", {"form": form, "invitation": invitation})


# --- Notifications (the bell) ---------------------------------------------------------------

NOTIFICATIONS_PAGE_SIZE = 25


@require_action("notification.view")
def notification_list(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """The member's notifications in this workspace, newest first."""
    notifications = selectors.notification_list(workspace=request.workspace, user=request.user)
    page = Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "core/notifications.html", {"page": page}, partial="results")


@require_POST
@require_action("notification.view")
def notification_read(
    request: WorkspaceRequest, workspace_slug: str, notification_uuid: str
) -> HttpResponse:
    """Mark one notification read and go where it points."""
    notification = selectors.notification_get(
        workspace=request.workspace, user=request.user, uuid=notification_uuid
    )
    if notification is None:
        raise Http404
    services.notification_mark_read(
        actor=request.user, workspace=request.workspace, notification=notification
    )
    url = notification.url
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = reverse("notification_list", args=[workspace_slug])
    return redirect(url)


@require_POST
@require_action("notification.view")
def notification_read_all(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.user, workspace=request.workspace)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect_after_success(request, reverse("notification_list", args=[workspace_slug]))


@never_cache
@require_GET
@require_action("notification.view")
def notification_bell(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """The header's bell, polled every 30 s: 204 while the count the page shows is still right."""
    count = selectors.unread_count(workspace=request.workspace, user=request.user)
    if request.GET.get("n") == str(count):
        return HttpResponse(status=204)
    return render(request, "core/_bell.html", {"unread_notifications": count})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of the database and, when configured, Redis and the Celery broker."""
    report: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        report["database"] = "ok"
    except Exception:
        report["database"] = "error"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            report["redis"] = "ok"
        except Exception:
            report["redis"] = "error"
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from celery import current_app

        try:
            with current_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            report["broker"] = "ok"
        except Exception:
            report["broker"] = "error"
    else:
        report["tasks"] = "in-process"
    healthy = all(v in {"ok", "in-process"} for v in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: problem details under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        from core.restapi import api_not_found

        return api_not_found(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from core.restapi import api_server_error

        return api_server_error(request)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)
