"""Reads for accounts and tenancy."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from core import mentions
from core.models import ApiToken, AuditEvent, Invitation, Membership, Notification, User, Workspace


def membership_list(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def membership_get(*, workspace: Workspace, uuid: object) -> Membership | None:
    return Membership.objects.select_related("user").filter(workspace=workspace, uuid=uuid).first()


def pending_invitation_list(*, workspace: Workspace) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        workspace=workspace, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def user_workspace_memberships(*, user: User) -> QuerySet[Membership]:
    """The workspaces a user belongs to, for the header switcher."""
    # Unscoped on purpose: a user's own memberships across workspaces are theirs to see.
    return (
        Membership.unscoped_objects.filter(user=user)
        .select_related("workspace")
        .order_by("workspace__name")
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    # Unscoped on purpose: the secret token is the only key the invitee holds before joining.
    return Invitation.unscoped_objects.select_related("workspace").filter(token=token).first()


# --- Mentions -------------------------------------------------------------------------------


def members_by_handles(*, workspace: Workspace, handles: set[str]) -> list[Membership]:
    """The members of ``workspace`` (and only them) named by the @handles (see core.mentions)."""
    if not handles:
        return []
    return [
        m
        for m in membership_list(workspace=workspace)
        if any(mentions.matches(m.user, handle) for handle in handles)
    ]


def member_search(
    *,
    workspace: Workspace,
    query: str,
    members: list[Membership] | None = None,
    among: set[int] | None = None,
    limit: int = 8,
) -> list[tuple[Membership, str]]:
    """Members whose handle or name starts with ``query``, with the handle to insert.

    Names are slugged in Python (accents, hyphens), so this reads the workspace's members in one
    query (or takes them as ``members``, already read). ``among`` narrows to these membership ids
    (the members who can see a project); handles stay unique across the whole workspace.
    """
    if members is None:
        members = list(membership_list(workspace=workspace))
    handles = mentions.preferred_handles(members)
    found = [
        (m, handles[m.user_id])
        for m in members
        if (among is None or m.pk in among) and mentions.search_matches(m.user, query)
    ]
    return found[:limit]


# --- Notifications --------------------------------------------------------------------------


def unread_count(*, workspace: Workspace, user: User) -> int:
    """The bell: one COUNT on the (workspace, recipient, read_at) index."""
    return Notification.objects.filter(
        workspace=workspace, recipient=user, read_at__isnull=True
    ).count()


def notification_list(*, workspace: Workspace, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(workspace=workspace, recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def notification_get(*, workspace: Workspace, user: User, uuid: object) -> Notification | None:
    """One of ``user``'s own notifications; other people's do not exist for them."""
    return Notification.objects.filter(workspace=workspace, recipient=user, uuid=uuid).first()


# --- API tokens -----------------------------------------------------------------------------


def api_token_list(
    *, workspace: Workspace, user: User, everyone: bool = False
) -> QuerySet[ApiToken]:
    """``user``'s tokens in ``workspace``, newest first; ``everyone``: all members' (admins)."""
    tokens = ApiToken.objects.filter(workspace=workspace).select_related("user")
    if not everyone:
        tokens = tokens.filter(user=user)
    return tokens.order_by("-created_at", "-id")


def api_token_get(
    *, workspace: Workspace, user: User, uuid: UUID | str, everyone: bool = False
) -> ApiToken | None:
    """One token ``user`` may manage; other people's do not exist for them unless ``everyone``."""
    return (
        api_token_list(workspace=workspace, user=user, everyone=everyone).filter(uuid=uuid).first()
    )


# --- Audit log ------------------------------------------------------------------------------


def audit_event_list(
    *,
    workspace: Workspace,
    event: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The workspace's security events, newest first; ``since``/``until`` are days, inclusive,
    in the site's time zone."""
    events = AuditEvent.objects.filter(workspace=workspace)
    if event:
        events = events.filter(event=event)
    if since:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        events = events.filter(at__gte=start)
    if until:
        end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
        events = events.filter(at__lt=end)
    return events.order_by("-at", "-id")
