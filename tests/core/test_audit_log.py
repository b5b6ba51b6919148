"""The audit log: each security event is recorded where it happens, and admins read it on a
filterable, paginated page and export it as CSV; nobody edits it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.models import ApiToken, AuditEvent, AuditEventKind, Invitation, WebhookEndpoint
from core.roles import Role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _kinds(workspace: Any) -> list[str]:
    return list(
        AuditEvent.unscoped_objects.filter(workspace=workspace)
        .order_by("at", "id")
        .values_list("event", flat=True)
    )


def _last(workspace: Any) -> AuditEvent:
    return AuditEvent.unscoped_objects.filter(workspace=workspace).order_by("-at", "-id").first()


def test_members_and_invitations_are_recorded(
    personas: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = personas.user(Role.ADMIN)
    ws = personas.workspace
    client = client_for(admin)
    viewer = personas.memberships[Role.VIEWER]
    client.post(
        reverse("member_role", args=[ws.slug, viewer.uuid]),
        {"role": Role.EDITOR},
        REMOTE_ADDR="192.0.2.1",
        **HTMX,
    )
    event = _last(ws)
    assert (event.event, event.actor, event.target_label, event.detail, event.ip) == (
        AuditEventKind.ROLE_CHANGED,
        admin,
        viewer.user.email,
        {"before": "viewer", "after": "editor"},
        "192.0.2.1",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members", args=[ws.slug]),
            {"email": "Guest@Example.org", "role": Role.VIEWER},
            **HTMX,
        )
    event = _last(ws)
    assert (event.event, event.target_label, event.detail) == (
        AuditEventKind.INVITATION_SENT,
        "guest@example.org",
        {"role": "viewer"},
    )
    invitation = Invitation.unscoped_objects.get(email="guest@example.org")
    client.post(reverse("invitation_revoke", args=[ws.slug, invitation.uuid]), **HTMX)
    assert _last(ws).event == AuditEventKind.INVITATION_REVOKED
    # A new invitation, accepted by a new person.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members", args=[ws.slug]), {"email": "new@example.org", "role": "editor"}
        )
    invitation = Invitation.unscoped_objects.get(email="new@example.org")
    client.logout()
    client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"full_name": "New", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
    )
    event = _last(ws)
    assert (event.event, event.actor_label, event.detail) == (
        AuditEventKind.INVITATION_ACCEPTED,
        "new@example.org",
        {"role": "editor"},
    )
    client = client_for(admin)
    client.post(reverse("member_remove", args=[ws.slug, viewer.uuid]), **HTMX)
    assert _last(ws).event == AuditEventKind.MEMBER_REMOVED
    assert _kinds(ws) == [
        "role_changed",
        "invitation_sent",
        "invitation_revoked",
        "invitation_sent",
        "invitation_accepted",
        "member_removed",
    ]
    assert not _kinds(personas.other_workspace)


def test_role_changes_through_the_api_are_recorded(personas: Any, client_for: Any) -> None:
    ws = personas.workspace
    client = client_for(personas.user(Role.OWNER))
    viewer = personas.memberships[Role.VIEWER]
    url = f"/api/v1/w/{ws.slug}/members/{viewer.uuid}/"
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"role": "editor"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert _last(ws).event == AuditEventKind.ROLE_CHANGED
    assert _last(ws).actor == personas.user(Role.OWNER)


def test_tokens_and_webhooks_are_recorded(personas: Any, client_for: Any) -> None:
    ws = personas.workspace
    admin = personas.user(Role.ADMIN)
    client = client_for(admin)
    client.post(
        reverse("api_tokens", args=[ws.slug]),
        {"name": "BI tool", "scope": "read", "expires_in": "30"},
    )
    token = ApiToken.unscoped_objects.get()
    event = _last(ws)
    assert (event.event, event.target_label, event.detail["scope"]) == (
        AuditEventKind.TOKEN_CREATED,
        str(token),
        "read",
    )
    assert token.prefix in str(event.detail) and "trr_" in event.detail["prefix"]
    client.post(reverse("api_token_revoke", args=[ws.slug, token.uuid]))
    assert _last(ws).event == AuditEventKind.TOKEN_REVOKED

    client.post(
        reverse("webhook_create", args=[ws.slug]),
        {"url": "https://warehouse.example/in", "events": ["action.created"], "is_active": "on"},
    )
    endpoint = WebhookEndpoint.unscoped_objects.get()
    assert (_last(ws).event, _last(ws).target_label) == (
        AuditEventKind.WEBHOOK_CREATED,
        "https://warehouse.example/in",
    )
    client.post(reverse("webhook_rotate_secret", args=[ws.slug, endpoint.uuid]))
    assert _last(ws).event == AuditEventKind.WEBHOOK_SECRET_CHANGED
    client.post(reverse("webhook_delete", args=[ws.slug, endpoint.uuid]))
    assert _last(ws).event == AuditEventKind.WEBHOOK_DELETED
    # No secret ever reaches the log.
    for entry in AuditEvent.unscoped_objects.all():
        text = f"{entry.target_label} {entry.detail}"
        assert "whsec_" not in text and not re.search(r"trr_\S{20,}", text)


# --- The page -------------------------------------------------------------------------------


def _seed(ws: Any, count: int, kind: str = AuditEventKind.TOKEN_CREATED, **extra: Any) -> None:
    for n in range(count):
        audit.record(event=kind, workspace=ws, target=f"token {n}", **extra)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_admins_read_the_log(personas: Any, client_for: Any, role: str) -> None:
    _seed(personas.workspace, 1)
    response = client_for(personas.user(role)).get(reverse("audit_log", args=["alpha"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "API token created" in html and "token 0" in html
    assert reverse("audit_log_csv", args=["alpha"]) in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.PARTNER, Role.VIEWER])
def test_other_members_may_not(personas: Any, client_for: Any, role: str) -> None:
    _seed(personas.workspace, 1)
    client = client_for(personas.user(role))
    assert client.get(reverse("audit_log", args=["alpha"])).status_code == 403
    assert client.get(reverse("audit_log_csv", args=["alpha"])).status_code == 403
    settings_page = client.get(reverse("api_tokens", args=["alpha"])).content.decode()
    assert reverse("audit_log", args=["alpha"]) not in settings_page


def test_another_workspace_gets_404_and_sees_nothing(personas: Any, client_for: Any) -> None:
    _seed(personas.workspace, 1)
    client = client_for(personas.user("outsider"))
    assert client.get(reverse("audit_log", args=["alpha"])).status_code == 404
    assert client.get(reverse("audit_log_csv", args=["alpha"])).status_code == 404
    own = client.get(reverse("audit_log", args=["beta"])).content.decode()
    assert "token 0" not in own and "No event yet" in own


def test_the_log_is_never_written_through_the_page(personas: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.OWNER))
    assert client.post(reverse("audit_log", args=["alpha"]), {"event": "x"}).status_code == 405
    assert client.post(reverse("audit_log_csv", args=["alpha"])).status_code == 405
    assert (
        "<form"
        not in client.get(reverse("audit_log", args=["alpha"]))
        .content.decode()
        .split('id="results"')[1]
    )


def test_empty_state_and_french(personas: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.ADMIN))
    html = client.get(reverse("audit_log", args=["alpha"])).content.decode()
    assert "No event yet" in html
    html = client.get(reverse("audit_log", args=["alpha"]), HTTP_ACCEPT_LANGUAGE="fr").content
    assert "Journal d\u2019audit" in html.decode()
    assert "Aucun événement pour l\u2019instant" in html.decode()


def test_filters_by_event_and_date_and_pages(personas: Any, client_for: Any) -> None:
    ws = personas.workspace
    _seed(ws, 60)
    _seed(ws, 2, AuditEventKind.ROLE_CHANGED)
    old = audit.record(event=AuditEventKind.ROLE_CHANGED, workspace=ws, target="long ago")
    # Back-date one event (the log refuses updates, so through the database table directly).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET at = %s WHERE id = %s",
            [timezone.now() - dt.timedelta(days=40), old.pk],
        )
    client = client_for(personas.user(Role.ADMIN))
    url = reverse("audit_log", args=["alpha"])
    first = client.get(url).content.decode()
    assert first.count('<tr id="audit-') == 50 and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<tr id="audit-') == 13
    roles = client.get(url, {"event": "role_changed"}).content.decode()
    assert roles.count('<tr id="audit-') == 3
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    recent = client.get(url, {"event": "role_changed", "since": since}, **HTMX)
    html = recent.content.decode()
    assert html.count('<tr id="audit-') == 2 and "long ago" not in html
    assert "<h1>" not in html  # the results fragment only
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    html = client.get(url, {"until": until}).content.decode()
    assert html.count('<tr id="audit-') == 1 and "long ago" in html
    empty = client.get(url, {"event": "webhook_deleted"}).content.decode()
    assert "No event matches these filters." in empty
    # Pages keep the filters.
    assert (
        "event=token_created&amp;page=2"
        in client.get(url, {"event": "token_created"}).content.decode()
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_the_page_reads_in_a_fixed_number_of_queries(
    personas: Any, client_for: Any, django_assert_num_queries: Any, rows: int
) -> None:
    _seed(personas.workspace, rows)
    client = client_for(personas.user(Role.ADMIN))
    client.get(reverse("audit_log", args=["alpha"]))  # warm the session
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("audit_log", args=["alpha"]))
    assert response.content.decode().count('<tr id="audit-') == rows


QUERIES = 7


def test_the_csv_export(personas: Any, client_for: Any) -> None:
    ws = personas.workspace
    _seed(ws, 3)
    audit.record(
        event=AuditEventKind.ROLE_CHANGED,
        workspace=ws,
        actor=personas.user(Role.OWNER),
        target="élodie@example.org",
        before="viewer",
        after="admin",
    )
    audit.record(
        event=AuditEventKind.TOKEN_CREATED, workspace=personas.other_workspace, target="theirs"
    )
    client = client_for(personas.user(Role.ADMIN))
    response = client.get(reverse("audit_log_csv", args=["alpha"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-alpha-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["When", "Event", "Code", "By", "On", "Address", "Details"]
    assert len(rows) == 5
    assert rows[1][1:6] == [
        "Role changed",
        "role_changed",
        "owner@alpha.example",
        "élodie@example.org",
        "",
    ]
    assert rows[1][6] == "after=admin before=viewer"
    assert "theirs" not in body
    filtered = client.get(reverse("audit_log_csv", args=["alpha"]), {"event": "role_changed"})
    assert len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))) == 2
    french = client.get(reverse("audit_log_csv", args=["alpha"]), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Quand" in b"".join(french.streaming_content).decode()
