"""Personal API tokens, as a member and a client meet them: the settings page that creates, lists
and revokes them, and what the API answers to a token that is read-only, revoked or expired.
Also the browser's own way in (session and CSRF) and the docs page under the strict CSP."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import ApiToken, TokenScope
from core.roles import Role
from core.tenancy import workspace_scope
from core.tokens import token_create
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

PAGE = "/w/alpha/settings/tokens/"
PROBLEM = "application/problem+json"
SECRET = re.compile(r"trr_[A-Za-z0-9_-]{40}")
HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(**overrides: str) -> dict[str, str]:
    return {"name": "Warehouse", "scope": "read", "expires_in": "90", "expires_on": ""} | overrides


def create_on_page(client: Any, **overrides: str) -> tuple[Any, str]:
    """POST the page's form; the answer and the secret it shows."""
    response = client.post(PAGE, form_data(**overrides))
    assert response.status_code == 200, response.content.decode()[:500]
    found = SECRET.findall(response.content.decode())
    assert found, "the new token's secret is not on the page"
    return response, found[0]


def api(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def token_of(personas: Personas, role: str, **kwargs: Any) -> tuple[ApiToken, str]:
    with workspace_scope(personas.workspace):
        return token_create(
            actor=personas.user(role),
            workspace=personas.workspace,
            name=kwargs.pop("name", f"{role} tool"),
            scope=kwargs.pop("scope", TokenScope.WRITE),
            **kwargs,
        )


def reload(token: ApiToken) -> ApiToken:
    return ApiToken.unscoped_objects.get(pk=token.pk)


# --- The page -------------------------------------------------------------------------------


def test_a_new_member_sees_what_tokens_are_for(personas: Personas, client_for: Any) -> None:
    response = client_for(personas.user(Role.EDITOR)).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "No API token yet." in body
    assert 'href="/api/v1/docs/"' in body
    # The header's user menu and the workspace home link here.
    assert f'href="{PAGE}"' in body
    home = client_for(personas.user(Role.VIEWER)).get("/w/alpha/").content.decode()
    assert f'href="{PAGE}"' in home


def test_the_secret_is_stored_hashed_and_shown_once(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response, secret = create_on_page(client, name="Regional warehouse")
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.unscoped_objects.get(name="Regional warehouse")
    assert token.user == personas.user(Role.EDITOR)
    assert token.workspace == personas.workspace
    assert token.scope == TokenScope.READ
    # At rest: the SHA-256 of the secret and a short prefix, never the secret itself.
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    # Every column of the stored row, read with plain SQL (the same on SQLite and PostgreSQL).
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken WHERE id = %s", [token.pk])
        stored = cursor.fetchone()
    row = " ".join(str(value) for value in stored)
    assert token.key_hash in row
    assert secret not in row and secret[len(token.prefix) :] not in row
    # The list shows the token by its name and prefix; the secret never again.
    page = client.get(PAGE).content.decode()
    assert "Regional warehouse" in page and f"{token.prefix}…" in page
    assert secret not in page
    assert not SECRET.search(page)
    # And the secret works.
    me = api(secret).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["token"]["name"] == "Regional warehouse"


def test_htmx_creation_shows_the_secret_with_a_ready_curl_and_refreshes_the_list(
    personas: Personas, client_for: Any
) -> None:
    client = client_for(personas.user(Role.OWNER))
    response = client.post(PAGE, form_data(name="Nightly BI"), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # a fragment, not the page
    (secret,) = set(SECRET.findall(body))
    assert 'id="token-created"' in body and "shown only this once" in body
    pre = re.search(r'<pre id="token-curl"[^>]*>(.*?)</pre>', body, re.S)
    assert pre
    commands = html.unescape(pre.group(1))
    assert f'curl -H "Authorization: Bearer {secret}" http://testserver/api/v1/me/' in commands
    assert (
        f'curl -H "Authorization: Bearer {secret}" '
        '"http://testserver/api/v1/w/alpha/actions/?page_size=100"'
    ) in commands
    # The copy buttons are wired by the page's own script, not inline code.
    assert 'data-copy="token-secret"' in body and "<script" not in body
    assert 'id="token-list" aria-labelledby="token-list-title" hx-swap-oob="true"' in body
    assert "Nightly BI" in body.split('id="token-list"')[1]
    page = client.get(PAGE).content.decode()
    assert "/static/js/api_tokens.js" in page


def test_invalid_input_answers_422_with_every_message(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(PAGE, form_data(name="  ", expires_in="date"), **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert body.lstrip().startswith("<form")
    assert "This field is required." in body
    assert "Choose the day the token expires." in body
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(PAGE, form_data(expires_in="date", expires_on=past), **HTMX)
    assert response.status_code == 422
    assert "The expiry date must be in the future." in response.content.decode()
    response = client.post(PAGE, form_data(scope="admin"), **HTMX)
    assert response.status_code == 422
    assert not ApiToken.unscoped_objects.exists()


def test_expiry_choices(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    today = timezone.localdate()
    on = today + dt.timedelta(days=10)
    for name, choice, date, expected in [
        ("thirty", "30", "", today + dt.timedelta(days=30)),
        ("year", "365", on.isoformat(), today + dt.timedelta(days=365)),  # the date is ignored
        ("chosen", "date", on.isoformat(), on),
        ("forever", "never", "", None),
    ]:
        create_on_page(client, name=name, expires_in=choice, expires_on=date)
        token = ApiToken.unscoped_objects.get(name=name)
        got = timezone.localtime(token.expires_at).date() if token.expires_at else None
        assert got == expected, name


def test_a_viewer_cannot_create_a_write_token(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.user(Role.VIEWER))
    page = client.get(PAGE).content.decode()
    write_radio = re.search(r'<input type="radio" name="scope" value="write"[^>]*>', page)
    assert write_radio and "disabled" in write_radio.group(0)
    response = client.post(PAGE, form_data(scope="write"), **HTMX)
    assert response.status_code == 422
    assert "Viewers change nothing, so their tokens can only read." in response.content.decode()
    assert not ApiToken.unscoped_objects.exists()
    create_on_page(client, scope="read")
    assert ApiToken.unscoped_objects.get().scope == TokenScope.READ


# --- What the API answers to each kind of token -----------------------------------------------


def test_a_read_only_token_reads_and_cannot_write(
    personas: Personas, sample: dict[str, Any], client_for: Any
) -> None:
    _, secret = create_on_page(client_for(personas.user(Role.OWNER)), scope="read")
    client = api(secret)
    url = f"/api/v1/w/alpha/territories/{sample['territory'].uuid}/"
    read = client.get(url)
    assert read.status_code == 200
    created = client.post(
        "/api/v1/w/alpha/territories/", {"name": "New area", "kind": "city"}, format="json"
    )
    patched = client.patch(url, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=read["ETag"])
    for response in (created, patched):
        assert response.status_code == 403
        assert response["Content-Type"].startswith(PROBLEM)
        assert response.json()["status"] == 403
        assert "read-only" in response.json()["detail"]
    assert client.get(url).json()["name"] == "Secret Valley Area"
    # The same member with a read and write token may.
    _, writer = create_on_page(client_for(personas.user(Role.OWNER)), scope="write")
    assert (
        api(writer).patch(url, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=read["ETag"])
    ).status_code == 200


def test_a_revoked_token_answers_401(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    _, secret = create_on_page(client)
    assert api(secret).get("/api/v1/me/").status_code == 200
    token = ApiToken.unscoped_objects.get()
    response = client.post(f"{PAGE}{token.uuid}/revoke/", **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert f'id="token-{token.uuid}"' in row and "Revoked" in row and "Revoke</" not in row
    assert "is revoked: it no longer works" in row  # the message, out of band
    assert reload(token).revoked_at is not None
    for path in ("/api/v1/me/", "/api/v1/w/alpha/actions/"):
        response = api(secret).get(path)
        assert response.status_code == 401
        assert response["Content-Type"].startswith(PROBLEM)
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Revoked" in client.get(PAGE).content.decode()


def test_an_expired_token_answers_401(personas: Personas, client_for: Any) -> None:
    token, secret = token_of(personas, Role.EDITOR)
    assert api(secret).get("/api/v1/me/").status_code == 200
    ApiToken.unscoped_objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = api(secret).get("/api/v1/w/alpha/actions/")
    assert response.status_code == 401
    assert "revoked or expired" in response.json()["detail"]
    page = client_for(personas.user(Role.EDITOR)).get(PAGE).content.decode()
    assert "Expired" in page
    assert f"{PAGE}{token.uuid}/revoke/" not in page  # nothing left to revoke


def test_last_used_is_recorded(personas: Personas, client_for: Any) -> None:
    token, secret = token_of(personas, Role.EDITOR)
    assert token.last_used_at is None
    page = client_for(personas.user(Role.EDITOR)).get(PAGE).content.decode()
    assert re.search(r"Last used.*?Never", page, re.S)
    before = timezone.now()
    assert api(secret).get("/api/v1/w/alpha/actions/").status_code == 200
    first = reload(token).last_used_at
    assert first is not None and first >= before
    # Written at most once a minute, not on every request...
    api(secret).get("/api/v1/me/")
    assert reload(token).last_used_at == first
    # ...but again once the minute has passed.
    ApiToken.unscoped_objects.filter(pk=token.pk).update(
        last_used_at=first - dt.timedelta(minutes=2)
    )
    api(secret).get("/api/v1/me/")
    last = reload(token).last_used_at
    assert last is not None and last > first
    page = client_for(personas.user(Role.EDITOR)).get(PAGE).content.decode()
    assert f'<time datetime="{timezone.localtime(last).isoformat()}"' in page


# --- Whose tokens ---------------------------------------------------------------------------


def test_members_see_and_revoke_only_their_own_tokens(personas: Personas, client_for: Any) -> None:
    owners, owners_secret = token_of(personas, Role.OWNER, name="Owner's warehouse")
    editors, _ = token_of(personas, Role.EDITOR, name="Editor's script")
    for role in (Role.EDITOR, Role.PARTNER, Role.VIEWER):
        client = client_for(personas.user(role))
        page = client.get(PAGE).content.decode()
        assert "Owner's warehouse" not in page and owners.prefix not in page
        response = client.post(f"{PAGE}{owners.uuid}/revoke/")
        assert response.status_code == 404, role
        assert reload(owners).revoked_at is None
    assert api(owners_secret).get("/api/v1/me/").status_code == 200
    # Their own: listed and revocable.
    client = client_for(personas.user(Role.EDITOR))
    assert "Editor&#x27;s script" in client.get(PAGE).content.decode()
    response = client.post(f"{PAGE}{editors.uuid}/revoke/")
    assert response.status_code == 302 and response["Location"] == PAGE
    assert reload(editors).revoked_at is not None


def test_admins_see_everyones_tokens_and_may_revoke_them(
    personas: Personas, client_for: Any
) -> None:
    owners, owners_secret = token_of(personas, Role.OWNER, name="Owner's warehouse")
    token_of(personas, Role.VIEWER, name="Viewer's sheet", scope=TokenScope.READ)
    client = client_for(personas.user(Role.ADMIN))
    page = client.get(PAGE).content.decode()
    assert "Tokens in this workspace" in page
    assert "Owner&#x27;s warehouse" in page and "Viewer&#x27;s sheet" in page
    assert "Alpha Owner" in page and "Alpha Viewer" in page  # the owner column
    response = client.post(f"{PAGE}{owners.uuid}/revoke/")
    assert response.status_code == 302
    assert reload(owners).revoked_at is not None
    assert api(owners_secret).get("/api/v1/me/").status_code == 401
    # Another workspace's admin never sees nor revokes alpha's tokens.
    beta = client_for(personas.user("outsider"))
    assert beta.post(f"{PAGE}{owners.uuid}/revoke/").status_code == 404
    assert "Owner&#x27;s warehouse" not in beta.get("/w/beta/settings/tokens/").content.decode()
    assert beta.post(f"/w/beta/settings/tokens/{owners.uuid}/revoke/").status_code == 404


def test_the_list_costs_the_same_queries_for_1_and_20_tokens(
    personas: Personas, client_for: Any
) -> None:
    client = client_for(personas.user(Role.ADMIN))
    token_of(personas, Role.OWNER)
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    for index in range(19):
        token_of(
            personas, [Role.EDITOR, Role.VIEWER][index % 2], name=f"tool {index}", scope="read"
        )
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(PAGE).content.decode().count('<tr id="token-') == 20
    assert len(twenty) == len(one)


# --- The browser's session ------------------------------------------------------------------


def test_the_browser_session_reads_and_must_send_csrf_to_write(personas: Personas) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.user(Role.EDITOR))
    me = browser.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "editor@alpha.example" and me.json()["token"] is None
    assert browser.get("/api/v1/w/alpha/actions/").status_code == 200
    body = json.dumps({"name": "New area", "kind": "city"})
    refused = browser.post("/api/v1/w/alpha/territories/", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith(PROBLEM)
    assert "CSRF" in refused.json()["detail"]
    # With the CSRF cookie and header, as Swagger UI and htmx send them.
    browser.get(PAGE)
    csrf = browser.cookies["csrftoken"].value
    created = browser.post(
        "/api/v1/w/alpha/territories/",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert created.status_code == 201, created.content


# --- The docs page --------------------------------------------------------------------------


def test_the_docs_page_needs_no_csp_relaxation(client: Any) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["style-src"] == directives["script-src"] == "'self'"
    html = response.content.decode()
    assert "<style" not in html and not re.search(r"<script>|<script(?![^>]*\bsrc=)", html)
    assert "/static/css/api-docs.css" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    assert reverse("api:docs") == "/api/v1/docs/"
