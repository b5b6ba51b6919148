"""Governance in headless Chromium: the 7 elements radar drawn beside the cycle before (under the
content security policy), and a whole cycle review from the summary to the next cycle."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from governance import services
from governance.models import Element
from mix.models import Action
from territories.models import Cycle
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory
from tracer.models import Objective

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _errors(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return problems


def test_the_radar_draws_this_cycle_beside_the_one_before(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="River Project")
    with scopes_disabled():
        first = Cycle.objects.get(project=project, number=1)
        second = Cycle.objects.create(
            workspace=workspace, project=project, number=2, started_on=dt.date(2027, 1, 1)
        )
        elements = list(Element.objects.order_by("number"))
    with workspace_scope(workspace):
        for cycle, base in ((first, 1), (second, 2)):
            services.maturity_assessment_save(
                actor=personas.user(Role.EDITOR), workspace=workspace, cycle=cycle,
                scores=[{"item": e, "score": min(4, base + n % 3)} for n, e in enumerate(elements)],
            )  # fmt: skip
    problems = _errors(page)
    login_with_cookie(page, personas.user(Role.VIEWER))
    page.goto(f"/w/{workspace.slug}/projects/{project.uuid}/maturity/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('maturity-radar'))"
    )
    chart = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('maturity-radar'));
          return {type: c.config.type, labels: c.data.labels,
                  sets: c.data.datasets.map((d) => [d.label, d.data]),
                  width: c.canvas.width, height: c.canvas.height}; }"""
    )
    assert chart["type"] == "radar" and chart["width"] > 0 and chart["height"] > 0
    assert len(chart["labels"]) == 7 and chart["labels"][0].startswith("1. ")
    assert chart["sets"] == [
        ["Cycle 2", [2, 3, 4, 2, 3, 4, 2]],
        ["Cycle 1", [1, 2, 3, 1, 2, 3, 1]],
    ]
    expect(page.get_by_role("img", name="Radar of the seven elements")).to_have_count(1)
    expect(page.locator("#maturity-element_organisation")).to_contain_text("+1")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
    screenshot("radar")


def test_a_whole_cycle_review(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="Harbour Project")
    objective = ObjectiveFactory(workspace=workspace, project=project, title="Attract talent")
    ActionFactory(workspace=workspace, objective=objective, title="Job fair", status="done")
    ActionFactory(workspace=workspace, objective=objective, title="Ambassador club",
                  status="in_progress")  # fmt: skip
    problems = _errors(page)
    login_with_cookie(page, personas.user(Role.EDITOR))
    base = f"/w/{workspace.slug}/projects/{project.uuid}"

    # 1. The summary of cycle 1.
    page.goto(f"{base}/cycles/1/review/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review of Cycle 1")
    expect(page.locator("#review-actors")).to_contain_text("No new actor proposed yet")
    screenshot("1-summary")

    # 2. Propose a new actor, then come back.
    page.get_by_role("link", name="Propose and follow new actors").click()
    page.get_by_role("link", name="Propose a new actor").first.click()
    page.get_by_label("Name").fill("University of Tours")
    page.get_by_label("Kind").select_option("university")
    page.get_by_label("Why involve them").fill("Keep the graduates.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#results")).to_contain_text("University of Tours")
    page.goto(f"{base}/cycles/1/review/")
    expect(page.locator("#review-actors")).to_contain_text("University of Tours")

    # 3. The close form offers the unfinished action, ticked; the finished one is not offered.
    close = page.locator("#close-form")
    expect(close.get_by_label("Ambassador club · In progress")).to_be_checked()
    expect(close.get_by_text("Job fair")).to_have_count(0)
    close.get_by_label("The next cycle starts on").fill("2027-01-04")
    screenshot("2-close-form")
    close.get_by_role("button", name="Close Cycle 1").click()
    dialog = page.get_by_role("dialog", name="Close Cycle 1?")
    expect(dialog.locator("[data-carry-count=actions]")).to_have_text("1 action")
    dialog.get_by_role("button", name="Yes, close Cycle 1").click()

    # 4. Cycle 2 is open with the copy; cycle 1 is closed and read-only.
    expect(page).to_have_url(re.compile(f"{base}/cycles/2/review/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review of Cycle 2")
    expect(page.locator("#close-form")).to_be_visible()
    screenshot("3-next-cycle")
    with scopes_disabled():
        copy = Action.objects.get(objective__cycle__number=2, objective__project=project)
        assert copy.title == "Ambassador club" and copy.carried_from is not None
        assert Objective.objects.get(pk=copy.objective_id).carried_from == objective
    page.goto(f"{base}/cycles/1/review/")
    expect(page.locator(".lead")).to_contain_text("Closed cycle")
    expect(page.locator("#close-form")).to_have_count(0)
    screenshot("4-closed-cycle")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
