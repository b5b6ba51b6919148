"""The board's layout on common laptop screens: its six TRACER columns fit 1366 px without
sideways scrolling of the page; on 1024 px the board scrolls sideways as one block and its
columns keep their width. Its cards show the family and the status as two badges, the amount
with its currency, the lead partner on one line (the whole name on hover), and still edit in
place."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from core.roles import Role
from core.tenancy import scopes_disabled
from mix.models import Action
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ObjectiveFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)
from tracer.models import TracerStage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def shown(text: str) -> re.Pattern[str]:
    """A field's visible value; its button also names it for screen readers ("Edit title: ")."""
    return re.compile(rf"(?:^|:\s*){re.escape(text)}\s*$")


LONG_NAME = "Office de tourisme intercommunal du Pays de Loire-Touraine et de ses châteaux"


@pytest.fixture
def plan(personas: Personas) -> tuple[str, Action]:
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="Wine Entrepreneurs 2026")
    lead = PartnerOrganisationFactory(workspace=workspace, name=LONG_NAME)
    action = None
    with scopes_disabled():
        stages = list(TracerStage.objects.order_by("position"))
    for stage in stages:
        objective = ObjectiveFactory(
            workspace=workspace,
            project=project,
            stage=stage,
            title=f"Reach the {stage.label_en.lower()} goals of the territory",
        )
        made = ActionFactory(
            workspace=workspace,
            objective=objective,
            title=f"An action of the {stage.label_en.lower()} stage",
            lead_partner=lead,
            start_date=dt.date(2026, 5, 17),
            end_date=dt.date(2026, 11, 30),
            budget_planned=Decimal("12000.00"),
        )
        action = action or made
    assert action is not None
    return f"/w/{workspace.slug}/projects/{project.uuid}/plan/", action


def _open(browser: Browser, args: dict[str, Any], width: int, login: Any, user: Any) -> Any:
    context = browser.new_context(**{**args, "viewport": {"width": width, "height": 768}})
    login(context, user)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


GEOMETRY = """() => {
  const board = document.querySelector('.board');
  const columns = [...board.querySelectorAll('.board-column')].map(c => c.getBoundingClientRect());
  return {
    pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    boardScrolls: board.scrollWidth > board.clientWidth,
    boardRight: board.getBoundingClientRect().right,
    columns: columns.map(r => ({left: r.left, right: r.right, width: r.width})),
    viewport: window.innerWidth,
  };
}"""


def test_at_1366_px_the_six_columns_fit_without_scrolling(
    browser: Browser,
    browser_context_args: dict[str, Any],
    personas: Personas,
    login_with_cookie: Any,
    screenshot_of: Any,
    plan: tuple[str, Action],
) -> None:
    url, action = plan
    page = _open(browser, browser_context_args, 1366, login_with_cookie, personas.user(Role.OWNER))
    page.goto(url)
    geometry = page.evaluate(GEOMETRY)
    screenshot_of(page, "board-1366")
    assert len(geometry["columns"]) == 6
    assert not geometry["pageScrolls"], geometry
    assert not geometry["boardScrolls"], geometry
    assert all(c["right"] <= geometry["viewport"] for c in geometry["columns"]), geometry

    card = page.locator(f"#action-{action.uuid}-card")
    # Family and status: two badges; the amount with its currency; the lead on one line.
    expect(card.locator(".badge-family")).to_have_text(shown("Promotion and communication"))
    expect(card.locator(".badge-status")).to_have_text(shown("Planned"))
    expect(card.locator(".card-amount")).to_contain_text("12,000\xa0€")
    lead = card.locator(f"#action-{action.uuid}-lead_partner")
    expect(lead).to_have_attribute("title", LONG_NAME)
    expect(lead).to_contain_text(LONG_NAME)  # the accessible text holds the whole name
    cut = lead.evaluate("el => [el.scrollWidth > el.clientWidth, el.getClientRects().length]")
    assert cut == [True, 1], cut  # shortened with an ellipsis, on one line
    row = card.locator(".card-lead").evaluate("el => el.getBoundingClientRect().height")
    label = card.locator(".card-lead-label").evaluate("el => el.getBoundingClientRect().height")
    assert row < 1.5 * label, (row, label)

    # The cards still edit in place: the amount, then the lead partner's editor opens.
    card.locator(f"#action-{action.uuid}-budget_planned").click()
    editor = page.locator(f"form#action-{action.uuid}-budget_planned.inline-editor.editing")
    expect(editor).to_be_visible()
    editor.locator("input[name=budget_planned]").fill("12500")
    editor.locator("input[name=budget_planned]").press("Enter")
    expect(card.locator(f"#action-{action.uuid}-budget_planned")).to_contain_text("12,500\xa0€")
    with scopes_disabled():
        assert Action.objects.get(pk=action.pk).budget_planned == Decimal("12500")
    lead.click()
    expect(
        page.locator(f"form#action-{action.uuid}-lead_partner.inline-editor.editing")
    ).to_be_visible()
    screenshot_of(page, "board-1366-editing")
    page.context.close()


def test_at_1024_px_the_board_scrolls_as_one_block(
    browser: Browser,
    browser_context_args: dict[str, Any],
    personas: Personas,
    login_with_cookie: Any,
    screenshot_of: Any,
    plan: tuple[str, Action],
) -> None:
    url, _ = plan
    page = _open(browser, browser_context_args, 1024, login_with_cookie, personas.user(Role.OWNER))
    page.goto(url)
    geometry = page.evaluate(GEOMETRY)
    screenshot_of(page, "board-1024")
    assert not geometry["pageScrolls"], geometry  # the page itself does not scroll sideways
    assert geometry["boardScrolls"], geometry  # the board does, as one block
    widths = {round(c["width"]) for c in geometry["columns"]}
    assert len(widths) == 1 and min(widths) >= 190, geometry  # equal columns, none squashed
    page.locator(".board").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    last = page.locator(".board-column").nth(5).evaluate("el => el.getBoundingClientRect().right")
    assert last <= geometry["viewport"]
    screenshot_of(page, "board-1024-scrolled")
    page.context.close()
