"""Indicator pages: roles and partners, the catalogue pre-fill, validation as 422 fragments,
measurements entered and corrected with their history, and the list's query count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Workspace
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from evaluation import services
from evaluation.models import Indicator, Lesson, Measurement, MeasurementChange
from governance.models import PartnerOrganisation
from mix.models import Action
from territories.models import Project
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    LessonFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ProjectFactory,
)
from tracer.models import Objective, TracerStage

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = ["owner", "admin", "editor", "partner", "viewer", "outsider"]


@dataclass
class Setup:
    workspace: Workspace
    project: Project  # shared with the partner persona's organisation
    objective: Objective
    action: Action
    indicator: Indicator  # a percentage, quarterly, higher is better
    lesson: Lesson

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.workspace.slug, *args])


@pytest.fixture
def setup(personas: Personas) -> Setup:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Shared Project")
    office = PartnerOrganisation.unscoped_objects.create(workspace=ws, name="Tourism Office")
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(project)
    objective = ObjectiveFactory(workspace=ws, project=project, title="Be known")
    action = ActionFactory(workspace=ws, objective=objective, title="Campaign")
    indicator = IndicatorFactory(
        workspace=ws,
        project=project,
        name="Aided awareness",
        objective=objective,
        baseline_value=Decimal("20"),
        target_value=Decimal("35"),
    )
    lesson = LessonFactory(workspace=ws, project=project, indicator=indicator, learned="Learned")
    return Setup(ws, project, objective, action, indicator, lesson)


# --- Roles and partners ------------------------------------------------------------------------

# page -> (method, status per persona: owner, admin, editor, partner, viewer, outsider)
EXPECTED = {
    "indicator_list": ("get", [200, 200, 200, 200, 200, 404]),
    "indicator_create": ("get", [200, 200, 200, 403, 403, 404]),
    "indicator_detail": ("get", [200, 200, 200, 200, 200, 404]),
    "indicator_edit": ("get", [200, 200, 200, 403, 403, 404]),
    "indicator_delete": ("post", [302, 302, 302, 403, 403, 404]),
    "measurement_record": ("post", [302, 302, 302, 403, 403, 404]),
    "measurements_import": ("get", [200, 200, 200, 403, 403, 404]),
    "measurements_template": ("get", [200, 200, 200, 403, 403, 404]),
}


def _args(setup: Setup, name: str) -> list[Any]:
    if name.startswith("indicator_") and name not in {"indicator_list", "indicator_create"}:
        return [setup.indicator.uuid]
    if name == "measurement_record":
        return [setup.indicator.uuid]
    return [setup.project.uuid]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_matrix_on_a_shared_project(
    name: str, who: str, personas: Personas, setup: Setup, client_for: Any
) -> None:
    method, statuses = EXPECTED[name]
    client = client_for(personas.user(who))
    url = setup.url(name, *_args(setup, name))
    data = {"period": "2025-02-10", "value": "25"} if name == "measurement_record" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == statuses[WHO.index(who)]
    if who == "outsider":
        assert "Aided awareness" not in response.content.decode()
    with scopes_disabled():
        exists = Indicator.objects.filter(pk=setup.indicator.pk).exists()
        recorded = Measurement.objects.filter(indicator=setup.indicator).exists()
    allowed = statuses[WHO.index(who)] == 302
    assert exists is not (name == "indicator_delete" and allowed)
    assert recorded is (name == "measurement_record" and allowed)


def test_a_partner_reads_a_shared_projects_evaluation_without_any_edit_control(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.PARTNER))
    listing = client.get(setup.url("indicator_list", setup.project.uuid)).content.decode()
    assert "Aided awareness" in listing
    assert setup.url("indicator_create", setup.project.uuid) not in listing
    assert setup.url("measurements_import", setup.project.uuid) not in listing
    detail = client.get(setup.url("indicator_detail", setup.indicator.uuid)).content.decode()
    assert 'id="measurement-form"' not in detail
    correct = client.get(
        setup.url("indicator_detail", setup.indicator.uuid), {"period": "2025-01-01"}, **HTMX
    )
    assert 'id="measurement-form"' not in correct.content.decode()
    assert setup.url("indicator_edit", setup.indicator.uuid) not in detail
    # An editor gets the controls.
    editor = client_for(personas.user(Role.EDITOR))
    detail = editor.get(setup.url("indicator_detail", setup.indicator.uuid)).content.decode()
    assert 'id="measurement-form"' in detail


def test_a_partner_gets_404_on_a_project_not_shared_with_them(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    other = ProjectFactory(workspace=personas.workspace, name="Not shared")
    hidden = IndicatorFactory(workspace=personas.workspace, project=other, name="Hidden one")
    client = client_for(personas.user(Role.PARTNER))
    assert client.get(setup.url("indicator_list", other.uuid)).status_code == 404
    assert client.get(setup.url("indicator_detail", hidden.uuid)).status_code == 404
    # A viewer of the workspace sees it.
    viewer = client_for(personas.user(Role.VIEWER))
    assert viewer.get(setup.url("indicator_detail", hidden.uuid)).status_code == 200


def test_another_workspaces_indicator_is_404_even_for_an_owner(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    foreign = IndicatorFactory(workspace=personas.other_workspace, name="Beta indicator")
    client = client_for(personas.user(Role.OWNER))
    for name in ("indicator_detail", "indicator_edit"):
        assert client.get(setup.url(name, foreign.uuid)).status_code == 404
    for name in ("indicator_delete", "measurement_record"):
        response = client.post(setup.url(name, foreign.uuid), {"period": "2025-01-01", "value": 1})
        assert response.status_code == 404
    with scopes_disabled():
        assert Indicator.objects.filter(pk=foreign.pk).exists()
        assert not Measurement.objects.filter(indicator=foreign).exists()


# --- The list ----------------------------------------------------------------------------------


def test_the_list_groups_by_tracer_stage_with_latest_value_and_count(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    ws = personas.workspace
    conversion = TracerStage.objects.get(code="tracer.conversion")
    nights = IndicatorFactory(
        workspace=ws, project=setup.project, name="Tourist nights", stage=conversion,
        unit="nights", unit_kind="count", direction="higher", frequency="yearly",
    )  # fmt: skip
    MeasurementFactory(workspace=ws, indicator=nights, period=dt.date(2024, 1, 1), value=1000)
    MeasurementFactory(workspace=ws, indicator=nights, period=dt.date(2025, 1, 1), value=1250)
    page = client_for(personas.user(Role.VIEWER)).get(
        setup.url("indicator_list", setup.project.uuid)
    )
    html = page.content.decode()
    reputation = TracerStage.objects.get(code="tracer.reputation")
    # Stages in TRACER order, each heading its indicators.
    assert html.index(reputation.label) < html.index("Aided awareness")
    assert (
        html.index("Aided awareness") < html.index(conversion.label) < html.index("Tourist nights")
    )
    row = html[html.index(f'id="indicator-{nights.uuid}"') :]
    row = row[: row.index("</tr>")]
    assert "1,250" in row and ">2</td>" in row
    awareness = html[html.index(f'id="indicator-{setup.indicator.uuid}"') :]
    awareness = awareness[: awareness.index("</tr>")]
    assert "20" in awareness and "35" in awareness and "none yet" in awareness


def test_the_empty_list_explains_indicators_and_points_to_the_catalogue(
    personas: Personas, client_for: Any
) -> None:
    project = ProjectFactory(workspace=personas.workspace)
    html = (
        client_for(personas.user(Role.EDITOR))
        .get(reverse("indicator_list", args=[personas.workspace.slug, project.uuid]))
        .content.decode()
    )
    assert "No indicator yet" in html
    assert reverse("frameworks") + "#indicators" in html
    assert reverse("indicator_create", args=[personas.workspace.slug, project.uuid]) in html


def _populate(personas: Personas, project: Project, count: int) -> None:
    stages = list(TracerStage.objects.order_by("position"))
    for n in range(count):
        indicator = IndicatorFactory(
            workspace=personas.workspace, project=project, stage=stages[n % len(stages)],
            objective=ObjectiveFactory(workspace=personas.workspace, project=project),
        )  # fmt: skip
        MeasurementFactory(workspace=personas.workspace, indicator=indicator, value=n % 100)


@pytest.mark.parametrize("who", [Role.OWNER, Role.PARTNER])
def test_list_query_count_is_the_same_at_1_and_30_indicators(
    who: str, personas: Personas, setup: Setup, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.user(who))
    project = setup.project
    url = setup.url("indicator_list", project.uuid)
    with scopes_disabled():
        Indicator.objects.filter(project=project).delete()
    _populate(personas, project, 1)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 1
    _populate(personas, project, 29)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30


# --- Create from the catalogue, edit, delete ---------------------------------------------------


def test_picking_from_the_catalogue_fills_the_form_in_the_readers_language(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = setup.url("indicator_create", setup.project.uuid)
    page = client.get(url).content.decode()
    assert 'hx-get="' + url + '"' in page and "kpi.tour.occupancy" in page
    response = client.get(
        url, {"catalogue": "kpi.tour.occupancy", "source": "Keep what I typed"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="indicator-form"')  # only the fragment
    assert 'value="Occupancy rate"' in html and 'value="%"' in html
    assert 'value="Keep what I typed"' in html
    assert '<option value="percent" selected>' in html
    assert '<option value="tracer.conversion" selected>' in html
    assert '<option value="kpi.tour.occupancy" selected>' in html
    assert "csrfmiddlewaretoken" not in response.request["QUERY_STRING"]
    french = client.get(url, {"catalogue": "kpi.tour.occupancy"}, HTTP_ACCEPT_LANGUAGE="fr", **HTMX)
    assert 'value="Taux de remplissage"' in french.content.decode()
    # "None": the form keeps what was typed and forgets the catalogue entry.
    custom = client.get(url, {"catalogue": "", "name": "My own"}, **HTMX).content.decode()
    assert 'value="My own"' in custom


def _indicator_data(setup: Setup, **overrides: Any) -> dict[str, Any]:
    data = {
        "catalogue": "kpi.tour.occupancy",
        "name": "Occupancy rate",
        "stage": "tracer.conversion",
        "level": "result",
        "unit": "%",
        "unit_kind": "percent",
        "direction": "higher",
        "frequency": "monthly",
        "baseline_value": "61,5",  # a decimal comma is fine
        "baseline_date": "2025-01-01",
        "target_value": "70",
        "target_date": "2027-12-31",
        "source": "INSEE",
        "objective": str(setup.objective.uuid),
        "actions": [str(setup.action.uuid)],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_editor_creates_an_indicator_from_the_catalogue(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        setup.url("indicator_create", setup.project.uuid), _indicator_data(setup), **HTMX
    )
    assert response.status_code == 200, response.content.decode()
    with scopes_disabled():
        indicator = Indicator.objects.get(name="Occupancy rate")
        assert indicator.catalogue.code == "kpi.tour.occupancy"
        assert list(indicator.actions.all()) == [setup.action]
    assert indicator.project == setup.project and indicator.workspace == personas.workspace
    assert indicator.baseline_value == Decimal("61.5") and indicator.objective == setup.objective
    assert indicator.created_by == personas.user(Role.EDITOR)
    assert response["HX-Redirect"] == setup.url("indicator_detail", indicator.uuid)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"baseline_date": "2026-01-01", "target_date": "2025-06-30"},
            "target_date",
            "The target date cannot be before the baseline date.",
        ),
        ({"baseline_value": "140"}, "baseline_value", "above the largest plausible value"),
        ({"target_value": "50"}, "target_value", "the target cannot be below the baseline"),
        ({"name": ""}, "name", "This field is required."),
        ({"baseline_value": "abc"}, "baseline_value", "Enter a number."),
        ({"stage": "tracer.nowhere"}, "stage", "Select a valid choice."),
    ],
)
def test_invalid_indicator_answers_422_with_the_form_fragment(
    overrides: dict[str, Any],
    field: str,
    message: str,
    personas: Personas,
    setup: Setup,
    client_for: Any,
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        setup.url("indicator_create", setup.project.uuid),
        _indicator_data(setup, **overrides),
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="indicator-form"')
    assert message in html.replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in html or f'id="id_{field}"' in html
    assert 'value="INSEE"' in html  # what was typed is kept
    with scopes_disabled():
        assert not Indicator.objects.filter(name="Occupancy rate").exists()


def test_objectives_and_actions_of_another_project_are_not_choices(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    elsewhere = ObjectiveFactory(workspace=personas.workspace, title="Elsewhere objective")
    elsewhere_action = ActionFactory(workspace=personas.workspace, objective=elsewhere)
    client = client_for(personas.user(Role.EDITOR))
    page = client.get(setup.url("indicator_create", setup.project.uuid)).content.decode()
    assert "Elsewhere objective" not in page and "Be known" in page
    for data in (
        {"objective": str(elsewhere.uuid)},
        {"actions": [str(elsewhere_action.uuid)]},
    ):
        response = client.post(
            setup.url("indicator_create", setup.project.uuid), _indicator_data(setup, **data)
        )
        assert response.status_code == 422
        assert "Select a valid choice" in response.content.decode()
    with scopes_disabled():
        assert not Indicator.objects.filter(name="Occupancy rate").exists()


def test_the_services_refuse_another_projects_objective_and_actions(
    personas: Personas, setup: Setup
) -> None:
    elsewhere = ObjectiveFactory(workspace=personas.workspace)
    other_action = ActionFactory(workspace=personas.workspace, objective=elsewhere)
    with workspace_scope(personas.workspace), pytest.raises(ValidationError) as error:
        services.indicator_update(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace,
            indicator=setup.indicator, objective=elsewhere, actions=[other_action],
        )  # fmt: skip
    assert set(error.value.message_dict) == {"objective", "actions"}


def test_edit_saves_and_delete_removes_the_indicator_and_its_values(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = setup.url("indicator_edit", setup.indicator.uuid)
    page = client.get(url).content.decode()
    assert 'value="Aided awareness"' in page
    data = _indicator_data(
        setup, catalogue="", name="Aided awareness (survey)", frequency="quarterly"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    with scopes_disabled():
        indicator = Indicator.objects.get(pk=setup.indicator.pk)
        assert indicator.name == "Aided awareness (survey)" and indicator.catalogue is None
        assert indicator.version == 2
        MeasurementFactory(workspace=personas.workspace, indicator=indicator)
    response = client.post(setup.url("indicator_delete", indicator.uuid), **HTMX)
    assert response["HX-Redirect"] == setup.url("indicator_list", setup.project.uuid)
    with scopes_disabled():
        assert not Indicator.objects.filter(pk=indicator.pk).exists()
        assert not Measurement.objects.filter(indicator_id=indicator.pk).exists()


# --- Measurements ------------------------------------------------------------------------------


def test_entering_a_period_again_corrects_it_and_the_history_shows_old_and_new(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = setup.url("measurement_record", setup.indicator.uuid)
    response = client.post(
        url, {"period": "2025-02-17", "value": "24,5", "source": "Survey"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="measurements">')
    assert "Value of Q1 2025 saved." in html  # the message rides along out of band
    with scopes_disabled():
        measurement = Measurement.objects.get(indicator=setup.indicator)
    assert measurement.period == dt.date(2025, 1, 1)  # the quarter's first day
    assert measurement.value == Decimal("24.5") and measurement.entered_by == personas.user(
        Role.EDITOR
    )

    # Another day of the same quarter: the same measurement, corrected.
    response = client.post(url, {"period": "2025-03-31", "value": "26", "note": "Revised"}, **HTMX)
    assert response.status_code == 200
    assert "Value of Q1 2025 corrected." in response.content.decode()
    with scopes_disabled():
        assert Measurement.objects.filter(indicator=setup.indicator).count() == 1
        measurement.refresh_from_db()
        changes = list(MeasurementChange.objects.filter(measurement=measurement).order_by("id"))
    assert measurement.value == Decimal("26") and measurement.note == "Revised"
    assert [(c.old_value, c.new_value) for c in changes] == [
        (None, Decimal("24.5")),
        (Decimal("24.5"), Decimal("26")),
    ]
    page = client.get(setup.url("indicator_detail", setup.indicator.uuid)).content.decode()
    assert "<del>24.5</del> → <ins>26</ins>" in page
    assert "entered 24.5" in page and "Revised" in page


def test_an_implausible_value_answers_422_with_a_clear_message(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    url = setup.url("measurement_record", setup.indicator.uuid)
    response = client.post(url, {"period": "2025-01-01", "value": "140"}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "140 is above the largest plausible value (100) for this unit." in html
    assert 'aria-invalid="true"' in html and 'value="140"' in html
    response = client.post(url, {"period": "not a date", "value": "12"}, **HTMX)
    assert response.status_code == 422 and "Enter a valid date." in response.content.decode()
    with scopes_disabled():
        assert not Measurement.objects.filter(indicator=setup.indicator).exists()


def test_correct_fills_the_form_in_with_the_periods_value(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    MeasurementFactory(
        workspace=personas.workspace, indicator=setup.indicator, period=dt.date(2025, 4, 1),
        value=Decimal("31.25"), source="Barometer",
    )  # fmt: skip
    client = client_for(personas.user(Role.EDITOR))
    response = client.get(
        setup.url("indicator_detail", setup.indicator.uuid), {"period": "2025-04-01"}, **HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="measurement-form"')
    assert 'value="2025-04-01"' in html and 'value="31.25"' in html and 'value="Barometer"' in html


def test_a_plain_post_redirects_to_the_indicator(
    personas: Personas, setup: Setup, client_for: Any
) -> None:
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(
        setup.url("measurement_record", setup.indicator.uuid), {"period": "2025-05-05", "value": 30}
    )
    assert response.status_code == 302
    assert response["Location"] == setup.url("indicator_detail", setup.indicator.uuid)
    page = client.get(response["Location"]).content.decode()
    assert "Value of Q2 2025 saved." in page and "Q2 2025" in page


def test_the_pages_speak_french(personas: Personas, setup: Setup, client_for: Any) -> None:
    MeasurementFactory(
        workspace=personas.workspace, indicator=setup.indicator, period=dt.date(2025, 1, 1),
        value=Decimal("24.5"),
    )  # fmt: skip
    client = client_for(personas.user(Role.EDITOR))
    detail = client.get(
        setup.url("indicator_detail", setup.indicator.uuid), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "T1 2025" in detail and "24,5" in detail  # the quarter, a decimal comma
    assert "Valeur de référence" in detail and "Saisir ou corriger une valeur" in detail
    response = client.post(
        setup.url("measurement_record", setup.indicator.uuid),
        {"period": "2025-02-01", "value": "140"},
        HTTP_ACCEPT_LANGUAGE="fr",
        **HTMX,
    )
    assert "140 dépasse la plus grande valeur plausible (100) pour cette unité." in (
        response.content.decode()
    )
