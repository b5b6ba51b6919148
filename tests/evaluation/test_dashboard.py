"""The dashboards' pages: what they show, how they learn of newer numbers, who sees what, how
many queries they make and what they export.

Snapshots are computed here by calling the service directly; the computations the pages send
run after commit, which the test transaction holds (``django_capture_on_commit_callbacks``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from core.tenancy import workspace_scope
from evaluation import dashboard, services
from evaluation.models import DashboardSnapshot, Indicator, Measurement, SnapshotStatus
from evaluation.selectors_dashboard import partner_state
from territories.models import Project
from tests.conftest import Personas
from tests.factories import ActionFactory, PartnerOrganisationFactory, ProjectFactory
from tracer.models import TracerStage

pytestmark = pytest.mark.django_db


# --- Helpers -----------------------------------------------------------------------------------


def add_indicators(
    project: Project, count: int, *, name: str = "Indicator", level: str = "result"
) -> list[Indicator]:
    """``count`` indicators with a target and two measurements each, 60% of the way and on
    track until about 2030 (bulk: the numbers do not depend on how the rows were written)."""
    stage = TracerStage.objects.get(code="tracer.reputation")
    indicators = Indicator.unscoped_objects.bulk_create(
        [
            Indicator(
                workspace=project.workspace, project=project, name=f"{name} {i + 1}",
                unit="visits", stage=stage, level=level, baseline_value=Decimal(0),
                baseline_date=dt.date(2024, 1, 1), target_value=Decimal(100),
                target_date=dt.date(2036, 1, 1),
            )
            for i in range(count)
        ]
    )  # fmt: skip
    Measurement.unscoped_objects.bulk_create(
        Measurement(
            workspace=project.workspace, indicator=indicator, period=period, value=Decimal(value)
        )
        for indicator in indicators
        for period, value in ((dt.date(2024, 1, 1), 10), (dt.date(2025, 1, 1), 60))
    )
    return indicators


def compute(project: Project | None, workspace: Any) -> DashboardSnapshot:
    """The snapshot of the current inputs, computed now (as the task would)."""
    with workspace_scope(workspace):
        version = services.inputs_version(project, workspace)
        snapshot = services.snapshot_compute(
            workspace=workspace, project=project, version=version, claim="test"
        )
    assert snapshot is not None and snapshot.status == SnapshotStatus.DONE
    return snapshot


def page_url(personas: Personas, project: Project) -> str:
    return reverse("project_dashboard", args=[personas.workspace.slug, project.uuid])


def status_url(personas: Personas, project: Project) -> str:
    return reverse("project_dashboard_status", args=[personas.workspace.slug, project.uuid])


def record(personas: Personas, indicator: Indicator, value: int, capture: Any) -> None:
    """A new measurement through the service; its recomputation is held with the commit."""
    with workspace_scope(personas.workspace), capture(execute=False):
        services.measurement_record(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace,
            indicator=indicator, period=dt.date(2026, 1, 1), value=Decimal(value),
        )  # fmt: skip


def share(personas: Personas, *projects: Project) -> None:
    organisation = PartnerOrganisationFactory(workspace=personas.workspace, name="Harbour office")
    organisation.members.add(personas.memberships[Role.PARTNER])
    organisation.shared_projects.add(*projects)


@pytest.fixture
def project(sample: dict[str, Any]) -> Project:
    return sample["project"]


# --- What the page shows ------------------------------------------------------------------------


def test_the_page_shows_the_latest_snapshot_and_when_it_was_computed(
    personas: Personas, project: Project, client_for: Any
) -> None:
    add_indicators(project, 2, name="Overnight stays")
    snapshot = compute(project, personas.workspace)
    DashboardSnapshot.unscoped_objects.filter(pk=snapshot.pk).update(
        computed_at=dt.datetime(2026, 3, 12, 13, 5, tzinfo=dt.UTC), duration_ms=42
    )
    response = client_for(personas.user(Role.VIEWER)).get(page_url(personas, project))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Computed on 12 March 2026, 14:05 in 42 ms" in body  # Europe/Paris, day first
    assert "Updating the numbers" not in body
    assert "Overnight stays 1" in body and "Overnight stays 2" in body
    assert 'id="dashboard-data" type="application/json"' in body  # chart data, not a script
    assert "<script>" not in body  # the CSP allows no inline script
    assert f"version={snapshot.inputs_version}&amp;pending=0" in body
    for section in ("Attainment of the indicators", "Trends", "TRACER funnel"):
        assert section in body
    assert body.count("<caption>") >= 5  # every chart has its data table


def test_a_newer_version_is_computed_while_the_page_shows_the_last_numbers(
    personas: Personas, project: Project, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    [indicator] = add_indicators(project, 1, name="Overnight stays")
    first = compute(project, personas.workspace)
    record(personas, indicator, 90, django_capture_on_commit_callbacks)
    client = client_for(personas.user(Role.VIEWER))

    with django_capture_on_commit_callbacks(execute=False) as sent:
        body = client.get(page_url(personas, project)).content.decode()
    assert len(sent) == 1  # the page sent the computation of the current inputs
    assert "Updating the numbers…" in body
    assert "Overnight stays 1" in body  # the last numbers meanwhile
    assert f"version={first.inputs_version}&amp;pending=1" in body
    assert 'hx-trigger="every 2s"' in body

    query = {"version": first.inputs_version, "pending": "1"}
    with django_capture_on_commit_callbacks(execute=False) as again:
        waiting = client.get(status_url(personas, project), query)
    assert waiting.status_code == 204
    # With a worker, asked once, not at every poll (the worker has it); in-process, the page
    # computes what it asks for (here held with the test's transaction).
    assert len(again) == (1 if settings.CELERY_TASK_ALWAYS_EAGER else 0)

    second = compute(project, personas.workspace)
    assert second.inputs_version != first.inputs_version
    ready = client.get(status_url(personas, project), query)
    assert ready.status_code == 200 and ready["HX-Refresh"] == "true"

    body = client.get(page_url(personas, project)).content.decode()
    assert "Updating the numbers" not in body
    assert f"version={second.inputs_version}&amp;pending=0" in body


def test_an_idle_page_learns_that_an_update_started(
    personas: Personas, project: Project, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    [indicator] = add_indicators(project, 1)
    first = compute(project, personas.workspace)
    client = client_for(personas.user(Role.VIEWER))
    query = {"version": first.inputs_version, "pending": "0"}
    assert client.get(status_url(personas, project), query).status_code == 204

    record(personas, indicator, 70, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(status_url(personas, project), query)
    assert response.status_code == 200  # the status line, redrawn with the faster poll
    body = response.content.decode()
    assert "Updating the numbers…" in body and "pending=1" in body


def test_before_the_first_snapshot_a_friendly_note_says_it_is_being_computed(
    personas: Personas, project: Project, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    with django_capture_on_commit_callbacks(execute=False):
        body = client.get(page_url(personas, project)).content.decode()
    assert "computed for the first time" in body
    assert "version=&amp;pending=1" in body
    assert 'id="dashboard-data"' not in body


def test_a_failed_update_says_so_and_keeps_the_last_numbers(
    personas: Personas, project: Project, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    [indicator] = add_indicators(project, 1)
    compute(project, personas.workspace)
    record(personas, indicator, 70, django_capture_on_commit_callbacks)
    with workspace_scope(personas.workspace):
        services.snapshot_request(workspace=personas.workspace, project=project)
    DashboardSnapshot.unscoped_objects.filter(status=SnapshotStatus.PENDING).update(
        status=SnapshotStatus.FAILED, error="ZeroDivisionError"
    )
    with django_capture_on_commit_callbacks(execute=False) as sent:
        body = (
            client_for(personas.user(Role.VIEWER)).get(page_url(personas, project)).content.decode()
        )
    assert not sent  # a failed computation is not sent again by every page view
    assert "The latest update of the numbers failed" in body
    assert "Indicator 1" in body and "Updating the numbers" not in body


def test_the_status_endpoint_needs_the_version_shown(
    personas: Personas, project: Project, client_for: Any
) -> None:
    response = client_for(personas.user(Role.VIEWER)).get(status_url(personas, project))
    assert response.status_code == 400


@pytest.fixture
def embedded(settings: Any) -> Iterator[None]:
    """Tasks in-process, as in the embedded default, whatever this run's settings."""
    from celery import current_app

    before = current_app.conf.task_always_eager  # read before the settings change it
    settings.CELERY_TASK_ALWAYS_EAGER = True
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = before


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_the_page_computes_its_numbers_at_once(
    personas: Personas, project: Project, client_for: Any, embedded: None
) -> None:
    add_indicators(project, 3, name="Ambassadors")
    body = client_for(personas.user(Role.VIEWER)).get(page_url(personas, project)).content.decode()
    assert "Ambassadors 3" in body and "Computed on" in body
    assert "Updating the numbers" not in body
    assert DashboardSnapshot.unscoped_objects.filter(
        project=project, status=SnapshotStatus.DONE
    ).exists()


# --- Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OWNER, 200),
        (Role.ADMIN, 200),
        (Role.EDITOR, 200),
        (Role.VIEWER, 200),
        (Role.PARTNER, 404),  # not shared with their organisation
        ("outsider", 404),
    ],
)
def test_who_sees_a_project_dashboard(
    role: str, expected: int, personas: Personas, project: Project, client_for: Any
) -> None:
    compute(project, personas.workspace)
    client = client_for(personas.user(role))
    assert client.get(page_url(personas, project)).status_code == expected
    export = reverse(
        "project_dashboard_export", args=[personas.workspace.slug, project.uuid, "funnel", "csv"]
    )
    assert client.get(export).status_code == expected


def test_a_partner_sees_the_dashboards_of_the_projects_shared_with_them_only(
    personas: Personas, project: Project, client_for: Any
) -> None:
    harbour = ProjectFactory(workspace=personas.workspace, name="Harbour Project")
    add_indicators(harbour, 2, name="Harbour visits")
    add_indicators(project, 3, name="Secret indicator")
    share(personas, harbour)
    for each in (harbour, project, None):
        compute(each, personas.workspace)
    client = client_for(personas.user(Role.PARTNER))

    assert client.get(page_url(personas, project)).status_code == 404
    assert client.get(page_url(personas, harbour)).status_code == 200

    response = client.get(reverse("workspace_dashboard", args=[personas.workspace.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Harbour Project" in body
    assert "Secret Project Alpha" not in body and str(project.uuid) not in body
    assert "only the projects shared with your organisation" in body
    assert response.context["state"].data["statuses"]["on_track"] == 2  # not 5

    export = client.get(
        reverse("workspace_dashboard_export", args=[personas.workspace.slug, "projects", "csv"])
    ).content.decode("utf-8-sig")
    assert "Harbour Project" in export and "Secret Project Alpha" not in export

    # Staff see the workspace's own snapshot: every project.
    staff = client_for(personas.user(Role.VIEWER))
    body = staff.get(reverse("workspace_dashboard", args=[personas.workspace.slug])).content
    assert b"Harbour Project" in body and b"Secret Project Alpha" in body
    assert b"only the projects shared" not in body


def test_a_partner_sharing_every_project_sees_the_workspace_numbers(
    personas: Personas, project: Project
) -> None:
    """The partner's dashboard, summed from project snapshots, is the workspace computation."""
    other = ProjectFactory(workspace=personas.workspace, name="Other Project")
    add_indicators(project, 3)
    add_indicators(other, 2, level="output")
    ActionFactory(workspace=personas.workspace, objective__project=other, budget_planned=900)
    share(personas, project, other)
    snapshots = [compute(p, personas.workspace) for p in (project, other)]
    with workspace_scope(personas.workspace):
        projects = list(Project.objects.order_by("name", "id"))
        expected = dashboard.compute_workspace()
    state = partner_state(projects=projects, current=snapshots)
    assert state.data is not None and not state.pending and state.missing == 0
    for key in ("projects", "funnel", "budget_by_family", "schedule", "statuses"):
        assert state.data[key] == expected[key], key


# --- Queries ---------------------------------------------------------------------------------


def test_the_page_reads_a_snapshot_whatever_the_number_of_indicators(
    personas: Personas, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    small = ProjectFactory(workspace=personas.workspace)
    large = ProjectFactory(workspace=personas.workspace)
    add_indicators(small, 1)
    add_indicators(large, 30)
    compute(small, personas.workspace)
    compute(large, personas.workspace)
    client.get(page_url(personas, small))  # the session, once
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url(personas, small)).status_code == 200
    with django_assert_num_queries(len(one)):
        body = client.get(page_url(personas, large)).content.decode()
    assert "Indicator 30" in body


# --- Exports -------------------------------------------------------------------------------------


def _export(
    client: Any, personas: Personas, project: Project, table: str, fmt: str, **q: str
) -> Any:
    url = reverse(
        "project_dashboard_export", args=[personas.workspace.slug, project.uuid, table, fmt]
    )
    return client.get(url, q)


def test_exports_have_headers_in_the_language_asked(
    personas: Personas, project: Project, client_for: Any
) -> None:
    add_indicators(project, 1, name="=HYPERLINK(evil)")
    compute(project, personas.workspace)
    client = client_for(personas.user(Role.VIEWER))

    french = _export(client, personas, project, "indicators", "csv", lang="fr")
    assert french["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(french.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Indicateur", "Étape TRACER", "Niveau"]
    assert rows[0][-3:] == ["Taux d'atteinte (%)", "Statut", "Cycle"]
    assert rows[1][0] == "'=HYPERLINK(evil) 1"  # a formula is neutralised
    assert rows[1][-2:] == ["En bonne voie", "1"]  # the cycle shown: the current one

    english = _export(client, personas, project, "indicators", "csv", lang="en")
    rows = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Indicator", "TRACER stage", "Level"]
    assert rows[1][-3:] == ["60.0", "On track", "1"]

    funnel = _export(client, personas, project, "funnel", "csv", lang="en").content
    assert funnel.decode("utf-8-sig").startswith("TRACER stage,Objectives,Actions,Idea,Planned")

    workbook = _export(client, personas, project, "all", "xlsx", lang="fr")
    assert workbook["Content-Disposition"].endswith('-cycle-1-tous-les-tableaux.xlsx"')
    sheets = load_workbook(io.BytesIO(workbook.content))
    assert sheets.sheetnames == ["Indicateurs", "Entonnoir TRACER", "Budget par famille du mix"]
    assert [c.value for c in sheets["Entonnoir TRACER"][1]][:2] == ["Étape TRACER", "Objectifs"]
    assert sheets["Indicateurs"]["A2"].value == "'=HYPERLINK(evil) 1"
    budget = load_workbook(io.BytesIO(_export(client, personas, project, "budget", "xlsx").content))
    assert [c.value for c in budget.active[1]] == [
        "Mix family", "Actions", "Planned budget (€)", "Spent (€)", "Cycle",
    ]  # fmt: skip
    assert [c.value for c in budget.active[2]][-1] == 1  # a number, for the spreadsheet


def test_unknown_tables_and_formats_are_404(
    personas: Personas, project: Project, client_for: Any
) -> None:
    client = client_for(personas.user(Role.VIEWER))
    assert _export(client, personas, project, "secrets", "csv").status_code == 404
    assert _export(client, personas, project, "all", "csv").status_code == 404
    assert _export(client, personas, project, "funnel", "pdf").status_code == 404
    assert _export(client, personas, project, "projects", "csv").status_code == 404


def test_a_partner_with_no_shared_project_is_told_so(
    personas: Personas, project: Project, client_for: Any
) -> None:
    compute(project, personas.workspace)
    compute(None, personas.workspace)
    response = client_for(personas.user(Role.PARTNER)).get(
        reverse("workspace_dashboard", args=[personas.workspace.slug])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "No project is shared with your organisation yet." in body
    assert "Secret Project Alpha" not in body and 'id="dashboard-data"' not in body
