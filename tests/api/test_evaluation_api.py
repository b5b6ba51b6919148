"""The evaluation API: indicators, measurements, dashboard snapshots and lessons.

Clients authenticate with personal tokens (or the browser's session), as people would. Every
write goes through the evaluation services, so the tests look at what a client notices: the
answer, its ETag, the problem details of a refusal, the history of a measurement, and the
dashboard snapshot computed by the real worker after a measurement arrives.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import TokenScope
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from core.tokens import token_create
from evaluation.models import DashboardSnapshot, Indicator, Lesson, Measurement, MeasurementChange
from governance.models import PartnerOrganisation
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    LessonFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/w/alpha"
PROBLEM = "application/problem+json"


def token_client(personas: Personas, who: str, scope: str = TokenScope.WRITE) -> APIClient:
    """A client holding a personal token of ``who`` (a role, or "outsider") for their workspace."""
    workspace = personas.other_workspace if who == "outsider" else personas.workspace
    with workspace_scope(workspace):
        _token, secret = token_create(
            actor=personas.user(who), workspace=workspace, name="Warehouse sync", scope=scope
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def editor(personas: Personas) -> APIClient:
    return token_client(personas, Role.EDITOR)


def revision(project: Project) -> int:
    """The evaluation revision: part of the dashboards' inputs version."""
    with scopes_disabled():
        return Project.objects.values_list("evaluation_revision", flat=True).get(pk=project.pk)


def problem_errors(response: Any, status: int) -> dict[str, list[str]]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:territoria:problem:")
    return body.get("errors", {})


# --- Indicators --------------------------------------------------------------------------------


def test_an_indicator_is_created_changed_with_if_match_and_deleted(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    project, objective, action = sample["project"], sample["objective"], sample["action"]
    before = revision(project)

    created = editor.post(
        f"{BASE}/indicators/",
        {
            "project": str(project.uuid),
            "name": "Share of young families among new residents",
            "unit": "%",
            "unit_kind": "percent",
            "direction": "higher",
            "level": "result",
            "stage": "tracer.reputation",
            "objective": str(objective.uuid),
            "actions": [str(action.uuid)],
            "baseline_value": "18.5",
            "baseline_date": "2026-01-01",
            "target_value": "25",
            "target_date": "2028-12-31",
            "frequency": "yearly",
            "source": "INSEE",
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert created["ETag"] == '"1"'
    assert created["Location"] == body["url"]
    assert body["version"] == 1
    assert body["objective"] == str(objective.uuid)
    assert body["objective_url"].endswith(f"/objectives/{objective.uuid}/")
    assert body["actions"] == [str(action.uuid)]
    assert body["baseline_value"] == "18.5000"
    assert body["created_by"] == str(personas.user(Role.EDITOR).uuid)
    assert revision(project) == before + 1  # the dashboards' inputs changed
    url = body["url"]

    got = editor.get(url)
    assert got.status_code == 200 and got["ETag"] == '"1"'
    assert editor.get(url, HTTP_IF_NONE_MATCH='"1"').status_code == 304

    assert problem_errors(editor.patch(url, {"name": "x"}, format="json"), 428) == {}
    stale = editor.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH='"0"')
    problem_errors(stale, 412)
    assert stale["ETag"] == '"1"'
    assert stale.json()["current"]["name"] == "Share of young families among new residents"

    changed = editor.patch(
        url, {"target_value": "30", "actions": []}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'  # indicator_update bumps the version
    assert changed.json()["target_value"] == "30.0000"
    assert changed.json()["actions"] == []
    assert changed.json()["version"] == 2
    assert revision(project) == before + 2

    # The project is fixed once created: refused, not ignored.
    with workspace_scope(personas.workspace):
        other = ProjectFactory(workspace=personas.workspace)
    moved = editor.patch(url, {"project": str(other.uuid)}, format="json", HTTP_IF_MATCH='"2"')
    assert "project" in problem_errors(moved, 400)

    problem_errors(editor.delete(url, HTTP_IF_MATCH='"1"'), 412)
    assert editor.delete(url, HTTP_IF_MATCH='"2"').status_code == 204
    problem_errors(editor.get(url), 404)
    assert revision(project) == before + 3


def test_an_invalid_indicator_is_refused_with_every_fields_message(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    project = sample["project"]
    with workspace_scope(personas.workspace):
        elsewhere = ObjectiveFactory(workspace=personas.workspace)  # another project's
    beta_project = ProjectFactory(workspace=personas.other_workspace)
    valid = {
        "project": str(project.uuid),
        "name": "Occupancy rate",
        "unit": "%",
        "unit_kind": "percent",
        "stage": "tracer.reputation",
    }

    errors = problem_errors(
        editor.post(f"{BASE}/indicators/", {**valid, "target_value": "140"}, format="json"), 400
    )
    assert any("above the largest plausible value" in m for m in errors["target_value"])

    errors = problem_errors(
        editor.post(
            f"{BASE}/indicators/",
            {**valid, "colour": "red", "version": 7, "stage": "tracer.nowhere"},
            format="json",
        ),
        400,
    )
    assert errors["colour"] == ["Unknown field."]
    assert errors["version"] == ["This field is read-only."]

    errors = problem_errors(
        editor.post(f"{BASE}/indicators/", {**valid, "stage": "tracer.nowhere"}, format="json"),
        400,
    )
    assert set(errors) == {"stage"}

    errors = problem_errors(
        editor.post(
            f"{BASE}/indicators/", {**valid, "objective": str(elsewhere.uuid)}, format="json"
        ),
        400,
    )
    assert errors["objective"] == ["Choose an objective of this project."]

    # Another workspace's project is unknown here.
    errors = problem_errors(
        editor.post(
            f"{BASE}/indicators/", {**valid, "project": str(beta_project.uuid)}, format="json"
        ),
        400,
    )
    assert set(errors) == {"project"}

    with workspace_scope(personas.workspace):
        assert list(Indicator.objects.values_list("name", flat=True)) == ["Secret Indicator"]


def test_indicator_filters(personas: Personas, sample: dict[str, Any], editor: APIClient) -> None:
    ws = personas.workspace
    with workspace_scope(ws):
        IndicatorFactory(workspace=ws, project=sample["project"], name="Nights", level="output")
        IndicatorFactory(
            workspace=ws, project=sample["project"], name="Evaluated", objective=sample["objective"]
        )
        IndicatorFactory(workspace=ws, name="Other project")
    Indicator.unscoped_objects.filter(name="Other project").update(
        updated_at=timezone.now() - dt.timedelta(days=3)
    )

    def names(query: str) -> list[str]:
        response = editor.get(f"{BASE}/indicators/?{query}")
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert sorted(names(f"project={sample['project'].uuid}")) == [
        "Evaluated",
        "Nights",
        "Secret Indicator",
    ]
    assert names("level=output") == ["Nights"]
    assert names(f"objective={sample['objective'].uuid}") == ["Evaluated"]
    assert names("stage=tracer.reputation&ordering=-name") == [
        "Secret Indicator",
        "Other project",
        "Nights",
        "Evaluated",
    ]
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert "Other project" not in names(f"updated_since={since.replace('+', '%2B')}")
    problem_errors(editor.get(f"{BASE}/indicators/?level=everything"), 400)


# --- Measurements ------------------------------------------------------------------------------


def test_a_measurement_is_recorded_for_its_period_and_corrected_with_its_history(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    indicator = sample["indicator"]  # a quarterly percentage
    before = revision(sample["project"])

    created = editor.post(
        f"{BASE}/measurements/",
        {"indicator": str(indicator.uuid), "period": "2026-05-17", "value": "42.5"},
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["period"] == "2026-04-01"  # the quarter's first day
    assert body["value"] == "42.5000"
    assert body["project"] == str(sample["project"].uuid)
    assert body["indicator_url"].endswith(f"/indicators/{indicator.uuid}/")
    assert body["entered_by"] == str(personas.user(Role.EDITOR).uuid)
    assert revision(sample["project"]) == before + 1
    url, etag = body["url"], created["ETag"]

    # The same quarter again: refused, not overwritten unseen.
    again = editor.post(
        f"{BASE}/measurements/",
        {"indicator": str(indicator.uuid), "period": "2026-06-30", "value": "99"},
        format="json",
    )
    assert any("2026-04-01" in m for m in problem_errors(again, 400)["period"])

    problem_errors(editor.patch(url, {"value": "45"}, format="json"), 428)
    corrected = editor.patch(
        url, {"value": "45", "note": "Checked with the survey."}, format="json", HTTP_IF_MATCH=etag
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["value"] == "45.0000"
    assert corrected.json()["period"] == "2026-04-01"
    assert corrected["ETag"] != etag
    problem_errors(editor.patch(url, {"value": "46"}, format="json", HTTP_IF_MATCH=etag), 412)
    assert revision(sample["project"]) == before + 2

    moved = editor.patch(
        url, {"period": "2026-07-01"}, format="json", HTTP_IF_MATCH=corrected["ETag"]
    )
    assert "period" in problem_errors(moved, 400)
    problem_errors(editor.delete(url, HTTP_IF_MATCH=corrected["ETag"]), 405)

    with workspace_scope(personas.workspace):
        history = list(
            MeasurementChange.objects.order_by("id").values_list("old_value", "new_value")
        )
        assert Measurement.objects.get().value == Decimal("45")
    assert history == [(None, Decimal("42.5")), (Decimal("42.5"), Decimal("45"))]


@pytest.mark.parametrize(
    ("unit_kind", "payload", "field", "message"),
    [
        ("percent", {"value": "140"}, "value", "above the largest plausible value"),
        ("count", {"value": "-3"}, "value", "below the smallest plausible value"),
        ("count", {"value": "12.5"}, "value", "not a whole number"),
        ("percent", {"value": "NaN"}, "value", "valid number"),
        ("percent", {"period": "2026-13-01"}, "period", "Date has wrong format"),
        ("percent", {"period": ""}, "period", "Date has wrong format"),
        ("percent", {"indicator": "not-a-uuid"}, "indicator", "does not exist"),
    ],
)
def test_an_implausible_value_or_a_bad_period_is_refused(
    personas: Personas,
    sample: dict[str, Any],
    editor: APIClient,
    unit_kind: str,
    payload: dict[str, str],
    field: str,
    message: str,
) -> None:
    Indicator.unscoped_objects.filter(pk=sample["indicator"].pk).update(unit_kind=unit_kind)
    data = {"indicator": str(sample["indicator"].uuid), "period": "2026-02-01", "value": "10"}

    response = editor.post(f"{BASE}/measurements/", {**data, **payload}, format="json")

    errors = problem_errors(response, 400)
    assert any(message in m for m in errors[field]), errors
    assert not Measurement.unscoped_objects.exists()


def test_measurement_filters(personas: Personas, sample: dict[str, Any], editor: APIClient) -> None:
    ws = personas.workspace
    indicator = sample["indicator"]
    other = IndicatorFactory(workspace=ws, name="Elsewhere")
    for period in (dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 7, 1)):
        MeasurementFactory(workspace=ws, indicator=indicator, period=period)
    MeasurementFactory(workspace=ws, indicator=other, period=dt.date(2025, 4, 1))

    def periods(query: str) -> list[str]:
        response = editor.get(f"{BASE}/measurements/?{query}")
        assert response.status_code == 200, response.content
        return [row["period"] for row in response.json()["results"]]

    assert periods(f"indicator={indicator.uuid}") == ["2025-01-01", "2025-04-01", "2025-07-01"]
    assert periods(f"project={other.project.uuid}") == ["2025-04-01"]
    assert periods(
        f"indicator={indicator.uuid}&period_after=2025-02-01&period_before=2025-04-30"
    ) == ["2025-04-01"]
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat().replace("+", "%2B")
    assert periods(f"updated_since={future}") == []
    problem_errors(editor.get(f"{BASE}/measurements/?period_after=yesterday"), 400)


# --- Dashboard snapshots -----------------------------------------------------------------------


def test_dashboard_snapshots_are_read_only_and_show_no_row_ids(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    ws, project = personas.workspace, sample["project"]
    row = {"id": 17, "uuid": str(sample["indicator"].uuid), "project_id": project.pk, "latest": 3}
    with workspace_scope(ws):
        done = DashboardSnapshot.objects.create(
            workspace=ws,
            project=project,
            inputs_version="p-2026-10-12-1-1",
            status="done",
            data={"indicators": [row], "outputs": [row], "statuses": {"late": 0}},
            computed_at=timezone.now(),
            duration_ms=12,
        )
        DashboardSnapshot.objects.create(
            workspace=ws, project=None, inputs_version="w-2026-10-12-x", status="running",
            error="claim:6f1c",
        )  # fmt: skip

    listed = editor.get(f"{BASE}/dashboard-snapshots/")
    assert listed.status_code == 200
    assert {r["project"] for r in listed.json()["results"]} == {str(project.uuid), None}
    running = editor.get(f"{BASE}/dashboard-snapshots/?whole_workspace=true").json()["results"]
    assert [(r["status"], r["error"], r["project_url"]) for r in running] == [("running", "", None)]

    got = editor.get(f"{BASE}/dashboard-snapshots/{done.uuid}/")
    assert got.status_code == 200 and got["ETag"]
    body = got.json()
    assert body["data"]["indicators"] == [{"uuid": row["uuid"], "latest": 3}]
    assert body["data"]["outputs"] == [{"uuid": row["uuid"], "latest": 3}]
    assert body["inputs_version"] == "p-2026-10-12-1-1" and body["duration_ms"] == 12
    ids = editor.get(f"{BASE}/dashboard-snapshots/?project={project.uuid}&status=done").json()
    assert [r["id"] for r in ids["results"]] == [str(done.uuid)]

    problem_errors(editor.post(f"{BASE}/dashboard-snapshots/", {}, format="json"), 405)
    problem_errors(editor.delete(f"{BASE}/dashboard-snapshots/{done.uuid}/"), 405)


def test_dashboard_snapshots_name_their_cycle_and_are_filtered_by_it(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    from evaluation import cycles

    ws, project = personas.workspace, sample["project"]
    stranger = ProjectFactory(workspace=personas.other_workspace)
    with workspace_scope(ws):
        first = Cycle.objects.get(project=project, number=1)
        second = cycles.cycle_close(
            actor=personas.user(Role.OWNER), workspace=ws, cycle=first,
            started_on=timezone.localdate(),
        )  # fmt: skip
        closed = DashboardSnapshot.objects.create(
            workspace=ws, project=project, cycle=first, inputs_version="c-1", status="done"
        )
        current = DashboardSnapshot.objects.create(
            workspace=ws, project=project, cycle=second, inputs_version="p-1", status="done"
        )
        whole = DashboardSnapshot.objects.create(workspace=ws, inputs_version="w-1")
    with scopes_disabled():
        stranger_cycle = Cycle.objects.get(project=stranger)

    body = editor.get(f"{BASE}/dashboard-snapshots/{closed.uuid}/").json()
    assert body["cycle"] == str(first.uuid)
    assert body["cycle_url"].endswith(f"/w/alpha/cycles/{first.uuid}/")
    listed = {r["id"]: r for r in editor.get(f"{BASE}/dashboard-snapshots/").json()["results"]}
    assert (listed[str(whole.uuid)]["cycle"], listed[str(whole.uuid)]["cycle_url"]) == (None, None)

    def ids(query: str) -> list[str]:
        response = editor.get(f"{BASE}/dashboard-snapshots/?{query}")
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids("cycle=current") == [
        str(current.uuid)
    ]  # not the closed cycle's, nor the workspace's
    assert ids(f"cycle={first.uuid}") == [str(closed.uuid)]
    assert ids(f"cycle={second.uuid}&project={project.uuid}") == [str(current.uuid)]
    for wrong in ("now", "1", str(stranger_cycle.uuid)):  # another workspace's cycle: not found
        errors = problem_errors(editor.get(f"{BASE}/dashboard-snapshots/?cycle={wrong}"), 400)
        assert list(errors) == ["cycle"], wrong


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_measurement_sent_through_the_api_gets_its_dashboard_computed_by_the_worker(
    personas: Personas,
    sample: dict[str, Any],
    settings: Any,
    celery_worker_process: subprocess.Popen[bytes],
) -> None:
    settings.DASHBOARD_DEBOUNCE_SECONDS = 1
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this test needs the real worker"
    project, indicator = sample["project"], sample["indicator"]
    cache.delete(f"dashboards-scheduled:{personas.workspace.pk}:{project.pk}")
    editor = token_client(personas, Role.EDITOR)

    created = editor.post(
        f"{BASE}/measurements/",
        {"indicator": str(indicator.uuid), "period": "2026-02-14", "value": "64"},
        format="json",
    )
    assert created.status_code == 201, created.content

    def ready() -> dict[str, Any] | None:
        response = editor.get(f"{BASE}/dashboard-snapshots/?project={project.uuid}&status=done")
        assert response.status_code == 200
        for snapshot in response.json()["results"]:
            for row in snapshot["data"].get("indicators", []):
                if row["uuid"] == str(indicator.uuid) and row["latest"] == 64:
                    return dict(snapshot)
        return None

    deadline = time.monotonic() + 30
    snapshot = ready()
    while snapshot is None and time.monotonic() < deadline:
        time.sleep(0.2)
        snapshot = ready()
    assert snapshot is not None, "no snapshot with the new value within 30 s (worker log?)"
    assert snapshot["inputs_version"].endswith(f"-{revision(project)}")
    assert snapshot["computed_at"] is not None


# --- Lessons -----------------------------------------------------------------------------------


def test_a_lesson_is_recorded_in_the_current_cycle_moved_along_and_deleted(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    project = sample["project"]
    with workspace_scope(personas.workspace):
        cycle = Cycle.objects.get(project=project, number=1)
        stranger = ProjectFactory(workspace=personas.workspace)
        stranger_cycle = Cycle.objects.get(project=stranger)

    created = editor.post(
        f"{BASE}/lessons/",
        {
            "project": str(project.uuid),
            "learned": "Spring visitors came back to look at housing.",
            "source": "evaluation",
            "indicator": str(sample["indicator"].uuid),
            "policy": "housing",
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["cycle"] == str(cycle.uuid)
    assert body["cycle_url"].endswith(f"/cycles/{cycle.uuid}/")
    assert body["status"] == "proposed"
    assert body["created_by"] == str(personas.user(Role.EDITOR).uuid)
    url, etag = body["url"], created["ETag"]

    wrong = editor.patch(
        url, {"cycle": str(stranger_cycle.uuid)}, format="json", HTTP_IF_MATCH=etag
    )
    assert problem_errors(wrong, 400)["cycle"] == ["Choose one from this project."]
    blank = editor.patch(url, {"learned": " "}, format="json", HTTP_IF_MATCH=etag)
    assert "learned" in problem_errors(blank, 400)

    sent = editor.patch(
        url, {"status": "sent", "sent_to": "Housing department"}, format="json", HTTP_IF_MATCH=etag
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "sent"
    assert sent["ETag"] != etag
    problem_errors(editor.delete(url, HTTP_IF_MATCH=etag), 412)

    listed = editor.get(f"{BASE}/lessons/?status=sent&policy=housing&project={project.uuid}")
    assert [r["id"] for r in listed.json()["results"]] == [body["id"]]
    assert editor.get(f"{BASE}/lessons/?source=workshop").json()["results"] == []
    assert editor.get(f"{BASE}/lessons/?cycle={stranger_cycle.uuid}").json()["results"] == []

    assert editor.delete(url, HTTP_IF_MATCH=sent["ETag"]).status_code == 204
    with workspace_scope(personas.workspace):
        assert not Lesson.objects.filter(uuid=body["id"]).exists()


# --- Who sees and changes what -----------------------------------------------------------------


def test_a_partner_sees_the_evaluation_of_shared_projects_only_and_changes_nothing(
    personas: Personas, sample: dict[str, Any]
) -> None:
    ws = personas.workspace
    with workspace_scope(ws):
        shared = ProjectFactory(workspace=ws, name="Shared project")
        office = PartnerOrganisationFactory(workspace=ws, name="Tourism office")
        office.members.add(personas.memberships[Role.PARTNER])
        office.shared_projects.add(shared)
        visible = IndicatorFactory(workspace=ws, project=shared, name="Visible indicator")
        MeasurementFactory(workspace=ws, indicator=visible)
        MeasurementFactory(workspace=ws, indicator=sample["indicator"])
        LessonFactory(workspace=ws, project=shared, learned="Visible lesson")
        for project, version in ((shared, "p-1"), (sample["project"], "p-2"), (None, "w-1")):
            DashboardSnapshot.objects.create(workspace=ws, project=project, inputs_version=version)
        assert PartnerOrganisation.objects.count() == 2
    partner = token_client(personas, Role.PARTNER)

    def listed(kind: str) -> list[str]:
        response = partner.get(f"{BASE}/{kind}/")
        assert response.status_code == 200
        return [row["project"] for row in response.json()["results"]]

    for kind in ("indicators", "measurements", "lessons", "dashboard-snapshots"):
        assert listed(kind) == [str(shared.uuid)], kind  # not even the workspace's snapshot

    # The unshared project's objects are not found, whether read, changed or named.
    hidden = sample["indicator"]
    problem_errors(partner.get(f"{BASE}/indicators/{hidden.uuid}/"), 404)
    problem_errors(partner.get(f"{BASE}/lessons/{sample['lesson'].uuid}/"), 404)
    problem_errors(partner.get(f"{BASE}/indicators/?project={sample['project'].uuid}"), 400)
    # Writing is refused for the role before any lookup: an unshared id and an unknown one
    # get the same answer.
    for uuid in (hidden.uuid, "00000000-0000-4000-8000-000000000000"):
        problem_errors(partner.patch(f"{BASE}/indicators/{uuid}/", {}, format="json"), 403)

    # Partners read the evaluation and change nothing, even on a shared project.
    refused = partner.post(
        f"{BASE}/measurements/",
        {"indicator": str(visible.uuid), "period": "2026-01-01", "value": "5"},
        format="json",
    )
    problem_errors(refused, 403)
    got = partner.get(f"{BASE}/indicators/{visible.uuid}/")
    problem_errors(
        partner.patch(
            f"{BASE}/indicators/{visible.uuid}/", {"name": "Mine"}, HTTP_IF_MATCH=got["ETag"]
        ),
        403,
    )


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("indicators", {"name": "Nights", "unit": "nights", "stage": "tracer.reputation"}),
        ("lessons", {"learned": "Something", "policy": "tourism"}),
    ],
)
def test_a_viewer_reads_and_cannot_write(
    personas: Personas, sample: dict[str, Any], client: Any, kind: str, payload: dict[str, str]
) -> None:
    client.force_login(personas.user(Role.VIEWER))  # the browser's session
    payload = {**payload, "project": str(sample["project"].uuid)}

    assert client.get(f"{BASE}/{kind}/").status_code == 200
    response = client.post(f"{BASE}/{kind}/", payload, content_type="application/json")

    problem_errors(response, 403)
    item = sample["indicator"] if kind == "indicators" else sample["lesson"]
    etag = client.get(f"{BASE}/{kind}/{item.uuid}/")["ETag"]
    problem_errors(client.delete(f"{BASE}/{kind}/{item.uuid}/", HTTP_IF_MATCH=etag), 403)
    # A read-only token of an editor cannot write either.
    reader = token_client(personas, Role.EDITOR, scope=TokenScope.READ)
    problem_errors(reader.post(f"{BASE}/{kind}/", payload, format="json"), 403)
    with workspace_scope(personas.workspace):
        assert Indicator.objects.count() == 1 and Lesson.objects.count() == 1


def test_another_workspaces_token_and_ids_are_never_found(
    personas: Personas, sample: dict[str, Any]
) -> None:
    outsider = token_client(personas, "outsider")  # owner of beta
    alpha_ids = {
        "indicators": sample["indicator"].uuid,
        "lessons": sample["lesson"].uuid,
    }
    for kind, uuid in alpha_ids.items():
        problem_errors(outsider.get(f"{BASE}/{kind}/"), 404)  # alpha's address
        problem_errors(outsider.get(f"/api/v1/w/beta/{kind}/{uuid}/"), 404)  # alpha's id
    errors = problem_errors(
        outsider.post(
            "/api/v1/w/beta/measurements/",
            {"indicator": str(sample["indicator"].uuid), "period": "2026-01-01", "value": "5"},
            format="json",
        ),
        400,
    )
    assert set(errors) == {"indicator"}
    assert outsider.get("/api/v1/w/beta/indicators/").json()["results"] == []


# --- Query counts ------------------------------------------------------------------------------


def _indicators(ws: Any, project: Project, n: int) -> None:
    for i in range(n):
        objective = ObjectiveFactory(workspace=ws, project=project)
        indicator = IndicatorFactory(workspace=ws, project=project, objective=objective)
        indicator.actions.set(
            [ActionFactory(workspace=ws, objective=objective, title=f"A{i}-{j}") for j in range(2)]
        )


def _measurements(ws: Any, project: Project, n: int) -> None:
    for _ in range(n):
        indicator = IndicatorFactory(workspace=ws, project=ProjectFactory(workspace=ws))
        MeasurementFactory(workspace=ws, indicator=indicator)


def _snapshots(ws: Any, project: Project, n: int) -> None:
    for i in range(n):
        DashboardSnapshot.unscoped_objects.create(
            workspace=ws, project=ProjectFactory(workspace=ws), inputs_version=f"p-{i}"
        )


def _lessons(ws: Any, project: Project, n: int) -> None:
    for _ in range(n):
        other = ProjectFactory(workspace=ws)
        action = ActionFactory(
            workspace=ws, objective=ObjectiveFactory(workspace=ws, project=other)
        )
        indicator = IndicatorFactory(workspace=ws, project=other)
        LessonFactory(workspace=ws, project=other, indicator=indicator, action=action)


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("indicators", _indicators),
        ("measurements", _measurements),
        ("dashboard-snapshots", _snapshots),
        ("lessons", _lessons),
    ],
)
def test_a_list_takes_as_many_queries_for_20_rows_as_for_1(
    personas: Personas,
    editor: APIClient,
    django_assert_num_queries: Callable[..., Any],
    kind: str,
    make: Callable[[Any, Project, int], None],
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws)
    with workspace_scope(ws):
        make(ws, project, 1)
    assert editor.get(f"{BASE}/{kind}/").status_code == 200  # the token's last use is written
    with CaptureQueriesContext(connection) as one:
        response = editor.get(f"{BASE}/{kind}/")
    assert response.json()["count"] == 1

    with workspace_scope(ws):
        make(ws, project, 19)
    with django_assert_num_queries(len(one)):
        response = editor.get(f"{BASE}/{kind}/")
    assert response.json()["count"] == 20
