"""Accounts and tenancy: users, workspaces (the tenant), memberships and invitations."""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.tenancy import ScopedManager, WorkspaceOwned


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; may belong to several workspaces."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Workspace(models.Model):
    """The tenant: one territorial marketing team's account."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        help_text=_("Used in the workspace's web addresses: /w/<address>/."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(WorkspaceOwned):
    """A user's role in one workspace."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        base_manager_name = "unscoped_objects"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="core_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="core_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def rank(self) -> int:
        return Role.rank(self.role)


class Invitation(WorkspaceOwned):
    """An e-mailed link that lets someone join a workspace with a given role."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EDITOR)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        base_manager_name = "unscoped_objects"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="core_invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        from django.conf import settings

        age = timezone.now() - self.created_at
        return age.days >= settings.INVITATION_MAX_AGE_DAYS


class Notification(WorkspaceOwned):
    """An in-app notification (the bell): someone mentioned you, for instance."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(max_length=30)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        base_manager_name = "unscoped_objects"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(WorkspaceOwned):
    """A personal API token: one user, one workspace. Only a hash of the secret is stored.

    The secret is shown once, when the token is created. Requests send it as
    ``Authorization: Bearer <secret>``; the token then acts with its owner's role in its
    workspace, narrowed to reading when its scope is ``read``.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )
    # The first characters of the secret, kept in clear so people can tell their tokens apart.
    prefix = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        base_manager_name = "unscoped_objects"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values), name="core_api_token_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class WebhookEndpoint(WorkspaceOwned):
    """An address that receives the workspace's events (see :mod:`core.webhooks`).

    The secret signs every delivery; admins see it, and can rotate it. After a rotation the old
    secret keeps signing too (a second ``v1=`` in the signature header) until
    ``previous_secret_expires_at``, so a receiver can switch without losing a delivery.
    """

    url = models.CharField(_("address"), max_length=500)
    secret = models.CharField(max_length=80, editable=False)
    previous_secret = models.CharField(max_length=80, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        base_manager_name = "unscoped_objects"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "is_active"], name="core_webhook_active")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookDelivery(WorkspaceOwned):
    """One event sent (or to send) to one endpoint. Its state lives here, not in the broker: a
    delivery whose task was lost is found again by the periodic sweep. ``uuid`` is the delivery
    id a receiver sees (``X-Territoria-Delivery``); ``event_id`` is the same for every endpoint
    that gets the event, and for its replays."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    event_id = models.UUIDField(editable=False)
    payload = models.JSONField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    # One entry per attempt: {"at", "status_code", "response_ms", "error"}.
    history = models.JSONField(default=list, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker sends it: nobody else sends it before then (see core.webhooks.deliver).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        base_manager_name = "unscoped_objects"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="core_webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="core_webhook_delivery_log"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="core_webhook_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"

    @property
    def is_open(self) -> bool:
        """Still to be sent (first attempt or a retry)."""
        return self.status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)

    @property
    def payload_text(self) -> str:
        """The payload as people read it (the log's details)."""
        return json.dumps(self.payload, indent=2, ensure_ascii=False)


class AuditEventKind(models.TextChoices):
    """The security events a workspace's admins can review (core.audit records them)."""

    SIGNIN_FAILED = "signin_failed", _("Sign-in failed")
    SIGNIN_LOCKED = "signin_locked", _("Sign-in locked out")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    WEBHOOK_CREATED = "webhook_created", _("Webhook created")
    WEBHOOK_SECRET_CHANGED = "webhook_secret_changed", _("Webhook secret changed")
    WEBHOOK_DELETED = "webhook_deleted", _("Webhook deleted")
    EXPORT_REQUESTED = "export_requested", _("Workspace export requested")
    EXPORT_DOWNLOADED = "export_downloaded", _("Workspace export downloaded")
    DELETION_REQUESTED = "deletion_requested", _("Workspace deletion requested")
    DELETION_CANCELLED = "deletion_cancelled", _("Workspace deletion cancelled")


class AuditLogIsAppendOnly(RuntimeError):
    """An audit event was about to be changed: the log is never edited."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("Audit events are never changed.")


class AuditEvent(WorkspaceOwned):
    """One security event of a workspace: who did what, to what, from where. Append-only: an
    event is written once by :func:`core.audit.record` and never changed (it goes only when its
    workspace is erased)."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    event = models.CharField(
        _("event"), max_length=32, choices=AuditEventKind.choices, editable=False
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The actor's e-mail address when it happened (kept if the account goes).
    actor_label = models.CharField(_("by"), max_length=254, blank=True, editable=False)
    target_type = models.CharField(max_length=60, blank=True, editable=False)
    target_label = models.CharField(_("on"), max_length=200, blank=True, editable=False)
    detail = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True, editable=False)

    objects: ScopedManager[Any] = ScopedManager.from_queryset(AuditEventQuerySet)()
    unscoped_objects: models.Manager[Any] = models.Manager.from_queryset(AuditEventQuerySet)()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        base_manager_name = "unscoped_objects"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-at"], name="core_audit_ws_at"),
            models.Index(fields=["workspace", "event", "-at"], name="core_audit_ws_event_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__in=AuditEventKind.values),
                name="core_audit_event_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.actor_label or '-'} · {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events are never changed.")
        super().save(*args, **kwargs)
