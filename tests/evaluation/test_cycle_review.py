"""The cycle review: the summary, closing cycle N and opening N+1 with carried-over copies (one
transaction), closed cycles read-only in every page, new actors followed after the close."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from evaluation import cycles
from governance.models import ActorProposal
from mix.models import Action
from territories.models import Cycle
from tests.factories import (
    ActionFactory,
    ActorProposalFactory,
    ContributionFactory,
    LessonFactory,
    ObjectiveFactory,
    OwnershipEventFactory,
)
from tracer.models import Objective

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, personas: Any, *args: Any) -> str:
    return reverse(name, args=[personas.workspace.slug, *args])


@pytest.fixture
def plan(personas: Any, sample: Any) -> dict[str, Any]:
    """Cycle 1 with a finished action, two unfinished ones and an objective with nothing left."""
    ws, objective = personas.workspace, sample["objective"]
    sample["action"].status = "in_progress"
    sample["action"].save()
    done = ActionFactory(workspace=ws, objective=objective, title="Done action", status="done")
    other = ObjectiveFactory(workspace=ws, project=sample["project"], title="Other objective")
    idea = ActionFactory(workspace=ws, objective=other, title="Idea action", status="idea")
    quiet = ObjectiveFactory(workspace=ws, project=sample["project"], title="Quiet objective")
    with scopes_disabled():
        cycle = Cycle.objects.get(project=sample["project"], number=1)
    return {**sample, "cycle": cycle, "done": done, "other": other, "idea": idea, "quiet": quiet}


def _close(client: Any, personas: Any, plan: dict[str, Any], **data: Any) -> Any:
    return client.post(
        url("cycle_close", personas, plan["project"].uuid, 1),
        {"started_on": "2027-01-01", "confirm": "on", **data},
        **HTMX,
    )


def test_the_review_sums_up_the_cycle(personas: Any, plan: Any, client_for: Any) -> None:
    ws, cycle = personas.workspace, plan["cycle"]
    ContributionFactory(workspace=ws, cycle=cycle, amount=12000, days=4)
    OwnershipEventFactory(workspace=ws, cycle=cycle, participants=42)
    ActorProposalFactory(workspace=ws, cycle=cycle, name="University of Tours")
    client = client_for(personas.user(Role.EDITOR))
    page = client.get(url("cycle_review", personas, plan["project"].uuid, 1)).content.decode()
    for expected in ("Secret Indicator", "Secret lesson", "12,000 € and 4 in-kind days",
                     "1 event with local actors and residents, 42 participants",
                     "University of Tours", 'id="close-form"'):  # fmt: skip
        assert expected in page, expected
    # The close form offers the unfinished actions, ticked, and not the finished one.
    assert f'value="{plan["action"].uuid}"' in page and f'value="{plan["idea"].uuid}"' in page
    assert f'value="{plan["done"].uuid}"' not in page
    # Viewers read the review without the form.
    viewer = client_for(personas.user(Role.VIEWER))
    assert (
        'id="close-form"'
        not in viewer.get(url("cycle_review", personas, plan["project"].uuid, 1)).content.decode()
    )


def test_closing_opens_the_next_cycle_with_linked_copies(
    personas: Any, plan: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = _close(
        client, personas, plan, objectives=[plan["quiet"].uuid], actions=[plan["idea"].uuid]
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["HX-Redirect"] == url("cycle_review", personas, plan["project"].uuid, 2)
    with scopes_disabled():
        first = Cycle.objects.get(pk=plan["cycle"].pk)
        second = Cycle.objects.get(project=plan["project"], number=2)
        assert (first.status, second.status) == ("closed", "open")
        assert second.started_on == dt.date(2027, 1, 1)
        copies = Objective.objects.filter(cycle=second)
        # The idea action brought its objective; the quiet one was ticked on its own.
        assert sorted(o.carried_from.title for o in copies) == [
            "Other objective",
            "Quiet objective",
        ]
        action = Action.objects.get(objective__cycle=second)
        assert action.carried_from == plan["idea"] and action.title == "Idea action"
        assert action.objective.carried_from == plan["other"]
        # The originals stay where they were.
        assert Objective.objects.filter(cycle=first).count() == 3


def test_a_failure_midway_leaves_the_cycle_open_and_nothing_copied(
    personas: Any, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(cycles.mix_services, "action_create", broken)
    with workspace_scope(personas.workspace), pytest.raises(RuntimeError):
        cycles.cycle_close(
            actor=personas.user(Role.EDITOR), workspace=personas.workspace, cycle=plan["cycle"],
            started_on=dt.date(2027, 1, 1), objectives=[plan["quiet"]], actions=[plan["idea"]],
        )  # fmt: skip
    with scopes_disabled():
        assert Cycle.objects.get(pk=plan["cycle"].pk).status == "open"
        assert not Cycle.objects.filter(project=plan["project"], number=2).exists()
        assert Objective.objects.filter(project=plan["project"]).count() == 3
        assert not Objective.objects.filter(carried_from__isnull=False).exists()


def test_closing_without_the_confirmation_closes_nothing(
    personas: Any, plan: Any, client_for: Any
) -> None:
    """Without the dialog (no JavaScript) the form asks for the box; nothing closes silently."""
    client = client_for(personas.user(Role.EDITOR))
    for headers in (HTMX, {}):
        response = client.post(
            url("cycle_close", personas, plan["project"].uuid, 1),
            {"started_on": "2027-01-01", "actions": [plan["idea"].uuid]},
            **headers,
        )
        page = response.content.decode()
        assert response.status_code == 422
        assert "Closing a cycle cannot be undone" in page and 'name="confirm"' in page
        # What was ticked stays ticked.
        assert f'value="{plan["idea"].uuid}"' in page
    with scopes_disabled():
        assert Cycle.objects.get(pk=plan["cycle"].pk).status == "open"
        assert not Cycle.objects.filter(project=plan["project"], number=2).exists()


def test_the_close_dialog_says_what_closes_and_that_it_cannot_be_undone(
    personas: Any, plan: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    page = client.get(url("cycle_review", personas, plan["project"].uuid, 1)).content.decode()
    assert '<dialog id="close-dialog"' in page and 'aria-labelledby="close-dialog-title"' in page
    for expected in ("Close Cycle 1?", "What carries over to Cycle 2", "This cannot be undone.",
                     'data-objectives-one="%(count)s objective"',
                     'data-actions-other="%(count)s actions"', "js/cycle_close.js"):  # fmt: skip
        assert expected in page, expected
    assert "hx-confirm" not in page


def test_a_closed_cycle_cannot_be_closed_again(personas: Any, plan: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    assert _close(client, personas, plan).status_code == 200
    again = _close(client, personas, plan)
    assert again.status_code == 409 and "already closed" in again.content.decode()
    with scopes_disabled():
        assert Cycle.objects.filter(project=plan["project"]).count() == 2


def test_the_next_cycle_cannot_start_before_this_one(
    personas: Any, plan: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = _close(client, personas, plan, started_on="2020-01-01")
    assert response.status_code == 422
    with scopes_disabled():
        assert Cycle.objects.get(pk=plan["cycle"].pk).status == "open"


def test_closed_cycle_objects_refuse_edits_in_pages(
    personas: Any, plan: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    assert _close(client, personas, plan).status_code == 200
    objective, action = plan["objective"], plan["action"]
    response = client.post(
        url("objective_field", personas, objective.uuid, "title"),
        {"title": "Rewritten", "version": "1"},
        **HTMX,
    )
    assert response.status_code == 409
    assert "closed cycles are read-only" in response.content.decode()
    response = client.post(
        url("action_field", personas, action.uuid, "status"), {"status": "done", "version": "1"}
    )
    assert (
        response.status_code == 409 and "closed cycles are read-only" in response.content.decode()
    )
    assert client.post(url("action_delete", personas, action.uuid)).status_code == 409
    assert client.post(url("objective_delete", personas, objective.uuid)).status_code == 409
    # Adding an action under a closed cycle's objective is refused on the form.
    response = client.post(
        url("action_create", personas, plan["project"].uuid),
        {"objective": objective.uuid, "family": "mix.promotion", "title": "Late", "status": "idea",
         "priority": "2", "budget_planned": "0", "budget_spent": "0"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code in {409, 422}
    with scopes_disabled():
        assert Objective.objects.get(pk=objective.pk).title == "Secret Objective"
        assert Action.objects.get(pk=action.pk).status == "in_progress"
        assert not Action.objects.filter(title="Late").exists()


def test_new_actors_are_followed_after_the_close(personas: Any, plan: Any, client_for: Any) -> None:
    proposal = ActorProposalFactory(workspace=personas.workspace, cycle=plan["cycle"])
    client = client_for(personas.user(Role.EDITOR))
    assert _close(client, personas, plan).status_code == 200
    response = client.post(
        url("proposal_edit", personas, proposal.uuid),
        {"name": proposal.name, "kind": "company", "status": "invited"},
        **HTMX,
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert ActorProposal.objects.get(pk=proposal.pk).status == "invited"
    # New proposals go into the open cycle; the closed one takes none.
    response = client.post(
        url("proposal_create", personas, plan["project"].uuid) + "?cycle=1",
        {"name": "Too late", "kind": "other", "status": "proposed"},
        **HTMX,
    )
    assert response.status_code == 409


def test_partners_never_close_cycles(personas: Any, plan: Any, client_for: Any) -> None:
    plan["organisation"].members.add(personas.memberships[Role.PARTNER])
    plan["organisation"].shared_projects.add(plan["project"])
    client = client_for(personas.user(Role.PARTNER))
    assert client.get(url("cycle_review", personas, plan["project"].uuid, 1)).status_code == 200
    assert _close(client, personas, plan).status_code == 403


def test_the_review_costs_the_same_queries_at_1_and_many_rows(
    personas: Any, plan: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    from tests.governance.helpers import assert_constant_queries

    ws, cycle = personas.workspace, plan["cycle"]

    def add_rows() -> None:
        for n in range(8):
            objective = ObjectiveFactory(workspace=ws, project=plan["project"])
            ActionFactory(workspace=ws, objective=objective, status="planned")
            LessonFactory(workspace=ws, project=plan["project"], learned=f"Lesson {n}")
            ContributionFactory(workspace=ws, cycle=cycle)
            OwnershipEventFactory(workspace=ws, cycle=cycle)
            ActorProposalFactory(workspace=ws, cycle=cycle)

    client = client_for(personas.user(Role.EDITOR))
    assert_constant_queries(
        client, url("cycle_review", personas, plan["project"].uuid, 1), add_rows,
        django_assert_num_queries,
    )  # fmt: skip
