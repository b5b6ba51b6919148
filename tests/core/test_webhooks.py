"""Webhooks, end to end: a real HTTP receiver on 127.0.0.1, real Celery workers, real Redis.

* A change made through the API reaches the receiver after commit, signed with the endpoint's
  secret (the test checks the HMAC itself, as a receiver would).
* A receiver that answers 500 twice then 200 gets the delivery on the third attempt, and the
  log shows the three attempts.
* A worker killed in the middle of a delivery loses nothing: the delivery stays pending in the
  database, and the beat sweep, run by a new worker, delivers it.
* A change rolled back sends nothing; addresses other than http(s) are refused; a delivery is
  replayed from the page; only admins see the pages, other workspaces get 404.

The retry and restart tests start workers of their own on a private queue, with short retry
delays (their settings come from the environment); the others use the session worker.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu import Exchange, Queue

from core import webhooks
from core.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, Workspace
from core.roles import Role
from core.tasks import webhooks_sweep
from core.tenancy import workspace_scope
from core.tokens import token_create
from evaluation import services as evaluation_services
from mix import services as mix_services
from tests.conftest import Personas
from tests.factories import ActionFactory, IndicatorFactory
from tracer import services as tracer_services
from tracer.models import TracerStage

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
T = TypeVar("T")

live = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_for(what: str, check: Callable[[], T | None], timeout: float, logs: str = "") -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: nothing within {timeout} s\n{logs}")
        time.sleep(0.1)


# --- The receiver ------------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that records what it gets. It answers the codes of
    ``answers`` in turn, then 200; while ``hold`` is clear it keeps requests waiting."""

    answers: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    hold: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self.hold.set()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/territoria?src=test"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append(
                    Received(self.path, dict(self.headers.items()), body, time.monotonic())
                )
                receiver.arrived.set()
                receiver.hold.wait(timeout=60)
                status = receiver.answers.pop(0) if receiver.answers else 200
                with contextlib.suppress(OSError):  # the client may be gone (killed worker)
                    self.send_response(status)
                    if 300 <= status < 400:
                        self.send_header("Location", f"{receiver.url}&redirected=1")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.hold.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on 127.0.0.1
    server = Receiver()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def verify(request: Received, secret: str, *, tolerance: int = 300) -> dict[str, Any]:
    """What a receiver does: check the signature header against the raw body, then parse it."""
    header = request.headers["X-Territoria-Signature"]
    items = [part.split("=", 1) for part in header.split(",")]
    timestamp = int(next(value for key, value in items if key == "t"))
    signatures = [value for key, value in items if key == "v1"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256
    ).hexdigest()
    assert any(hmac.compare_digest(expected, s) for s in signatures), "bad signature"
    assert abs(time.time() - timestamp) < tolerance
    return dict(json.loads(request.body))


# --- Workers of one test -----------------------------------------------------------------------


def database_url() -> str:
    db = django_settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once: no goodbye, no acknowledgement."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Workers:
    """Workers on a private queue, with the webhook settings of the test in their environment."""

    queue: str = field(default_factory=lambda: f"webhooks.test-{uuid.uuid4().hex[:8]}")
    started: list[Worker] = field(default_factory=list)

    def start(self, label: str, **env: str) -> Worker:
        name = f"{label}-{uuid.uuid4().hex[:6]}@territoria-test"
        ARTIFACTS.mkdir(exist_ok=True)
        log_path = ARTIFACTS / f"celery-{name.replace('@', '-')}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
            "WEBHOOK_QUEUE": self.queue,
            "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",
            **env,
        }
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "config", "worker",
                    "--loglevel=INFO", "--concurrency=1", "--pool=prefork",
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                    f"--hostname={name}", f"--queues={self.queue}",
                ],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches the pool too
            )  # fmt: skip
        worker = Worker(name, process, log_path)
        self.started.append(worker)
        deadline = time.monotonic() + 30
        while not current_app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker {name} did not start\n{worker.log()}")
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(worker.process.pid, signal.SIGKILL)
                worker.process.wait(timeout=10)
        queue = Queue(self.queue, Exchange(self.queue), routing_key=self.queue)
        with current_app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()
            bound.purge()
            bound.delete()

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.log()[-4000:]}" for w in self.started)


@pytest.fixture
def workers(transactional_db: Any, settings: Any) -> Iterator[Workers]:
    """Set up after the database, so torn down (workers killed) before its flush. Deliveries
    queued by this test go to the private queue."""
    assert not current_app.conf.task_always_eager, "these tests need a real worker"
    started = Workers()
    settings.WEBHOOK_QUEUE = started.queue
    try:
        yield started
    finally:
        started.stop_all()


# --- Helpers -----------------------------------------------------------------------------------


def register(
    personas: Personas, url: str, events: list[str], *, workspace: Workspace | None = None
) -> WebhookEndpoint:
    """An endpoint, registered by an admin of ``workspace`` (alpha by default)."""
    workspace = workspace or personas.workspace
    admin = personas.user(Role.ADMIN if workspace == personas.workspace else "outsider")
    with workspace_scope(workspace):
        return webhooks.endpoint_create(actor=admin, workspace=workspace, url=url, events=events)


def deliveries(endpoint: WebhookEndpoint, **filters: Any) -> Any:
    # Unscoped: the test reads what the worker wrote, outside any request.
    return WebhookDelivery.unscoped_objects.filter(endpoint=endpoint, **filters).order_by("id")


def new_objective(personas: Personas, project: Any, title: str) -> Any:
    with workspace_scope(personas.workspace):
        return tracer_services.objective_create(
            actor=personas.user(Role.EDITOR),
            workspace=personas.workspace,
            project=project,
            stage=TracerStage.objects.get(code="tracer.reputation"),
            title=title,
        )


# --- Through the session worker ----------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_api_change_reaches_the_receiver_signed(
    personas: Personas,
    sample: dict[str, Any],
    receiver: Receiver,
    client: Any,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    endpoint = register(personas, receiver.url, ["action.created", "action.updated"])
    with workspace_scope(personas.workspace):
        _, token = token_create(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace, name="ci", scope="write"
        )
    auth = {"authorization": f"Bearer {token}"}
    base = f"/api/v1/w/{personas.workspace.slug}/actions/"

    created = client.post(
        base,
        {
            "objective": str(sample["objective"].uuid),
            "family": "mix.promotion",
            "title": "Spring campaign",
        },
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201, created.content
    action = created.json()

    first = wait_for("the action.created delivery", lambda: receiver.requests, timeout=30)[0]
    body = verify(first, endpoint.secret)
    assert first.path == "/hooks/territoria?src=test"
    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["User-Agent"].startswith("Territoria-Webhooks/")
    assert first.headers["X-Territoria-Event"] == "action.created"
    delivery = deliveries(endpoint).get()
    assert first.headers["X-Territoria-Delivery"] == str(delivery.uuid)
    assert body["type"] == "action.created" and body["workspace"] == personas.workspace.slug
    assert body["id"] == str(delivery.event_id)
    assert body["data"]["object"]["id"] == action["id"]
    assert body["data"]["object"]["title"] == "Spring campaign"
    assert body["data"]["object"]["objective"] == str(sample["objective"].uuid)
    assert body["data"]["object"]["version"] == action["version"]

    # A PATCH: the updated object, as the API now shows it.
    patched = client.patch(
        f"{base}{action['id']}/",
        {"status": "in_progress"},
        content_type="application/json",
        headers={**auth, "if-match": created["ETag"]},
    )
    assert patched.status_code == 200, patched.content
    second = wait_for("the action.updated delivery", lambda: receiver.requests[1:], timeout=30)[0]
    update = verify(second, endpoint.secret)
    assert second.headers["X-Territoria-Event"] == "action.updated"
    assert update["data"]["object"]["status"] == "in_progress"
    assert update["data"]["object"]["version"] == patched.json()["version"]

    done = wait_for(
        "both deliveries logged as succeeded",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).count() == 2,
        timeout=15,
    )
    assert done
    for logged in deliveries(endpoint):
        assert (logged.attempts, logged.last_status_code, logged.last_error) == (1, 200, "")
        assert logged.last_response_ms is not None and logged.delivered_at is not None
        assert logged.history[0]["status_code"] == 200
    assert len(receiver.requests) == 2  # and nothing else


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing(
    personas: Personas,
    sample: dict[str, Any],
    receiver: Receiver,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    endpoint = register(personas, receiver.url, ["objective.created"])

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        new_objective(personas, sample["project"], "Never saved")
        raise Abandoned
    # The marker: the same change, committed. Its delivery goes the same way.
    marker = new_objective(personas, sample["project"], "Saved")

    wait_for("the marker's delivery", lambda: receiver.requests, timeout=30)
    wait_for(
        "the marker's delivery logged",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).exists(),
        timeout=15,
    )
    time.sleep(1)  # anything else queued would have arrived with it
    assert [verify(r, endpoint.secret)["data"]["object"]["id"] for r in receiver.requests] == [
        str(marker.uuid)
    ]
    assert deliveries(endpoint).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_replay_and_test_event_from_the_page_are_sent(
    personas: Personas,
    sample: dict[str, Any],
    receiver: Receiver,
    client_for: Any,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    endpoint = register(personas, receiver.url, ["measurement.created"])
    with workspace_scope(personas.workspace):
        measurement = evaluation_services.measurement_record(
            actor=personas.user(Role.EDITOR),
            workspace=personas.workspace,
            indicator=sample["indicator"],
            period=dt.date(2026, 5, 12),
            value=Decimal("42.5"),
        )
    original = wait_for("the measurement.created delivery", lambda: receiver.requests, timeout=30)
    first = verify(original[0], endpoint.secret)
    assert first["type"] == "measurement.created"
    assert first["data"]["object"]["id"] == str(measurement.uuid)
    assert first["data"]["object"]["value"] == "42.5000"
    wait_for(
        "the delivery logged",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).first(),
        timeout=15,
    )
    delivery = deliveries(endpoint).get()

    client = client_for(personas.user(Role.ADMIN))
    replay_url = reverse(
        "webhook_replay", args=[personas.workspace.slug, endpoint.uuid, delivery.uuid]
    )
    response = client.post(replay_url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "webhook_detail", args=[personas.workspace.slug, endpoint.uuid]
    )

    again = wait_for("the replay", lambda: receiver.requests[1:], timeout=30)[0]
    replayed = verify(again, endpoint.secret)
    assert replayed["id"] == first["id"]  # the same event...
    assert replayed["data"] == first["data"]
    assert again.headers["X-Territoria-Delivery"] != original[0].headers["X-Territoria-Delivery"]
    replay = deliveries(endpoint, replay_of=delivery).get()  # ...in a new delivery
    assert again.headers["X-Territoria-Delivery"] == str(replay.uuid)

    # The test button: a ping to this endpoint, whatever it subscribes to.
    response = client.post(reverse("webhook_test", args=[personas.workspace.slug, endpoint.uuid]))
    assert response.status_code == 302
    ping = wait_for("the ping", lambda: receiver.requests[2:], timeout=30)[0]
    assert verify(ping, endpoint.secret)["type"] == "ping"
    assert ping.headers["X-Territoria-Event"] == "ping"

    wait_for(
        "three deliveries succeeded",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).count() == 3,
        timeout=15,
    )
    page = client.get(reverse("webhook_detail", args=[personas.workspace.slug, endpoint.uuid]))
    text = page.content.decode()
    assert text.count('id="delivery-') == 3
    assert "replay" in text and "measurement.created" in text and "ping" in text


# --- Workers of their own ----------------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_receiver_failing_twice_gets_the_delivery_on_the_third_attempt(
    personas: Personas,
    sample: dict[str, Any],
    receiver: Receiver,
    workers: Workers,
    client_for: Any,
) -> None:
    workers.start("retrying", WEBHOOK_RETRY_DELAYS="1,2,60,60,60")
    endpoint = register(personas, receiver.url, ["objective.created"])
    receiver.answers = [500, 503]

    objective = new_objective(personas, sample["project"], "Third time lucky")

    wait_for("three attempts", lambda: len(receiver.requests) >= 3, timeout=30, logs=workers.logs())
    delivery = wait_for(
        "the delivery logged as succeeded",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).first(),
        timeout=15,
        logs=workers.logs(),
    )
    assert delivery.attempts == 3
    assert [a["status_code"] for a in delivery.history] == [500, 503, 200]
    assert delivery.history[0]["error"].startswith("HTTP 500")
    assert (delivery.last_status_code, delivery.last_error) == (200, "")
    assert delivery.next_attempt_at is None and delivery.delivered_at is not None
    # The same delivery three times, each signed anew, after the backoff delays (1 s, 2 s).
    assert len(receiver.requests) == 3
    ids = {r.headers["X-Territoria-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.uuid)}
    for request in receiver.requests:
        assert verify(request, endpoint.secret)["data"]["object"]["id"] == str(objective.uuid)
    gaps = [b.at - a.at for a, b in zip(receiver.requests, receiver.requests[1:], strict=False)]
    assert gaps[0] >= 0.9 and gaps[1] >= 1.9, gaps

    # The log page shows the three attempts.
    page = client_for(personas.user(Role.ADMIN)).get(
        reverse("webhook_detail", args=[personas.workspace.slug, endpoint.uuid])
    )
    text = page.content.decode()
    assert "3/6" in text and "HTTP 500" in text and "HTTP 503" in text


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_delivery_survives_a_worker_killed_mid_request(
    personas: Personas, sample: dict[str, Any], receiver: Receiver, workers: Workers
) -> None:
    claim = 2  # seconds a worker holds a delivery it sends
    first = workers.start("killed", WEBHOOK_CLAIM_SECONDS=str(claim), WEBHOOK_TIMEOUT_SECONDS="30")
    endpoint = register(personas, receiver.url, ["action.deleted"])
    receiver.hold.clear()  # the receiver keeps the first request waiting

    with workspace_scope(personas.workspace):
        action = sample["action"]
        action_id = str(action.uuid)
        mix_services.action_delete(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace, action=action
        )

    assert receiver.arrived.wait(timeout=30), workers.logs()
    first.kill()  # in the middle of the request
    receiver.hold.set()  # from now on it answers at once

    stuck = deliveries(endpoint).get()
    assert (stuck.status, stuck.attempts) == (DeliveryStatus.PENDING, 0)
    assert stuck.claimed_until is not None  # held by the dead worker, for a while

    # A new worker; its message was never acknowledged but Redis only gives it back after the
    # visibility timeout (6 minutes): the beat sweep is what finds the delivery again.
    workers.start("new", WEBHOOK_SWEEP_GRACE_SECONDS="0")
    time.sleep(max(0.0, (stuck.claimed_until - timezone.now()).total_seconds()) + 0.2)
    swept = webhooks_sweep.apply_async(queue=workers.queue).get(timeout=20)
    assert swept == 1

    delivered = wait_for(
        "the delivery, sent again",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).first(),
        timeout=30,
        logs=workers.logs(),
    )
    assert delivered.attempts == 1 and delivered.last_status_code == 200
    assert len(receiver.requests) == 2  # the one cut short, and this one
    assert {r.headers["X-Territoria-Delivery"] for r in receiver.requests} == {str(delivered.uuid)}
    body = verify(receiver.requests[1], endpoint.secret)
    assert body["type"] == "action.deleted" and body["data"] == {"object": {"id": action_id}}
    # Nothing left to sweep.
    assert webhooks_sweep.apply_async(queue=workers.queue).get(timeout=20) == 0


def unacked_on(queue: str) -> int:
    """Messages of ``queue`` a worker holds unacknowledged (reserved, or waiting for their
    countdown): Redis hands them out again after the visibility timeout."""
    with current_app.connection_for_write() as conn:
        client = conn.default_channel.client
        held = [json.loads(raw) for raw in client.hgetall("unacked").values()]
        return sum(queue in (exchange, routing_key) for _message, exchange, routing_key in held)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_retry_beyond_a_minute_is_no_countdown_task_and_the_sweep_sends_it_when_due(
    personas: Personas, sample: dict[str, Any], receiver: Receiver, workers: Workers
) -> None:
    worker = workers.start("far-retry", WEBHOOK_RETRY_DELAYS="1800")
    endpoint = register(personas, receiver.url, ["objective.created"])
    receiver.answers = [503]

    new_objective(personas, sample["project"], "Later, then")

    retrying = wait_for(
        "the first attempt, failed",
        lambda: deliveries(endpoint, status=DeliveryStatus.RETRYING).first(),
        timeout=30,
        logs=workers.logs(),
    )
    assert retrying.attempts == 1 and retrying.last_status_code == 503
    due_in = (retrying.next_attempt_at - timezone.now()).total_seconds()
    assert 1700 < due_in <= 1800
    # No task waits half an hour in a worker's hands (nor in the queue): the retry is a row.
    time.sleep(1)
    assert unacked_on(workers.queue) == 0
    with current_app.connection_for_write() as conn:
        assert conn.default_channel.client.llen(workers.queue) == 0
    assert webhooks_sweep.apply_async(queue=workers.queue).get(timeout=20) == 0  # not due yet
    assert len(receiver.requests) == 1

    # Half an hour later (the row says so), the beat sweep sends it: delivered, once.
    WebhookDelivery.unscoped_objects.filter(pk=retrying.pk).update(next_attempt_at=timezone.now())
    assert webhooks_sweep.apply_async(queue=workers.queue).get(timeout=20) == 1
    delivered = wait_for(
        "the retry, delivered",
        lambda: deliveries(endpoint, status=DeliveryStatus.SUCCEEDED).first(),
        timeout=30,
        logs=workers.logs(),
    )
    assert delivered.attempts == 2
    assert [a["status_code"] for a in delivered.history] == [503, 200]
    assert len(receiver.requests) == 2
    assert {r.headers["X-Territoria-Delivery"] for r in receiver.requests} == {str(delivered.uuid)}
    assert webhooks_sweep.apply_async(queue=workers.queue).get(timeout=20) == 0
    assert worker.process.poll() is None


# --- In-process: the delivery function against the receiver ------------------------------------


def _delivery(personas: Personas, endpoint: WebhookEndpoint, event: str = "ping") -> Any:
    return WebhookDelivery.unscoped_objects.create(
        workspace=personas.workspace,
        endpoint=endpoint,
        event=event,
        event_id=uuid.uuid4(),
        payload={"id": "x", "type": event, "data": {"object": {"id": "y"}}},
        next_attempt_at=timezone.now(),
    )


def _deliver(personas: Personas, delivery: WebhookDelivery) -> str:
    with workspace_scope(personas.workspace):
        return webhooks.deliver(workspace=personas.workspace, delivery_id=delivery.pk)


def test_redirects_are_not_followed(personas: Personas, receiver: Receiver, settings: Any) -> None:
    settings.WEBHOOK_RETRY_DELAYS = []  # one attempt: nothing is queued for later
    endpoint = register(personas, receiver.url, ["action.created"])
    receiver.answers = [302]
    delivery = _delivery(personas, endpoint)

    assert _deliver(personas, delivery) == "failed"

    delivery.refresh_from_db()
    assert delivery.last_status_code == 302
    assert "redirects are not followed" in delivery.last_error
    assert len(receiver.requests) == 1  # the Location was not visited
    assert _deliver(personas, delivery) == "skipped"  # done: a second task does nothing


def test_private_addresses_are_refused_when_delivering_too(
    personas: Personas, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_RETRY_DELAYS = []
    endpoint = register(
        personas, receiver.url.replace("127.0.0.1", "localhost"), ["action.created"]
    )
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # e.g. the name now resolves elsewhere
    delivery = _delivery(personas, endpoint)

    assert _deliver(personas, delivery) == "failed"

    delivery.refresh_from_db()
    assert "private address" in delivery.last_error and delivery.last_status_code is None
    assert receiver.requests == []


def test_a_failed_attempt_is_scheduled_with_backoff_and_not_sent_twice_at_once(
    personas: Personas, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_RETRY_DELAYS = [10, 60]
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the retry waits for the sweep: nothing is queued
    endpoint = register(personas, receiver.url, ["action.created"])
    receiver.answers = [500]
    delivery = _delivery(personas, endpoint)

    before = timezone.now()
    assert _deliver(personas, delivery) == "retrying"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert delivery.claimed_until is None
    assert dt.timedelta(seconds=9) < delivery.next_attempt_at - before < dt.timedelta(seconds=12)
    # Not due yet: a stray task does nothing.
    assert _deliver(personas, delivery) == "skipped"
    # Due, but held by another worker: nothing either.
    WebhookDelivery.unscoped_objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now(), claimed_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert _deliver(personas, delivery) == "skipped"
    assert len(receiver.requests) == 1
    # Due and free: the last attempt, a success.
    WebhookDelivery.unscoped_objects.filter(pk=delivery.pk).update(claimed_until=None)
    assert _deliver(personas, delivery) == "succeeded"
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and [a["status_code"] for a in delivery.history] == [500, 200]


def test_a_rotated_secret_signs_alongside_the_old_one_for_a_day(
    personas: Personas, receiver: Receiver
) -> None:
    endpoint = register(personas, receiver.url, ["action.created"])
    old = endpoint.secret
    with workspace_scope(personas.workspace):
        endpoint = webhooks.endpoint_rotate_secret(
            actor=personas.user(Role.ADMIN), workspace=personas.workspace, endpoint=endpoint
        )
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    delivery = _delivery(personas, endpoint)

    assert _deliver(personas, delivery) == "succeeded"

    (request,) = receiver.requests
    verify(request, endpoint.secret)
    verify(request, old)  # a receiver not yet updated still accepts it
    with pytest.raises(AssertionError, match="bad signature"):
        verify(request, "whsec_someone-else")
    WebhookEndpoint.unscoped_objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    endpoint.refresh_from_db()
    assert webhooks.signature_header(endpoint, 1, b"{}").count("v1=") == 1


# --- Emitting ----------------------------------------------------------------------------------


def test_emitting_costs_one_query_when_nobody_listens(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    with workspace_scope(personas.workspace), django_assert_num_queries(1):
        assert webhooks.emit(workspace=personas.workspace, event="action.created", data={}) == 0


def test_only_active_endpoints_subscribed_to_the_event_get_it(
    personas: Personas, sample: dict[str, Any], settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    wanted = register(personas, "https://a.example/hook", ["objective.updated"])
    register(personas, "https://b.example/hook", ["objective.created"])
    disabled = register(personas, "https://c.example/hook", ["objective.updated"])
    WebhookEndpoint.unscoped_objects.filter(pk=disabled.pk).update(is_active=False)
    register(
        personas,
        "https://d.example/hook",
        ["objective.updated"],
        workspace=personas.other_workspace,
    )

    with workspace_scope(personas.workspace):
        objective = sample["objective"]
        tracer_services.objective_save_field(
            actor=personas.user(Role.EDITOR),
            workspace=personas.workspace,
            objective=objective,
            name="title",
            value="A better title",
            version=objective.version,
        )

    (delivery,) = WebhookDelivery.unscoped_objects.all()
    assert delivery.endpoint_id == wanted.pk and delivery.event == "objective.updated"
    assert (
        delivery.status == DeliveryStatus.PENDING and delivery.workspace_id == personas.workspace.pk
    )
    payload = delivery.payload
    assert payload["type"] == "objective.updated" and payload["workspace"] == "alpha"
    obj = payload["data"]["object"]
    assert obj["id"] == str(objective.uuid) and obj["title"] == "A better title"
    assert obj["url"].endswith(f"/api/v1/w/alpha/objectives/{objective.uuid}/")
    assert uuid.UUID(payload["id"]) == delivery.event_id


def test_deleting_an_objective_announces_its_actions_too(
    personas: Personas, sample: dict[str, Any]
) -> None:
    endpoint = register(personas, "https://a.example/hook", ["objective.deleted", "action.deleted"])
    objective = sample["objective"]
    other = ActionFactory(workspace=personas.workspace, objective=objective)
    with workspace_scope(personas.workspace):
        tracer_services.objective_delete(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace, objective=objective
        )
    sent = [(d.event, d.payload["data"]["object"]) for d in deliveries(endpoint)]
    assert sorted(sent, key=str) == sorted(
        [
            ("action.deleted", {"id": str(sample["action"].uuid)}),
            ("action.deleted", {"id": str(other.uuid)}),
            ("objective.deleted", {"id": str(objective.uuid)}),
        ],
        key=str,
    )


def test_a_measurement_entered_again_is_not_a_new_measurement(
    personas: Personas, sample: dict[str, Any]
) -> None:
    endpoint = register(personas, "https://a.example/hook", ["measurement.created"])
    indicator = IndicatorFactory(workspace=personas.workspace, project=sample["project"])
    with workspace_scope(personas.workspace):
        for value in ("12", "13"):
            evaluation_services.measurement_record(
                actor=personas.user(Role.EDITOR),
                workspace=personas.workspace,
                indicator=indicator,
                period=dt.date(2026, 2, 3),
                value=Decimal(value),
            )
    (delivery,) = deliveries(endpoint)
    assert delivery.payload["data"]["object"]["value"] == "12.0000"


def test_a_computed_snapshot_is_announced_without_its_numbers(
    personas: Personas, sample: dict[str, Any]
) -> None:
    endpoint = register(personas, "https://a.example/hook", ["snapshot.ready"])
    with workspace_scope(personas.workspace):
        version = evaluation_services.inputs_version(sample["project"], personas.workspace)
        snapshot = evaluation_services.snapshot_compute(
            workspace=personas.workspace, project=sample["project"], version=version, claim="t"
        )
        # Computed already: a second run announces nothing.
        evaluation_services.snapshot_compute(
            workspace=personas.workspace, project=sample["project"], version=version, claim="u"
        )
    assert snapshot is not None
    (delivery,) = deliveries(endpoint)
    obj = delivery.payload["data"]["object"]
    assert obj["id"] == str(snapshot.uuid) and obj["status"] == "done"
    assert obj["project"] == str(sample["project"].uuid)
    assert "data" not in obj


# --- Registration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example/in", "Only http:// and https:// addresses can receive webhooks."),
        ("javascript:alert(1)", "Only http:// and https:// addresses can receive webhooks."),
        ("file:///etc/passwd", "Only http:// and https:// addresses can receive webhooks."),
        ("gopher://old.example/", "Only http:// and https:// addresses can receive webhooks."),
        ("https://", "This is not a valid web address."),
        ("https://exa mple.org/", "This is not a valid web address."),
        ("https://example.org:99999/", "This is not a valid web address."),
        ("https://user:pw@example.org/", "Remove the user name and password"),
        ("https://example.org/" + "a" * 500, "The address is too long"),
        ("", "Enter the address that will receive the events."),
        ("http://127.0.0.1:8000/", "Local and private network addresses cannot receive webhooks."),
        ("http://localhost/hook", "Local and private network addresses cannot receive webhooks."),
        ("http://169.254.169.254/latest", "Local and private network addresses cannot"),
        ("http://10.1.2.3/", "Local and private network addresses cannot receive webhooks."),
        ("http://[::1]/", "Local and private network addresses cannot receive webhooks."),
    ],
)
def test_bad_addresses_are_refused_with_a_clear_message(
    url: str, message: str, personas: Personas, client_for: Any, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(
        reverse("webhook_create", args=[personas.workspace.slug]),
        {"url": url, "events": ["action.created"], "is_active": "on"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert 'id="webhook-form"' in text and "<html" not in text  # the form fragment
    assert message.replace("'", "&#x27;") in text
    assert not WebhookEndpoint.unscoped_objects.exists()


def test_events_are_checked_against_the_catalogue(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.user(Role.ADMIN))
    url = reverse("webhook_create", args=[personas.workspace.slug])
    none = client.post(url, {"url": "https://a.example/"}, headers={"HX-Request": "true"})
    assert none.status_code == 422 and "Choose at least one event." in none.content.decode()
    bogus = client.post(
        url,
        {"url": "https://a.example/", "events": ["action.exploded"]},
        headers={"HX-Request": "true"},
    )
    assert bogus.status_code == 422
    with (
        pytest.raises(ValidationError, match=r"Unknown events: action\.exploded"),
        workspace_scope(personas.workspace),
    ):
        webhooks.endpoint_create(
            actor=personas.user(Role.ADMIN),
            workspace=personas.workspace,
            url="https://a.example/",
            events=["action.exploded"],
        )


def test_an_admin_registers_edits_rotates_and_deletes_an_endpoint(
    personas: Personas, client_for: Any
) -> None:
    client = client_for(personas.user(Role.ADMIN))
    slug = personas.workspace.slug
    listing = client.get(reverse("webhook_list", args=[slug]))
    assert listing.status_code == 200 and "No endpoint yet" in listing.content.decode()
    settings_page = client.get(reverse("workspace_settings", args=[slug])).content.decode()
    assert reverse("webhook_list", args=[slug]) in settings_page

    created = client.post(
        reverse("webhook_create", args=[slug]),
        {
            "url": " https://warehouse.example/in ",
            "description": "Warehouse",
            "events": ["action.created", "objective.created"],
            "is_active": "on",
        },
        headers={"HX-Request": "true"},
    )
    assert created.status_code == 200
    endpoint = WebhookEndpoint.unscoped_objects.get()
    assert created["HX-Redirect"] == reverse("webhook_detail", args=[slug, endpoint.uuid])
    assert endpoint.url == "https://warehouse.example/in"
    assert endpoint.events == ["objective.created", "action.created"]  # the catalogue's order
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert endpoint.created_by == personas.user(Role.ADMIN)

    detail = client.get(reverse("webhook_detail", args=[slug, endpoint.uuid])).content.decode()
    assert endpoint.secret in detail and "Nothing sent yet" in detail

    edited = client.post(
        reverse("webhook_edit", args=[slug, endpoint.uuid]),
        {"url": "https://warehouse.example/v2", "events": ["snapshot.ready"]},
    )
    assert edited.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events, endpoint.is_active) == (
        "https://warehouse.example/v2",
        ["snapshot.ready"],
        False,
    )

    old = endpoint.secret
    rotated = client.post(reverse("webhook_rotate_secret", args=[slug, endpoint.uuid]))
    assert rotated.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old

    deleted = client.post(reverse("webhook_delete", args=[slug, endpoint.uuid]))
    assert deleted.status_code == 302
    assert not WebhookEndpoint.unscoped_objects.exists()


# --- Permissions -------------------------------------------------------------------------------


def _page_urls(
    slug: str, endpoint: WebhookEndpoint, delivery: WebhookDelivery
) -> list[tuple[str, str]]:
    e = endpoint.uuid
    return [
        ("get", reverse("webhook_list", args=[slug])),
        ("get", reverse("webhook_create", args=[slug])),
        ("post", reverse("webhook_create", args=[slug])),
        ("get", reverse("webhook_detail", args=[slug, e])),
        ("get", reverse("webhook_edit", args=[slug, e])),
        ("post", reverse("webhook_delete", args=[slug, e])),
        ("post", reverse("webhook_rotate_secret", args=[slug, e])),
        ("post", reverse("webhook_test", args=[slug, e])),
        ("post", reverse("webhook_replay", args=[slug, e, delivery.uuid])),
    ]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.PARTNER, Role.VIEWER])
def test_below_admin_every_webhook_page_is_forbidden(
    role: str, personas: Personas, client_for: Any
) -> None:
    endpoint = register(personas, "https://a.example/hook", ["action.created"])
    delivery = _delivery(personas, endpoint)
    client = client_for(personas.user(role))
    for method, url in _page_urls(personas.workspace.slug, endpoint, delivery):
        response = getattr(client, method)(url, {"url": "https://b.example/", "events": ["ping"]})
        assert response.status_code == 403, f"{method} {url}"
        assert endpoint.secret not in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://a.example/hook"
    assert WebhookDelivery.unscoped_objects.count() == 1


def test_another_workspace_gets_404_for_the_pages_and_the_ids(
    personas: Personas, client_for: Any
) -> None:
    endpoint = register(personas, "https://a.example/hook", ["action.created"])
    delivery = _delivery(personas, endpoint)
    client = client_for(personas.user("outsider"))  # the owner of beta
    in_alpha = _page_urls(personas.workspace.slug, endpoint, delivery)
    # Under beta's own address, alpha's ids: beta's list and form exist, the rest does not.
    in_beta = _page_urls(personas.other_workspace.slug, endpoint, delivery)[3:]
    for method, url in in_alpha + in_beta:
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method} {url}"
        assert str(endpoint.uuid) not in response.content.decode()
    assert WebhookEndpoint.unscoped_objects.get().secret == endpoint.secret
    # A delivery of another endpoint cannot be replayed through this one.
    own = register(personas, "https://b.example/hook", ["action.created"])
    admin = client_for(personas.user(Role.ADMIN))
    url = reverse("webhook_replay", args=[personas.workspace.slug, own.uuid, delivery.uuid])
    assert admin.post(url).status_code == 404


def test_admins_manage_webhooks_in_the_services_too(personas: Personas) -> None:
    from django.core.exceptions import PermissionDenied

    with workspace_scope(personas.workspace), pytest.raises(PermissionDenied):
        webhooks.endpoint_create(
            actor=personas.user(Role.EDITOR),
            workspace=personas.workspace,
            url="https://a.example/",
            events=["action.created"],
        )


# --- Upkeep ------------------------------------------------------------------------------------


def test_prune_forgets_old_finished_deliveries_only(personas: Personas, settings: Any) -> None:
    settings.WEBHOOK_RETENTION_DAYS = 30
    endpoint = register(personas, "https://a.example/hook", ["action.created"])
    old = timezone.now() - dt.timedelta(days=31)
    rows = {status: _delivery(personas, endpoint) for status in DeliveryStatus.values}
    for status, row in rows.items():
        WebhookDelivery.unscoped_objects.filter(pk=row.pk).update(status=status, created_at=old)
    recent = _delivery(personas, endpoint)
    WebhookDelivery.unscoped_objects.filter(pk=recent.pk).update(status="succeeded")

    webhooks.prune()

    left = set(WebhookDelivery.unscoped_objects.values_list("pk", flat=True))
    assert left == {rows["pending"].pk, rows["retrying"].pk, recent.pk}
