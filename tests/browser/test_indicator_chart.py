"""An indicator's page in headless Chromium: Chart.js draws its values against the baseline-to-
target line under the content security policy, and draws again when a value is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


CHART = """() => { const c = window.Chart && Chart.getChart(document.querySelector('canvas[data-indicator-chart]'));
  return c ? {type: c.config.type, width: c.canvas.width, height: c.canvas.height,
              sets: c.data.datasets.map((d) => [d.label, d.data.map((p) => p.y)])} : null; }"""


def test_the_indicator_chart_draws_values_against_the_line_under_the_csp(
    page: Page, personas: Personas, login_with_cookie: Any, screenshot: Any
) -> None:
    indicator = IndicatorFactory(
        workspace=personas.workspace, name="Young graduates who stay", unit="%",
        frequency="yearly", baseline_value=Decimal("20"), baseline_date=dt.date(2024, 1, 1),
        target_value=Decimal("40"), target_date=dt.date(2030, 1, 1),
    )  # fmt: skip
    for year, value in ((2025, 23), (2026, 27)):
        MeasurementFactory(workspace=personas.workspace, indicator=indicator,
                           period=dt.date(year, 1, 1), value=Decimal(value))  # fmt: skip
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    login_with_cookie(page, personas.user(Role.EDITOR))
    page.goto(f"/w/{personas.workspace.slug}/indicators/{indicator.uuid}/")

    page.wait_for_function(CHART)
    chart = page.evaluate(CHART)
    assert chart["type"] == "line" and chart["width"] > 0 and chart["height"] > 0
    assert chart["sets"] == [
        ["Measured values (%)", [23, 27]],
        ["From the baseline to the target (%)", [20, 40]],
    ]
    expect(
        page.get_by_role("img", name="Values of Young graduates who stay over time")
    ).to_have_count(1)
    page.get_by_text("Show the data as a table").click()
    expect(page.locator(".indicator-chart table tbody tr")).to_have_count(4)
    screenshot("1-chart")

    # A value saved through the form (htmx swaps the measurements in): the chart follows.
    # A fresh page: Playwright's actions above leave style="" on the form's inputs,
    # which htmx's attribute settling would then copy, and the CSP refuse (a test artefact).
    page.reload()
    page.wait_for_function(CHART)
    page.locator("#id_period").fill("2027-01-01")
    page.locator("#id_value").fill("33")
    page.locator("#measurement-form button[type=submit]").click()
    page.wait_for_function(
        "() => { const c = window.Chart && Chart.getChart(document.querySelector('canvas[data-indicator-chart]'));"
        " return c && c.data.datasets[0].data.length === 3; }"
    )
    assert page.evaluate(CHART)["sets"][0] == ["Measured values (%)", [23, 27, 33]]
    screenshot("2-after-save")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
