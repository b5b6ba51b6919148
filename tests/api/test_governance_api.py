"""The governance API: partners and contacts, bodies, meetings, decisions, the method tracker,
the maturity assessment, the records of a cycle, the brand, and closing a cycle.

Clients authenticate with personal tokens, as people would; every write goes through the
governance services, so the tests look at what a client notices: the answer, its ETag, the
problem details of a refusal, and what the next read shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import TokenScope
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from core.tokens import token_create
from governance.models import (
    Contribution,
    GovernanceBody,
    MaturityScore,
    OwnershipEvent,
    PartnerOrganisation,
    StepProgress,
)
from mix.models import Action
from territories.models import Cycle, Project
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ActorProposalFactory,
    AmbassadorFactory,
    BrandLicenseeFactory,
    BrandPlatformFactory,
    ContactPersonFactory,
    ContributionFactory,
    DecisionFactory,
    DeliverableFactory,
    GovernanceBodyFactory,
    MaturityScoreFactory,
    MeetingFactory,
    ObjectiveFactory,
    OwnershipEventFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    StepProgressFactory,
)
from tracer.models import Objective

pytestmark = pytest.mark.django_db

BASE = "/api/v1/w/alpha"
PROBLEM = "application/problem+json"


def token_client(personas: Personas, who: str, scope: str = TokenScope.WRITE) -> APIClient:
    workspace = personas.other_workspace if who == "outsider" else personas.workspace
    with workspace_scope(workspace):
        _token, secret = token_create(
            actor=personas.user(who), workspace=workspace, name="Intranet sync", scope=scope
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def editor(personas: Personas) -> APIClient:
    return token_client(personas, Role.EDITOR)


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("urn:territoria:problem:")
    return body


def patch(client: APIClient, url: str, data: dict[str, Any], etag: str | None = None) -> Any:
    if etag is None:
        etag = client.get(url)["ETag"]
    return client.patch(url, data, format="json", HTTP_IF_MATCH=etag)


def delete(client: APIClient, url: str) -> Any:
    return client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"])


# --- CRUD with ETags ---------------------------------------------------------------------------


def test_a_body_is_created_changed_with_if_match_and_deleted(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    project, organisation = sample["project"], sample["organisation"]
    member = personas.memberships[Role.EDITOR]
    created = editor.post(
        f"{BASE}/governance-bodies/",
        {
            "project": str(project.uuid),
            "name": "Steering committee",
            "kind": "steering",
            "members": [str(member.uuid)],
            "organisations": [str(organisation.uuid)],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["Location"] == body["url"]
    assert body["members"] == [str(member.uuid)]
    assert body["organisations"] == [str(organisation.uuid)]
    assert body["project_url"].endswith(f"/projects/{project.uuid}/")
    url, etag = body["url"], created["ETag"]

    problem(editor.patch(url, {"mandate": "Votes the budget."}, format="json"), 428)
    changed = patch(editor, url, {"mandate": "Votes the budget."}, etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["mandate"] == "Votes the budget."
    assert changed["ETag"] != etag
    stale_answer = patch(editor, url, {"name": "Old"}, etag)
    stale = problem(stale_answer, 412)
    assert stale_answer["ETag"] == changed["ETag"]
    assert stale["current"]["mandate"] == "Votes the budget."
    # The project stays: moving a body is refused.
    other = ProjectFactory(workspace=personas.workspace, territory=sample["territory"])
    errors = problem(patch(editor, url, {"project": str(other.uuid)}), 400)["errors"]
    assert "project" in errors

    assert delete(editor, url).status_code == 204
    assert editor.get(url).status_code == 404


def test_a_meeting_keeps_markdown_minutes_and_answers_sanitised_html(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    body = GovernanceBodyFactory(workspace=personas.workspace, project=sample["project"])
    created = editor.post(
        f"{BASE}/meetings/",
        {
            "body": str(body.uuid),
            "held_on": "2026-03-12",
            "title": "Spring committee",
            "minutes": "The plan is **approved**.<script>alert(1)</script>",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert meeting["minutes"].startswith("The plan is **approved**.")
    assert "<strong>approved</strong>" in meeting["minutes_html"]
    assert "<script" not in meeting["minutes_html"]
    assert meeting["project"] == str(sample["project"].uuid)
    # minutes_html is computed, never written.
    errors = problem(patch(editor, meeting["url"], {"minutes_html": "<b>x</b>"}), 400)["errors"]
    assert errors["minutes_html"] == ["This field is read-only."]


def test_a_decision_links_objectives_and_actions_of_its_own_project_only(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    ws = personas.workspace
    meeting = MeetingFactory(workspace=ws, body__project=sample["project"])
    created = editor.post(
        f"{BASE}/decisions/",
        {
            "meeting": str(meeting.uuid),
            "text": "Launch the seaside campaign in May.",
            "owner": str(personas.memberships[Role.EDITOR].uuid),
            "objectives": [str(sample["objective"].uuid)],
            "actions": [str(sample["action"].uuid)],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    decision = created.json()
    assert decision["objectives"] == [str(sample["objective"].uuid)]
    assert decision["actions"] == [str(sample["action"].uuid)]
    assert decision["status"] == "open"

    elsewhere = ObjectiveFactory(workspace=ws, project=ProjectFactory(workspace=ws))
    refused = problem(patch(editor, decision["url"], {"objectives": [str(elsewhere.uuid)]}), 400)
    assert "this project" in " ".join(refused["errors"]["non_field_errors"])
    done = patch(editor, decision["url"], {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["objectives"] == [str(sample["objective"].uuid)]


def test_partner_organisations_show_kind_role_website_notes_logo_and_contacts(
    personas: Personas, sample: dict[str, Any]
) -> None:
    admin = token_client(personas, Role.ADMIN)
    organisation = sample["organisation"]
    contact = ContactPersonFactory(
        workspace=personas.workspace, organisation=organisation, full_name="Claire Martin"
    )
    url = f"{BASE}/partner-organisations/{organisation.uuid}/"
    changed = patch(
        admin,
        url,
        {"kind": "tourism_office", "role": "funding", "website": "https://ot.example"},
    )
    assert changed.status_code == 200, changed.content
    data = changed.json()
    assert (data["kind"], data["role"], data["website"]) == (
        "tourism_office",
        "funding",
        "https://ot.example",
    )
    assert data["name"] == "Secret Partner Office"  # untouched fields stay
    assert data["logo_url"] is None
    assert data["contacts"] == [
        {
            "id": str(contact.uuid),
            "full_name": "Claire Martin",
            "job_title": "",
            "email": "",
            "phone": "",
        }
    ]
    errors = problem(patch(admin, url, {"kind": "bank"}), 400)["errors"]
    assert "kind" in errors

    # Contacts have a resource of their own; admins manage them.
    added = admin.post(
        f"{BASE}/contact-people/",
        {"organisation": str(organisation.uuid), "full_name": "Paul Durand", "email": "p@ot.fr"},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert added.json()["organisation_url"].endswith(f"/partner-organisations/{organisation.uuid}/")
    editor = token_client(personas, Role.EDITOR)
    problem(patch(editor, added.json()["url"], {"phone": "01"}), 403)
    names = [c["full_name"] for c in admin.get(url).json()["contacts"]]
    assert names == ["Claire Martin", "Paul Durand"]


def test_a_logo_is_served_through_the_permission_checked_view(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    from django.core.files.base import ContentFile

    from tests.factories import PNG

    organisation = sample["organisation"]
    organisation.logo.save("logo.png", ContentFile(PNG), save=True)
    data = editor.get(f"{BASE}/partner-organisations/{organisation.uuid}/").json()
    assert data["logo_url"].endswith(f"/w/alpha/partners/{organisation.uuid}/logo/")


def test_the_method_tracker_and_its_deliverables(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    project = sample["project"]
    owner = personas.memberships[Role.EDITOR]
    created = editor.post(
        f"{BASE}/step-progress/",
        {
            "project": str(project.uuid),
            "step": "method.s1.information",
            "status": "in_progress",
            "owner": str(owner.uuid),
            "due_date": "2026-06-30",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    progress = created.json()
    assert (progress["step_number"], progress["owner"]) == (1, str(owner.uuid))
    again = editor.post(
        f"{BASE}/step-progress/",
        {"project": str(project.uuid), "step": "method.s1.information"},
        format="json",
    )
    assert "step" in problem(again, 400)["errors"]
    done = patch(editor, progress["url"], {"status": "done", "notes": "Survey sent."})
    assert done.status_code == 200 and done.json()["status"] == "done"
    listed = editor.get(f"{BASE}/step-progress/", {"project": str(project.uuid)}).json()
    assert [p["step"] for p in listed["results"]] == ["method.s1.information"]

    link = editor.post(
        f"{BASE}/deliverables/",
        {
            "project": str(project.uuid),
            "step": "method.s1.information",
            "kind": "link",
            "title": "Survey results",
            "link": "https://docs.example/survey",
        },
        format="json",
    )
    assert link.status_code == 201, link.content
    assert link.json()["step_progress"] == progress["id"]
    assert link.json()["file_url"] is None
    renamed = patch(editor, link.json()["url"], {"title": "Residents' survey"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Residents' survey"
    assert "text" in problem(patch(editor, link.json()["url"], {"text": "x"}), 400)["errors"]
    empty = editor.post(
        f"{BASE}/deliverables/",
        {"project": str(project.uuid), "step": "method.s1.markets", "kind": "link", "title": "L"},
        format="json",
    )
    assert "link" in problem(empty, 400)["errors"]
    upload = editor.post(
        f"{BASE}/deliverables/",
        {"project": str(project.uuid), "step": "method.s1.markets", "kind": "file", "title": "F"},
        format="json",
    )
    assert "kind" in problem(upload, 400)["errors"]

    # A file uploaded on the page: its metadata, and the members-only address of the file.
    with scopes_disabled():
        followed = StepProgress.objects.get(uuid=progress["id"])
    report = DeliverableFactory(workspace=personas.workspace, progress=followed)
    data = editor.get(f"{BASE}/deliverables/{report.uuid}/").json()
    assert (data["kind"], data["file_name"], data["file_size"]) == ("file", "report.pdf", 13)
    assert data["file_url"].endswith(f"/w/alpha/deliverables/{report.uuid}/file/")
    assert delete(editor, data["url"]).status_code == 204


def test_maturity_scores_make_the_assessment_of_a_cycle(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    cycle = Cycle.unscoped_objects.get(project=sample["project"], number=1)
    created = editor.post(
        f"{BASE}/maturity-scores/",
        {
            "cycle": str(cycle.uuid),
            "element": "element.organisation",
            "score": 2,
            "justification": "A steering committee meets.",
            "evidence": "https://docs.example/minutes",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    score = created.json()
    assessment = editor.get(score["assessment_url"]).json()
    assert assessment["cycle"] == str(cycle.uuid)
    assert [(s["element"], s["score"]) for s in assessment["scores"]] == [
        ("element.organisation", 2)
    ]
    assert assessment["updated_by"] == str(personas.user(Role.EDITOR).uuid)

    # One score a target and cycle; an element or a component, not both; 0 to 4.
    twice = {"cycle": str(cycle.uuid), "element": "element.organisation", "score": 3}
    assert (
        "element"
        in problem(editor.post(f"{BASE}/maturity-scores/", twice, format="json"), 400)["errors"]
    )
    both = {**twice, "element": None}
    assert (
        "element"
        in problem(editor.post(f"{BASE}/maturity-scores/", both, format="json"), 400)["errors"]
    )
    assert "score" in problem(patch(editor, score["url"], {"score": 5}), 400)["errors"]
    bad_link = problem(patch(editor, score["url"], {"evidence": "not a link"}), 400)
    assert "evidence" in bad_link["errors"]

    raised = patch(editor, score["url"], {"score": 3})
    assert raised.status_code == 200, raised.content
    assert (raised.json()["score"], raised.json()["justification"]) == (
        3,
        "A steering committee meets.",
    )
    assert delete(editor, score["url"]).status_code == 204
    assert editor.get(score["assessment_url"]).json()["scores"] == []


def test_the_brand_platform_its_licensees_and_ambassadors(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    project = sample["project"]
    created = editor.post(
        f"{BASE}/brand-platforms/",
        {
            "project": str(project.uuid),
            "name": "Côte d'Opale, naturellement",
            "audiences": ["audience.new_residents"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    platform = created.json()
    assert platform["audiences"] == ["audience.new_residents"]
    second = editor.post(
        f"{BASE}/brand-platforms/", {"project": str(project.uuid), "name": "Again"}, format="json"
    )
    assert "project" in problem(second, 400)["errors"]

    licensee = editor.post(
        f"{BASE}/brand-licensees/",
        {
            "platform": platform["id"],
            "partner": str(sample["organisation"].uuid),
            "since": "2026-03-01",
        },
        format="json",
    )
    assert licensee.status_code == 201, licensee.content
    assert licensee.json()["project"] == str(project.uuid)
    twice = editor.post(
        f"{BASE}/brand-licensees/",
        {
            "platform": platform["id"],
            "partner": str(sample["organisation"].uuid),
            "since": "2026-04-01",
        },
        format="json",
    )
    problem(twice, 400)
    ambassador = editor.post(
        f"{BASE}/ambassadors/",
        {"platform": platform["id"], "name": "Jeanne", "joined_on": "2026-02-14"},
        format="json",
    )
    assert ambassador.status_code == 201, ambassador.content
    retired = patch(editor, ambassador.json()["url"], {"is_active": False})
    assert retired.json()["is_active"] is False
    active = editor.get(f"{BASE}/ambassadors/", {"is_active": "true"}).json()
    assert active["count"] == 0


# --- Closed cycles -------------------------------------------------------------------------------


def test_closing_a_cycle_carries_items_over_and_freezes_the_closed_one(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    ws, project = personas.workspace, sample["project"]
    cycle = Cycle.unscoped_objects.get(project=project, number=1)
    objective, action = sample["objective"], sample["action"]
    contribution = ContributionFactory(workspace=ws, cycle=cycle, partner=sample["organisation"])
    event = OwnershipEventFactory(workspace=ws, cycle=cycle, title="Workshop")
    close_url = f"{BASE}/cycles/{cycle.uuid}/close/"

    # Bad ids: another workspace's, or not an id at all: 400, and the cycle stays open.
    with workspace_scope(personas.other_workspace):
        foreign = ObjectiveFactory(
            workspace=personas.other_workspace,
            project=ProjectFactory(workspace=personas.other_workspace),
        )
    for objectives in ([str(foreign.uuid)], ["nope"]):
        bad = editor.post(
            close_url, {"started_on": "2027-01-04", "objectives": objectives}, format="json"
        )
        assert "objectives" in problem(bad, 400)["errors"]
    other_cycle_action = ActionFactory(
        workspace=ws, objective=ObjectiveFactory(workspace=ws, project=ProjectFactory(workspace=ws))
    )
    wrong = editor.post(
        close_url,
        {"started_on": "2027-01-04", "actions": [str(other_cycle_action.uuid)]},
        format="json",
    )
    problem(wrong, 400)
    assert Cycle.unscoped_objects.get(pk=cycle.pk).status == "open"

    # Partners cannot close (the project is not even shared with them: their role decides first).
    problem(token_client(personas, Role.PARTNER).post(close_url, {}, format="json"), 403)

    closed = editor.post(
        close_url,
        {"started_on": "2027-01-04", "actions": [str(action.uuid)]},
        format="json",
    )
    assert closed.status_code == 201, closed.content
    following = closed.json()
    assert (following["number"], following["status"], following["started_on"]) == (
        2,
        "open",
        "2027-01-04",
    )
    assert closed["Location"] == following["url"]
    with scopes_disabled():
        copies = Action.objects.filter(carried_from=action)
        assert copies.count() == 1 and copies.get().objective.cycle.number == 2

    again = problem(editor.post(close_url, {"started_on": "2028-01-03"}, format="json"), 409)
    assert "closed" in again["detail"]

    # The closed cycle's plan and records refuse changes and deletions with the reason (409).
    for url, data in [
        (f"{BASE}/objectives/{objective.uuid}/", {"priority": 3}),
        (f"{BASE}/actions/{action.uuid}/", {"priority": 3}),
        (f"{BASE}/contributions/{contribution.uuid}/", {"note": "More"}),
        (f"{BASE}/ownership-events/{event.uuid}/", {"participants": 99}),
    ]:
        before = editor.get(url).json()
        refused = problem(patch(editor, url, data), 409)
        assert "closed" in refused["detail"].lower()
        problem(delete(editor, url), 409)
        assert editor.get(url).json() == before
    record = editor.post(
        f"{BASE}/contributions/",
        {"cycle": str(cycle.uuid), "partner": str(PartnerOrganisationFactory(workspace=ws).uuid)},
        format="json",
    )
    problem(record, 409)
    score = editor.post(
        f"{BASE}/maturity-scores/",
        {"cycle": str(cycle.uuid), "element": "element.method", "score": 1},
        format="json",
    )
    problem(score, 409)
    with scopes_disabled():
        assert Objective.objects.filter(pk=objective.pk).exists()
        assert Contribution.objects.get(pk=contribution.pk).note == contribution.note
        assert OwnershipEvent.objects.get(pk=event.pk).participants == event.participants
        assert not MaturityScore.objects.exists()
    # New actors stay followed after the cycle closed.
    proposal = ActorProposalFactory(workspace=ws, cycle=cycle)
    followed = patch(editor, f"{BASE}/actor-proposals/{proposal.uuid}/", {"status": "invited"})
    assert followed.status_code == 200 and followed.json()["status"] == "invited"


# --- Partners, other workspaces ------------------------------------------------------------------


def test_partners_see_only_the_shared_projects_governance_and_change_nothing(
    personas: Personas, sample: dict[str, Any]
) -> None:
    ws = personas.workspace
    shared = ProjectFactory(workspace=ws, territory=sample["territory"], name="Shared project")
    organisation = PartnerOrganisation.unscoped_objects.create(workspace=ws, name="OT")
    organisation.members.add(personas.memberships[Role.PARTNER])
    organisation.shared_projects.add(shared)
    seen = GovernanceBodyFactory(workspace=ws, project=shared, name="Shared committee")
    hidden = GovernanceBodyFactory(workspace=ws, project=sample["project"], name="Secret one")
    seen_meeting = MeetingFactory(workspace=ws, body=seen)
    hidden_meeting = MeetingFactory(workspace=ws, body=hidden)
    seen_event = OwnershipEventFactory(workspace=ws, of_project=shared)
    hidden_event = OwnershipEventFactory(workspace=ws, of_project=sample["project"])
    partner = token_client(personas, Role.PARTNER)

    for kind, visible, invisible in [
        ("governance-bodies", seen, hidden),
        ("meetings", seen_meeting, hidden_meeting),
        ("ownership-events", seen_event, hidden_event),
    ]:
        listed = partner.get(f"{BASE}/{kind}/").json()
        assert [row["id"] for row in listed["results"]] == [str(visible.uuid)], kind
        assert partner.get(f"{BASE}/{kind}/{visible.uuid}/").status_code == 200
        problem(partner.get(f"{BASE}/{kind}/{invisible.uuid}/"), 404)
        # Writes: refused (403) even on what they see.
        problem(patch(partner, f"{BASE}/{kind}/{visible.uuid}/", {"title": "x"}), 403)
        problem(partner.delete(f"{BASE}/{kind}/{visible.uuid}/", HTTP_IF_MATCH="*"), 403)
    problem(
        partner.post(
            f"{BASE}/meetings/",
            {"body": str(seen.uuid), "held_on": "2026-05-01"},
            format="json",
        ),
        403,
    )
    # Filtering by a project they do not see is refused, not answered empty.
    problem(
        partner.get(f"{BASE}/governance-bodies/", {"project": str(sample["project"].uuid)}), 400
    )
    with scopes_disabled():
        assert GovernanceBody.objects.get(pk=seen.pk).name == "Shared committee"


def test_another_workspaces_ids_are_404_in_the_url_and_400_in_the_body(
    personas: Personas, sample: dict[str, Any], editor: APIClient
) -> None:
    beta = personas.other_workspace
    with workspace_scope(beta):
        body = GovernanceBodyFactory(workspace=beta, project=ProjectFactory(workspace=beta))
        contribution = ContributionFactory(workspace=beta, of_project=body.project)
        cycle = contribution.cycle
    for url in [
        f"{BASE}/governance-bodies/{body.uuid}/",
        f"{BASE}/contributions/{contribution.uuid}/",
        f"{BASE}/cycles/{cycle.uuid}/close/",
    ]:
        method = editor.post if url.endswith("close/") else editor.get
        problem(method(url, {"started_on": "2030-01-01"}, format="json"), 404)
    local_cycle = Cycle.unscoped_objects.get(project=sample["project"], number=1)
    for path, data, field in [
        ("meetings/", {"body": str(body.uuid), "held_on": "2026-05-01"}, "body"),
        (
            "contributions/",
            {"cycle": str(cycle.uuid), "partner": str(sample["organisation"].uuid)},
            "cycle",
        ),
        (
            "contributions/",
            {"cycle": str(local_cycle.uuid), "partner": str(contribution.partner.uuid)},
            "partner",
        ),
        (
            "governance-bodies/",
            {
                "project": str(sample["project"].uuid),
                "name": "C",
                "kind": "steering",
                "organisations": [str(contribution.partner.uuid)],
            },
            "organisations",
        ),
    ]:
        response = editor.post(f"{BASE}/{path}", data, format="json")
        assert field in problem(response, 400)["errors"], path
    with scopes_disabled():
        assert not Contribution.objects.filter(workspace=personas.workspace).exists()


# --- Query counts --------------------------------------------------------------------------------


def _bodies(ws: Any, project: Project, n: int) -> None:
    for _ in range(n):
        body = GovernanceBodyFactory(workspace=ws, project=project)
        body.organisations.add(PartnerOrganisationFactory(workspace=ws))


def _decisions(ws: Any, project: Project, n: int) -> None:
    for _ in range(n):
        decision = DecisionFactory(workspace=ws, meeting__body__project=project)
        decision.objectives.add(ObjectiveFactory(workspace=ws, project=project))


def _partners(ws: Any, project: Project, n: int) -> None:
    for _ in range(n):
        ContactPersonFactory(workspace=ws, organisation=PartnerOrganisationFactory(workspace=ws))


MAKERS: dict[str, Callable[[Any, Project, int], Any]] = {
    "partner-organisations": _partners,
    "contact-people": lambda ws, p, n: ContactPersonFactory.create_batch(n, workspace=ws),
    "governance-bodies": _bodies,
    "meetings": lambda ws, p, n: MeetingFactory.create_batch(n, workspace=ws, body__project=p),
    "decisions": _decisions,
    "step-progress": lambda ws, p, n: StepProgressFactory.create_batch(n, workspace=ws),
    "deliverables": lambda ws, p, n: DeliverableFactory.create_batch(n, workspace=ws),
    "maturity-assessments": lambda ws, p, n: MaturityScoreFactory.create_batch(n, workspace=ws),
    "maturity-scores": lambda ws, p, n: MaturityScoreFactory.create_batch(n, workspace=ws),
    "contributions": lambda ws, p, n: ContributionFactory.create_batch(
        n, workspace=ws, of_project=p
    ),
    "ownership-events": lambda ws, p, n: OwnershipEventFactory.create_batch(
        n, workspace=ws, of_project=p
    ),
    "actor-proposals": lambda ws, p, n: ActorProposalFactory.create_batch(
        n, workspace=ws, of_project=p
    ),
    "brand-platforms": lambda ws, p, n: BrandPlatformFactory.create_batch(n, workspace=ws),
    "brand-licensees": lambda ws, p, n: BrandLicenseeFactory.create_batch(n, workspace=ws),
    "ambassadors": lambda ws, p, n: AmbassadorFactory.create_batch(n, workspace=ws),
}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_every_governance_list_takes_as_many_queries_for_20_rows_as_for_1(
    personas: Personas,
    editor: APIClient,
    django_assert_num_queries: Callable[..., Any],
    kind: str,
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws)
    make = MAKERS[kind]
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


def test_the_close_operation_and_every_new_resource_are_in_the_root(
    personas: Personas, editor: APIClient
) -> None:
    lists = editor.get(f"{BASE}/").json()["lists"]
    for kind in MAKERS:
        assert kind in lists
    schema = editor.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/w/{workspace_slug}/cycles/{uuid}/close/"]["post"]
    assert operation["summary"].startswith("Close a cycle")
    assert {"201", "400", "403", "404", "409"} <= set(operation["responses"])
