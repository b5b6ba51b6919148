"""One cycle at a time: every plan view, export and figure reads the chosen cycle only; a closed
cycle reads as closed (no editor, a banner, links to the cycle that continued it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User, Workspace
from core.roles import Role
from evaluation import cycles
from governance.models import PartnerOrganisation
from governance.selectors import contribution_totals
from mix import selectors, services
from mix.models import Action, MixFamily
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import ProjectFactory
from tracer import services as tracer_services
from tracer.models import Objective, TracerStage

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PLAN_PAGES = ["plan_board", "plan_table", "plan_matrix", "plan_timeline", "plan_activity"]


@dataclass
class TwoCycles:
    """Cycle 1 closed, "Be known" and its planned stand carried over into cycle 2 (open)."""

    workspace: Workspace
    project: Project
    first: Cycle
    second: Cycle
    known: Objective  # cycle 1, carried over
    known_copy: Objective  # its copy in cycle 2
    stand: Action  # cycle 1, planned, carried over
    stand_copy: Action
    festival: Action  # cycle 1 only, done
    prospects: Objective  # cycle 1 only
    incubator: Action  # cycle 1 only, on "prospects"
    newsletter: Action  # cycle 2 only, on the copy

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.workspace.slug, *args])

    def page(self, name: str) -> str:
        return self.url(name, self.project.uuid)


def _action(actor: User, workspace: Workspace, objective: Objective, **kwargs: Any) -> Action:
    return services.action_create(
        actor=actor,
        workspace=workspace,
        objective=objective,
        family=MixFamily.objects.get(code=kwargs.pop("family", "mix.promotion")),
        **kwargs,
    )


@pytest.fixture
def two_cycles(personas: Personas, scope: Workspace) -> TwoCycles:
    owner = personas.user(Role.OWNER)
    project = ProjectFactory(workspace=scope, name="Vineyard valley")
    office = PartnerOrganisation.objects.create(name="Tourism Office")
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(project)
    first = Cycle.objects.get(project=project, number=1)
    known = tracer_services.objective_create(
        actor=owner,
        workspace=scope,
        project=project,
        stage=TracerStage.objects.get(code="tracer.reputation"),
        title="Be known for wine",
    )
    prospects = tracer_services.objective_create(
        actor=owner,
        workspace=scope,
        project=project,
        stage=TracerStage.objects.get(code="tracer.conversion"),
        title="Win wine start-ups",
    )
    stand = _action(
        owner,
        scope,
        known,
        title="Wine fair stand",
        status="planned",
        lead_partner=office,
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 4, 30),
        budget_planned=Decimal("1000.00"),
    )
    festival = _action(
        owner,
        scope,
        known,
        title="Harvest festival",
        status="done",
        start_date=dt.date(2026, 2, 1),
        budget_planned=Decimal("500.00"),
    )
    incubator = _action(
        owner,
        scope,
        prospects,
        title="Wine incubator",
        family="mix.placement",
        status="idea",
        budget_planned=Decimal("200.00"),
    )
    second = cycles.cycle_close(
        actor=owner,
        workspace=scope,
        cycle=first,
        started_on=max(first.started_on, dt.date.today()),
        objectives=[known],
        actions=[stand],
    )
    first.refresh_from_db()
    known_copy = Objective.objects.get(carried_from=known)
    stand_copy = Action.objects.get(carried_from=stand)
    newsletter = _action(
        owner,
        scope,
        known_copy,
        title="Wine newsletter",
        status="planned",
        start_date=dt.date(2027, 1, 10),
        budget_planned=Decimal("300.00"),
    )
    return TwoCycles(
        scope,
        project,
        first,
        second,
        known,
        known_copy,
        stand,
        stand_copy,
        festival,
        prospects,
        incubator,
        newsletter,
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


CYCLE_2_ONLY = ["Wine newsletter"]
CYCLE_1_ONLY = ["Harvest festival", "Wine incubator", "Win wine start-ups"]


def test_the_board_shows_the_open_cycle_by_default_with_one_copy_of_each_item(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    page = text(login(personas.user(Role.EDITOR)).get(two_cycles.page("plan_board")))
    assert page.count('class="objective-card') == 1
    assert page.count(f'id="objective-{two_cycles.known_copy.uuid}-card"') == 1
    assert f"objective-{two_cycles.known.uuid}-card" not in page
    assert page.count('class="action-card') == 2  # the stand's copy and the newsletter
    for title in CYCLE_2_ONLY:
        assert title in page
    for title in CYCLE_1_ONLY:
        assert title not in page
    assert 'name="cycle"' in page  # the switcher
    assert "Cycle 1 · closed" in page and "Cycle 2 · open" in page


@pytest.mark.parametrize("name", PLAN_PAGES)
def test_every_plan_page_reads_the_chosen_cycle_only(
    personas: Personas, two_cycles: TwoCycles, name: str
) -> None:
    client = login(personas.user(Role.EDITOR))
    current = text(client.get(two_cycles.page(name)))
    closed = text(client.get(two_cycles.page(name) + "?cycle=1"))
    if name == "plan_matrix":  # counts, not titles: conversion x placement is cycle 1's only
        assert _matrix_counts(current) == {("tracer.reputation", "mix.promotion"): 2}
        assert _matrix_counts(closed) == {
            ("tracer.reputation", "mix.promotion"): 2,
            ("tracer.conversion", "mix.placement"): 1,
        }
        return
    if name == "plan_timeline":  # dated actions only
        assert "Wine newsletter" in current and "Harvest festival" not in current
        assert "Harvest festival" in closed and "Wine newsletter" not in closed
        return
    for title in CYCLE_2_ONLY:
        assert title in current
        assert title not in closed
    for title in CYCLE_1_ONLY[:2]:
        assert title in closed
        assert title not in current


def _matrix_counts(page: str) -> dict[tuple[str, str], int]:
    cells = re.findall(
        r'<td data-stage="([^"]+)" data-family="([^"]+)">\s*<div [^>]*>\s*<a [^>]*>\s*'
        r"<strong>(\d+)</strong>",
        page,
    )
    return {(stage, family): int(count) for stage, family, count in cells}


def test_counters_and_the_header_budget_are_the_cycles(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    client = login(personas.user(Role.EDITOR))
    current = client.get(two_cycles.page("plan_board"))
    closed = client.get(two_cycles.page("plan_board") + "?cycle=1")
    assert current.context["counters"]["planned"] == Decimal("1300.00")
    assert current.context["counters"]["actions"] == 2
    assert current.context["counters"]["objectives"] == 1
    assert closed.context["counters"]["planned"] == Decimal("1700.00")
    assert closed.context["counters"]["actions"] == 3
    assert closed.context["counters"]["objectives"] == 2
    assert "1,300 €" in current.content.decode()
    # The pooled means page of each cycle plans the same amount.
    assert contribution_totals(cycle=two_cycles.second)["planned"] == Decimal("1300.00")
    assert contribution_totals(cycle=two_cycles.first)["planned"] == Decimal("1700.00")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_the_chosen_cycle_with_a_cycle_column(
    personas: Personas, two_cycles: TwoCycles, fmt: str
) -> None:
    client = login(personas.user(Role.VIEWER))
    url = two_cycles.url("plan_export", two_cycles.project.uuid, fmt)
    for query, cycle, titles in [
        ("?lang=en", 2, {"Wine fair stand", "Wine newsletter"}),
        ("?lang=en&cycle=1", 1, {"Wine fair stand", "Harvest festival", "Wine incubator"}),
    ]:
        response = client.get(url + query)
        assert response.status_code == 200
        assert f"cycle-{cycle}" in response["Content-Disposition"]
        rows = _rows(response, fmt)
        assert rows[0][3] == "Cycle"
        assert {row[0] for row in rows[1:]} == titles
        assert {str(row[3]) for row in rows[1:]} == {str(cycle)}


def _rows(response: Any, fmt: str) -> list[list[Any]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=","))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("query", ["?cycle=3", "?cycle=0", "?cycle=one", "?cycle=-1"])
def test_a_cycle_the_project_does_not_have_is_404(
    personas: Personas, two_cycles: TwoCycles, query: str
) -> None:
    client = login(personas.user(Role.EDITOR))
    for name in [*PLAN_PAGES, "plan_library", "plan_changes"]:
        assert client.get(two_cycles.page(name) + query).status_code == 404, name


EDITOR_MARKS = [
    'class="editable',  # an inline editor's button
    "/plan/objectives/new/",
    "/plan/actions/new/",
    "/delete/",
    "plan-poller",
]


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.PARTNER])
def test_a_closed_cycle_reads_as_closed(
    personas: Personas, two_cycles: TwoCycles, role: str
) -> None:
    client = login(personas.user(role))
    pages = [two_cycles.page(name) + "?cycle=1" for name in [*PLAN_PAGES, "plan_library"]]
    pages += [
        two_cycles.url("action_detail", two_cycles.festival.uuid),
        two_cycles.url("objective_detail", two_cycles.prospects.uuid),
    ]
    for url in pages:
        page = text(client.get(url))
        for mark in EDITOR_MARKS:
            assert mark not in page, (url, mark)
        assert "was closed on" in page, url
        assert "read-only" in page, url
        assert 'name="stages"' not in page  # no library import
    # The open cycle's board has them, for those who may edit.
    board = text(client.get(two_cycles.page("plan_board")))
    assert 'class="editable' in board
    assert "plan-poller" in board


def test_the_banner_links_to_the_cycle_that_continued_it(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    client = login(personas.user(Role.EDITOR))
    page = text(client.get(two_cycles.page("plan_table") + "?cycle=1"))
    assert re.search(r'<a href="\?cycle=2">Continue in Cycle 2', page)
    # The plan tabs keep the closed cycle; the open one is the default, with no parameter.
    assert f'href="{two_cycles.page("plan_matrix")}?cycle=1"' in page
    current = text(client.get(two_cycles.page("plan_table")))
    assert f'href="{two_cycles.page("plan_matrix")}"' in current
    assert "was closed on" not in current


def test_a_carried_over_item_links_to_its_original_and_back(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    client = login(personas.user(Role.VIEWER))
    copy = text(client.get(two_cycles.url("action_detail", two_cycles.stand_copy.uuid)))
    assert two_cycles.url("action_detail", two_cycles.stand.uuid) in copy
    assert "Carried over from" in copy
    original = text(client.get(two_cycles.url("action_detail", two_cycles.stand.uuid)))
    assert two_cycles.url("action_detail", two_cycles.stand_copy.uuid) in original
    assert "Continued in" in original
    objective = text(client.get(two_cycles.url("objective_detail", two_cycles.known.uuid)))
    assert two_cycles.url("objective_detail", two_cycles.known_copy.uuid) in objective


def test_no_editor_opens_on_a_closed_cycle_and_a_save_is_refused_with_its_reason(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    client = login(personas.user(Role.EDITOR))
    url = two_cycles.url("action_field", two_cycles.festival.uuid, "title")
    editor = client.get(url, **HTMX)
    assert editor.status_code == 200
    assert "<form" not in editor.content.decode()
    assert "Harvest festival" in editor.content.decode()
    saved = client.post(url, {"title": "Renamed", "version": two_cycles.festival.version}, **HTMX)
    assert saved.status_code == 409
    assert "closed cycles are read-only" in saved.content.decode()
    two_cycles.festival.refresh_from_db()
    assert two_cycles.festival.title == "Harvest festival"


def test_the_new_action_form_offers_the_open_cycles_objectives_by_stage(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    client = login(personas.user(Role.EDITOR))
    response = client.get(two_cycles.page("action_create"))
    choices = list(response.context["form"].fields["objective"].queryset)
    assert choices == [two_cycles.known_copy]
    page = text(response)
    assert "R · Reputation — Be known for wine" in page
    assert str(two_cycles.known.uuid) not in page
    # An objective of the closed cycle posted anyway is refused as a field error (422).
    response = client.post(
        two_cycles.page("action_create"),
        {
            "objective": str(two_cycles.known.uuid),
            "family": "mix.promotion",
            "title": "Late idea",
            "status": "idea",
            "priority": 2,
            "budget_planned": "0",
            "budget_spent": "0",
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert not Action.objects.filter(title="Late idea").exists()


def test_a_move_keeps_an_action_in_its_cycle(personas: Personas, two_cycles: TwoCycles) -> None:
    client = login(personas.user(Role.EDITOR))
    url = two_cycles.url("action_field", two_cycles.newsletter.uuid, "objective")
    editor = text(client.get(url, **HTMX))
    assert str(two_cycles.known_copy.uuid) in editor
    assert str(two_cycles.known.uuid) not in editor  # cycle 1's objective is not offered
    response = client.post(
        url,
        {"objective": str(two_cycles.known.uuid), "version": two_cycles.newsletter.version},
        **HTMX,
    )
    assert response.status_code == 422
    with pytest.raises(Exception, match="same cycle"):
        services.action_save_field(
            actor=personas.user(Role.EDITOR),
            membership=personas.memberships[Role.EDITOR],
            workspace=two_cycles.workspace,
            action=Action.objects.select_related("objective").get(pk=two_cycles.newsletter.pk),
            name="objective",
            value=two_cycles.prospects,
            version=two_cycles.newsletter.version,
        )
    two_cycles.newsletter.refresh_from_db()
    assert two_cycles.newsletter.objective_id == two_cycles.known_copy.pk


def test_the_activity_of_each_cycle_is_its_own(personas: Personas, two_cycles: TwoCycles) -> None:
    client = login(personas.user(Role.EDITOR))
    current = client.get(two_cycles.page("plan_activity"))
    closed = client.get(two_cycles.page("plan_activity") + "?cycle=1")
    current_targets = {c.target_uuid for c in current.context["page"].object_list}
    closed_targets = {c.target_uuid for c in closed.context["page"].object_list}
    assert two_cycles.newsletter.uuid in current_targets
    assert two_cycles.festival.uuid not in current_targets
    assert two_cycles.festival.uuid in closed_targets
    assert two_cycles.newsletter.uuid not in closed_targets


def test_the_poll_of_the_open_cycle_sends_only_its_items(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    client = login(personas.user(Role.EDITOR))
    board = text(client.get(two_cycles.page("plan_board")))
    poll = re.search(r'<div id="plan-poller" hidden hx-get="([^"]+)"', board)
    assert poll
    url = poll.group(1).replace("&amp;", "&")
    assert "cycle=2" in url
    _action(
        personas.user(Role.OWNER),
        two_cycles.workspace,
        two_cycles.known_copy,
        title="Wine podcast",
        budget_planned=Decimal("50.00"),
    )
    response = client.get(url, **HTMX)
    assert response.status_code == 200
    assert "Wine podcast" in response.content.decode()
    assert response.context["counters"]["planned"] == Decimal("1350.00")


@pytest.mark.parametrize("name", ["plan_board", "plan_table", "plan_matrix", "plan_timeline"])
def test_a_closed_cycles_pages_cost_the_same_queries_whatever_its_size(
    personas: Personas, two_cycles: TwoCycles, name: str
) -> None:
    client = login(personas.user(Role.PARTNER))
    url = two_cycles.page(name) + "?cycle=1"
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    # More of cycle 1, written directly: the cycle is closed to the services.
    for index in range(30):
        Action.objects.create(
            workspace=two_cycles.workspace,
            project=two_cycles.project,
            objective=two_cycles.prospects if index % 2 else two_cycles.known,
            family=MixFamily.objects.get(code="mix.offer"),
            title=f"Archived action {index}",
            start_date=dt.date(2026, 2, 1) + dt.timedelta(days=index),
        )
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


def test_selectors_read_one_cycle(two_cycles: TwoCycles) -> None:
    plan = selectors.plan_actions(project=two_cycles.project, cycle=two_cycles.first)
    assert set(plan.values_list("title", flat=True)) == {
        "Wine fair stand",
        "Harvest festival",
        "Wine incubator",
    }
    assert selectors.counters(project=two_cycles.project, cycle=two_cycles.second)["actions"] == 2


def test_pickers_that_span_cycles_name_each_items_cycle(
    personas: Personas, two_cycles: TwoCycles
) -> None:
    """An indicator or a lesson may point at any cycle's items: the two copies of one objective
    are told apart by their cycle, the latest cycle first."""
    client = login(personas.user(Role.EDITOR))
    for name in ["indicator_create", "lesson_create"]:
        page = text(client.get(two_cycles.page(name)))
        assert "Wine fair stand · Cycle 2" in page, name
        assert "Wine fair stand · Cycle 1" in page, name
        assert page.index("Wine fair stand · Cycle 2") < page.index("Wine fair stand · Cycle 1")
    indicator = text(client.get(two_cycles.page("indicator_create")))
    assert "R · Be known for wine · Cycle 2" in indicator
    assert "R · Be known for wine · Cycle 1" in indicator
