"""Every API list answers the same bytes however it is read.

Lists whose serializer shows only columns, related ids or codes and lists of them are read as
rows (``values()``, core.restapi.row_plan), and pages of one table's rows are chosen by id first
(core.apipaging.LateRowPaginator). Here each list, on the benchmark's seeded dataset (actions
with and without a lead partner, audiences, contributors, unset dates, nobody's last change...),
is requested as it is served and again with both shortcuts switched off: the answers must be
byte for byte the same, with filters and orderings too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bench.dataset import build_dataset
from bench.harness import with_token
from bench.sizes import SIZES, THROTTLE_RATES
from config.api import router
from core import apipaging, restapi
from core.models import Workspace
from core.roles import Role
from core.tenancy import workspace_scope
from governance.models import PartnerOrganisation
from mix.models import Action

SEED = 11


@pytest.fixture
def seeded(settings: Any) -> tuple[Client, str]:
    settings.API_THROTTLE_RATES = THROTTLE_RATES  # a few dozen requests in a row
    data = build_dataset(SIZES["XS"], SEED)
    slug = data.plans[0].slug
    return with_token(data.owners[slug], data.workspaces[slug]), slug


def answers(client: Client, path: str) -> tuple[int, bytes]:
    response = client.get(path)
    return response.status_code, response.content


def plainly(monkeypatch: pytest.MonkeyPatch, client: Client, path: str) -> tuple[int, bytes]:
    """The answer read as model instances, paged by Django's own slicing."""
    with monkeypatch.context() as patch:
        patch.setattr(restapi, "row_plan", lambda serializer, queryset: None)
        patch.setattr(apipaging, "unique_rows", lambda queryset: False)
        return answers(client, path)


def governance_objects(ws: Any, sample: dict[str, Any]) -> None:
    """One object of each governance resource in the sample project (the dataset has none)."""
    from tests import factories

    project, member = sample["project"], sample["organisation"]
    body = factories.GovernanceBodyFactory(workspace=ws, project=project)
    body.organisations.add(member)
    meeting = factories.MeetingFactory(workspace=ws, body=body)
    decision = factories.DecisionFactory(workspace=ws, meeting=meeting)
    decision.objectives.add(sample["objective"])
    factories.ContactPersonFactory(workspace=ws, organisation=sample["organisation"])
    factories.DeliverableFactory(workspace=ws, progress__project=project)
    factories.MaturityScoreFactory(workspace=ws, assessment__of_project=project)
    factories.ContributionFactory(workspace=ws, of_project=project)
    factories.OwnershipEventFactory(workspace=ws, of_project=project)
    factories.ActorProposalFactory(workspace=ws, of_project=project)
    platform = factories.BrandPlatformFactory(workspace=ws, project=project)
    factories.BrandLicenseeFactory(workspace=ws, platform=platform)
    factories.AmbassadorFactory(workspace=ws, platform=platform)


@pytest.mark.django_db
def test_every_list_answers_the_same_bytes_read_as_rows_or_as_instances(
    seeded: tuple[Client, str],
    sample: dict[str, Any],
    personas: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alpha = personas.workspace
    governance_objects(alpha, sample)
    clients = [seeded, (with_token(personas.user(Role.OWNER), alpha), alpha.slug)]
    read_as_rows: set[str] = set()
    shown: dict[str, int] = {}
    real = restapi.RowPlan.represent

    def represent(plan: restapi.RowPlan, rows: Any) -> list[dict[str, Any]]:
        read_as_rows.add(prefix)
        return real(plan, rows)

    monkeypatch.setattr(restapi.RowPlan, "represent", represent)
    for client, slug in clients:
        for prefix, _viewset, basename in router.registry:
            path = reverse(f"api:{basename}-list", kwargs={"workspace_slug": slug})
            for query in ("?page_size=100", "?page_size=2&page=2"):
                served = answers(client, path + query)
                assert served == plainly(monkeypatch, client, path + query), path + query
                if query == "?page_size=100":
                    assert served[0] == 200, (path, served)
                    shown[prefix] = shown.get(prefix, 0) + json.loads(served[1])["count"]
    # The lists compared had something to show; the one the benchmark times is read as rows.
    assert all(shown[p] for p in shown if p != "dashboard-snapshots"), shown
    assert "actions" in read_as_rows


@pytest.mark.django_db
def test_filtered_and_ordered_actions_answer_the_same_bytes(
    seeded: tuple[Client, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, slug = seeded
    with workspace_scope(Workspace.objects.get(slug=slug)):
        partner = PartnerOrganisation.objects.filter(contributed_actions__isnull=False).first()
        audience = Action.audiences.through.objects.values_list("audience__code", flat=True)[0]
    assert partner is not None
    path = reverse("api:action-list", kwargs={"workspace_slug": slug})
    queries = [
        "?ordering=-title&page_size=10",
        "?ordering=budget_planned,start_date&page_size=5&page=3",
        f"?audience={audience}",  # a join on a many-to-many: paged as Django pages
        f"?partner={partner.uuid}",
        "?status=planned&status=done&ordering=-updated_at",
        "?stage=reputation&page_size=3",
        "?q=a&page_size=100",
    ]
    for query in queries:
        assert answers(client, path + query) == plainly(monkeypatch, client, path + query), query


@pytest.mark.django_db
def test_plan_lists_by_cycle_answer_the_same_bytes(
    seeded: tuple[Client, str],
    sample: dict[str, Any],
    personas: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Objectives and actions with their cycle, filtered by a cycle or by ``current``: on the
    dataset, and on a plan whose cycle 1 was closed and carried over into cycle 2."""
    import datetime as dt

    from evaluation.cycles import cycle_close
    from territories.models import Cycle
    from tests.factories import ActionFactory

    alpha = personas.workspace
    first = Cycle.unscoped_objects.get(project=sample["project"], number=1)
    ActionFactory(workspace=alpha, objective=sample["objective"], title="Left behind")
    with workspace_scope(alpha):
        second = cycle_close(
            actor=personas.user(Role.OWNER),
            workspace=alpha,
            cycle=first,
            started_on=dt.date(2027, 1, 4),
            actions=[sample["action"]],
        )
    client, slug = seeded
    with workspace_scope(Workspace.objects.get(slug=slug)):
        seeded_cycle = Cycle.objects.filter(objectives__isnull=False).order_by("pk").first()
    assert seeded_cycle is not None
    cases = [
        (client, slug, ["current", str(seeded_cycle.uuid)]),
        (
            with_token(personas.user(Role.OWNER), alpha),
            alpha.slug,
            ["current", str(first.uuid), str(second.uuid)],
        ),
    ]
    for api, workspace_slug, cycles in cases:
        for basename in ("objective", "action"):
            path = reverse(f"api:{basename}-list", kwargs={"workspace_slug": workspace_slug})
            for cycle in cycles:
                for extra in ("&page_size=100", "&page_size=1&ordering=-title"):
                    query = f"?cycle={cycle}{extra}"
                    served = answers(api, path + query)
                    assert served[0] == 200, (path + query, served)
                    assert served == plainly(monkeypatch, api, path + query), path + query
                    listed = json.loads(served[1])["results"]
                    assert all(r["cycle"] and r["cycle_url"] for r in listed)
            whole = json.loads(answers(api, path + "?page_size=100")[1])
            assert whole["count"] > 0
