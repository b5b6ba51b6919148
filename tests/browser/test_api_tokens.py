"""The API's acceptance walk-through, as a new member does it: log in, open Settings → API tokens,
create a read-only token, copy it, pull the plan with it, find the operations in the docs page and
try one there, then revoke the token. No step may trip the content security policy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from core.models import ApiToken, TokenScope
from core.roles import Role
from tests.conftest import ARTIFACTS, PASSWORD, Personas
from tests.factories import ActionFactory, MembershipFactory, ObjectiveFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = ["Cycling guide of the Loire", "Bike-friendly label for hotels", "Velo festival"]


class CspWatch:
    """Every CSP violation the page reports, from the console and from the DOM event."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        # Registered before any page script runs, on every document the page opens.
        page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"
        )

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def assert_clean(self) -> None:
        in_page = self.page.evaluate("window.__csp || []")
        assert not self.console and not in_page, (self.console, in_page)


def shot(target: Page | Locator, request: pytest.FixtureRequest, step: str) -> Path:
    """A screenshot (of the full page, or of one element) under test-artifacts/screenshots/.

    ``caret="initial"``: Playwright's default hides the caret with an injected style, which
    our strict CSP then reports once htmx settles a swap.
    """
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{request.node.name}-{step}.png"
    if isinstance(target, Locator):
        target.screenshot(path=str(path), caret="initial")
    else:
        target.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def test_a_new_member_creates_a_token_pulls_the_plan_and_uses_the_docs(
    page: Page,
    personas: Personas,
    reference_data: None,
    live_server: Any,
    request: pytest.FixtureRequest,
) -> None:
    ws = personas.workspace
    objective = ObjectiveFactory(workspace=ws, title="Be known for cycling")
    for title in PLAN:
        ActionFactory(workspace=ws, objective=objective, title=title)
    nadia = UserFactory(email="nadia@loire.example", full_name="Nadia Benali")
    MembershipFactory(workspace=ws, user=nadia, role=Role.EDITOR)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    csp = CspWatch(page)

    # 1. Log in, then Settings → API tokens from the account menu.
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(nadia.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/w/alpha/$"))
    page.locator("details.user-menu summary").click()
    page.locator("details.user-menu").get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(re.compile(r"/w/alpha/settings/tokens/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_test_id("tokens-empty")).to_contain_text("No API token yet.")
    shot(page, request, "1-no-token-yet")

    # 2. A nameless token: 422, the error in place.
    form = page.locator("#token-form")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Create token").click()
    assert answer.value.status == 422
    expect(form.get_by_text("This field is required.")).to_be_visible()
    expect(form.get_by_label("Name")).to_be_focused()

    # 3. A read-only token that expires in 30 days.
    form.get_by_label("Name").fill("Nightly BI export")
    form.get_by_label("Read only").check()
    form.get_by_label("In 30 days").check()
    form.get_by_role("button", name="Create token").click()
    panel = page.get_by_role("region", name="Your new token “Nightly BI export”")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    expect(panel).to_contain_text("shown only this once")
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    assert re.fullmatch(r"trr_[A-Za-z0-9_-]{40}", secret)
    panel.get_by_role("button", name="Copy the token").click()
    expect(panel.get_by_role("status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    curl = page.get_by_test_id("token-curl").inner_text()
    assert f'curl -H "Authorization: Bearer {secret}" {live_server.url}/api/v1/me/' in curl
    assert f'"{live_server.url}/api/v1/w/alpha/actions/?page_size=100"' in curl
    row = page.locator("#token-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nightly BI export")
    expect(row).to_contain_text("Read only")
    expect(row.get_by_test_id("token-status")).to_have_text("Active")
    shot(page, request, "2-token-shown-once")
    token = ApiToken.unscoped_objects.get(user=nadia)
    assert token.scope == TokenScope.READ and token.expires_at is not None

    # 4. The client: the copied token pulls the plan, as the curl commands do.
    # Connection: close, so the live server's thread (and its database connection) ends with
    # each request instead of outliving the test database.
    headers = {"Authorization": f"Bearer {secret}", "Connection": "close"}
    me = requests.get(f"{live_server.url}/api/v1/me/", headers=headers, timeout=10)
    assert me.status_code == 200
    assert me.json()["email"] == nadia.email
    assert [w["slug"] for w in me.json()["workspaces"]] == ["alpha"]
    actions = requests.get(
        f"{live_server.url}/api/v1/w/alpha/actions/?page_size=100", headers=headers, timeout=10
    )
    assert actions.status_code == 200
    assert sorted(a["title"] for a in actions.json()["results"]) == sorted(PLAN)
    assert actions.json()["count"] == len(PLAN)
    refused = requests.post(
        f"{live_server.url}/api/v1/w/alpha/territories/",
        json={"name": "Nope", "kind": "city"},
        headers=headers,
        timeout=10,
    )
    assert refused.status_code == 403
    assert refused.headers["Content-Type"].startswith("application/problem+json")

    # 5. Back on the page: used just now, and the secret is gone for good.
    page.get_by_role("link", name="I have copied it").click()
    expect(page.locator("#token-list tbody tr")).to_contain_text("Nightly BI export")
    expect(page.locator("#token-list tbody tr td").nth(3)).not_to_have_text("Never")
    assert secret not in page.content()

    # 6. The docs: every operation listed; try GET /api/v1/me/ with the session, then with
    # the token through "Authorize".
    page.get_by_role("link", name="Read the API documentation").first.click()
    expect(page).to_have_url(re.compile(r"/api/v1/docs/$"))
    # Some 200 operations: the docs list their groups folded; each opens on a click. The
    # schema takes seconds to generate on a busy machine: wait for the groups to be drawn.
    page.locator(".opblock-tag").first.wait_for(timeout=60_000)
    for tag in ("me", "Actions", "Territories", "Memberships"):
        page.locator(f'.opblock-tag[data-tag="{tag}"]').click()
    expect(page.get_by_text("List actions", exact=True)).to_be_visible()
    for summary in ("Who am I", "Create an action", "List territories", "List members"):
        expect(page.get_by_text(summary, exact=True).first).to_be_attached()
    operation = page.locator(".opblock").filter(has_text="/api/v1/me/").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/me/")) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert answer.value.json()["token"] is None  # the browser's session
    assert "authorization" not in answer.value.request.headers

    page.get_by_role("button", name="Authorize").first.click()
    scheme = page.locator(".modal-ux .auth-container").filter(has_text="tokenAuth")
    scheme.locator("input").fill(secret)
    scheme.get_by_role("button", name="Apply credentials").click()
    expect(scheme).to_contain_text("Authorized")
    page.locator(".modal-ux .btn-done").first.click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/me/")) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert answer.value.request.headers["authorization"] == f"Bearer {secret}"
    assert answer.value.json()["token"]["name"] == "Nightly BI export"
    live = operation.locator(".live-responses-table tbody .response-col_status")
    expect(live).to_have_text("200")
    shot(operation, request, "3-docs-try-it-out")
    csp.assert_clean()

    # 7. Revoke it (after confirming): the client is shut out at once.
    page.goto("/w/alpha/settings/tokens/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#token-list").get_by_role("button", name="Revoke Nightly BI export").click()
    expect(page.locator("#token-list tbody tr").get_by_test_id("token-status")).to_have_text(
        "Revoked"
    )
    expect(page.get_by_role("status").filter(has_text="no longer works")).to_be_visible()
    shot(page, request, "4-revoked")
    gone = requests.get(f"{live_server.url}/api/v1/me/", headers=headers, timeout=10)
    assert gone.status_code == 401
    csp.assert_clean()
