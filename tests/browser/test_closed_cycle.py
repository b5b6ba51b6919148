"""A closed cycle in headless Chromium: the board opens on the open cycle; the switcher shows the
closed one read-only (no editor opens, no "New" control, a banner that leads to the cycle that
continued it), and the choice is kept in the URL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from core.tenancy import workspace_scope
from evaluation import cycles
from territories.models import Cycle
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_closed_cycle_is_read_only_in_the_browser(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="Valley Project")
    talent = ObjectiveFactory(workspace=workspace, project=project, title="Attract talent")
    ActionFactory(workspace=workspace, objective=talent, title="Job fair", status="planned")
    ActionFactory(workspace=workspace, objective=talent, title="Past forum", status="done")
    with workspace_scope(workspace):
        first = Cycle.objects.get(project=project, number=1)
        cycles.cycle_close(
            actor=personas.user(Role.OWNER),
            workspace=workspace,
            cycle=first,
            started_on=max(first.started_on, dt.date.today()),
            actions=list(first.objectives.get().actions.filter(status="planned")),
        )
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    login_with_cookie(page, personas.user(Role.EDITOR))
    board = f"/w/{workspace.slug}/projects/{project.uuid}/plan/"

    # The open cycle by default: one copy of the objective, editable, the past action absent.
    page.goto(board)
    expect(page.locator(".objective-card")).to_have_count(1)
    expect(page.get_by_text("Past forum", exact=True)).to_have_count(0)
    expect(page.locator("button.editable").first).to_be_visible()
    switcher = page.get_by_role("combobox", name="Cycle")
    expect(switcher.locator("option:checked")).to_have_text("Cycle 2 · open")

    # Switching to cycle 1 goes to ?cycle=1 and reads as closed.
    switcher.select_option("1")
    expect(page).to_have_url(re.compile(r"\?cycle=1$"))
    banner = page.get_by_role("note")
    expect(banner).to_contain_text("Cycle 1 was closed on")
    expect(page.get_by_text("Past forum", exact=True)).to_be_visible()
    expect(page.locator("button.editable")).to_have_count(0)
    expect(page.get_by_role("link", name="New action")).to_have_count(0)
    expect(page.get_by_role("link", name="New objective")).to_have_count(0)
    expect(page.get_by_role("link", name="+ Action")).to_have_count(0)
    # Clicking a title opens nothing: it is text.
    page.get_by_text("Past forum", exact=True).click()
    expect(page.locator("form.inline")).to_have_count(0)
    screenshot("closed-cycle-board")

    # The tabs keep the closed cycle; the banner leads to the cycle that continued it.
    page.get_by_role("link", name="Table", exact=True).click()
    expect(page).to_have_url(re.compile(r"/plan/table/\?cycle=1$"))
    expect(page.locator("button.editable")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("note")).to_contain_text("Cycle 1 was closed on")
    banner = page.get_by_role("note")
    banner.get_by_role("link", name=re.compile("Continue in Cycle 2")).click()
    expect(page).to_have_url(re.compile(r"\?cycle=2$"))
    expect(page.locator("button.editable").first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
