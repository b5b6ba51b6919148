"""Closing a cycle in headless Chromium: the close button opens a modal dialog that says what
closes and what carries over, keeps the keyboard inside, cancels on Escape, and only its
confirm button closes cycle N and opens N+1 (under the content security policy)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from core.tenancy import scopes_disabled
from territories.models import Cycle
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


IN_DIALOG = "() => document.getElementById('close-dialog').contains(document.activeElement)"


def _statuses(project: Any) -> list[tuple[int, str]]:
    with scopes_disabled():
        return list(
            Cycle.objects.filter(project=project).order_by("number").values_list("number", "status")
        )


def test_the_close_dialog_is_keyboard_usable_and_closes_only_when_confirmed(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="Valley Project")
    talent = ObjectiveFactory(workspace=workspace, project=project, title="Attract talent")
    ObjectiveFactory(workspace=workspace, project=project, title="Welcome families")
    ActionFactory(workspace=workspace, objective=talent, title="Ambassador club",
                  status="in_progress")  # fmt: skip
    ActionFactory(workspace=workspace, objective=talent, title="Job fair", status="planned")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    login_with_cookie(page, personas.user(Role.EDITOR))
    base = f"/w/{workspace.slug}/projects/{project.uuid}"
    page.goto(f"{base}/cycles/1/review/")

    form = page.locator("#close-form")
    # The script asks for the confirmation in the dialog: the no-JS box is hidden.
    expect(form.get_by_label("I understand that closing the cycle cannot be undone")).to_be_hidden()
    # Untick one action and tick an objective: the dialog counts the form as it is now.
    form.get_by_label("Job fair · Planned").uncheck()
    form.get_by_label("Welcome families").check()

    # 1. Open with the keyboard: focus on the button, Enter.
    opener = form.get_by_role("button", name="Close Cycle 1")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Close Cycle 1?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Cycle 1 closes")
    expect(dialog).to_contain_text("This cannot be undone.")
    # "Attract talent" was ticked for its unfinished actions; "Welcome families" by hand.
    expect(dialog.locator("[data-carry-count=objectives]")).to_have_text("2 objectives")
    objectives = dialog.locator("[data-carry-list=objectives] li")
    assert sorted(objectives.all_inner_texts()) == ["Attract talent", "Welcome families"]
    expect(dialog.locator("[data-carry-count=actions]")).to_have_text("1 action")
    expect(dialog.locator("[data-carry-list=actions] li")).to_have_text(
        ["Ambassador club · In progress"]
    )
    cancel = dialog.get_by_role("button", name="Cancel")
    confirm = dialog.get_by_role("button", name="Yes, close Cycle 1")
    expect(cancel).to_be_focused()  # the safe choice first
    screenshot("1-dialog")

    # 2. Tab cycles inside the dialog, both ways.
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate(IN_DIALOG)
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()  # cancel, confirm, cancel, confirm
    page.keyboard.press("Shift+Tab")
    expect(cancel).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(confirm).to_be_focused()

    # 3. Escape cancels: the dialog closes, focus is back on the button, nothing closed.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    assert _statuses(project) == [(1, "open")]
    expect(page).to_have_url(re.compile(f"{base}/cycles/1/review/$"))

    # 4. Open again (Space this time), change the ticks: the dialog follows. Confirm.
    form.get_by_label("Job fair · Planned").check()
    opener.focus()
    page.keyboard.press("Space")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-carry-count=actions]")).to_have_text("2 actions")
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(f"{base}/cycles/2/review/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review of Cycle 2")
    assert _statuses(project) == [(1, "closed"), (2, "open")]
    with scopes_disabled():
        carried = Cycle.objects.get(project=project, number=2)
        assert sorted(carried.objectives.values_list("title", flat=True)) == [
            "Attract talent",
            "Welcome families",
        ]
    screenshot("2-next-cycle")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
