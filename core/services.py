"""Writes for accounts and tenancy. Every function is keyword-only and transactional."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from core import audit
from core.models import Invitation, Membership, Notification, User, Workspace
from core.roles import Role
from core.tenancy import assert_same_workspace, workspace_scope


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def workspace_create(*, actor: User, name: str) -> Workspace:
    """Create a workspace with ``actor`` as its owner."""
    workspace = Workspace.objects.create(name=name.strip(), slug=_unique_slug(name))
    with workspace_scope(workspace):
        Membership.objects.create(workspace=workspace, user=actor, role=Role.OWNER)
    return workspace


@transaction.atomic
def workspace_update(*, actor: User, workspace: Workspace, name: str) -> Workspace:
    workspace.name = name.strip()
    workspace.save(update_fields=["name"])
    return workspace


@transaction.atomic
def user_signup(
    *, email: str, password: str, full_name: str, workspace_name: str
) -> tuple[User, Workspace]:
    """A new person: their account and their first workspace, which they own."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    workspace = workspace_create(actor=user, name=workspace_name)
    return user, workspace


def _check_can_grant(actor_membership: Membership, role: str) -> None:
    if role == Role.OWNER and actor_membership.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can make someone an owner."))


def _owner_count(workspace: Workspace) -> int:
    return Membership.objects.filter(workspace=workspace, role=Role.OWNER).count()


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    actor_membership: Membership,
    workspace: Workspace,
    email: str,
    role: str,
    request_base_url: str,
    request: HttpRequest | None = None,
) -> Invitation:
    """Invite ``email`` into the workspace; the link is e-mailed after commit."""
    email = email.strip().lower()
    _check_can_grant(actor_membership, role)
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the workspace.")})
    # A new invitation replaces any pending one for the same address.
    Invitation.objects.filter(
        workspace=workspace, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        invited_by=actor,
        token=secrets.token_urlsafe(32),
    )
    audit.record(
        event=audit.Event.INVITATION_SENT,
        workspace=workspace,
        actor=actor,
        request=request,
        target=email,
        role=role,
    )
    link = request_base_url.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    language = get_language() or settings.LANGUAGE_CODE

    def send() -> None:
        with override(language):
            context = {
                "invitation": invitation,
                "workspace": workspace,
                "link": link,
                "actor": actor,
            }
            send_mail(
                subject=_("%(name)s invites you to %(workspace)s on Territoria")
                % {"name": actor.display_name, "workspace": workspace.name},
                message=render_to_string("core/email/invitation.txt", context),
                from_email=None,
                recipient_list=[email],
            )

    transaction.on_commit(send)
    return invitation


@transaction.atomic
def invitation_revoke(
    *,
    actor: User,
    workspace: Workspace,
    invitation: Invitation,
    request: HttpRequest | None = None,
) -> None:
    assert_same_workspace(workspace, invitation)
    if invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            event=audit.Event.INVITATION_REVOKED,
            workspace=workspace,
            actor=actor,
            request=request,
            target=invitation.email,
            role=invitation.role,
        )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User, request: HttpRequest | None = None
) -> Membership:
    """Turn a pending invitation into a membership for ``user``."""
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    with workspace_scope(invitation.workspace):
        membership, _created = Membership.objects.get_or_create(
            workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        event=audit.Event.INVITATION_ACCEPTED,
        workspace=invitation.workspace,
        actor=user,
        request=request,
        target=invitation.email,
        role=membership.role,
    )
    return membership


@transaction.atomic
def membership_change_role(
    *,
    actor_membership: Membership,
    workspace: Workspace,
    membership: Membership,
    role: str,
    request: HttpRequest | None = None,
) -> Membership:
    assert_same_workspace(workspace, membership)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER or role == Role.OWNER:
        _check_can_grant(actor_membership, Role.OWNER)
    if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(workspace) <= 1:
        raise ValidationError({"role": _("A workspace needs at least one owner.")})
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    if before != role:
        audit.record(
            event=audit.Event.ROLE_CHANGED,
            workspace=workspace,
            actor=actor_membership.user,
            request=request,
            target=membership.user.email,
            before=before,
            after=role,
        )
    return membership


@transaction.atomic
def membership_remove(
    *,
    actor_membership: Membership,
    workspace: Workspace,
    membership: Membership,
    request: HttpRequest | None = None,
) -> None:
    assert_same_workspace(workspace, membership)
    if membership.role == Role.OWNER:
        _check_can_grant(actor_membership, Role.OWNER)
        if _owner_count(workspace) <= 1:
            raise ValidationError(_("A workspace needs at least one owner."))
    audit.record(
        event=audit.Event.MEMBER_REMOVED,
        workspace=workspace,
        actor=actor_membership.user,
        request=request,
        target=membership.user.email,
        role=membership.role,
    )
    membership.delete()


# --- Notifications (the bell) ---------------------------------------------------------------


@transaction.atomic
def notification_create_many(
    *,
    actor: User | None,
    workspace: Workspace,
    recipients: Iterable[User],
    verb: str,
    text: str,
    url: str,
) -> list[Notification]:
    """One notification per recipient who is a member of ``workspace`` (others are dropped).

    ``text`` is what the notification is about (a title, an excerpt), in the author's words; the
    sentence around it ("Claire mentioned you") is built from ``verb`` when it is shown, in the
    reader's language. Call it after commit (``transaction.on_commit``), never inside the
    transaction that caused it.
    """
    wanted = {user.pk for user in recipients if actor is None or user.pk != actor.pk}
    if not wanted:
        return []
    members = Membership.objects.filter(workspace=workspace, user_id__in=wanted).values_list(
        "user_id", flat=True
    )
    return Notification.objects.bulk_create(
        Notification(
            workspace=workspace,
            recipient_id=user_id,
            actor=actor,
            verb=verb,
            text=text[:300],
            url=url[:500],
        )
        for user_id in sorted(set(members))
    )


@transaction.atomic
def notification_mark_read(
    *, actor: User, workspace: Workspace, notification: Notification
) -> Notification:
    assert_same_workspace(workspace, notification)
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User, workspace: Workspace) -> int:
    """Mark every unread notification of ``actor`` in ``workspace`` as read; how many were."""
    return Notification.objects.filter(
        workspace=workspace, recipient=actor, read_at__isnull=True
    ).update(read_at=timezone.now())
