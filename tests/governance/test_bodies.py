"""Governance bodies, meetings and decisions: who sees and manages them, sanitised minutes,
decisions linked to the plan, the register, constant query counts."""

from __future__ import annotations

from typing import Any

import pytest

from core.roles import Role
from core.tenancy import scopes_disabled
from governance.models import Decision, GovernanceBody, Meeting
from tests.factories import (
    DecisionFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    ObjectiveFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)
from tests.governance.helpers import HTMX, assert_constant_queries, url

pytestmark = pytest.mark.django_db


def test_editor_creates_a_body_a_meeting_and_a_decision(
    personas: Any, sample: Any, client_for: Any
) -> None:
    project, objective = sample["project"], sample["objective"]
    client = client_for(personas.user(Role.EDITOR))
    viewer = personas.memberships[Role.VIEWER]
    response = client.post(
        url("body_create", personas, project.uuid),
        {"name": "Steering committee", "kind": "steering", "members": [viewer.uuid]},
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:400]
    with scopes_disabled():
        body = GovernanceBody.objects.get(name="Steering committee")
        assert list(body.members.all()) == [viewer]
    response = client.post(
        url("meeting_create", personas, body.uuid),
        {"held_on": "2026-03-10", "title": "Kick-off", "attendees": [viewer.uuid],
         "minutes": "**Agreed** <script>alert(1)</script> [site](javascript:alert(1))"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 200
    with scopes_disabled():
        meeting = Meeting.objects.get(title="Kick-off")
    assert "<strong>Agreed</strong>" in meeting.minutes_html
    assert "<script>" not in meeting.minutes_html and "javascript:" not in meeting.minutes_html
    response = client.post(
        url("decision_create", personas, meeting.uuid),
        {"text": "Launch the ambassador club", "owner": viewer.uuid, "due_date": "2026-06-30",
         "status": "open", "objectives": [objective.uuid]},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 200
    with scopes_disabled():
        decision = Decision.objects.get(text="Launch the ambassador club")
        assert decision.project == project and list(decision.objectives.all()) == [objective]
    page = client.get(url("meeting_detail", personas, meeting.uuid)).content.decode()
    assert "Launch the ambassador club" in page and "<script>alert" not in page
    register = client.get(url("decision_list", personas, project.uuid) + "?status=open")
    assert "Launch the ambassador club" in register.content.decode()
    closed = client.get(url("decision_list", personas, project.uuid) + "?status=done")
    assert "Launch the ambassador club" not in closed.content.decode()


def test_invalid_forms_answer_422(personas: Any, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("body_create", personas, sample["project"].uuid), {"name": ""}, **HTMX
    )
    assert response.status_code == 422
    meeting = MeetingFactory(workspace=personas.workspace, body__project=sample["project"])
    response = client.post(url("meeting_create", personas, meeting.body.uuid), {}, **HTMX)
    assert response.status_code == 422


def test_a_decision_links_only_its_own_projects_objectives(
    personas: Any, sample: Any, client_for: Any
) -> None:
    meeting = MeetingFactory(workspace=personas.workspace, body__project=sample["project"])
    elsewhere = ObjectiveFactory(workspace=personas.workspace, title="Elsewhere")
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(
        url("decision_create", personas, meeting.uuid),
        {"text": "X", "status": "open", "objectives": [elsewhere.uuid]},
        **HTMX,
    )
    assert response.status_code == 422
    with scopes_disabled():
        assert not Decision.objects.filter(text="X").exists()


def test_partners_see_bodies_of_shared_projects_only_and_manage_none(
    personas: Any, client_for: Any
) -> None:
    shared = ProjectFactory(workspace=personas.workspace, name="Shared")
    hidden = ProjectFactory(workspace=personas.workspace, name="Hidden")
    office = PartnerOrganisationFactory(workspace=personas.workspace)
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(shared)
    seen = DecisionFactory(workspace=personas.workspace, meeting__body__project=shared, text="Seen")
    unseen = DecisionFactory(
        workspace=personas.workspace, meeting__body__project=hidden, text="Unseen"
    )
    client = client_for(personas.user(Role.PARTNER))
    assert client.get(url("body_detail", personas, seen.meeting.body.uuid)).status_code == 200
    assert client.get(url("meeting_detail", personas, seen.meeting.uuid)).status_code == 200
    assert "Seen" in client.get(url("decision_list", personas, shared.uuid)).content.decode()
    assert client.get(url("body_detail", personas, unseen.meeting.body.uuid)).status_code == 404
    assert client.get(url("meeting_detail", personas, unseen.meeting.uuid)).status_code == 404
    assert client.get(url("decision_list", personas, hidden.uuid)).status_code == 404
    assert client.get(url("body_create", personas, shared.uuid)).status_code == 403
    assert client.post(url("decision_delete", personas, seen.uuid)).status_code == 403


def test_deleting_a_body_deletes_its_meetings(personas: Any, sample: Any, client_for: Any) -> None:
    decision = DecisionFactory(
        workspace=personas.workspace, meeting__body__project=sample["project"]
    )
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(url("body_delete", personas, decision.meeting.body.uuid))
    assert response.status_code == 302
    with scopes_disabled():
        assert not Meeting.objects.filter(pk=decision.meeting.pk).exists()


@pytest.mark.parametrize("page", ["body_list", "body_detail", "decision_list", "meeting_detail"])
def test_lists_cost_the_same_queries_at_1_and_many_rows(
    page: str, personas: Any, sample: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    ws, project = personas.workspace, sample["project"]
    members = list(personas.memberships.values())
    organisation = sample["organisation"]

    def decision(meeting: Any) -> None:
        d = DecisionFactory(workspace=ws, meeting=meeting, owner=members[0])
        d.objectives.add(sample["objective"])
        d.actions.add(sample["action"])

    body = GovernanceBodyFactory(workspace=ws, project=project)
    body.members.add(*members)
    body.organisations.add(organisation)
    meeting = MeetingFactory(workspace=ws, body=body)
    meeting.attendees.add(*members)
    decision(meeting)

    def add_rows() -> None:
        for _ in range(12):
            other = GovernanceBodyFactory(workspace=ws, project=project)
            other.members.add(*members)
            other.organisations.add(organisation)
            m = MeetingFactory(workspace=ws, body=body)
            m.attendees.add(*members)
            decision(m)
            decision(meeting)

    target = {
        "body_list": project.uuid,
        "body_detail": body.uuid,
        "decision_list": project.uuid,
        "meeting_detail": meeting.uuid,
    }[page]
    client = client_for(personas.user(Role.EDITOR))
    assert_constant_queries(
        client, url(page, personas, target), add_rows, django_assert_num_queries
    )
