"""The API knows cycles: plan items and the records of a cycle carry ``cycle`` and ``cycle_url``,
and every per-cycle list takes ``cycle=<id>`` and ``cycle=current``; bad values are refused.

The plan is the one a team has after its first cycle review: cycle 1 closed by the real close
service (evaluation.cycles.cycle_close), one objective and one action carried over into cycle 2,
and a new objective there. A second project is still in its cycle 1.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.api import router
from core.apifilters import IdOrKeywordFilter
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from core.tokens import token_create
from evaluation.cycles import cycle_close
from governance.models import MaturityAssessment
from mix.models import Action
from territories.models import Cycle
from territories.selectors import cycles_current
from tests.api.helpers import api_pages, api_planned_budget
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ActorProposalFactory,
    CommentFactory,
    ContributionFactory,
    LessonFactory,
    MaturityScoreFactory,
    ObjectiveFactory,
    OwnershipEventFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)
from tracer.models import Objective
from tracer.selectors import current_cycle

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
REGISTRY = {basename: (prefix, viewset) for prefix, viewset, basename in router.registry}


def token(personas: Personas, who: str = Role.OWNER) -> Client:
    workspace = personas.other_workspace if who == "outsider" else personas.workspace
    with workspace_scope(workspace):
        _token, secret = token_create(
            actor=personas.user(who), workspace=workspace, name="Warehouse", scope="read"
        )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def url(basename: str, slug: str = "alpha") -> str:
    return f"/api/v1/w/{slug}/{REGISTRY[basename][0]}/"


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("urn:territoria:problem:")
    return body


@pytest.fixture
def reviewed(personas: Personas) -> dict[str, Any]:
    """Project A: cycle 1 closed, "Known" and its action "Fair" carried over into cycle 2, where
    "Fresh" is new. "Dropped" stays behind in cycle 1. Project B: still in its cycle 1."""
    ws, owner = personas.workspace, personas.user(Role.OWNER)
    project = ProjectFactory(workspace=ws, name="Coast")
    first = Cycle.unscoped_objects.get(project=project, number=1)
    known = ObjectiveFactory(workspace=ws, project=project, title="Known")
    dropped = ObjectiveFactory(workspace=ws, project=project, title="Dropped")
    fair: Action = ActionFactory(workspace=ws, objective=known, title="Fair", budget_planned=1000)
    ActionFactory(workspace=ws, objective=dropped, title="Flyers", budget_planned=250)
    with workspace_scope(ws):
        second = cycle_close(
            actor=owner,
            workspace=ws,
            cycle=first,
            started_on=dt.date(2027, 1, 4),
            actions=[fair],
        )
    with scopes_disabled():
        known_copy = Objective.objects.get(carried_from=known)
    fresh = ObjectiveFactory(workspace=ws, project=project, cycle=second, title="Fresh")
    ActionFactory(workspace=ws, objective=fresh, title="Stand", budget_planned=400)
    other = ProjectFactory(workspace=ws, name="Valley")
    other_cycle = Cycle.unscoped_objects.get(project=other, number=1)
    lone = ObjectiveFactory(workspace=ws, project=other, title="Lone")
    ActionFactory(workspace=ws, objective=lone, title="Walk", budget_planned=30)
    return {
        "project": project,
        "first": first,
        "second": second,
        "known_copy": known_copy,
        "other": other,
        "other_cycle": other_cycle,
    }


def test_objectives_and_actions_carry_their_cycle_and_its_link(
    personas: Personas, reviewed: dict[str, Any]
) -> None:
    client = token(personas)
    first, second = str(reviewed["first"].uuid), str(reviewed["second"].uuid)
    lone = str(reviewed["other_cycle"].uuid)
    # No cycle asked: every cycle's rows, each with its own cycle.
    everything = api_pages(client, url("objective"))
    assert sorted((r["title"], r["cycle"]) for r in everything) == sorted(
        [("Known", first), ("Dropped", first), ("Known", second), ("Fresh", second), ("Lone", lone)]
    )
    actions = api_pages(client, url("action"))
    assert sorted((r["title"], r["cycle"]) for r in actions) == sorted(
        [("Fair", first), ("Flyers", first), ("Fair", second), ("Stand", second), ("Walk", lone)]
    )
    for row in everything + actions:
        assert row["cycle_url"] == f"http://testserver/api/v1/w/alpha/cycles/{row['cycle']}/"
    # The link leads to the cycle, which says it is closed or open.
    closed = client.get(next(r for r in actions if r["cycle"] == first)["cycle_url"])
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # An action's cycle is its objective's.
    objective_cycles = {r["id"]: r["cycle"] for r in everything}
    assert all(objective_cycles[r["objective"]] == r["cycle"] for r in actions)
    # The detail answers the same fields.
    detail = client.get(actions[0]["url"]).json()
    assert (detail["cycle"], detail["cycle_url"]) == (actions[0]["cycle"], actions[0]["cycle_url"])


def test_plan_lists_read_the_cycle_asked_for(personas: Personas, reviewed: dict[str, Any]) -> None:
    client = token(personas)
    first, second = reviewed["first"], reviewed["second"]

    def listed(basename: str, **query: Any) -> list[tuple[str, str]]:
        return sorted((r["title"], r["cycle"]) for r in api_pages(client, url(basename), **query))

    c1, c2, lone = str(first.uuid), str(second.uuid), str(reviewed["other_cycle"].uuid)
    assert listed("objective", cycle=c1) == [("Dropped", c1), ("Known", c1)]
    assert listed("action", cycle=c1) == [("Fair", c1), ("Flyers", c1)]
    assert listed("objective", cycle=c2) == [("Fresh", c2), ("Known", c2)]
    assert listed("action", cycle=c2) == [("Fair", c2), ("Stand", c2)]
    # current: each project's own current cycle (Coast's 2, Valley's 1), never a closed one.
    assert listed("objective", cycle="current") == [("Fresh", c2), ("Known", c2), ("Lone", lone)]
    assert listed("action", cycle="current") == [("Fair", c2), ("Stand", c2), ("Walk", lone)]
    project = str(reviewed["project"].uuid)
    assert listed("action", cycle="current", project=project) == [("Fair", c2), ("Stand", c2)]
    # With another filter, and with one the cycle excludes.
    assert listed("action", cycle=c1, q="fair") == [("Fair", c1)]
    assert listed("action", cycle=c1, project=str(reviewed["other"].uuid)) == []
    # The carried-over copy is the cycle 2 row; the original stays in cycle 1.
    known_copy = str(reviewed["known_copy"].uuid)
    assert [r["id"] for r in api_pages(client, url("objective"), cycle=c2, q="Known")] == [
        known_copy
    ]
    # A detail read through a cycle it is not in is not found.
    in_first = api_pages(client, url("action"), cycle=c1)[0]
    assert client.get(in_first["url"], {"cycle": c2}).status_code == 404


def test_current_is_each_projects_open_cycle_with_the_highest_number_or_its_last(
    personas: Personas,
) -> None:
    ws = personas.workspace
    shapes = {
        "one open": ["open"],
        "closed then open": ["closed", "open"],
        "all closed": ["closed", "closed"],
        "open then closed": ["open", "closed"],
        "two open": ["open", "open", "closed"],
    }
    expected = {}
    for name, statuses in shapes.items():
        project = ProjectFactory(workspace=ws, name=name)
        for number, status in enumerate(statuses, start=1):
            Cycle.unscoped_objects.update_or_create(
                workspace=ws,
                project=project,
                number=number,
                defaults={"status": status, "started_on": dt.date(2026, 1, number)},
            )
        with workspace_scope(ws):
            expected[name] = current_cycle(project=project).number
    assert expected == {
        "one open": 1,
        "closed then open": 2,
        "all closed": 2,
        "open then closed": 1,
        "two open": 2,
    }
    with workspace_scope(ws):
        found = {c.project.name: c.number for c in cycles_current().select_related("project")}
    assert found == expected


def _record_makers(ws: Any, partner_one: Any, partner_two: Any) -> dict[str, Any]:
    """For each per-cycle list other than the plan's: make one row in a given cycle."""
    partners = iter([partner_one, partner_two])

    def assessment(cycle: Cycle) -> MaturityAssessment:
        found, _created = MaturityAssessment.unscoped_objects.get_or_create(
            workspace=ws, project=cycle.project, cycle=cycle
        )
        return found

    return {
        "lesson": lambda c, label: LessonFactory(
            workspace=ws, project=c.project, cycle=c, learned=label
        ),
        "contribution": lambda c, label: ContributionFactory(
            workspace=ws, cycle=c, partner=next(partners), note=label
        ),
        "ownership-event": lambda c, label: OwnershipEventFactory(
            workspace=ws, cycle=c, title=label
        ),
        "actor-proposal": lambda c, label: ActorProposalFactory(workspace=ws, cycle=c, name=label),
        # On an objective of cycle 1, on an action of cycle 2: both ways to a comment's cycle.
        "comment": lambda c, label: CommentFactory(
            workspace=ws,
            objective=Objective.unscoped_objects.filter(cycle=c).first() if c.number == 1 else None,
            action=Action.unscoped_objects.filter(objective__cycle=c).first()
            if c.number == 2
            else None,
            body=label,
        ),
        "maturity-assessment": lambda c, label: assessment(c),
        "maturity-score": lambda c, label: MaturityScoreFactory(
            workspace=ws, assessment=assessment(c)
        ),
    }


def _cycle_lists() -> list[str]:
    return sorted(
        basename
        for basename, (_prefix, viewset) in REGISTRY.items()
        if isinstance(
            getattr(getattr(viewset, "filterset_class", None), "base_filters", {}).get("cycle"),
            IdOrKeywordFilter,
        )
    )


def test_every_per_cycle_list_takes_cycle_and_shows_it(
    personas: Personas, reviewed: dict[str, Any]
) -> None:
    assert _cycle_lists() == sorted(
        [
            "objective",
            "action",
            "comment",
            "lesson",
            "contribution",
            "ownership-event",
            "actor-proposal",
            "maturity-assessment",
            "maturity-score",
        ]
    )
    ws = personas.workspace
    makers = _record_makers(
        ws,
        PartnerOrganisationFactory(workspace=ws, name="One"),
        PartnerOrganisationFactory(workspace=ws, name="Two"),
    )
    client = token(personas)
    first, second = reviewed["first"], reviewed["second"]
    for basename, make in makers.items():
        old, new = make(first, "In cycle 1"), make(second, "In cycle 2")
        assert {"cycle", "cycle_url"} <= set(REGISTRY[basename][1].serializer_class().fields)

        def ids(**query: Any) -> list[tuple[str, str]]:
            found = api_pages(client, url(basename), project=str(first.project.uuid), **query)  # noqa: B023
            return sorted((r["id"], r["cycle"]) for r in found)

        c1, c2 = str(first.uuid), str(second.uuid)
        assert ids(cycle=c1) == [(str(old.uuid), c1)], basename
        assert ids(cycle=c2) == [(str(new.uuid), c2)], basename
        assert ids(cycle="current") == [(str(new.uuid), c2)], basename
        assert ids() == sorted([(str(old.uuid), c1), (str(new.uuid), c2)]), basename


CYCLE_LISTS = _cycle_lists()


@pytest.mark.parametrize("basename", CYCLE_LISTS)
def test_a_cycle_that_is_not_one_is_refused_naming_cycle(
    basename: str, personas: Personas, reviewed: dict[str, Any]
) -> None:
    client = token(personas)
    first = reviewed["first"]
    with workspace_scope(personas.other_workspace):
        foreign = ProjectFactory(workspace=personas.other_workspace)
        foreign_cycle = Cycle.objects.get(project=foreign, number=1)
    bad: list[Any] = [
        "",
        " ",
        "Current",
        "CURRENT",
        "now",
        "latest",
        "1",
        "2",
        "null",
        "not-an-id",
        str(uuid.uuid4()),  # no such cycle
        first.uuid.hex,  # the right cycle, not written as the schema says
        "{" + str(first.uuid) + "}",
        str(foreign_cycle.uuid),  # another workspace's
        [str(first.uuid), "current"],  # twice
    ]
    for value in bad:
        body = problem(client.get(url(basename), {"cycle": value}), 400)
        assert list(body["errors"]) == ["cycle"], (basename, value)
        assert str(foreign.uuid) not in body["detail"] + str(body["errors"])
    # Both cases of a uuid are the id.
    assert client.get(url(basename), {"cycle": str(first.uuid).upper()}).status_code == 200


def test_a_partner_cannot_name_the_cycle_of_a_project_not_shared_with_them(
    personas: Personas, reviewed: dict[str, Any]
) -> None:
    ws = personas.workspace
    office = PartnerOrganisationFactory(workspace=ws, name="Tourism office")
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(reviewed["project"])
    client = token(personas, Role.PARTNER)
    shared, hidden = str(reviewed["second"].uuid), str(reviewed["other_cycle"].uuid)
    assert [r["title"] for r in api_pages(client, url("action"), cycle=shared)] in (
        ["Fair", "Stand"],
        ["Stand", "Fair"],
    )
    assert "cycle" in problem(client.get(url("action"), {"cycle": hidden}), 400)["errors"]
    # current: the current cycles of the shared projects only.
    titles = sorted(r["title"] for r in api_pages(client, url("objective"), cycle="current"))
    assert titles == ["Fresh", "Known"]


def _queries(client: Client, path: str, query: dict[str, Any]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": 100, **query})
    assert response.status_code == 200, response.content[:300]
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("basename", ["objective", "action"])
@pytest.mark.parametrize("which", ["id", "current"])
def test_a_cycle_filtered_list_takes_as_many_queries_for_100_rows_as_for_1(
    basename: str, which: str, personas: Personas, reviewed: dict[str, Any]
) -> None:
    ws = personas.workspace
    second = reviewed["second"]
    client = token(personas)
    query = {"cycle": str(second.uuid) if which == "id" else "current"}
    path = url(basename)
    client.get(path, query)  # the token's first use is recorded once
    # One row in the project's cycle 2 (Valley's current cycle is left out by its project).
    with scopes_disabled():
        if basename == "objective":
            Objective.objects.filter(cycle=second).exclude(title="Fresh").delete()
        else:
            Action.objects.filter(objective__cycle=second).exclude(title="Stand").delete()
    scoped = {**query, "project": str(reviewed["project"].uuid)}
    few, shown = _queries(client, path, scoped)
    assert shown == 1
    objective = Objective.unscoped_objects.get(cycle=second, title="Fresh")
    for n in range(120):
        if basename == "objective":
            ObjectiveFactory(workspace=ws, project=reviewed["project"], cycle=second)
        else:
            ActionFactory(workspace=ws, objective=objective, title=f"More {n}")
    many, shown = _queries(client, path, scoped)
    assert shown == 100
    assert many == few


def test_the_planned_budget_of_a_cycle_from_the_api(
    personas: Personas, reviewed: dict[str, Any]
) -> None:
    client = token(personas)
    ws = personas.workspace
    # More than a page, so the helper follows ``next``.
    objective = reviewed["known_copy"]
    ActionFactory.create_batch(150, workspace=ws, objective=objective, budget_planned=10)
    assert api_planned_budget(client, "alpha", reviewed["first"]) == Decimal(1250)
    assert api_planned_budget(client, "alpha", reviewed["second"]) == Decimal(1400 + 1500)
    assert api_planned_budget(client, "alpha", reviewed["second"].uuid) == Decimal(2900)
    assert api_planned_budget(client, "alpha", "current") == Decimal(2900 + 30)
