"""Personal API tokens: created for one workspace, shown once, stored as a SHA-256 hash.

A token is ``trr_`` followed by 40 random URL-safe characters. The secret carries 240 bits of
randomness, so a fast hash is the right one here (a password hash would only slow every request):
nobody can guess a secret from its hash, and looking it up by hash takes one indexed query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import audit
from core.models import ApiToken, Membership, TokenScope, User, Workspace
from core.roles import Role, can

PREFIX = "trr_"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def can_write(role: str) -> bool:
    """Viewers change nothing, so their tokens can only read."""
    return role != Role.VIEWER


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    scope: str,
    expires_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``actor`` in ``workspace``; returns it with its secret (shown once)."""
    membership = Membership.objects.filter(user=actor, workspace=workspace).first()
    if membership is None:
        raise PermissionDenied(_("You are not a member of this workspace."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the tool that will use it.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read only or read and write.")})
    if scope == TokenScope.WRITE and not can_write(membership.role):
        raise ValidationError(
            {"scope": _("Viewers change nothing, so their tokens can only read.")}
        )
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("The expiry date must be in the future.")})
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            ngettext(
                "You already have %(count)d token here: revoke it if you no longer use it.",
                "You already have %(count)d tokens here: revoke one you no longer use.",
                active,
            )
            % {"count": active}
        )
    secret = PREFIX + secrets.token_urlsafe(30)
    expires_at = None
    if expires_on is not None:
        expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.min))
    token = ApiToken.objects.create(
        workspace=workspace,
        user=actor,
        name=name,
        scope=scope,
        prefix=secret[: len(PREFIX) + 6],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    audit.record(
        event=audit.Event.TOKEN_CREATED,
        workspace=workspace,
        actor=actor,
        request=request,
        target=token,
        scope=scope,
        prefix=token.prefix,
        expires_on=expires_on.isoformat() if expires_on else None,
    )
    return token, secret


@transaction.atomic
def token_revoke(
    *, actor: User, workspace: Workspace, token: ApiToken, request: HttpRequest | None = None
) -> ApiToken:
    """People revoke their own tokens; admins and owners revoke anyone's in their workspace."""
    if token.workspace_id != workspace.pk:
        raise PermissionDenied
    if token.user_id != actor.pk:
        membership = Membership.objects.filter(user=actor, workspace=workspace).first()
        if membership is None or not can(membership.role, "token.revoke_any"):
            raise PermissionDenied(_("Only admins may revoke other people's tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            event=audit.Event.TOKEN_REVOKED,
            workspace=workspace,
            actor=actor,
            request=request,
            target=token,
            prefix=token.prefix,
            owner=token.user.email,
        )
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, or None. Marks it used (at most once a minute)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    # Unscoped on purpose: the token is what tells us the workspace.
    token = (
        ApiToken.unscoped_objects.select_related("user", "workspace")
        .filter(key_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.unscoped_objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
