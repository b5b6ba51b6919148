"""Sign-ins resist guessing: django-axes locks an account, and an address, after repeated
failures within the window; the password reset and invitation pages are throttled."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from typing import Any

import pytest
import requests
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from core import tokens
from core.models import AuditEvent, AuditEventKind, Invitation, TokenScope
from core.roles import Role
from core.tenancy import workspace_scope
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def _address() -> str:
    """An address of its own for each test: throttle counters live in the cache, which
    outlives a test (and, on Redis, a run)."""
    n = uuid.uuid4().int
    return f"198.51.{n % 250}.{(n >> 8) % 250 + 1}"


def _login(client: Any, email: str, password: str, address: str) -> Any:
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def _audit(kind: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.unscoped_objects.filter(event=kind, **filters).order_by("at", "id"))


def _forget_window(minutes: int = 16) -> None:
    """Time travel: the stored attempts happened ``minutes`` ago."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - dt.timedelta(minutes=minutes)
        )


def test_fifty_wrong_passwords_lock_the_account_until_the_window_passes(client: Any) -> None:
    UserFactory(email="claire@example.org")
    address = _address()
    statuses = [
        _login(client, "claire@example.org", f"guess-{n}", address).status_code for n in range(50)
    ]
    # Four ordinary refusals, then the fifth failure locks the account: 429 from then on.
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    response = _login(client, "Claire@Example.org", PASSWORD, address)
    assert response.status_code == 429
    html = response.content.decode()
    assert "signing in is paused: try again in 15 minutes" in html
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    # From another address too: the lock is on the account.
    assert _login(client, "claire@example.org", PASSWORD, _address()).status_code == 429
    # Attempts during the lockout are not counted: it ends 15 minutes after the fifth failure.
    _forget_window(minutes=14)
    assert _login(client, "claire@example.org", PASSWORD, address).status_code == 429
    _forget_window(minutes=2)
    response = _login(client, "claire@example.org", PASSWORD, address)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_lockout_page_speaks_french(client: Any) -> None:
    UserFactory(email="jeanne@example.org")
    address = _address()
    for n in range(5):
        _login(client, "jeanne@example.org", f"x{n}", address)
    response = client.post(
        reverse("login"),
        {"username": "jeanne@example.org", "password": PASSWORD},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 429
    assert "réessayez dans 15\u00a0minutes" in response.content.decode()


def test_the_window_comes_from_the_settings(client: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 3
    settings.LOGIN_LOCKOUT_MINUTES = 2
    UserFactory(email="paul@example.org")
    address = _address()
    statuses = [_login(client, "paul@example.org", "no", address).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = _login(client, "paul@example.org", PASSWORD, address)
    assert response.status_code == 429 and "try again in 2 minutes" in response.content.decode()
    _forget_window(minutes=3)
    assert _login(client, "paul@example.org", PASSWORD, address).status_code == 302


def test_a_success_clears_the_account_counter(client: Any) -> None:
    UserFactory(email="marc@example.org")
    address = _address()
    for _ in range(4):
        assert _login(client, "marc@example.org", "typo", address).status_code == 200
    assert _login(client, "marc@example.org", PASSWORD, address).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "marc@example.org", "typo", address).status_code == 200
    assert _login(client, "marc@example.org", PASSWORD, address).status_code == 302


def test_an_address_is_locked_across_accounts(client: Any) -> None:
    """20 failures from one address on 20 accounts (each under its own limit) lock the address,
    even for an account that has never failed; other addresses are not concerned."""
    address = _address()
    for n in range(19):
        email = f"user{n}@example.org" if n % 2 else f"nobody{n}@example.org"
        assert _login(client, email, "wrong", address).status_code == 200
    assert _login(client, "last@example.org", "wrong", address).status_code == 429
    UserFactory(email="honest@example.org")
    response = _login(client, "honest@example.org", PASSWORD, address)
    assert response.status_code == 429
    assert "from this network" in response.content.decode()
    # A sign-in that succeeds elsewhere does not clear the address's counter.
    assert _login(client, "honest@example.org", PASSWORD, _address()).status_code == 302
    client.logout()
    assert _login(client, "honest@example.org", PASSWORD, address).status_code == 429


def test_failures_and_the_lockout_go_to_each_workspace_of_the_account(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    user = UserFactory(email="owner@two.example")
    first, second, elsewhere = WorkspaceFactory(), WorkspaceFactory(), WorkspaceFactory()
    MembershipFactory(workspace=first, user=user, role=Role.OWNER)
    MembershipFactory(workspace=second, user=user, role=Role.VIEWER)
    address = _address()
    with caplog.at_level(logging.INFO):
        for _ in range(8):
            _login(client, "Owner@Two.example", "wrong", address)
    for workspace in (first, second):
        failures = _audit(AuditEventKind.SIGNIN_FAILED, workspace=workspace)
        # Five counted failures; the three refused while locked out are not audited rows.
        assert len(failures) == 5
        assert {f.target_label for f in failures} == {"owner@two.example"}
        assert {f.ip for f in failures} == {address}
        assert all(f.actor is None for f in failures)
        locks = _audit(AuditEventKind.SIGNIN_LOCKED, workspace=workspace)
        assert len(locks) == 1 and locks[0].detail == {"minutes": 15}
    assert not _audit(AuditEventKind.SIGNIN_FAILED, workspace=elsewhere)
    security = [r.getMessage() for r in caplog.records if r.name == "territoria.security"]
    assert sum("sign-in failed account=owner@two.example" in m for m in security) == 5
    assert sum("sign-in refused (locked out)" in m for m in security) == 3
    assert sum("sign-in locked out" in m for m in security) == 1


def test_an_unknown_account_is_logged_without_a_workspace(
    client: Any, caplog: pytest.LogCaptureFixture, personas: Any
) -> None:
    with caplog.at_level(logging.INFO, logger="territoria.audit"):
        _login(client, "nobody@nowhere.example", "secret-typed-here", _address())
    assert not AuditEvent.unscoped_objects.exists()
    lines = [r.getMessage() for r in caplog.records if r.name == "territoria.audit"]
    assert any(line.startswith("signin_failed workspace=-") for line in lines)
    assert not any("nobody@nowhere" in line or "secret-typed" in line for line in lines)


def test_a_locked_account_keeps_its_api_token_and_its_open_session(
    client: Any, personas: Any
) -> None:
    """The lockout guards the password; the API's tokens and sessions are not axes' business
    (DRF's throttles guard the API)."""
    owner = personas.user(Role.OWNER)
    with workspace_scope(personas.workspace):
        _token, secret = tokens.token_create(
            actor=owner, workspace=personas.workspace, name="BI", scope=TokenScope.READ
        )
    session_client = type(client)()
    session_client.force_login(owner)
    address = _address()
    for _ in range(6):
        _login(client, owner.email, "wrong", address)
    assert _login(client, owner.email, PASSWORD, address).status_code == 429
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR=address)
    assert me.status_code == 200 and me.json()["email"] == owner.email
    assert session_client.get("/api/v1/me/").status_code == 200
    assert session_client.get(reverse("workspace_home", args=["alpha"])).status_code == 200
    # Wrong bearer tokens answer 401 and count for nothing in the sign-in lockout.
    for _ in range(25):
        response = client.get(
            "/api/v1/me/", HTTP_AUTHORIZATION="Bearer trr_wrong", REMOTE_ADDR="203.0.113.50"
        )
        assert response.status_code == 401
    assert not AccessAttempt.objects.filter(ip_address="203.0.113.50").exists()


@pytest.mark.django_db(transaction=True)
def test_guessing_from_outside_over_http(live_server: Any) -> None:
    """Through the live server, over real HTTP: 50 wrong passwords, then the right one is
    refused with 429 and the time to wait."""
    UserFactory(email="remote@example.org")
    session = requests.Session()
    url = f"{live_server.url}{reverse('login')}"

    def attempt(password: str) -> requests.Response:
        page = session.get(url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token
        return session.post(
            url,
            data={
                "username": "remote@example.org",
                "password": password,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=10,
        )

    statuses = [attempt(f"guess-{n}").status_code for n in range(50)]
    assert statuses.count(200) == 4 and statuses.count(429) == 46
    response = attempt(PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    assert "try again in 15 minutes" in response.text
    assert "sessionid" not in session.cookies
    _forget_window()
    response = attempt(PASSWORD)
    assert response.status_code == 302 and "sessionid" in session.cookies


# --- Password reset and invitations --------------------------------------------------------


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.RATE_LIMITS = {
        "password_reset": {"per_email": 3, "per_address": 5, "minutes": 60},
        "invitation": {"per_email": 3, "per_address": 5, "minutes": 15},
    }
    return settings.RATE_LIMITS


def test_password_reset_is_throttled_per_email(client: Any, limits: Any) -> None:
    email = f"forgetful-{uuid.uuid4().hex[:8]}@example.org"
    UserFactory(email=email)
    statuses = [
        client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=_address()).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    response = client.post(
        reverse("password_reset"), {"email": email.upper()}, REMOTE_ADDR=_address()
    )
    assert response.status_code == 429
    assert "Try again in" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600


def test_password_reset_is_throttled_per_address(client: Any, limits: Any) -> None:
    address = _address()
    statuses = [
        client.post(
            reverse("password_reset"),
            {"email": f"a{n}-{uuid.uuid4().hex[:6]}@example.org"},
            REMOTE_ADDR=address,
        ).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    response = client.post(
        reverse("password_reset"),
        {"email": "other@example.org"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 429
    assert "Réessayez dans" in response.content.decode()


def test_a_reset_request_is_audited_in_the_account_workspaces(client: Any, personas: Any) -> None:
    editor = personas.user(Role.EDITOR)
    client.post(reverse("password_reset"), {"email": editor.email}, REMOTE_ADDR="192.0.2.10")
    events = _audit(AuditEventKind.PASSWORD_RESET_REQUESTED)
    assert [(e.workspace, e.target_label, e.ip) for e in events] == [
        (personas.workspace, editor.email, "192.0.2.10")
    ]


def test_guessed_invitation_tokens_are_throttled_per_address(client: Any, limits: Any) -> None:
    address = _address()
    statuses = [
        client.get(
            reverse("invitation_accept", args=[f"guess{n}"]), REMOTE_ADDR=address
        ).status_code
        for n in range(6)
    ]
    assert statuses == [404] * 5 + [429]
    assert (
        client.get(reverse("invitation_accept", args=["guess"]), REMOTE_ADDR=_address()).status_code
        == 404
    )


def test_invitation_acceptance_is_throttled_per_invited_email(
    client: Any, personas: Any, limits: Any
) -> None:
    invitation = Invitation.unscoped_objects.create(
        workspace=personas.workspace,
        email=f"new-{uuid.uuid4().hex[:8]}@example.org",
        role=Role.VIEWER,
        invited_by=personas.user(Role.ADMIN),
        token=uuid.uuid4().hex,
    )
    url = reverse("invitation_accept", args=[invitation.token])
    bad = {"full_name": "N", "password1": "short", "password2": "other"}
    statuses = [client.post(url, bad, REMOTE_ADDR=_address()).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert "Try again in" in client.post(url, bad, REMOTE_ADDR=_address()).content.decode()
    # Reading the invitation is not limited.
    assert client.get(url, REMOTE_ADDR=_address()).status_code == 200


def test_a_forged_forwarded_header_does_not_escape_the_address_lockout(client: Any) -> None:
    address = _address()
    for n in range(20):
        client.post(
            reverse("login"),
            {"username": f"u{n}@example.org", "password": "x"},
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}",
        )
    UserFactory(email="fine@example.org")
    response = client.post(
        reverse("login"),
        {"username": "fine@example.org", "password": PASSWORD},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


def test_behind_the_proxy_the_address_it_appended_counts(settings: Any) -> None:
    from django.test import RequestFactory

    from core.http import client_address

    factory = RequestFactory()
    request = factory.post(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "198.51.100.7"
    assert client_address(factory.post("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
