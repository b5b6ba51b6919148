"""The dashboards in headless Chromium: Chart.js draws every chart under the content security
policy (no inline script, no inline style), and new numbers reach an open page by themselves.

The computation runs in-process in the embedded default; with Redis, the real Celery worker
(``celery_worker_process``) computes it, so the test holds in both set-ups.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from core.tenancy import workspace_scope
from evaluation import services
from evaluation.models import Indicator
from territories.models import Project
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory
from tracer.models import TracerStage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Flushing after each live-server test removes the migrations' reference rows.
    pytest.mark.usefixtures("reference_data"),
]

# ms: the idle page polls every 5 s; with a worker, the debounced recomputation waits 5 s more.
LIVE = 25_000


CHARTS_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll("canvas[data-chart], #trend-chart"));
  return window.Chart && canvases.length > 0 && canvases.every((c) => Chart.getChart(c));
}"""


@pytest.fixture
def tasks_run(settings: Any, request: pytest.FixtureRequest) -> None:
    """In-process in the embedded default; otherwise the real worker must be up."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        request.getfixturevalue("celery_worker_process")


def indicator(personas: Personas, project: Project, name: str, **data: Any) -> Indicator:
    stage = TracerStage.objects.get(code=data.pop("stage", "tracer.reputation"))
    return services.indicator_create(
        actor=personas.user(Role.OWNER), workspace=personas.workspace, project=project,
        name=name, stage=stage, baseline_date=dt.date(2024, 1, 1),
        target_date=dt.date(2036, 1, 1), frequency="yearly", **data,
    )  # fmt: skip


def measure(personas: Personas, target: Indicator, year: int, value: int) -> None:
    services.measurement_record(
        actor=personas.user(Role.OWNER), workspace=personas.workspace, indicator=target,
        period=dt.date(year, 1, 1), value=Decimal(value),
    )  # fmt: skip


@pytest.fixture
def harbour(personas: Personas) -> Project:
    """A project with a plan, three indicators and their values, and its computed numbers."""
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="Harbour Project")
    objective = ObjectiveFactory(workspace=workspace, project=project)
    for status, planned, end in (
        ("done", 12000, dt.date(2025, 6, 1)),
        ("in_progress", 30000, dt.date(2020, 1, 1)),
        ("planned", 8000, None),
    ):
        ActionFactory(
            workspace=workspace, objective=objective, status=status,
            budget_planned=Decimal(planned), budget_spent=Decimal(planned // 3), end_date=end,
        )  # fmt: skip
    with workspace_scope(workspace):
        stays = indicator(
            personas, project, "Overnight stays", unit="nights",
            baseline_value=Decimal(1000), target_value=Decimal(2000),
        )  # fmt: skip
        press = indicator(
            personas, project, "Press articles", unit="articles", level="output",
            baseline_value=Decimal(0), target_value=Decimal(50), stage="tracer.affinities",
        )  # fmt: skip
        indicator(personas, project, "Visitor satisfaction", unit="/10", unit_kind="score_10")
        for year, value in ((2024, 1000), (2025, 1300)):
            measure(personas, stays, year, value)
        for year, value in ((2024, 10), (2025, 30)):
            measure(personas, press, year, value)
        version = services.inputs_version(project, workspace)
        services.snapshot_compute(workspace=workspace, project=project, version=version, claim="t")
    return project


def open_dashboard(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#dashboard-status .computed")).to_contain_text("Computed on")
    page.wait_for_function(CHARTS_DRAWN)


def charts(page: Page) -> dict[str, Any]:
    """Each chart of the page: its instance, its canvas's size, its first dataset."""
    return page.evaluate(
        """() => Object.fromEntries(
          Array.from(document.querySelectorAll("canvas[data-chart], #trend-chart")).map((c) => {
            const chart = Chart.getChart(c);
            return [c.dataset.chart || c.id, {
              width: c.width, height: c.height, type: chart.config.type,
              label: chart.data.datasets[0].label, data: chart.data.datasets[0].data,
            }];
          }))"""
    )


def test_the_dashboard_draws_its_charts_and_updates_itself(
    page: Page,
    live_server: Any,
    personas: Personas,
    harbour: Project,
    login_with_cookie: Any,
    screenshot: Any,
    tasks_run: None,
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    login_with_cookie(page, personas.user(Role.VIEWER))
    url = f"/w/{personas.workspace.slug}/projects/{harbour.uuid}/dashboard/"

    open_dashboard(page, url)
    drawn = charts(page)
    assert set(drawn) == {
        "attainment", "trend-chart", "outputs", "funnel-actions", "funnel-budget",
        "funnel-attainment", "budget", "schedule",
    }  # fmt: skip
    for name, chart in drawn.items():
        assert chart["width"] > 0 and chart["height"] > 0, name
    assert drawn["schedule"]["type"] == "doughnut"
    # By TRACER stage: stays and satisfaction (Reputation), press articles (Affinities).
    assert drawn["attainment"]["data"] == [30.0, None, 60.0]
    assert page.evaluate("window.__cspViolations") == []
    # Labels carry the status in words, not only in colour.
    expect(
        page.get_by_role("img", name="Attainment of each indicator against its target")
    ).to_have_count(1)
    labels = page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart=attainment]')).data.labels"
    )
    assert labels == [
        ["Overnight stays", "On track"], ["Visitor satisfaction", "No data"],
        ["Press articles", "On track"],
    ]  # fmt: skip
    screenshot("1-project")

    # The trend chart follows the indicator chosen.
    page.get_by_label("Indicator", exact=True).select_option(label="A · Press articles")
    assert charts(page)["trend-chart"]["label"] == "Press articles (articles)"
    screenshot("2-trend")

    # A new value: the open page learns of it and reloads with the new numbers.
    with workspace_scope(personas.workspace):
        stays = Indicator.objects.get(name="Overnight stays")
        measure(personas, stays, 2026, 1900)
        version = services.inputs_version(harbour, personas.workspace)
    page.wait_for_function(
        f"""() => {{
          const poller = document.getElementById("dashboard-poller");
          return poller && poller.getAttribute("hx-get").includes("version={version}&pending=0");
        }}""",
        timeout=LIVE,
    )
    page.wait_for_function(CHARTS_DRAWN)
    assert charts(page)["attainment"]["data"][0] == 90.0
    assert page.evaluate("window.__cspViolations") == []
    screenshot("3-updated")

    # The workspace's dashboard, for a member of staff: every project.
    open_dashboard(page, f"/w/{personas.workspace.slug}/dashboard/")
    drawn = charts(page)
    assert {"projects", "funnel-actions", "budget", "schedule"} <= set(drawn)
    assert "Harbour Project" in page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart=projects]')).data.labels"
    )
    assert page.evaluate("window.__cspViolations") == []
    screenshot("4-workspace")
    assert problems == []
