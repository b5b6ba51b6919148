"""History and activity read in the reader's language, whatever the writer's: a change stores
the field's code and raw values (codes, UUIDs, ISO dates) and the pages render them."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation

from core.models import Workspace
from core.roles import Role
from governance.models import PartnerOrganisation
from mix import services
from mix.models import Action, MixFamily
from territories.models import Audience, Project
from tests.conftest import Personas
from tests.factories import ProjectFactory
from tracer import services as tracer_services
from tracer.models import ChangeKind, Objective, PlanChange, TracerStage

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class Setup:
    def __init__(self, personas: Personas, workspace: Workspace) -> None:
        self.personas = personas
        self.workspace = workspace
        owner = personas.user(Role.OWNER)
        self.project: Project = ProjectFactory(workspace=workspace, name="Wine Entrepreneurs 2026")
        self.office = PartnerOrganisation.objects.create(name="Tourism Office")
        self.chamber = PartnerOrganisation.objects.create(name="Chamber of Commerce")
        self.objective = tracer_services.objective_create(
            actor=owner,
            workspace=workspace,
            project=self.project,
            stage=TracerStage.objects.get(code="tracer.reputation"),
            title="Be known for wine",
        )
        self.action = services.action_create(
            actor=owner,
            workspace=workspace,
            objective=self.objective,
            family=MixFamily.objects.get(code="mix.promotion"),
            title="Wine fair stand",
            status="planned",
            lead_partner=self.office,
            start_date=dt.date(2026, 5, 1),
            budget_planned=Decimal("1200.00"),
        )

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.workspace.slug, *args])

    def edit(self, client: Client, name: str, value: str, **headers: str) -> None:
        self.action.refresh_from_db()
        response = client.post(
            self.url("action_field", self.action.uuid, name),
            {name: value, "version": str(self.action.version)},
            **headers,
        )
        assert response.status_code == 200, response.content.decode()[:500]

    def pages(self, **headers: str) -> list[str]:
        """The action's history and the plan's activity page, as a member reads them."""
        client = login(self.personas.user(Role.VIEWER))
        detail = client.get(self.url("action_detail", self.action.uuid), **headers)
        page = detail.content.decode()
        activity = client.get(self.url("plan_activity", self.project.uuid), **headers)
        return [page[page.index('id="history-title"') :], activity.content.decode()]


@pytest.fixture
def setup(personas: Personas, scope: Workspace) -> Setup:
    return Setup(personas, scope)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown(language: str, value: Any) -> str:
    """A date or an amount as the pages print it in ``language``."""
    with translation.override(language):
        if isinstance(value, dt.date):
            text = formats.date_format(value, "SHORT_DATE_FORMAT")
        else:
            text = formats.number_format(value, 0, use_l10n=True, force_grouping=True) + "\xa0€"
    return re.escape(text)


READINGS = {
    "en": [
        r"changed <em>Status</em> of “Wine fair stand”:\s*<del>Planned</del> → <ins>Done</ins>",
        r"changed <em>Mix family</em> of “Wine fair stand”:\s*"
        r"<del>Promotion and communication</del> → <ins>People and welcome</ins>",
        r"<em>Lead partner</em>.*?<del>Tourism Office</del> → <ins>Chamber of Commerce</ins>",
        r"<em>Contributing partners</em>.*?<del>—</del> → "
        r"<ins>Chamber of Commerce, Tourism Office</ins>",
    ],
    "fr": [
        # (French typography: no-break spaces inside « » and before the colon.)
        r"a modifié <em>Statut</em> de «\s*Wine fair stand\s*»\s*:\s*"
        r"<del>Prévue</del> → <ins>Réalisée</ins>",
        r"a modifié <em>Famille du mix</em> de «\s*Wine fair stand\s*»\s*:\s*"
        r"<del>Promotion / communication</del> → <ins>Personnel / accueil</ins>",
        r"<em>Partenaire chef de file</em>.*?<del>Tourism Office</del> → "
        r"<ins>Chamber of Commerce</ins>",
    ],
}


@pytest.mark.parametrize(("writer", "reader"), [("fr", "en"), ("en", "fr")])
def test_a_change_reads_in_the_readers_language_whatever_the_writers(
    setup: Setup, writer: str, reader: str
) -> None:
    editor = login(setup.personas.user(Role.EDITOR))
    headers = FR if writer == "fr" else EN
    setup.edit(editor, "status", "done", **headers)
    setup.edit(editor, "family", "mix.people", **headers)
    setup.edit(editor, "lead_partner", str(setup.chamber.uuid), **headers)
    setup.edit(editor, "start_date", "2026-05-17", **headers)
    setup.edit(editor, "budget_planned", "12000", **headers)
    editor.post(
        setup.url("action_field", setup.action.uuid, "contributors"),
        {
            "contributors": [str(setup.chamber.uuid), str(setup.office.uuid)],
            "version": str(Action.objects.get(pk=setup.action.pk).version),
        },
        **headers,
    )

    stored = dict(
        PlanChange.objects.filter(kind=ChangeKind.UPDATED).values_list("field", "new_value")
    )
    # The same rows whoever wrote them: codes, UUIDs, ISO dates, decimals.
    assert stored == {
        "status": "done",
        "family": "mix.people",
        "lead_partner": str(setup.chamber.uuid),
        "start_date": "2026-05-17",
        "budget_planned": "12000.00",
        # In the field's order (partners by name), so it reads the same every time.
        "contributors": f"{setup.chamber.uuid},{setup.office.uuid}",
    }
    for page in setup.pages(HTTP_ACCEPT_LANGUAGE=reader):
        for pattern in READINGS[reader]:
            assert re.search(pattern, page, re.S), pattern
        assert re.search(
            rf"<del>{_shown(reader, dt.date(2026, 5, 1))}</del> → "
            rf"<ins>{_shown(reader, dt.date(2026, 5, 17))}</ins>",
            page,
        )
        assert re.search(
            rf"<del>{_shown(reader, Decimal(1200))}</del> → "
            rf"<ins>{_shown(reader, Decimal(12000))}</ins>",
            page,
        )
        # Nothing of the other language leaks in.
        other = "Prévue" if reader == "en" else "Planned"
        assert other not in page


def test_a_deleted_partner_reads_as_it_was_named_at_the_time(setup: Setup) -> None:
    editor = login(setup.personas.user(Role.EDITOR))
    setup.edit(editor, "lead_partner", str(setup.chamber.uuid), **FR)
    setup.chamber.delete()
    setup.office.name = "Office de tourisme du Pays"
    setup.office.save()
    for page in setup.pages(**EN):
        # References keep their label at the time, shown only if the row is gone since:
        # the partner still there reads with its name of today; the deleted one as it was.
        assert re.search(
            r"<del>Office de tourisme du Pays</del> → <ins>Chamber of Commerce</ins>", page
        )


def _activity_queries(setup: Setup) -> list[int]:
    client = login(setup.personas.user(Role.VIEWER))
    urls = [
        setup.url("plan_activity", setup.project.uuid),
        setup.url("action_detail", setup.action.uuid),
    ]
    for url in urls:
        assert client.get(url).status_code == 200  # warm the session and caches
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize(
    "field", ["lead_partner", "contributors", "family", "objective", "status", "start_date"]
)
def test_history_and_activity_cost_the_same_queries_at_1_and_50_changes(
    setup: Setup, field: str
) -> None:
    objectives = [setup.objective] + [
        Objective.objects.create(
            workspace=setup.workspace,
            project=setup.project,
            cycle=setup.objective.cycle,
            stage=setup.objective.stage,
            title=f"Objective {n}",
        )
        for n in range(50)
    ]
    partners = [PartnerOrganisation.objects.create(name=f"Partner {n:02d}") for n in range(50)]
    families = list(MixFamily.objects.order_by("position"))
    value: dict[str, Any] = {
        "lead_partner": lambda n: str(partners[n % 50].uuid),
        "contributors": lambda n: f"{partners[n % 50].uuid},{partners[(n + 1) % 50].uuid}",
        "family": lambda n: families[n % len(families)].code,
        "objective": lambda n: str(objectives[n].uuid),
        "status": lambda n: ["idea", "planned", "done"][n % 3],
        "start_date": lambda n: dt.date(2026, 1 + n % 12, 1).isoformat(),
    }

    def add(numbers: range) -> None:
        PlanChange.objects.bulk_create(
            PlanChange(
                workspace=setup.workspace,
                project=setup.project,
                cycle=setup.objective.cycle,
                target_type="action",
                target_uuid=setup.action.uuid,
                target_label=setup.action.title,
                kind=ChangeKind.UPDATED,
                field=field,
                old_value=value[field](n),
                new_value=value[field](n + 1),
                old_label="gone",
            )
            for n in numbers
        )

    add(range(1))
    at_one = _activity_queries(setup)
    add(range(1, 50))
    at_fifty = _activity_queries(setup)
    assert at_fifty == at_one
    page = setup.pages(**EN)[1]
    assert page.count("<del>") >= 50
    assert "<del>gone</del>" not in page  # every reference was found, none fell back


def _convert_legacy_rows() -> None:
    migration = importlib.import_module("mix.migrations.0007_planchange_raw_values")
    migration.convert(apps, None)


def test_the_data_migration_reads_old_rows_back_into_codes(setup: Setup) -> None:
    editor = setup.personas.memberships[Role.EDITOR]
    audience = Audience.objects.order_by("position").first()
    assert audience is not None
    legacy = [  # (target, field, old text, new text) as rows were written before
        ("action", "status", "Prévue", "Réalisée"),
        ("action", "priority", "Medium", "High"),
        ("action", "family", "Promotion and communication", "Personnel / accueil"),
        ("action", "lead_partner", "Tourism Office", "Chamber of Commerce"),
        ("action", "contributors", "", "Chamber of Commerce, Tourism Office"),
        ("action", "start_date", "17/05/2026", "05/06/2026"),  # the second reads both ways
        ("action", "budget_planned", "1,200.00", "12\xa0000,50"),
        ("action", "status", "Something odd", "Planned"),
        ("action", "title", "Prévue", "Salon"),  # free text is never "converted"
        ("objective", "owner", "", "Alpha Editor (Éditeur)"),
        ("objective", "is_draft", "True", "False"),
        ("objective", "stage", "Réputation", "Affinités"),
        ("objective", "audiences", "", audience.label_fr),
    ]
    PlanChange.objects.all().delete()
    PlanChange.objects.bulk_create(
        PlanChange(
            workspace=setup.workspace,
            project=setup.project,
            cycle=setup.objective.cycle,
            target_type=target,
            target_uuid=setup.action.uuid if target == "action" else setup.objective.uuid,
            target_label="Wine fair stand",
            kind=ChangeKind.UPDATED,
            field=field,
            old_value=old,
            new_value=new,
        )
        for target, field, old, new in legacy
    )
    _convert_legacy_rows()

    rows = list(
        PlanChange.objects.order_by("pk").values_list(
            "old_value", "new_value", "old_label", "new_label"
        )
    )
    stages = dict(TracerStage.objects.values_list("label_fr", "code"))
    assert rows == [
        ("planned", "done", "", ""),
        ("2", "1", "", ""),
        ("mix.promotion", "mix.people", "Promotion and communication", "Personnel / accueil"),
        (
            str(setup.office.uuid),
            str(setup.chamber.uuid),
            "Tourism Office",
            "Chamber of Commerce",
        ),
        (
            "",
            f"{setup.chamber.uuid},{setup.office.uuid}",
            "",
            "Chamber of Commerce, Tourism Office",
        ),
        ("2026-05-17", "05/06/2026", "", ""),
        ("1200.00", "12000.50", "", ""),
        ("Something odd", "planned", "", ""),
        ("Prévue", "Salon", "", ""),
        ("", str(editor.uuid), "", "Alpha Editor (Éditeur)"),
        ("true", "false", "", ""),
        (stages["Réputation"], stages["Affinités"], "Réputation", "Affinités"),
        ("", audience.code, "", audience.label_fr),
    ]
    activity = setup.pages(**EN)[1]
    assert re.search(r"<del>Planned</del> → <ins>Done</ins>", activity)
    assert re.search(r"<del>Something odd</del> → <ins>Planned</ins>", activity)
    assert f"<ins>{audience.label_en}</ins>" in activity
    assert "<ins>Alpha Editor (Editor)</ins>" in activity
    assert "<del>Yes</del> → <ins>No</ins>" in activity
    assert "<ins>05/06/2026</ins>" in activity  # left as written: shown as written
