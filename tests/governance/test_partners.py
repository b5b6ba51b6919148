"""Partner organisations: pages, roles, uniqueness, foreign ids, deletion rules, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Membership
from core.roles import Role
from core.tenancy import scopes_disabled
from governance.models import PartnerOrganisation
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = ["owner", "admin", "editor", "partner", "viewer", "outsider"]


def url(name: str, personas: Any, *args: Any) -> str:
    return reverse(name, args=[personas.workspace.slug, *args])


def organisation(personas: Any, name: str = "Tourism Office", **kwargs: Any) -> Any:
    return PartnerOrganisationFactory(workspace=personas.workspace, name=name, **kwargs)


# --- Roles ---------------------------------------------------------------------------------------

EXPECTED = {
    # page -> status per persona (owner, admin, editor, partner, viewer, outsider)
    "partner_list": [200, 200, 200, 200, 200, 404],
    "partner_create": [200, 200, 403, 403, 403, 404],
    "partner_edit": [200, 200, 403, 403, 403, 404],
    "partner_delete": [302, 302, 403, 403, 403, 404],
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_matrix(name: str, who: str, personas: Any, client_for: Any) -> None:
    office = organisation(personas, "Secret Office")
    args = [] if name in {"partner_list", "partner_create"} else [office.uuid]
    client = client_for(personas.user(who))
    if name == "partner_delete":
        response = client.post(url(name, personas, *args))
    else:
        response = client.get(url(name, personas, *args))
    assert response.status_code == EXPECTED[name][WHO.index(who)]
    if who == "outsider":
        assert "Secret Office" not in response.content.decode()
    with scopes_disabled():
        still_there = PartnerOrganisation.objects.filter(pk=office.pk).exists()
    assert still_there is not (name == "partner_delete" and who in {"owner", "admin"})


def test_an_organisation_of_another_workspace_is_404_even_for_an_owner(
    personas: Any, client_for: Any
) -> None:
    foreign = PartnerOrganisationFactory(workspace=personas.other_workspace, name="Beta office")
    client = client_for(personas.user(Role.OWNER))
    assert client.get(url("partner_edit", personas, foreign.uuid)).status_code == 404
    assert client.post(url("partner_delete", personas, foreign.uuid)).status_code == 404
    with scopes_disabled():
        assert PartnerOrganisation.objects.filter(pk=foreign.pk).exists()


# --- Create and edit -----------------------------------------------------------------------------


def test_admin_creates_an_organisation_with_its_members(personas: Any, client_for: Any) -> None:
    partner = personas.memberships[Role.PARTNER]
    client = client_for(personas.user(Role.ADMIN))
    page = client.get(url("partner_create", personas)).content.decode()
    page = page[page.index('id="partner-form"') :]
    # Every member is offered, partners first.
    assert page.index("Alpha Partner") < page.index("Alpha Admin")
    response = client.post(
        url("partner_create", personas),
        {"name": "  Loire Tourism Office  ", "members": [str(partner.uuid)]},
        **HTMX,
    )
    assert response.status_code == 200
    with scopes_disabled():
        office = PartnerOrganisation.objects.get(name="Loire Tourism Office")
        assert list(office.members.all()) == [partner]
    assert office.workspace == personas.workspace
    assert response["HX-Redirect"] == url("partner_detail", personas, office.uuid)
    listing = client.get(url("partner_list", personas)).content.decode()
    assert "Loire Tourism Office" in listing and "Partner organisation created." in listing


def test_edit_changes_the_name_and_the_members(personas: Any, client_for: Any) -> None:
    office = organisation(personas)
    office.members.add(personas.memberships[Role.PARTNER])
    client = client_for(personas.user(Role.ADMIN))
    page = client.get(url("partner_edit", personas, office.uuid)).content.decode()
    assert f'value="{personas.memberships[Role.PARTNER].uuid}"' in page
    assert "checked" in page
    response = client.post(
        url("partner_edit", personas, office.uuid),
        {"name": "Tourism Office", "members": [str(personas.memberships[Role.VIEWER].uuid)]},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert list(office.members.all()) == [personas.memberships[Role.VIEWER]]


def test_duplicate_name_is_refused_with_a_clear_message(personas: Any, client_for: Any) -> None:
    organisation(personas, "Tourism Office")
    PartnerOrganisationFactory(workspace=personas.other_workspace, name="Chamber of Commerce")
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(url("partner_create", personas), {"name": "tourism office"}, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="partner-form"' in body and "<html" not in body
    assert "An organisation named “tourism office” already exists in this workspace." in body
    assert 'aria-invalid="true"' in body
    # The same name in another workspace is no conflict.
    response = client.post(url("partner_create", personas), {"name": "Chamber of Commerce"})
    assert response.status_code == 302


def test_renaming_onto_another_organisation_is_refused_but_keeping_the_name_is_fine(
    personas: Any, client_for: Any
) -> None:
    organisation(personas, "Tourism Office")
    chamber = organisation(personas, "Chamber of Commerce")
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(
        url("partner_edit", personas, chamber.uuid), {"name": "Tourism Office"}, **HTMX
    )
    assert response.status_code == 422
    assert "already exists in this workspace" in response.content.decode()
    chamber.refresh_from_db()
    assert chamber.name == "Chamber of Commerce"
    response = client.post(
        url("partner_edit", personas, chamber.uuid), {"name": "Chamber of Commerce"}
    )
    assert response.status_code == 302


def test_a_member_of_another_workspace_cannot_be_added(personas: Any, client_for: Any) -> None:
    foreign = MembershipFactory(workspace=personas.other_workspace, role=Role.PARTNER)
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(
        url("partner_create", personas),
        {"name": "Sneaky Office", "members": [str(foreign.uuid)]},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    with scopes_disabled():
        assert not PartnerOrganisation.objects.filter(name="Sneaky Office").exists()


def test_an_empty_name_answers_422_and_keeps_the_ticked_members(
    personas: Any, client_for: Any
) -> None:
    partner = personas.memberships[Role.PARTNER]
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(
        url("partner_create", personas), {"name": "", "members": [str(partner.uuid)]}, **HTMX
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body
    assert f'value="{partner.uuid}"' in body and "checked" in body


# --- Delete --------------------------------------------------------------------------------------


def test_delete_an_organisation_without_actions(personas: Any, client_for: Any) -> None:
    office = organisation(personas)
    office.members.add(personas.memberships[Role.PARTNER])
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(url("partner_delete", personas, office.uuid), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("partner_list", personas)
    with scopes_disabled():
        assert not PartnerOrganisation.objects.filter(pk=office.pk).exists()
        # Its members stay in the workspace.
        assert Membership.objects.filter(pk=personas.memberships[Role.PARTNER].pk).exists()
    assert "Tourism Office deleted." in client.get(url("partner_list", personas)).content.decode()


def test_delete_is_refused_while_the_organisation_takes_part_in_actions(
    personas: Any, sample: Any, client_for: Any
) -> None:
    office = organisation(personas)
    action = sample["action"]
    action.lead_partner = office
    action.save()
    other = ActionFactory(workspace=personas.workspace, objective=sample["objective"])
    other.contributors.add(office)
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(url("partner_delete", personas, office.uuid), **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="partner-{office.uuid}"' in body and "<html" not in body
    assert "Tourism Office cannot be deleted while it takes part in actions." in body
    assert "It leads 1 action." in body and "It contributes to 1 action." in body
    # Without HTMX: back to the list with the reason.
    response = client.post(url("partner_delete", personas, office.uuid), follow=True)
    assert "cannot be deleted" in response.content.decode()
    with scopes_disabled():
        assert PartnerOrganisation.objects.filter(pk=office.pk).exists()
    action.refresh_from_db()
    assert action.lead_partner == office


# --- The list ------------------------------------------------------------------------------------


def test_list_counts_members_projects_and_actions(
    personas: Any, sample: Any, client_for: Any
) -> None:
    office = organisation(personas, "Tourism Office")
    office.members.add(personas.memberships[Role.PARTNER], personas.memberships[Role.VIEWER])
    shared = ProjectFactory(workspace=personas.workspace, name="Shared project")
    office.shared_projects.add(shared, sample["project"])
    action = sample["action"]
    action.lead_partner = office
    action.save()
    for _ in range(2):
        ActionFactory(workspace=personas.workspace, objective=sample["objective"]).contributors.add(
            office
        )
    client = client_for(personas.user(Role.VIEWER))
    response = client.get(url("partner_list", personas))
    row = response.context["page"].object_list
    counts = {
        o.name: (o.member_count, o.project_count, o.led_count, o.contributed_count) for o in row
    }
    assert counts["Tourism Office"] == (2, 2, 1, 2)
    assert counts["Secret Partner Office"] == (0, 0, 0, 0)
    body = response.content.decode()
    assert "New partner organisation" not in body and "Delete" not in body


def test_a_partner_sees_counts_only_for_projects_shared_with_them(
    personas: Any, sample: Any, client_for: Any
) -> None:
    office = organisation(personas, "Tourism Office")
    office.members.add(personas.memberships[Role.PARTNER])
    mine = ProjectFactory(workspace=personas.workspace, name="Shared project")
    office.shared_projects.add(mine)
    chamber = organisation(personas, "Chamber")
    chamber.shared_projects.add(sample["project"], mine)
    action = sample["action"]  # in the project not shared with the partner
    action.lead_partner = chamber
    action.save()
    client = client_for(personas.user(Role.PARTNER))
    response = client.get(url("partner_list", personas))
    counts = {o.name: (o.project_count, o.led_count) for o in response.context["page"].object_list}
    assert counts["Chamber"] == (1, 0)
    assert "Secret Project Alpha" not in response.content.decode()
    staff = client_for(personas.user(Role.EDITOR)).get(url("partner_list", personas))
    counts = {o.name: (o.project_count, o.led_count) for o in staff.context["page"].object_list}
    assert counts["Chamber"] == (2, 1)


def test_empty_state_invites_admins_to_add_one(personas: Any, client_for: Any) -> None:
    body = client_for(personas.user(Role.ADMIN)).get(url("partner_list", personas)).content
    assert "No partner organisation yet" in body.decode()
    assert "Add the first partner organisation" in body.decode()
    body = client_for(personas.user(Role.EDITOR)).get(url("partner_list", personas)).content
    assert "No partner organisation yet" in body.decode()
    assert "Add the first partner organisation" not in body.decode()


def _populate(personas: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        office = organisation(personas, f"Office {i:03d}")
        member = MembershipFactory(workspace=personas.workspace, role=Role.PARTNER)
        project = ProjectFactory(workspace=personas.workspace)
        office.members.add(member)
        office.shared_projects.add(project)
        action = ActionFactory(
            workspace=personas.workspace, objective__project=project, lead_partner=office
        )
        action.contributors.add(office)


@pytest.mark.parametrize("who", [Role.OWNER, Role.PARTNER])
def test_list_query_count_is_the_same_at_1_and_30_rows(
    who: str, personas: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.user(who))
    _populate(personas, 1, 0)
    client.get(url("partner_list", personas))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url("partner_list", personas))
    assert response.status_code == 200 and len(response.context["page"].object_list) == 1
    _populate(personas, 29, 1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url("partner_list", personas) + "?page=2")
    assert len(response.context["page"].object_list) == 10
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url("partner_list", personas))
    assert len(response.context["page"].object_list) == 20
