"""Each indicator's page draws its own values against the straight line from its baseline to
its target: the chart's data (json_script), the data table under it, the empty state, and the
same queries at 1 and many values."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from core.roles import Role
from tests.conftest import Personas
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

DAY_MS = 86_400_000


def _ms(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days * DAY_MS


def _page(client: Any, personas: Personas, indicator: Any) -> str:
    response = client.get(
        reverse("indicator_detail", args=[personas.workspace.slug, indicator.uuid])
    )
    assert response.status_code == 200
    return str(response.content.decode())


def _spec(page: str) -> dict[str, Any]:
    match = re.search(r'<canvas data-indicator-chart="([^"]*)" role="img"', page)
    assert match, "no chart data on the page"
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return data


def test_values_are_drawn_at_their_dates_against_the_baseline_to_target_line(
    personas: Personas, client_for: Any
) -> None:
    indicator = IndicatorFactory(
        workspace=personas.workspace, name="Share of young graduates who stay", unit="%",
        frequency="yearly", baseline_value=Decimal("20"), baseline_date=dt.date(2024, 1, 1),
        target_value=Decimal("40"), target_date=dt.date(2028, 1, 1),
    )  # fmt: skip
    for year, value in ((2025, "24.5"), (2026, "31")):
        MeasurementFactory(workspace=personas.workspace, indicator=indicator,
                           period=dt.date(year, 1, 1), value=Decimal(value))  # fmt: skip
    page = _page(client_for(personas.user(Role.VIEWER)), personas, indicator)
    spec = _spec(page)
    assert spec["values"]["label"] == "Measured values (%)"
    assert spec["values"]["points"] == [
        {"x": _ms(dt.date(2025, 1, 1)), "y": 24.5, "label": "2025"},
        {"x": _ms(dt.date(2026, 1, 1)), "y": 31.0, "label": "2026"},
    ]
    line = spec["line"]["points"]
    assert [(p["x"], p["y"]) for p in line] == [
        (_ms(dt.date(2024, 1, 1)), 20.0),
        (_ms(dt.date(2028, 1, 1)), 40.0),
    ]
    assert line[0]["label"].startswith("Baseline · ") and line[1]["label"].startswith("Target · ")
    assert "js/indicator_chart.js" in page
    assert "vendor/chartjs/4.6.1/chart.umd.min.js" in page
    # The table under the chart: the baseline, each value with the line's value at its date
    # (2025-01-01 is 366 of the 1461 days from 20 to 40, 2026-01-01 is 731), the target.
    table = page[page.index("Show the data as a table") :]
    rows = re.findall(
        r'<tr><th scope="row"><time datetime="([\d-]+)">([^<]+)</time></th>'
        r'<td class="num">([^<]+)</td><td class="num">([^<]+)</td></tr>',
        table,
    )
    assert [(day, value, on_line) for day, _label, value, on_line in rows] == [
        ("2024-01-01", "—", "20"),
        ("2025-01-01", "24.5", "25.01"),
        ("2026-01-01", "31", "30.01"),
        ("2028-01-01", "—", "40"),
    ]


def test_without_dates_the_line_runs_from_the_first_to_the_last_value(
    personas: Personas, client_for: Any
) -> None:
    indicator = IndicatorFactory(workspace=personas.workspace, frequency="quarterly",
                                 baseline_value=Decimal("100"), target_value=Decimal("80"))  # fmt: skip
    for month, value in ((1, 100), (4, 95), (10, 90)):
        MeasurementFactory(workspace=personas.workspace, indicator=indicator,
                           period=dt.date(2025, month, 1), value=value)  # fmt: skip
    spec = _spec(_page(client_for(personas.user(Role.VIEWER)), personas, indicator))
    assert [(p["x"], p["y"]) for p in spec["line"]["points"]] == [
        (_ms(dt.date(2025, 1, 1)), 100.0),
        (_ms(dt.date(2025, 10, 1)), 80.0),
    ]
    assert [p["label"] for p in spec["values"]["points"]] == ["Q1 2025", "Q2 2025", "Q4 2025"]


def test_no_target_draws_the_values_alone_and_says_why(personas: Personas, client_for: Any) -> None:
    indicator = IndicatorFactory(workspace=personas.workspace, baseline_value=Decimal("3"))
    MeasurementFactory(workspace=personas.workspace, indicator=indicator)
    page = _page(client_for(personas.user(Role.VIEWER)), personas, indicator)
    assert _spec(page)["line"]["points"] == []
    assert "No line from the baseline to the target" in page


def test_no_value_shows_the_empty_state_and_no_chart(personas: Personas, client_for: Any) -> None:
    indicator = IndicatorFactory(workspace=personas.workspace, baseline_value=Decimal("3"),
                                 target_value=Decimal("5"))  # fmt: skip
    page = _page(client_for(personas.user(Role.VIEWER)), personas, indicator)
    assert "Nothing to draw yet: the chart appears with the first value." in page
    assert "data-indicator-chart" not in page


def test_the_page_costs_the_same_queries_at_1_and_many_values(
    personas: Personas, client_for: Any, django_assert_num_queries: Any
) -> None:
    from tests.governance.helpers import assert_constant_queries

    indicator = IndicatorFactory(workspace=personas.workspace, frequency="monthly",
                                 baseline_value=Decimal("1"), target_value=Decimal("9"))  # fmt: skip
    MeasurementFactory(
        workspace=personas.workspace, indicator=indicator, period=dt.date(2020, 1, 1)
    )

    def add_rows() -> None:
        for n in range(1, 30):
            MeasurementFactory(workspace=personas.workspace, indicator=indicator,
                               period=dt.date(2020 + n // 12, n % 12 + 1, 1), value=n)  # fmt: skip

    page = reverse("indicator_detail", args=[personas.workspace.slug, indicator.uuid])
    assert_constant_queries(
        client_for(personas.user(Role.VIEWER)), page, add_rows, django_assert_num_queries
    )
