"""Pooled means and the local ownership log: totals per cycle against the plan's budget,
closed cycles read-only, who sees and edits, constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from governance import selectors
from governance.models import Contribution, OwnershipEvent
from territories.models import Cycle
from tests.factories import (
    ActionFactory,
    ActorProposalFactory,
    ContributionFactory,
    OwnershipEventFactory,
    PartnerOrganisationFactory,
)
from tests.governance.helpers import HTMX, assert_constant_queries, url

pytestmark = pytest.mark.django_db


def _cycle(project: Any) -> Cycle:
    with scopes_disabled():
        return Cycle.objects.get(project=project, number=1)


def test_pooled_money_is_compared_with_the_planned_budget(personas: Any, sample: Any) -> None:
    cycle = _cycle(sample["project"])
    with scopes_disabled():
        type(sample["action"]).objects.filter(pk=sample["action"].pk).update(
            budget_planned=Decimal(30000)
        )
    ActionFactory(workspace=personas.workspace, objective=sample["objective"], budget_planned=10000)
    ContributionFactory(workspace=personas.workspace, cycle=cycle, amount=25000, days=12)
    ContributionFactory(workspace=personas.workspace, cycle=cycle, amount=5000, days="3.5")
    with workspace_scope(personas.workspace):
        totals = selectors.contribution_totals(cycle=cycle)
    assert totals["amount"] == 30000 and totals["days"] == Decimal("15.5")
    assert totals["planned"] == 40000 and totals["coverage"] == 75 and totals["gap"] == 10000
    assert totals["partners"] == 2


def test_editor_records_a_contribution_once_per_partner(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project, partner = sample["project"], sample["organisation"]
    client = client_for(personas.user(Role.EDITOR))
    create = url("contribution_create", personas, project.uuid)
    data = {"partner": partner.uuid, "amount": "12000", "days": "4"}
    assert client.post(create, data, **HTMX).status_code == 200
    again = client.post(create, data, **HTMX)
    assert again.status_code == 422
    assert "already has a contribution" in again.content.decode()
    assert client.post(create, {**data, "amount": "-1"}, **HTMX).status_code == 422
    page = client.get(url("contribution_list", personas, project.uuid)).content.decode()
    assert ("Secret Partner Office" in page and "12,000" in page) or "12000" in page


def test_ownership_totals_by_kind(personas: Any, sample: Any, client_for: Any) -> None:
    cycle = _cycle(sample["project"])
    OwnershipEventFactory(
        workspace=personas.workspace, cycle=cycle, kind="workshop", participants=20
    )
    OwnershipEventFactory(
        workspace=personas.workspace, cycle=cycle, kind="workshop", participants=15
    )
    OwnershipEventFactory(
        workspace=personas.workspace, cycle=cycle, kind="survey", participants=400
    )
    with workspace_scope(personas.workspace):
        totals = selectors.ownership_totals(cycle=cycle)
    assert (totals["events"], totals["participants"]) == (3, 435)
    assert {r["kind"]: (r["events"], r["participants"]) for r in totals["by_kind"]} == {
        "Survey": (1, 400),
        "Workshop": (2, 35),
    }
    client = client_for(personas.user(Role.VIEWER))
    page = client.get(url("ownership_list", personas, sample["project"].uuid)).content.decode()
    assert '<dd id="ownership-participants">435</dd>' in page


def test_records_of_a_closed_cycle_refuse_changes(
    personas: Any, sample: Any, client_for: Any
) -> None:
    cycle = _cycle(sample["project"])
    contribution = ContributionFactory(workspace=personas.workspace, cycle=cycle, amount=100)
    event = OwnershipEventFactory(workspace=personas.workspace, cycle=cycle)
    with scopes_disabled():
        Cycle.objects.filter(pk=cycle.pk).update(status="closed", closed_on=dt.date(2026, 12, 1))
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("contribution_edit", personas, contribution.uuid),
        {"partner": contribution.partner.uuid, "amount": "999", "days": "0"},
        **HTMX,
    )
    assert response.status_code == 409
    assert "closed cycles are read-only" in response.content.decode()
    assert client.post(url("ownership_delete", personas, event.uuid)).status_code == 409
    response = client.post(
        url("ownership_create", personas, sample["project"].uuid) + "?cycle=1",
        {"kind": "survey", "held_on": "2026-05-01", "title": "Late", "participants": "3"},
        **HTMX,
    )
    assert response.status_code == 409
    with scopes_disabled():
        assert Contribution.objects.get().amount == 100
        assert OwnershipEvent.objects.count() == 1
    page = client.get(url("contribution_list", personas, sample["project"].uuid)).content.decode()
    assert "closed, read-only" in page and "contribution_edit" not in page


def test_partners_see_records_of_shared_projects_only(
    personas: Any, sample: Any, client_for: Any
) -> None:
    event = OwnershipEventFactory(workspace=personas.workspace, cycle=_cycle(sample["project"]))
    client = client_for(personas.user(Role.PARTNER))
    listing = url("ownership_list", personas, sample["project"].uuid)
    assert client.get(listing).status_code == 404
    office = PartnerOrganisationFactory(workspace=personas.workspace)
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(sample["project"])
    assert client.get(listing).status_code == 200
    assert client.get(url("ownership_edit", personas, event.uuid)).status_code == 403


@pytest.mark.parametrize("page", ["contribution_list", "ownership_list", "proposal_list"])
def test_record_lists_cost_the_same_queries_at_1_and_many_rows(
    page: str, personas: Any, sample: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    cycle = _cycle(sample["project"])
    factory = {
        "contribution_list": ContributionFactory,
        "ownership_list": OwnershipEventFactory,
        "proposal_list": ActorProposalFactory,
    }[page]
    factory(workspace=personas.workspace, cycle=cycle)

    def add_rows() -> None:
        for n in range(15):
            factory(workspace=personas.workspace, cycle=cycle, **(
                {"kind": "survey" if n % 2 else "workshop"} if factory is OwnershipEventFactory else {}
            ))  # fmt: skip

    client = client_for(personas.user(Role.EDITOR))
    assert_constant_queries(
        client, url(page, personas, sample["project"].uuid), add_rows, django_assert_num_queries
    )


def test_a_partner_with_contributions_on_record_cannot_be_deleted(
    personas: Any, sample: Any, client_for: Any
) -> None:
    ContributionFactory(
        workspace=personas.workspace,
        cycle=_cycle(sample["project"]),
        partner=sample["organisation"],
    )
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(url("partner_delete", personas, sample["organisation"].uuid), **HTMX)
    assert response.status_code == 422
    assert "pooled means" in response.content.decode()
