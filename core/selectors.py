"""Reads for accounts and tenancy."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import Invitation, Membership, User, Workspace


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
