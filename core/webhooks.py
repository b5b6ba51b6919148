"""Webhooks: admins register endpoints; the workspace's changes are POSTed to them, signed.

* **Emitting.** The services that change the plan and the evaluation call :func:`emit` inside
  their transaction. It writes one :class:`~core.models.WebhookDelivery` per active endpoint
  subscribed to the event (one indexed query when there is none) and sends the delivery task
  after commit: a rolled-back change sends nothing.
* **Delivering.** :func:`deliver` (the ``core.deliver_webhook`` task) claims the delivery for a
  while, POSTs the JSON payload, and records the attempt. A 2xx answer is a success; anything
  else (an error, a timeout, a redirect: redirects are not followed) is retried after
  ``WEBHOOK_RETRY_DELAYS``, then the delivery fails. The state lives in the database: the
  periodic :func:`sweep` sends again every delivery that is due and that no worker holds, so a
  worker that dies mid-delivery, or a lost message, delays a delivery but never loses it.
  A receiver may therefore see one delivery twice: ``X-Territoria-Delivery`` tells them apart.
* **Signing.** ``X-Territoria-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
  with the endpoint's secret (and a second ``v1=`` with the previous secret for a day after a
  rotation).
* **Addresses.** http and https only, no credentials in the address, and no loopback or
  private network address unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` (checked again on every
  delivery, against the address actually connected to).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import audit
from core.models import (
    DeliveryStatus,
    Membership,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    Workspace,
)
from core.roles import can
from core.tenancy import active_workspace

logger = logging.getLogger(__name__)

# The catalogue: event -> what it means (shown next to its checkbox).
EVENTS: dict[str, Any] = {
    "objective.created": gettext_lazy("An objective was added to a plan."),
    "objective.updated": gettext_lazy("An objective was changed."),
    "objective.deleted": gettext_lazy("An objective was deleted (with its actions)."),
    "action.created": gettext_lazy("An action was added to a plan."),
    "action.updated": gettext_lazy("An action was changed."),
    "action.deleted": gettext_lazy("An action was deleted."),
    "measurement.created": gettext_lazy("A new value was recorded for an indicator."),
    "snapshot.ready": gettext_lazy("A dashboard's numbers were computed again."),
}
# Sent by the "Send a test event" button, whatever the endpoint subscribes to.
PING = "ping"

MAX_URL_LENGTH = 500
MAX_ENDPOINTS = 20
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
PREVIOUS_SECRET_GRACE = dt.timedelta(hours=24)
USER_AGENT = "Territoria-Webhooks/1.0"
RESPONSE_READ_LIMIT = 64 * 1024


# --- Endpoints ---------------------------------------------------------------------------------


def _require_manager(actor: User, workspace: Workspace) -> None:
    membership = Membership.objects.filter(user=actor, workspace=workspace).first()
    if membership is None or not can(membership.role, "webhook.manage"):
        raise PermissionDenied(_("Only admins manage webhooks."))


def _is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def validate_url(url: str) -> str:
    """The address, stripped, or a ValidationError saying what is wrong with it."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("Enter the address that will receive the events.")})
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            {
                "url": ngettext(
                    "The address is too long (%(max)d character at most).",
                    "The address is too long (%(max)d characters at most).",
                    MAX_URL_LENGTH,
                )
                % {"max": MAX_URL_LENGTH}
            }
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValidationError({"url": _("This is not a valid web address.")}) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            {"url": _("Only http:// and https:// addresses can receive webhooks.")}
        )
    host = parts.hostname or ""
    if not host or any(c.isspace() for c in url):
        raise ValidationError({"url": _("This is not a valid web address.")})
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            {"url": _("Remove the user name and password from the address: use the secret.")}
        )
    if parts.fragment:
        raise ValidationError({"url": _("Remove the #fragment from the address.")})
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            private = host.lower() == "localhost" or host.lower().endswith(".localhost")
        else:
            private = _is_private(literal)
        if private:
            raise ValidationError(
                {"url": _("Local and private network addresses cannot receive webhooks.")}
            )
    return url


def validate_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event.")})
    return [e for e in EVENTS if e in chosen]  # the catalogue's order


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _clean(url: str, events: Iterable[str]) -> tuple[str, list[str]]:
    """The address and the events, checked together: every field's message at once."""
    errors: dict[str, list[str]] = {}
    clean_url, clean_events = "", []
    try:
        clean_url = validate_url(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        clean_events = validate_events(events)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean_url, clean_events


@transaction.atomic
def endpoint_create(
    *,
    actor: User,
    workspace: Workspace,
    url: str,
    events: Iterable[str],
    description: str = "",
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> WebhookEndpoint:
    """A new endpoint, with a new secret."""
    _require_manager(actor, workspace)
    url, chosen = _clean(url, events)
    if WebhookEndpoint.objects.filter(workspace=workspace).count() >= MAX_ENDPOINTS:
        raise ValidationError(
            ngettext(
                "This workspace already has %(count)d endpoint: delete it if you no longer use it.",
                "This workspace already has %(count)d endpoints: delete one you no longer use.",
                MAX_ENDPOINTS,
            )
            % {"count": MAX_ENDPOINTS}
        )
    endpoint = WebhookEndpoint(
        workspace=workspace,
        url=url,
        events=chosen,
        description=description.strip(),
        is_active=is_active,
        secret=new_secret(),
        created_by=actor,
    )
    endpoint.full_clean()
    endpoint.save()
    audit.record(
        event=audit.Event.WEBHOOK_CREATED,
        workspace=workspace,
        actor=actor,
        request=request,
        target=endpoint,
        events=chosen,
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    actor: User,
    workspace: Workspace,
    endpoint: WebhookEndpoint,
    url: str,
    events: Iterable[str],
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    """Change the address, the events, the description or the state; the secret stays."""
    _require_manager(actor, workspace)
    url, chosen = _clean(url, events)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.url, endpoint.events = url, chosen
    endpoint.description = description.strip()
    endpoint.is_active = is_active
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_delete(
    *,
    actor: User,
    workspace: Workspace,
    endpoint: WebhookEndpoint,
    request: HttpRequest | None = None,
) -> None:
    """Delete the endpoint and its deliveries' log; deliveries in flight are dropped."""
    _require_manager(actor, workspace)
    audit.record(
        event=audit.Event.WEBHOOK_DELETED,
        workspace=workspace,
        actor=actor,
        request=request,
        target=endpoint,
    )
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(
    *,
    actor: User,
    workspace: Workspace,
    endpoint: WebhookEndpoint,
    request: HttpRequest | None = None,
) -> WebhookEndpoint:
    """A new secret; the old one still signs deliveries for a day (a second ``v1=``)."""
    _require_manager(actor, workspace)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + PREVIOUS_SECRET_GRACE
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    audit.record(
        event=audit.Event.WEBHOOK_SECRET_CHANGED,
        workspace=workspace,
        actor=actor,
        request=request,
        target=endpoint,
    )
    return endpoint


@transaction.atomic
def endpoint_send_test(
    *, actor: User, workspace: Workspace, endpoint: WebhookEndpoint
) -> WebhookDelivery:
    """A ``ping`` event to this endpoint alone, to check the receiver and its signature check."""
    _require_manager(actor, workspace)
    event_id = uuid.uuid4()
    payload = _envelope(
        PING,
        event_id,
        workspace,
        {"object": {"id": str(endpoint.uuid), "url": endpoint.url, "events": endpoint.events}},
    )
    delivery = WebhookDelivery.objects.create(
        workspace=workspace,
        endpoint=endpoint,
        event=PING,
        event_id=event_id,
        payload=payload,
        next_attempt_at=timezone.now(),
    )
    _send_after_commit([delivery])
    return delivery


@transaction.atomic
def delivery_replay(
    *, actor: User, workspace: Workspace, delivery: WebhookDelivery
) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery (a new delivery id, the same event id
    and payload), whatever became of the first one."""
    _require_manager(actor, workspace)
    replay = WebhookDelivery.objects.create(
        workspace=workspace,
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        payload=delivery.payload,
        replay_of=delivery,
        next_attempt_at=timezone.now(),
    )
    _send_after_commit([replay])
    return replay


# --- Reads (the settings pages) ---------------------------------------------------------------


def endpoint_list(*, workspace: Workspace) -> QuerySet[WebhookEndpoint]:
    """The workspace's endpoints, each with its latest delivery's status and time (one query)."""
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-id")
    return WebhookEndpoint.objects.filter(workspace=workspace).annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_delivery_at=Subquery(latest.values("created_at")[:1]),
    )


def endpoint_get(*, workspace: Workspace, uuid: uuid.UUID | str) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(workspace=workspace, uuid=uuid).first()


def delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's log, newest first (the ``(endpoint, -created_at)`` index)."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")


def delivery_get(*, endpoint: WebhookEndpoint, uuid: uuid.UUID | str) -> WebhookDelivery | None:
    return delivery_list(endpoint=endpoint).select_related("endpoint").filter(uuid=uuid).first()


# --- Emitting events --------------------------------------------------------------------------


def _envelope(event: str, event_id: uuid.UUID, workspace: Workspace, data: dict[str, Any]) -> Any:
    body = {
        "id": str(event_id),
        "type": event,
        "created_at": timezone.now(),
        "workspace": workspace.slug,
        "data": data,
    }
    # Stored as JSON: dates, decimals and ids as the API writes them.
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


class _SiteRequest:
    """What the API serializers need from a request to write absolute links: the site's address
    (``SITE_URL``), or paths when it is not set."""

    def build_absolute_uri(self, path: str) -> str:
        return f"{settings.SITE_URL}{path}"


@cache
def _serializer_class(model: type[models.Model]) -> Any:
    """The API serializer of ``model``, by convention ``<app>.api.serializers.<Model>Serializer``."""
    path = f"{model._meta.app_label}.api.serializers.{model.__name__}Serializer"
    try:
        return import_string(path)
    except ImportError:
        return None


def represent(
    obj: models.Model, workspace: Workspace, *, omit: Iterable[str] = ()
) -> dict[str, Any]:
    """``obj`` as the API shows it (its serializer), without the fields in ``omit``; only its id
    when the model has no API serializer."""
    serializer_class = _serializer_class(type(obj))
    if serializer_class is None:
        return {"id": str(obj.uuid)}  # type: ignore[attr-defined]
    context = {"request": _SiteRequest(), "workspace_slug": workspace.slug, "membership": None}
    data = dict(serializer_class(obj, context=context).data)
    for name in omit:
        data.pop(name, None)
    return data


def emit(
    *,
    workspace: Workspace | int,
    event: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    omit: Iterable[str] = (),
) -> int:
    """Queue ``event`` for every active endpoint of ``workspace`` (or its id) that subscribes.

    ``data["object"]`` of the payload is ``data`` if given, else ``obj`` as the API represents
    it. Call this inside the transaction of the change: the deliveries are written with it and
    sent after commit. Returns the number of deliveries queued.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}: add it to core.webhooks.EVENTS")
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    # The one query every change pays, served by the (workspace, is_active) index. Unscoped
    # because the workspace is named explicitly (the caller's scope is that workspace anyway).
    endpoints = [
        endpoint_id
        for endpoint_id, events in WebhookEndpoint.unscoped_objects.filter(
            workspace_id=workspace_id, is_active=True
        ).values_list("pk", "events")
        if event in events
    ]
    if not endpoints:
        return 0
    if isinstance(workspace, int):
        current = active_workspace()
        if current is not None and current.pk == workspace_id:
            workspace = current
        else:
            workspace = Workspace.objects.get(pk=workspace_id)
    if data is None:
        assert obj is not None, "emit() needs obj or data"
        try:
            # In a savepoint: a failing representation must not undo the change it reports.
            with transaction.atomic():
                data = represent(obj, workspace, omit=omit)
        except Exception:
            logger.exception("webhook %s: cannot represent %r; sending its id only", event, obj)
            data = {"id": str(obj.uuid)}  # type: ignore[attr-defined]
    event_id = uuid.uuid4()
    payload = _envelope(event, event_id, workspace, {"object": data})
    now = timezone.now()
    deliveries = WebhookDelivery.unscoped_objects.bulk_create(
        [
            WebhookDelivery(
                workspace=workspace,
                endpoint_id=endpoint_id,
                event=event,
                event_id=event_id,
                payload=payload,
                next_attempt_at=now,
            )
            for endpoint_id in endpoints
        ]
    )
    _send_after_commit(deliveries)
    return len(deliveries)


def _send_after_commit(deliveries: list[WebhookDelivery]) -> None:
    targets = [(d.workspace_id, d.pk) for d in deliveries]

    def send() -> None:
        for workspace_id, delivery_id in targets:
            enqueue(workspace_id, delivery_id)

    transaction.on_commit(send)


def enqueue(workspace_id: int, delivery_id: int, *, countdown: float | None = None) -> None:
    from core.tasks import deliver_webhook

    options: dict[str, Any] = {"queue": settings.WEBHOOK_QUEUE}
    if countdown:
        options["countdown"] = countdown
    deliver_webhook.apply_async(
        kwargs={"workspace_id": workspace_id, "delivery_id": delivery_id}, **options
    )


# --- Signing -----------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` with ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(endpoint: WebhookEndpoint, timestamp: int, body: bytes) -> str:
    parts = [f"t={timestamp}", f"v1={sign(endpoint.secret, timestamp, body)}"]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > timezone.now():
        parts.append(f"v1={sign(endpoint.previous_secret, timestamp, body)}")
    return ",".join(parts)


# --- Delivering --------------------------------------------------------------------------------


class DeliveryError(Exception):
    """The request could not be made, or got no answer."""


def _resolve(host: str, port: int) -> str:
    """The address to connect to; refuses private ones unless they are allowed. Checking the
    address actually used (not the name) keeps a name that resolves differently later out."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryError(f"Cannot resolve {host}: {exc}") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise DeliveryError(f"Cannot resolve {host}")
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if _is_private(ipaddress.ip_address(address.split("%")[0])):
                raise DeliveryError(f"{host} resolves to a private address ({address}): refused")
    return addresses[0]


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    """POST ``body``; the answer's status and reason. Redirects are answers, not followed."""
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    address = _resolve(host, port)
    connection: http.client.HTTPConnection
    if https:
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect(_address: Any, timeout: Any = None, source_address: Any = None) -> socket.socket:
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = connect  # type: ignore[attr-defined]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ_LIMIT)  # the body is not kept: only the status
        return response.status, response.reason or ""
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, TimeoutError | socket.timeout):
            raise DeliveryError(f"No answer within {timeout:g} s") from None
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
    finally:
        connection.close()


# The longest retry delay sent as a countdown task: far below the broker's visibility timeout
# (CELERY_VISIBILITY_TIMEOUT, 360 s by default). Later retries are sent by the sweep when due.
COUNTDOWN_MAX_SECONDS = 60


def retry_delays() -> list[int]:
    return [int(d) for d in settings.WEBHOOK_RETRY_DELAYS]


def max_attempts() -> int:
    return len(retry_delays()) + 1


def deliver(*, workspace: Workspace, delivery_id: int) -> str:
    """Make one attempt at a delivery that is due and that nobody else holds.

    Returns what happened: "succeeded", "retrying", "failed", or "skipped" (done already, not
    due yet, or another worker holds it). Runs in a worker, outside any transaction: the claim
    is committed before the request goes out, the outcome after it came back.
    """
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
            next_attempt_at__lte=now + dt.timedelta(seconds=1),
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=lease)
    )
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return _record(delivery, lease, Attempt(error="The endpoint is disabled."), final=True)
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Territoria-Event": delivery.event,
        "X-Territoria-Delivery": str(delivery.uuid),
        "X-Territoria-Signature": signature_header(endpoint, timestamp, body),
    }
    attempt = Attempt()
    started = time.monotonic()
    try:
        attempt.status_code, reason = _post(
            endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except DeliveryError as exc:
        attempt.error = str(exc)
    else:
        if 300 <= attempt.status_code < 400:
            attempt.error = f"HTTP {attempt.status_code} {reason}: redirects are not followed."
        elif not attempt.succeeded:
            attempt.error = f"HTTP {attempt.status_code} {reason}".strip()
    attempt.response_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery, lease, attempt)


@dataclass
class Attempt:
    status_code: int | None = None
    response_ms: int | None = None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _record(
    delivery: WebhookDelivery, lease: dt.datetime, attempt: Attempt, *, final: bool = False
) -> str:
    """Write the attempt and what comes next; send the retry when there is one."""
    now = timezone.now()
    attempts = delivery.attempts + 1
    error = attempt.error[:500]
    entry = {
        "at": now.isoformat(),
        "status_code": attempt.status_code,
        "response_ms": attempt.response_ms,
        "error": error,
    }
    changes: dict[str, Any] = {
        "attempts": attempts,
        "last_status_code": attempt.status_code,
        "last_response_ms": attempt.response_ms,
        "last_error": error,
        "claimed_until": None,
        "history": [*delivery.history, entry][-20:],
        "next_attempt_at": None,
    }
    delays = retry_delays()
    delay = 0
    if attempt.succeeded:
        changes.update(status=DeliveryStatus.SUCCEEDED, delivered_at=now)
    elif final or attempts >= max_attempts():
        changes.update(status=DeliveryStatus.FAILED)
    else:
        delay = delays[min(attempts - 1, len(delays) - 1)]
        changes.update(
            status=DeliveryStatus.RETRYING, next_attempt_at=now + dt.timedelta(seconds=delay)
        )
    # Only while we still hold it: a claim that ran out may have passed to another worker.
    written = WebhookDelivery.objects.filter(pk=delivery.pk, claimed_until=lease).update(**changes)
    if not written:
        logger.warning(
            "webhook delivery %s: claim lost before its outcome was written", delivery.uuid
        )
        return "skipped"
    if (
        changes["status"] == DeliveryStatus.RETRYING
        and not settings.CELERY_TASK_ALWAYS_EAGER
        and delay <= COUNTDOWN_MAX_SECONDS
    ):
        # A near retry is a countdown task. A later one waits for the sweep, which sends it when
        # it is due: a worker holds a countdown task unacknowledged until it runs, and one held
        # past the broker's visibility timeout is handed out again (and again). In the embedded
        # default (tasks in-process) a countdown would run at once: the sweep sends it too.
        enqueue(delivery.workspace_id, delivery.pk, countdown=delay)
    return str(changes["status"])


# --- Periodic upkeep ---------------------------------------------------------------------------


def sweep(*, limit: int = 500) -> int:
    """Send the deliveries that are due and that no worker holds, across every workspace: a
    pending one due for longer than the grace period (its task was lost), and a retry as soon
    as it is due (one beyond ``COUNTDOWN_MAX_SECONDS`` has no task: the sweep is its task; a
    nearer one's countdown task may come too, and whichever comes second does nothing)."""
    now = timezone.now()
    due = now - dt.timedelta(seconds=settings.WEBHOOK_SWEEP_GRACE_SECONDS)
    # Unscoped on purpose: the beat task looks after every workspace's deliveries.
    rows = list(
        WebhookDelivery.unscoped_objects.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=due)
            | Q(status=DeliveryStatus.RETRYING, next_attempt_at__lte=now)
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("workspace_id", "pk")[:limit]
    )
    for workspace_id, delivery_id in rows:
        enqueue(workspace_id, delivery_id)
    return len(rows)


def prune() -> int:
    """Forget finished deliveries older than ``WEBHOOK_RETENTION_DAYS``."""
    before = timezone.now() - dt.timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    # Unscoped on purpose: the beat task looks after every workspace's deliveries.
    deleted, _rows = WebhookDelivery.unscoped_objects.filter(
        status__in=[DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED], created_at__lt=before
    ).delete()
    return deleted
