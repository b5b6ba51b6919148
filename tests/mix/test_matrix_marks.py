"""Matrix cells marked "not relevant for this project": marking with a reason (HTMX and plain
forms), the header's counts, who may mark, closed cycles, the carry-over at a cycle's close, the
co-editing poll, the cells' accessible names and the query counts."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from evaluation import cycles
from mix import services
from mix.models import Action, IrrelevantCell, MixFamily
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory
from tracer.models import Objective, TracerStage

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
X, LQ, RQ = (
    "\N{MULTIPLICATION SIGN}",
    "\N{LEFT DOUBLE QUOTATION MARK}",
    "\N{RIGHT DOUBLE QUOTATION MARK}",
)
REPUTATION, PROMOTION, OFFER = "tracer.reputation", "mix.promotion", "mix.offer"
PROMOTION_CELL = "cell-tracer-reputation-mix-promotion"
OFFER_CELL = "cell-tracer-reputation-mix-offer"


@pytest.fixture
def project(personas: Personas) -> Project:
    """A project with one action (Reputation x Promotion), shared with the partner's office."""
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Wine Valley")
    objective = ObjectiveFactory(workspace=ws, project=project, title="Be known for wine")
    ActionFactory(workspace=ws, objective=objective, title="Wine fair stand", budget_planned=900)
    with workspace_scope(ws):
        from governance.models import PartnerOrganisation

        office = PartnerOrganisation.objects.create(name="Tourism Office")
        office.members.add(personas.memberships[Role.PARTNER])
        office.shared_projects.add(project)
    return project


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix_url(project: Project, cycle: int | None = None) -> str:
    url = reverse("plan_matrix", args=[project.workspace.slug, project.uuid])
    return url + (f"?cycle={cycle}" if cycle else "")


def cell_url(project: Project, stage: str = REPUTATION, family: str = OFFER, cycle: int = 1) -> str:
    return (
        reverse("plan_matrix_cell", args=[project.workspace.slug, project.uuid])
        + f"?stage={stage}&family={family}&cycle={cycle}"
    )


def marks(project: Project, number: int = 1) -> dict[tuple[str, str], str]:
    with scopes_disabled():
        return {
            (m.stage.code, m.family.code): m.reason
            for m in IrrelevantCell.objects.filter(project=project, cycle__number=number)
        }


def summary(page: str) -> str:
    match = re.search(r'<ul id="matrix-summary".*?</ul>', page, re.S)
    assert match, "no #matrix-summary"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def cell_html(page: str, dom_id: str) -> str:
    match = re.search(rf'<div id="{dom_id}" class="cell[^"]*".*?\n</div>', page, re.S)
    assert match, f"no #{dom_id}"
    return match.group(0)


def mark(
    personas: Personas, project: Project, family: str, reason: str, stage: str = REPUTATION
) -> None:
    with workspace_scope(personas.workspace):
        services.irrelevant_cell_mark(
            actor=personas.user(Role.EDITOR),
            workspace=personas.workspace,
            project=project,
            cycle=Cycle.objects.get(project=project, number=1),
            stage=TracerStage.objects.get(code=stage),
            family=MixFamily.objects.get(code=family),
            reason=reason,
        )


# --- Marking, with HTMX and without ------------------------------------------------------------


def test_the_header_counts_covered_open_and_not_relevant_cells_out_of_72(
    personas: Personas, project: Project
) -> None:
    client = login(personas.user(Role.VIEWER))
    assert summary(client.get(matrix_url(project)).content.decode()) == (
        "1 covered cell 71 open gaps 0 cells not relevant out of 72 cells"
    )
    mark(personas, project, OFFER, "No land to sell here")
    mark(personas, project, PROMOTION, "Done by the region")  # has an action: still covered
    page = client.get(matrix_url(project)).content.decode()
    assert summary(page) == "1 covered cell 70 open gaps 1 cell not relevant out of 72 cells"
    offer = cell_html(page, OFFER_CELL)
    assert 'class="cell irrelevant marked"' in offer and "not relevant" in offer
    assert "No land to sell here" in offer and "gap" not in offer
    promotion = cell_html(page, PROMOTION_CELL)
    # The actions count wins; the mark is a note describing the cell.
    assert 'class="cell filled marked"' in promotion and "<strong>1</strong>" in promotion
    assert "Marked not relevant: Done by the region" in promotion
    assert f'aria-describedby="{PROMOTION_CELL}-note"' in promotion


def test_an_editor_marks_a_gap_in_the_cell_with_htmx_and_the_counts_follow(
    personas: Personas, project: Project
) -> None:
    client = login(personas.user(Role.EDITOR))
    page = client.get(matrix_url(project)).content.decode()
    offer = cell_html(page, OFFER_CELL)
    assert 'class="cell gap"' in offer
    assert f'hx-get="{html.escape(cell_url(project))}"' in offer  # the control opens the form
    opened = client.get(cell_url(project), **HTMX)
    assert opened.status_code == 200 and b"<html" not in opened.content
    form = opened.content.decode()
    assert f'<div id="{OFFER_CELL}" class="cell gap editing">' in form
    assert f'<label for="{OFFER_CELL}-reason">Why is this cell not relevant' in form
    assert f'hx-post="{html.escape(cell_url(project))}"' in form
    saved = client.post(cell_url(project), {"reason": "  No land to sell here "}, **HTMX)
    assert saved.status_code == 200
    answer = saved.content.decode()
    assert f'<div id="{OFFER_CELL}" class="cell irrelevant marked">' in answer
    assert "Not relevant: No land to sell here" in answer and "<form" not in answer
    assert 'id="matrix-summary"' in answer and 'hx-swap-oob="true"' in answer
    assert "70 open gaps" in summary(answer) and "1 cell not relevant" in summary(answer)
    assert marks(project) == {(REPUTATION, OFFER): "No land to sell here"}
    # Cancel gives the cell back without a form.
    cancelled = client.get(cell_url(project) + "&display=1", **HTMX).content.decode()
    assert "<form" not in cancelled and "Not relevant: No land to sell here" in cancelled


@pytest.mark.parametrize("htmx", [True, False])
def test_a_missing_reason_is_422_with_the_form_and_the_typed_text_kept(
    personas: Personas, project: Project, htmx: bool
) -> None:
    client = login(personas.user(Role.EDITOR))
    headers = HTMX if htmx else {}
    response = client.post(cell_url(project), {"reason": "   "}, **headers)
    assert response.status_code == 422
    body = response.content.decode()
    assert (b"<html" in response.content) is not htmx
    assert "Say why this cell is not relevant for this project: the reason is required." in body
    assert 'aria-invalid="true"' in body and f'aria-describedby="{OFFER_CELL}-reason_error"' in body
    too_long = "A reason that goes on " + "and on " * 60
    response = client.post(cell_url(project), {"reason": too_long}, **headers)
    assert response.status_code == 422
    assert html.escape(too_long) in response.content.decode()  # nothing lost
    assert marks(project) == {}


def test_the_reason_is_changed_then_the_mark_removed(personas: Personas, project: Project) -> None:
    client = login(personas.user(Role.EDITOR))
    client.post(cell_url(project), {"reason": "No land"}, **HTMX)
    form = client.get(cell_url(project), **HTMX).content.decode()
    assert ">\nNo land</textarea>" in form and "Remove the mark" in form
    assert "Marked not relevant by Alpha Editor" in form
    assert client.post(cell_url(project), {"reason": "No land left"}, **HTMX).status_code == 200
    assert marks(project) == {(REPUTATION, OFFER): "No land left"}
    removed = client.post(cell_url(project), {"reason": "", "unmark": "1"}, **HTMX)
    assert removed.status_code == 200
    assert 'class="cell gap"' in removed.content.decode()
    assert "71 open gaps" in summary(removed.content.decode())
    assert marks(project) == {}


def test_without_js_a_plain_form_page_marks_and_goes_back_to_the_matrix(
    personas: Personas, project: Project
) -> None:
    client = login(personas.user(Role.ADMIN))
    page = client.get(cell_url(project))
    assert page.status_code == 200 and page["Vary"].count("HX-Request")
    body = page.content.decode()
    assert f"<h1>Reputation {X} Offer, products and services</h1>" in body
    assert "hx-post" not in body and 'method="post"' in body
    response = client.post(cell_url(project), {"reason": "No land to sell"})
    assert response.status_code == 302
    assert response["Location"] == matrix_url(project, 1) + f"#{OFFER_CELL}"
    matrix = client.get(response["Location"]).content.decode()
    assert "The cell is marked not relevant for this project." in matrix
    assert "No land to sell" in cell_html(matrix, OFFER_CELL)
    response = client.post(cell_url(project), {"unmark": "1"})
    assert response.status_code == 302 and marks(project) == {}


def test_unknown_cells_and_cycles_are_404(personas: Personas, project: Project) -> None:
    client = login(personas.user(Role.EDITOR))
    assert client.get(cell_url(project, stage="tracer.nope")).status_code == 404
    assert client.get(cell_url(project, family="mix.nope")).status_code == 404
    assert client.post(cell_url(project, cycle=7), {"reason": "x"}).status_code == 404


# --- Who may mark ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.OWNER, True),
        (Role.ADMIN, True),
        (Role.EDITOR, True),
        (Role.PARTNER, False),
        (Role.VIEWER, False),
    ],
)
def test_only_those_who_edit_the_plan_mark_cells(
    personas: Personas, project: Project, role: str, allowed: bool
) -> None:
    mark(personas, project, PROMOTION, "Done by the region")
    client = login(personas.user(role))
    page = client.get(matrix_url(project)).content.decode()
    assert ('class="cell-tool"' in page) is allowed
    # Everyone who sees the matrix reads the marks and their reasons.
    assert "Marked not relevant: Done by the region" in page
    assert client.get(cell_url(project)).status_code == (200 if allowed else 403)
    response = client.post(cell_url(project), {"reason": "Not here"}, **HTMX)
    assert response.status_code == (200 if allowed else 403)
    assert (marks(project).get((REPUTATION, OFFER)) == "Not here") is allowed


def test_another_workspace_gets_404_and_nothing_changes(
    personas: Personas, project: Project
) -> None:
    client = login(personas.user("outsider"))
    assert client.get(cell_url(project)).status_code == 404
    assert client.post(cell_url(project), {"reason": "Not here"}).status_code == 404
    assert marks(project) == {}


# --- Closed cycles and the carry-over --------------------------------------------------------------


def _close_cycle_1(personas: Personas, project: Project) -> None:
    with workspace_scope(personas.workspace):
        cycles.cycle_close(
            actor=personas.user(Role.EDITOR),
            workspace=personas.workspace,
            cycle=Cycle.objects.get(project=project, number=1),
            started_on=dt.date(2027, 1, 1),
        )


def test_closing_a_cycle_carries_every_mark_over_and_keeps_the_old_ones(
    personas: Personas, project: Project
) -> None:
    mark(personas, project, OFFER, "No land to sell here")
    mark(personas, project, PROMOTION, "Done by the region")
    mark(personas, project, "mix.price", "Prices are set nationally", stage="tracer.conversion")
    _close_cycle_1(personas, project)  # carries no action over: only the marks come along
    expected = {
        (REPUTATION, OFFER): "No land to sell here",
        (REPUTATION, PROMOTION): "Done by the region",
        ("tracer.conversion", "mix.price"): "Prices are set nationally",
    }
    assert marks(project, 1) == expected
    assert marks(project, 2) == expected
    with scopes_disabled():
        copies = list(IrrelevantCell.objects.filter(cycle__number=2, project=project))
        assert all(c.carried_from is not None and c.carried_from.cycle.number == 1 for c in copies)
        assert all(c.marked_by == personas.user(Role.EDITOR) for c in copies)
    # Cycle 2 has no action: the carried marks are its not-relevant cells, the rest are gaps.
    page = login(personas.user(Role.EDITOR)).get(matrix_url(project)).content.decode()
    assert summary(page) == "0 covered cells 69 open gaps 3 cells not relevant out of 72 cells"


def test_a_closed_cycle_draws_no_control_and_refuses_changes_with_409(
    personas: Personas, project: Project
) -> None:
    mark(personas, project, PROMOTION, "Done by the region")
    _close_cycle_1(personas, project)
    client = login(personas.user(Role.OWNER))
    page = client.get(matrix_url(project, 1)).content.decode()
    assert 'class="cell-tool"' not in page and '<form class="cell-editor' not in page
    assert "Marked not relevant: Done by the region" in page  # still read
    # The open cycle offers the control.
    assert 'class="cell-tool"' in client.get(matrix_url(project)).content.decode()
    closed = cell_url(project, cycle=1)
    assert client.get(closed).status_code == 409
    # A page drawn before the close asks for the form: the cell comes back without one.
    stale = client.get(closed, **HTMX)
    assert stale.status_code == 200 and "<form" not in stale.content.decode()
    refused = client.post(closed, {"reason": "Too late"}, **HTMX)
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "closed cycles are read-only" in body and "Too late</textarea>" in body
    assert (
        client.post(cell_url(project, family=PROMOTION, cycle=1), {"unmark": "1"}).status_code
        == 409
    )
    assert marks(project, 1) == {(REPUTATION, PROMOTION): "Done by the region"}


# --- Co-editing, accessibility, query counts -------------------------------------------------------


def poller_url(page: str) -> str:
    match = re.search(r'<div id="plan-poller" hidden hx-get="([^"]+)"', page)
    assert match, "no #plan-poller on the page"
    return html.unescape(match.group(1))


def test_the_poll_brings_another_editors_mark_cell_by_cell(
    personas: Personas, project: Project
) -> None:
    watcher = login(personas.user(Role.VIEWER))
    poll = poller_url(watcher.get(matrix_url(project)).content.decode())
    assert watcher.get(poll).status_code == 204
    login(personas.user(Role.EDITOR)).post(cell_url(project), {"reason": "No land"}, **HTMX)
    answer = watcher.get(poll)
    assert answer.status_code == 200
    body = answer.content.decode()
    # Each cell out of band (an open form elsewhere is kept), and the counts.
    assert body.count('class="cell ') == 72 and body.count('hx-swap-oob="true"') >= 73
    assert f'<div id="{OFFER_CELL}" class="cell irrelevant marked" hx-swap-oob="true">' in body
    assert "1 cell not relevant" in summary(body)
    assert 'id="plan-matrix"' not in body


def test_each_cell_is_named_by_its_visible_text_and_its_stage_and_family(
    personas: Personas, project: Project
) -> None:
    mark(personas, project, OFFER, "No land")
    page = login(personas.user(Role.EDITOR)).get(matrix_url(project)).content.decode()
    found = re.findall(r'<a class="cell-link"([^>]*)>(.*?)</a>', page, re.S)
    assert len(found) == 72
    assert not [attrs for attrs, _ in found if "aria-label" in attrs]  # nothing overrides the text
    links = [inner for _, inner in found]
    text = [" ".join(re.sub(r"<[^>]+>", " ", link).split()) for link in links]
    assert text[0] == f"gap , All together {X} Offer, products and services"
    assert f"not relevant , Reputation {X} Offer, products and services" in text
    assert f"1 900 € action, Reputation {X} Promotion and communication" in text
    tools = re.findall(r'<a class="cell-tool".*?</a>', page, re.S)
    assert len(tools) == 72
    assert all('<span class="visually-hidden">' in tool for tool in tools)
    assert f"Change or remove the {LQ}not relevant{RQ} mark of Reputation {X} Offer" in page
    assert f"Mark All together {X} Offer, products and services not relevant" in page


def _grow(personas: Personas, project: Project) -> None:
    """60 more actions over every stage and family, and 30 marks."""
    ws = personas.workspace
    stages = list(TracerStage.objects.order_by("position"))
    families = list(MixFamily.objects.order_by("position"))
    with scopes_disabled():
        cycle = Cycle.objects.get(project=project, number=1)
        objectives = [
            cast(Objective, ObjectiveFactory(workspace=ws, project=project, stage=s, title=s.code))
            for s in stages
        ]
        Action.objects.bulk_create(
            Action(
                workspace=ws,
                project=project,
                objective=objectives[n % 6],
                family=families[n % 12],
                title=f"Action {n}",
                status="planned",
                budget_planned=n,
            )
            for n in range(60)
        )
        free = [
            (stage, family)
            for stage in stages
            for family in families
            if (stage.code, family.code) not in {(REPUTATION, OFFER), (REPUTATION, PROMOTION)}
        ]
        IrrelevantCell.objects.bulk_create(
            IrrelevantCell(
                workspace=ws,
                project=project,
                cycle=cycle,
                stage=stage,
                family=family,
                reason=f"Reason {n}",
                marked_by=personas.user(Role.EDITOR),
            )
            for n, (stage, family) in enumerate(free[::2][:30])
        )


def test_the_matrix_page_form_and_poll_cost_the_same_queries_with_1_and_many_actions_and_marks(
    personas: Personas, project: Project, django_assert_num_queries: Any
) -> None:
    mark(personas, project, PROMOTION, "Done by the region")
    client = login(personas.user(Role.EDITOR))
    requests = [
        (matrix_url(project), {}),
        (matrix_url(project), HTMX),
        (cell_url(project), HTMX),
        (cell_url(project), {}),
        (
            reverse("plan_changes", args=["alpha", project.uuid]) + "?view=matrix&rev=0&p=x",
            {},
        ),
    ]
    counts = []
    for path, headers in requests:
        client.get(path, **headers)  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, **headers).status_code == 200, path
        counts.append(len(queries))
    _grow(personas, project)
    for (path, headers), count in zip(requests, counts, strict=True):
        with django_assert_num_queries(count, info=path):
            response = client.get(path, **headers)
        assert response.status_code == 200
    page = client.get(matrix_url(project)).content.decode()
    assert page.count('class="cell irrelevant') + page.count('class="cell filled marked') >= 25


def test_the_demo_marks_two_cells_in_cycle_1_and_carries_them_into_cycle_2(
    settings: Any, personas: Personas
) -> None:
    from django.core.management import call_command

    settings.DEBUG = True
    settings.EMBEDDED = True
    call_command("demo", stdout=io.StringIO())
    with scopes_disabled():
        project = Project.objects.get(workspace__slug="demo")
    assert marks(project, 1) == marks(project, 2)
    assert set(marks(project, 2)) == {
        ("tracer.retention", "mix.price"),
        ("tracer.together", "mix.labels_awards"),
    }
