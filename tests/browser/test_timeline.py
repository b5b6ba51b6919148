"""The timeline in headless Chromium: bars and milestones are reached with Tab and show their
full text in a tooltip on keyboard focus and on hover (Escape hides it); today's line is drawn
where today falls; no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    ObjectiveFactory,
    ProjectFactory,
)
from tests.mix.test_plan_timeline import _month

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


LONG = "A welcome programme for the families of the engineers the port hires this year"


def test_bars_and_milestones_show_their_full_text_on_focus_and_hover(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    ws, today = personas.workspace, timezone.localdate()
    project = ProjectFactory(workspace=ws, name="Harbour Project")
    objective = ObjectiveFactory(workspace=ws, project=project)
    ActionFactory(workspace=ws, objective=objective, title=LONG,
                  start_date=_month(today, 1), end_date=_month(today, 1))  # fmt: skip
    ActionFactory(workspace=ws, objective=objective, title="Job fair",
                  start_date=_month(today, -3), end_date=_month(today, 4))  # fmt: skip
    body = GovernanceBodyFactory(workspace=ws, project=project, name="Steering committee")
    MeetingFactory(workspace=ws, body=body, title="Spring review", held_on=_month(today, 2))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    login_with_cookie(page, personas.user(Role.VIEWER))
    page.goto(f"/w/{ws.slug}/projects/{project.uuid}/plan/timeline/")

    # The short bar shows a truncated title; its tooltip, hidden at first, holds all of it.
    bar = page.get_by_role("link", name=LONG)
    tip = page.get_by_role("tooltip").filter(has_text=LONG)
    assert bar.evaluate("(a) => a.firstElementChild.scrollWidth > a.firstElementChild.clientWidth")
    expect(tip).to_be_hidden()
    # Keyboard: Tab reaches the bar and the tooltip appears; Escape hides it.
    page.locator(".tl-milestone").first.focus()
    for _ in range(3):  # the milestone, then the bars by start date: Job fair, the long one
        page.keyboard.press("Tab")
        if bar.evaluate("(a) => a === document.activeElement"):
            break
    expect(bar).to_be_focused()
    expect(tip).to_be_visible()
    expect(bar).to_have_accessible_description(LONG + " " + tip.inner_text().split("\n", 1)[1])
    screenshot("1-focus")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.keyboard.press("Tab")
    expect(tip).to_be_hidden()
    # Hover shows it too.
    bar.hover()
    expect(tip).to_be_visible()
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()

    # The milestone is a link named by its type, date and title, with a tooltip on focus.
    milestone = page.get_by_role("link", name="Meeting, ")
    expect(milestone).to_have_accessible_name(
        "Meeting, " + page.locator(".tl-milestone + .tl-tip time").inner_text()
        + ": Steering committee: Spring review"
    )  # fmt: skip
    milestone.focus()
    expect(page.locator(".tl-milestone + .tl-tip")).to_be_visible()
    # Today's line falls inside the track, after the Job fair bar's start.
    line = page.locator(".tl-line-today").bounding_box()
    job = page.get_by_role("link", name="Job fair").bounding_box()
    assert line and job and job["x"] < line["x"] < job["x"] + job["width"]
    expect(page.locator(".tl-today-label")).to_have_text("Today")
    screenshot("2-milestone")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
