"""In a real browser, the XSS corpus (as comments and as titles) fires nothing: no dialog opens and
htmx makes no request that a payload asked for."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from core.tenancy import workspace_scope
from mix import comments
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory
from tests.mix.test_xss import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_payloads_open_no_dialog_on_the_action_page(
    page: Page,
    personas: Personas,
    reference_data: None,
    login_with_cookie: Any,
    screenshot: Any,
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="XSS project")
    objective = ObjectiveFactory(
        workspace=ws, project=project, title='<svg onload=alert("objective")>'
    )
    action = ActionFactory(
        workspace=ws, objective=objective, title='<img src=x onerror=alert("title")>'
    )
    owner = personas.memberships[Role.OWNER]
    with workspace_scope(ws):
        posted = [
            comments.comment_create(
                actor=owner.user,
                membership=owner,
                workspace=ws,
                target=action,
                body=f"@viewer {payload}",
            )
            for payload in PAYLOADS
        ]
        comments.comment_resolve(
            actor=owner.user, membership=owner, workspace=ws, comment=posted[0], resolved=True
        )

    dialogs: list[str] = []
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: asked.append(request.url))
    login_with_cookie(page, owner.user)
    page.goto(f"/w/alpha/actions/{action.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("<img src=x onerror=")
    expect(page.locator(".comment-body")).to_have_count(len(PAYLOADS))
    # Open the resolved thread and an editor (the source in a textarea), as a person would.
    page.locator("details.thread.resolved > summary").click()
    page.locator(f"#comment-{posted[1].uuid}").get_by_role("link", name="Edit").click()
    expect(page.locator(f"#comment-body-edit-{posted[1].uuid}")).to_be_visible()
    page.wait_for_timeout(1500)  # time for anything delayed (hx-trigger=load, timers) to fire
    screenshot("action-page")
    # The mentioned viewer's notifications carry the payloads too.
    login_with_cookie(page, personas.user(Role.VIEWER))
    page.goto("/w/alpha/notifications/")
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    page.goto(f"/w/alpha/objectives/{objective.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("<svg onload=")
    page.wait_for_timeout(500)

    assert dialogs == []
    # Control: the listener does see a dialog when one opens.
    page.evaluate("() => alert('control')")
    assert dialogs == ["control"]
    assert not [url for url in asked if url.endswith("/x") or "evil.example" in url], asked
