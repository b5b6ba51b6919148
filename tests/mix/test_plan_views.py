"""The plan's pages and live co-editing over HTTP: query counts, inline editing, conflicts,
validation, partners' rights, the poll, presence, history and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import User, Workspace
from core.roles import Role
from governance.models import PartnerOrganisation
from mix import services
from mix.models import Action, MixFamily
from territories.models import Audience, Project
from tests.conftest import Personas
from tests.factories import ActionFactory, ProjectFactory
from tracer import coediting
from tracer import services as tracer_services
from tracer.models import ChangeKind, Objective, PlanChange, TracerStage

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Plan:
    workspace: Workspace
    project: Project
    objective: Objective
    action: Action  # led by the partner's organisation, dated, budgeted
    office: PartnerOrganisation  # the partner persona's organisation, the project shared with it
    chamber: PartnerOrganisation  # another organisation

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.workspace.slug, *args])

    def field_url(self, action: Action, name: str) -> str:
        return self.url("action_field", action.uuid, name)

    def add_action(self, actor: User, **kwargs: Any) -> Action:
        """An action created the way people create them (history, plan revision)."""
        values: dict[str, Any] = {
            "objective": self.objective,
            "family": MixFamily.objects.get(code="mix.promotion"),
            "title": "An action",
            **kwargs,
        }
        return services.action_create(actor=actor, workspace=self.workspace, **values)


@pytest.fixture
def plan(personas: Personas, scope: Workspace) -> Plan:
    owner = personas.user(Role.OWNER)
    project = ProjectFactory(workspace=scope, name="Wine Entrepreneurs 2026")
    office = PartnerOrganisation.objects.create(name="Tourism Office")
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(project)
    chamber = PartnerOrganisation.objects.create(name="Chamber of Commerce")
    # Presence lives in the cache (Redis under REQUIRE_SERVICES), which outlives a test run
    # while the database ids start again: forget whoever "edited" this project before.
    cache.delete(coediting._presence_key(project))
    objective = tracer_services.objective_create(
        actor=owner,
        workspace=scope,
        project=project,
        stage=TracerStage.objects.get(code="tracer.reputation"),
        title="Be known for wine",
        audiences=[Audience.objects.order_by("position").first()],
    )
    plan = Plan(scope, project, objective, None, office, chamber)  # the action comes next
    plan.action = plan.add_action(
        owner,
        title="Wine fair stand",
        status="planned",
        lead_partner=office,
        contributors=[chamber],
        audiences=[Audience.objects.order_by("position").first()],
        start_date=dt.date(2026, 5, 1),
        end_date=dt.date(2026, 6, 30),
        budget_planned=Decimal("1200.00"),
    )
    return plan


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def poller_url(page: str) -> str:
    match = re.search(r'<div id="plan-poller" hidden hx-get="([^"]+)"', page)
    assert match, "no #plan-poller on the page"
    return html.unescape(match.group(1))


def presence_of(response: Any) -> dict[str, list[str]]:
    match = re.search(r'data-presence="([^"]*)"', response.content.decode())
    assert match, "no data-presence in the answer"
    presence: dict[str, list[str]] = json.loads(html.unescape(match.group(1)))
    return presence


def hidden_inputs(fragment: str, form_class: str = "inline") -> list[tuple[str, str]]:
    """The hidden inputs of the first ``<form class="{form_class}">`` in ``fragment``."""
    form = re.search(rf'<form class="{form_class}".*?</form>', fragment, re.S)
    assert form, fragment
    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
        )
    ]


# --- Query counts ---------------------------------------------------------------------------


def _grow_to_200_actions(plan: Plan, owner: User) -> None:
    """199 more actions over 4 objectives, with partners, audiences, dates and their history
    (as if created one by one: a "created" change and a plan revision each), in bulk."""
    stages = list(TracerStage.objects.order_by("position"))
    families = list(MixFamily.objects.order_by("position"))
    audiences = list(Audience.objects.order_by("position"))
    objectives = [plan.objective] + [
        tracer_services.objective_create(
            actor=owner,
            workspace=plan.workspace,
            project=plan.project,
            stage=stage,
            title=f"Objective of {stage.code}",
            audiences=audiences[:2],
        )
        for stage in stages[1:4]
    ]
    revision = Project.objects.get(pk=plan.project.pk).plan_revision
    actions = Action.objects.bulk_create(
        [
            Action(
                workspace=plan.workspace,
                project=plan.project,
                objective=objectives[n % len(objectives)],
                family=families[n % len(families)],
                title=f"Action {n:03d}",
                status=["idea", "planned", "in_progress", "done"][n % 4],
                lead_partner=[plan.office, plan.chamber, None][n % 3],
                start_date=dt.date(2026, 1 + n % 12, 1) if n % 5 else None,
                end_date=dt.date(2026, 1 + n % 12, 28) if n % 5 else None,
                budget_planned=Decimal(n * 10),
                revision=revision + 1 + n,
                created_by=owner,
                updated_by=owner,
            )
            for n in range(199)
        ]
    )
    Action.contributors.through.objects.bulk_create(
        Action.contributors.through(action=action, partnerorganisation=org)
        for n, action in enumerate(actions)
        for org in ([plan.chamber] if n % 2 else [plan.office, plan.chamber])
    )
    Action.audiences.through.objects.bulk_create(
        Action.audiences.through(action=action, audience=audience)
        for n, action in enumerate(actions)
        for audience in audiences[: n % 3]
    )
    PlanChange.objects.bulk_create(
        PlanChange(
            workspace=plan.workspace,
            project=plan.project,
            target_type="action",
            target_uuid=action.uuid,
            target_label=action.title,
            kind=ChangeKind.CREATED,
            actor=owner,
            revision=action.revision,
        )
        for action in actions
    )
    Project.objects.filter(pk=plan.project.pk).update(plan_revision=revision + len(actions))
    assert Action.objects.filter(project=plan.project).count() == 200


@pytest.mark.parametrize("role", [Role.OWNER, Role.PARTNER])
def test_plan_pages_partials_and_poll_cost_the_same_queries_at_1_and_200_actions(
    role: str, personas: Personas, plan: Plan, django_assert_num_queries: Any, monkeypatch: Any
) -> None:
    # Let the poll send all 200 changed actions (beyond its cap it sends a reload notice).
    monkeypatch.setattr("mix.views.POLL_MAX_ITEMS", 1000)
    client = login(personas.user(role))
    poll = plan.url("plan_changes", plan.project.uuid)
    requests: list[tuple[str, dict[str, str]]] = [
        (plan.url("plan_board", plan.project.uuid), {}),
        (plan.url("plan_table", plan.project.uuid), {}),
        (plan.url("plan_table", plan.project.uuid) + "?status=planned&sort=-budget", HTMX),
        (plan.url("plan_table", plan.project.uuid) + "?page=1", HTMX),
        (plan.url("plan_matrix", plan.project.uuid), {}),
        (plan.url("plan_timeline", plan.project.uuid), {}),
        # Everything changed since revision 0: every action comes back out of band.
        (f"{poll}?view=board&rev=0&p=x", {}),
        (f"{poll}?view=table&rev=0&p=x", {}),
        (f"{poll}?view=matrix&rev=0&p=x", {}),
    ]
    for path, headers in requests:
        assert client.get(path, **headers).status_code == 200, path  # warm session, caches
    counts = []
    for path, headers in requests:
        with CaptureQueriesContext(connection) as one:
            response = client.get(path, **headers)
        assert response.status_code == 200, path
        counts.append(len(one.captured_queries))
    # The poll when nothing changed: 204, and no per-action work at all.
    quiet = poller_url(client.get(requests[0][0]).content.decode())
    with CaptureQueriesContext(connection) as nothing_new:
        assert client.get(quiet).status_code == 204
    quiet_count = len(nothing_new)  # now: the log is cleared by the next request

    _grow_to_200_actions(plan, personas.user(Role.OWNER))
    answers = []
    for (path, headers), count in zip(requests, counts, strict=True):
        with django_assert_num_queries(count, info=path):
            response = client.get(path, **headers)
        assert response.status_code == 200, path
        assert (b"<html" in response.content) == (not headers and "/changes/" not in path)
        answers.append(response.content.decode())
    assert answers[6].count('hx-swap-oob="beforeend:#objective-') == 200  # every card, once
    assert answers[7].count('-title" hx-swap-oob="true"') == 200 + 4  # actions + objectives
    board = client.get(requests[0][0]).content.decode()
    assert board.count('class="action-card') == 200
    with django_assert_num_queries(quiet_count):
        assert client.get(poller_url(board)).status_code == 204


# --- Inline editing -------------------------------------------------------------------------


def test_get_opens_the_editor_with_the_current_version(personas: Personas, plan: Plan) -> None:
    client = login(personas.user(Role.EDITOR))
    response = client.get(plan.field_url(plan.action, "title"), **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert f'<form id="action-{plan.action.uuid}-title" class="inline-editor editing"' in fragment
    assert '<input type="hidden" name="version" value="1">' in fragment
    assert 'value="Wine fair stand"' in fragment
    # ?display=1 closes it again: the plain field, as a button that reopens the editor.
    response = client.get(plan.field_url(plan.action, "title") + "?display=1", **HTMX)
    assert response.status_code == 200
    assert (
        f'<button type="button" id="action-{plan.action.uuid}-title"' in response.content.decode()
    )


def test_save_with_the_right_version_returns_the_value_and_oob_counters(
    personas: Personas, plan: Plan
) -> None:
    client = login(personas.user(Role.EDITOR))
    response = client.post(
        plan.field_url(plan.action, "budget_planned"),
        {"budget_planned": "2500", "version": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert re.search(
        rf'<button type="button" id="action-{plan.action.uuid}-budget_planned"[^>]*>(?:<span class="visually-hidden">[^<]*</span>)?2,500\xa0€</button>',
        fragment,
    ), fragment
    counters = re.search(
        r'<ul id="plan-counters"[^>]*hx-swap-oob="true"[^>]*>.*?</ul>', fragment, re.S
    )
    assert counters, "no out-of-band #plan-counters"
    assert "2,500 €" in counters.group(0)
    plan.action.refresh_from_db()
    assert (plan.action.budget_planned, plan.action.version) == (Decimal("2500"), 2)
    assert plan.action.updated_by == personas.user(Role.EDITOR)


def test_stale_version_answers_409_with_theirs_yours_who_and_both_choices(
    personas: Personas, plan: Plan
) -> None:
    claire = login(personas.user(Role.EDITOR))  # "Alpha Editor"
    me = login(personas.user(Role.OWNER))
    url = plan.field_url(plan.action, "title")
    for client in (claire, me):  # both open the editor at version 1
        assert 'name="version" value="1"' in client.get(url, **HTMX).content.decode()
    assert claire.post(url, {"title": "Salon des vins", "version": "1"}, **HTMX).status_code == 200

    response = me.post(url, {"title": "Wine <b>fair</b> booth", "version": "1"}, **HTMX)

    assert response.status_code == 409
    fragment = response.content.decode()
    assert f'<div id="action-{plan.action.uuid}-title" class="conflict editing"' in fragment
    assert "Alpha Editor changed this" in fragment
    assert '<dd class="theirs">Salon des vins</dd>' in fragment
    assert '<dd class="yours">Wine &lt;b&gt;fair&lt;/b&gt; booth</dd>' in fragment
    assert re.search(r"<button[^>]*keep-theirs[^>]*>Keep theirs</button>", fragment)
    assert re.search(r"<button[^>]*overwrite[^>]*>Overwrite with mine</button>", fragment)
    assert hidden_inputs(fragment) == [
        ("version", "2"),
        ("original", "Salon des vins"),
        ("title", "Wine <b>fair</b> booth"),
    ]
    plan.action.refresh_from_db()
    assert (plan.action.title, plan.action.version) == ("Salon des vins", 2)

    # "Keep theirs" closes the conflict on their value.
    kept = me.get(url + "?display=1", **HTMX)
    assert kept.status_code == 200
    assert "</span>Salon des vins</button>" in kept.content.decode()

    # "Overwrite with mine" posts the conflict's version back: it wins.
    response = me.post(url, dict(hidden_inputs(fragment)), **HTMX)
    assert response.status_code == 200
    assert "</span>Wine &lt;b&gt;fair&lt;/b&gt; booth</button>" in response.content.decode()
    plan.action.refresh_from_db()
    assert (plan.action.title, plan.action.version) == ("Wine <b>fair</b> booth", 3)
    assert plan.action.updated_by == personas.user(Role.OWNER)


def test_overwrite_loses_again_if_someone_saved_meanwhile(personas: Personas, plan: Plan) -> None:
    claire = login(personas.user(Role.EDITOR))
    me = login(personas.user(Role.OWNER))
    url = plan.field_url(plan.action, "status")
    claire.post(url, {"status": "done", "version": "1"}, **HTMX)
    conflict = me.post(url, {"status": "dropped", "version": "1"}, **HTMX).content.decode()
    assert (
        '<dd class="theirs">Done</dd>' in conflict and '<dd class="yours">Dropped</dd>' in conflict
    )
    claire.post(url, {"status": "in_progress", "version": "2"}, **HTMX)
    response = me.post(url, dict(hidden_inputs(conflict)), **HTMX)
    assert response.status_code == 409
    assert '<dd class="theirs">In progress</dd>' in response.content.decode()
    plan.action.refresh_from_db()
    assert (plan.action.status, plan.action.version) == ("in_progress", 3)


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("end_date", "2026-04-01", "The end date cannot be before the start date."),
        ("start_date", "2026-07-15", "The end date cannot be before the start date."),
        ("budget_planned", "-5", "The planned budget cannot be negative."),
        ("budget_spent", "-0.01", "The amount spent cannot be negative."),
    ],
)
def test_invalid_value_answers_422_with_the_editor_keeping_the_typed_value(
    name: str, typed: str, message: str, personas: Personas, plan: Plan
) -> None:
    client = login(personas.user(Role.EDITOR))
    response = client.post(plan.field_url(plan.action, name), {name: typed, "version": "1"}, **HTMX)
    assert response.status_code == 422
    fragment = response.content.decode()
    assert f'<form id="action-{plan.action.uuid}-{name}" class="inline-editor editing"' in fragment
    assert message in fragment
    assert f'value="{typed}"' in fragment
    assert 'name="version" value="1"' in fragment  # the editor still saves against version 1
    plan.action.refresh_from_db()
    assert plan.action.version == 1
    assert not PlanChange.objects.filter(target_uuid=plan.action.uuid, kind=ChangeKind.UPDATED)


def test_related_fields_are_named_by_uuid_or_code_never_by_integer_pk(
    personas: Personas, plan: Plan
) -> None:
    client = login(personas.user(Role.EDITOR))
    editors = {
        name: client.get(plan.field_url(plan.action, name), **HTMX).content.decode()
        for name in ("lead_partner", "contributors", "family", "objective", "audiences")
    }
    assert (
        f'<option value="{plan.office.uuid}" selected>Tourism Office</option>'
        in (editors["lead_partner"])
    )
    assert f'value="{plan.chamber.uuid}"' in editors["contributors"]
    assert '<option value="mix.promotion" selected>' in editors["family"]
    assert f'<option value="{plan.objective.uuid}" selected>' in editors["objective"]
    for name, fragment in editors.items():
        values = re.findall(r'value="([^"]*)"', fragment)
        assert not [v for v in values if v.isdigit() and v != "1"], (name, values)  # 1: version

    url = plan.field_url(plan.action, "lead_partner")
    response = client.post(url, {"lead_partner": str(plan.office.pk), "version": "1"}, **HTMX)
    assert response.status_code == 422
    response = client.post(url, {"lead_partner": str(plan.chamber.uuid), "version": "1"}, **HTMX)
    assert response.status_code == 200
    assert "</span>Chamber of Commerce</button>" in response.content.decode()
    # A conflict on a related field posts the same public identifiers back.
    stale = client.post(url, {"lead_partner": str(plan.office.uuid), "version": "1"}, **HTMX)
    assert stale.status_code == 409
    assert hidden_inputs(stale.content.decode()) == [
        ("version", "2"),
        ("original", "Chamber of Commerce"),
        ("lead_partner", str(plan.office.uuid)),
    ]
    assert client.post(url, dict(hidden_inputs(stale.content.decode())), **HTMX).status_code == 200
    plan.action.refresh_from_db()
    assert (plan.action.lead_partner, plan.action.version) == (plan.office, 3)


def test_an_unchanged_value_records_nothing(personas: Personas, plan: Plan) -> None:
    client = login(personas.user(Role.EDITOR))
    url = plan.field_url(plan.action, "title")
    response = client.post(url, {"title": "Wine fair stand", "version": "1"}, **HTMX)
    assert response.status_code == 200
    plan.action.refresh_from_db()
    assert plan.action.version == 1
    assert not PlanChange.objects.filter(target_uuid=plan.action.uuid, kind=ChangeKind.UPDATED)


# --- Partners and viewers -------------------------------------------------------------------


def test_partner_edits_the_actions_of_their_organisation_only(
    personas: Personas, plan: Plan
) -> None:
    owner = personas.user(Role.OWNER)
    contributed = plan.add_action(owner, title="Contributed", contributors=[plan.office])
    foreign = plan.add_action(owner, title="Chamber's own", lead_partner=plan.chamber)
    partner = login(personas.user(Role.PARTNER))

    for action in (plan.action, contributed):  # led by, then contributed to by, the office
        url = plan.field_url(action, "title")
        assert partner.get(url, **HTMX).status_code == 200
        response = partner.post(url, {"title": f"{action.title} (office)", "version": "1"}, **HTMX)
        assert response.status_code == 200, action.title
        action.refresh_from_db()
        assert action.title.endswith("(office)")

    url = plan.field_url(foreign, "title")
    assert partner.get(url, **HTMX).status_code == 403
    assert partner.post(url, {"title": "Hijacked", "version": "1"}, **HTMX).status_code == 403
    foreign.refresh_from_db()
    assert (foreign.title, foreign.version) == ("Chamber's own", 1)
    # On the board the partner gets buttons on their actions, plain text elsewhere.
    board = partner.get(plan.url("plan_board", plan.project.uuid)).content.decode()
    assert f'<button type="button" id="action-{plan.action.uuid}-title"' in board
    assert f'<span id="action-{foreign.uuid}-title"' in board


def test_partner_may_not_delete_an_action(personas: Personas, plan: Plan) -> None:
    partner = login(personas.user(Role.PARTNER))
    response = partner.post(plan.url("action_delete", plan.action.uuid), **HTMX)
    assert response.status_code == 403
    assert Action.objects.filter(pk=plan.action.pk).exists()


def test_partner_gets_404_on_a_project_not_shared_with_them(personas: Personas, plan: Plan) -> None:
    hidden = ProjectFactory(workspace=plan.workspace, name="Secret Port Project")
    objective = tracer_services.objective_create(
        actor=personas.user(Role.OWNER),
        workspace=plan.workspace,
        project=hidden,
        stage=TracerStage.objects.get(code="tracer.reputation"),
        title="Hidden objective",
    )
    action = plan.add_action(
        personas.user(Role.OWNER), objective=objective, title="Hidden", lead_partner=plan.office
    )
    partner = login(personas.user(Role.PARTNER))
    for path in (
        plan.url("plan_board", hidden.uuid),
        plan.url("plan_table", hidden.uuid),
        plan.url("plan_changes", hidden.uuid) + "?rev=0&p=x",
        plan.url("action_detail", action.uuid),
        plan.field_url(action, "title"),
    ):
        response = partner.get(path, **HTMX)
        assert response.status_code == 404, path
        assert b"Hidden" not in response.content
    response = partner.post(plan.field_url(action, "title"), {"title": "x", "version": "1"})
    assert response.status_code == 404
    # Even though the office leads the action: sharing the project is what opens it.
    action.refresh_from_db()
    assert action.title == "Hidden"


def test_viewer_gets_403_on_the_editor_and_plain_text_on_the_board(
    personas: Personas, plan: Plan
) -> None:
    viewer = login(personas.user(Role.VIEWER))
    url = plan.field_url(plan.action, "title")
    assert viewer.get(url, **HTMX).status_code == 403
    assert viewer.post(url, {"title": "Nope", "version": "1"}, **HTMX).status_code == 403
    plan.action.refresh_from_db()
    assert plan.action.title == "Wine fair stand"
    board = viewer.get(plan.url("plan_board", plan.project.uuid)).content.decode()
    assert f'<span id="action-{plan.action.uuid}-title" class="field-title">' in board
    assert f'<button type="button" id="action-{plan.action.uuid}-title"' not in board


def test_another_workspace_member_gets_404(personas: Personas, plan: Plan) -> None:
    outsider = login(personas.user("outsider"))
    for path in (
        plan.url("plan_board", plan.project.uuid),
        plan.url("plan_changes", plan.project.uuid) + "?rev=0&p=x",
        plan.field_url(plan.action, "title"),
    ):
        assert outsider.get(path, **HTMX).status_code == 404, path


# --- The poll and presence ------------------------------------------------------------------


def test_poll_is_204_until_someone_else_saves_then_200_with_the_changed_field_oob(
    personas: Personas, plan: Plan
) -> None:
    me = login(personas.user(Role.OWNER))
    claire = login(personas.user(Role.EDITOR))
    poll = poller_url(me.get(plan.url("plan_board", plan.project.uuid)).content.decode())
    response = me.get(poll)
    assert response.status_code == 204
    assert response.content == b""

    claire.post(plan.field_url(plan.action, "title"), {"title": "Salon des vins", "version": "1"})

    response = me.get(poll)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert re.search(
        rf'<button type="button" id="action-{plan.action.uuid}-title" hx-swap-oob="true"'
        r'[^>]*><span class="visually-hidden">[^<]*</span>Salon des vins</button>',
        fragment,
    ), fragment
    assert re.search(r'<ul id="plan-counters"[^>]*hx-swap-oob="true"', fragment)
    revision = Project.objects.get(pk=plan.project.pk).plan_revision
    assert f'data-revision="{revision}"' in fragment
    # The new poller asks from the new revision: quiet again.
    assert me.get(poller_url(fragment)).status_code == 204


def test_poll_brings_new_and_deleted_actions(personas: Personas, plan: Plan) -> None:
    me = login(personas.user(Role.OWNER))
    poll = poller_url(me.get(plan.url("plan_board", plan.project.uuid)).content.decode())
    added = plan.add_action(personas.user(Role.EDITOR), title="Brand new")
    services.action_delete(
        actor=personas.user(Role.EDITOR), workspace=plan.workspace, action=plan.action
    )
    fragment = me.get(poll).content.decode()
    assert f'hx-swap-oob="beforeend:#objective-{plan.objective.uuid}-actions"' in fragment
    assert f'id="action-{added.uuid}-card"' in fragment
    assert f'<div id="action-{plan.action.uuid}-card" hx-swap-oob="delete">' in fragment


def test_poll_rejects_a_revision_that_is_not_a_number(personas: Personas, plan: Plan) -> None:
    me = login(personas.user(Role.OWNER))
    response = me.get(plan.url("plan_changes", plan.project.uuid) + "?rev=abc")
    assert response.status_code == 400


def test_presence_shows_who_is_editing_to_the_others(personas: Personas, plan: Plan) -> None:
    me = login(personas.user(Role.OWNER))
    claire = login(personas.user(Role.EDITOR))
    board = plan.url("plan_board", plan.project.uuid)
    my_poll = poller_url(me.get(board).content.decode())
    assert me.get(my_poll).status_code == 204

    assert claire.get(plan.field_url(plan.action, "title"), **HTMX).status_code == 200

    response = me.get(my_poll)
    assert response.status_code == 200  # nothing saved, but the presence changed
    assert presence_of(response) == {f"action:{plan.action.uuid}": ["Alpha Editor"]}
    assert "data-editing-label" in me.get(board).content.decode()
    # Claire does not see herself.
    assert presence_of(claire.get(plan.url("plan_changes", plan.project.uuid) + "?rev=0")) == {}

    # Closing the editor ends it; the poller swapped in above now asks with the new hash.
    my_poll = poller_url(response.content.decode())
    assert me.get(my_poll).status_code == 204
    claire.get(plan.field_url(plan.action, "title") + "?display=1", **HTMX)
    response = me.get(my_poll)
    assert response.status_code == 200
    assert presence_of(response) == {}


def test_presence_ping_keeps_the_editor_listed(personas: Personas, plan: Plan) -> None:
    claire = login(personas.user(Role.EDITOR))
    me = login(personas.user(Role.OWNER))
    response = claire.post(plan.url("presence", "action", plan.action.uuid))
    assert response.status_code == 204
    poll = plan.url("plan_changes", plan.project.uuid) + "?rev=0"
    assert presence_of(me.get(poll)) == {f"action:{plan.action.uuid}": ["Alpha Editor"]}
    assert claire.post(plan.url("presence", "comment", plan.action.uuid)).status_code == 404


# --- History --------------------------------------------------------------------------------


def test_each_save_adds_a_plan_change_shown_in_the_action_history(
    personas: Personas, plan: Plan
) -> None:
    claire = login(personas.user(Role.EDITOR))
    claire.post(plan.field_url(plan.action, "title"), {"title": "Salon des vins", "version": "1"})
    claire.post(plan.field_url(plan.action, "status"), {"status": "done", "version": "2"})

    changes = list(
        PlanChange.objects.filter(target_uuid=plan.action.uuid, kind=ChangeKind.UPDATED).order_by(
            "revision"
        )
    )
    # Free text as written, choices by their code: each reader sees them in their language.
    assert [(c.field, c.old_value, c.new_value, c.actor) for c in changes] == [
        ("title", "Wine fair stand", "Salon des vins", personas.user(Role.EDITOR)),
        ("status", "planned", "done", personas.user(Role.EDITOR)),
    ]

    page = claire.get(plan.url("action_detail", plan.action.uuid)).content.decode()
    history = page[page.index('id="history-title"') :]
    assert re.search(
        r"changed <em>Title</em> of “Salon des vins”:\s*<del>Wine fair stand</del> → "
        r"<ins>Salon des vins</ins>",
        history,
    ), history
    assert re.search(r"<del>Planned</del> → <ins>Done</ins>", history)
    assert history.index("<ins>Done</ins>") < history.index(
        "<ins>Salon des vins</ins>"
    )  # newest first


# --- Exports --------------------------------------------------------------------------------


def _csv_rows(response: Any, delimiter: str) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def _xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("fr", ["Titre", "Étape TRACER", "Objectif"]),
        ("en", ["Title", "TRACER stage", "Objective"]),
    ],
)
def test_exports_have_headers_in_the_asked_language_and_only_the_filtered_rows(
    lang: str, headers: list[str], personas: Personas, plan: Plan
) -> None:
    owner = personas.user(Role.OWNER)
    plan.add_action(owner, title="Wine bloggers tour", status="done")
    plan.add_action(owner, title="Cheese festival", status="planned")
    client = login(personas.user(Role.VIEWER))
    query = f"?lang={lang}&q=wine&status=planned"
    with translation.override(lang):
        expected = [str(translation.gettext(h)) for h in ("Title", "TRACER stage", "Objective")]
    assert expected == headers  # the catalogue says so: the export is really translated

    response = client.get(plan.url("plan_export", plan.project.uuid, "csv") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response, ";" if lang == "fr" else ",")
    assert rows[0][:3] == headers
    assert [row[0] for row in rows[1:]] == ["Wine fair stand"]  # not the bloggers (done), no cheese

    response = client.get(plan.url("plan_export", plan.project.uuid, "xlsx") + query)
    assert response.status_code == 200
    assert 'filename="' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = _xlsx_rows(response)
    assert list(rows[0][:3]) == headers
    assert [row[0] for row in rows[1:]] == ["Wine fair stand"]
    assert rows[0][3] == "Cycle"  # the same word in both languages
    assert rows[1][3] == 1  # the cycle's number
    assert rows[1][12] == 1200  # the planned budget stays a number


def test_exports_neutralise_cells_that_look_like_formulas(personas: Personas, plan: Plan) -> None:
    from openpyxl import load_workbook

    owner = personas.user(Role.OWNER)
    dangerous = {  # title: description
        '=HYPERLINK("http://evil.example","Click")': "@SUM(A1:A9)",
        "+33 cmd|' /C calc'!A0": "-2+3",
    }
    for title, text in dangerous.items():
        plan.add_action(owner, title=title, description=text)
    client = login(personas.user(Role.EDITOR))

    def export(fmt: str) -> Any:
        return client.get(plan.url("plan_export", plan.project.uuid, fmt) + "?lang=en")

    rows = _csv_rows(export("csv"), ",")
    column = rows[0].index("Description")
    assert {row[0]: row[column] for row in rows[1:]} == {
        "Wine fair stand": "",
        **{"'" + title: "'" + text for title, text in dangerous.items()},
    }

    sheet = load_workbook(io.BytesIO(export("xlsx").content)).active
    cells = list(sheet.iter_rows())
    assert {row[0].value: row[column].value for row in cells[1:]} == {
        "Wine fair stand": None,
        **{"'" + title: "'" + text for title, text in dangerous.items()},
    }
    assert not [cell.coordinate for row in cells for cell in row if cell.data_type == "f"]


def test_a_change_to_another_field_is_no_conflict(personas: Personas, plan: Plan) -> None:
    """The editor carries the value it showed: a save goes through when only other fields moved."""
    claire = login(personas.user(Role.EDITOR))
    me = login(personas.user(Role.OWNER))
    title_url = plan.field_url(plan.action, "title")
    status_url = plan.field_url(plan.action, "status")
    original = plan.action.title
    # I open the title editor at version 1; Claire changes the status meanwhile.
    assert claire.post(status_url, {"status": "done", "version": "1"}, **HTMX).status_code == 200
    response = me.post(
        title_url, {"title": "Renamed", "version": "1", "original": original}, **HTMX
    )
    assert response.status_code == 200
    plan.action.refresh_from_db()
    assert (plan.action.title, plan.action.status, plan.action.version) == ("Renamed", "done", 3)
    # But when the same field moved, the stale save is a conflict, original or not.
    response = claire.post(
        title_url, {"title": "Other", "version": "2", "original": original}, **HTMX
    )
    assert response.status_code == 409


def test_saving_the_value_already_there_is_no_conflict(personas: Personas, plan: Plan) -> None:
    claire = login(personas.user(Role.EDITOR))
    me = login(personas.user(Role.OWNER))
    url = plan.field_url(plan.action, "title")
    assert claire.post(url, {"title": "Same idea", "version": "1"}, **HTMX).status_code == 200
    response = me.post(url, {"title": "Same idea", "version": "1"}, **HTMX)
    assert response.status_code == 200
    plan.action.refresh_from_db()
    assert plan.action.version == 2


def test_a_poll_far_behind_asks_for_a_reload_instead_of_sending_everything(
    personas: Personas, plan: Plan, monkeypatch: Any
) -> None:
    monkeypatch.setattr("mix.views.POLL_MAX_ITEMS", 2)
    client = login(personas.user(Role.OWNER))
    for n in range(3):
        ActionFactory(
            workspace=personas.workspace, objective=plan.action.objective, title=f"Bulk {n}"
        )
    for action in plan.project.actions.all():
        coediting.record(actor=None, item=action, kind=ChangeKind.UPDATED, revision=999)
    Project.objects.filter(pk=plan.project.pk).update(plan_revision=999)
    poll = plan.url("plan_changes", plan.project.uuid) + "?view=board&rev=0&p=x"
    response = client.get(
        poll, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/here/"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Many changes were made since you opened this page." in html
    assert 'href="http://testserver/here/"' in html
    assert "Bulk 0" not in html
