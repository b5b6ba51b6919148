"""Sharing a project with partner organisations: roles, the page flow, foreign ids."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from core.roles import Role
from core.tenancy import scopes_disabled
from governance.models import PartnerOrganisation
from tests.factories import PartnerOrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = ["owner", "admin", "editor", "partner", "viewer", "outsider"]


def url(name: str, personas: Any, *args: Any) -> str:
    return reverse(name, args=[personas.workspace.slug, *args])


def shared_names(project: Any) -> list[str]:
    with scopes_disabled():
        return sorted(project.partner_organisations.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("who", "expected"), list(zip(WHO, [200, 200, 200, 403, 403, 404], strict=True))
)
def test_role_matrix(who: str, expected: int, personas: Any, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(who))
    sharing = url("project_sharing", personas, sample["project"].uuid)
    assert client.get(sharing).status_code == expected
    office = sample["organisation"]
    response = client.post(sharing, {"organisations": [str(office.uuid)]})
    assert response.status_code == (302 if expected == 200 else expected)
    assert shared_names(sample["project"]) == (["Secret Partner Office"] if expected == 200 else [])


def test_a_partner_of_a_shared_project_still_may_not_change_its_sharing(
    personas: Any, sample: Any, client_for: Any
) -> None:
    office = sample["organisation"]
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(sample["project"])
    client = client_for(personas.user(Role.PARTNER))
    sharing = url("project_sharing", personas, sample["project"].uuid)
    assert client.get(sharing).status_code == 403
    assert client.post(sharing, {"organisations": []}).status_code == 403
    assert shared_names(sample["project"]) == ["Secret Partner Office"]


def test_a_partner_sees_a_project_after_it_is_shared_and_not_before(
    personas: Any, sample: Any, client_for: Any
) -> None:
    """The whole flow through the pages: organisation, members, sharing, unsharing."""
    project = sample["project"]
    detail = url("project_detail", personas, project.uuid)
    partner = client_for(personas.user(Role.PARTNER))
    assert partner.get(detail).status_code == 404
    assert partner.get(url("plan_board", personas, project.uuid)).status_code == 404
    assert "Secret Project Alpha" not in partner.get(url("project_list", personas)).content.decode()

    admin = client_for(personas.user(Role.ADMIN))
    response = admin.post(
        url("partner_create", personas),
        {
            "name": "Valley Tourism Office",
            "members": [str(personas.memberships[Role.PARTNER].uuid)],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        office = PartnerOrganisation.objects.get(name="Valley Tourism Office")
    # Belonging to an organisation is not enough: the project must be shared with it.
    partner = client_for(personas.user(Role.PARTNER))
    assert partner.get(detail).status_code == 404

    editor = client_for(personas.user(Role.EDITOR))
    sharing = url("project_sharing", personas, project.uuid)
    page = editor.get(sharing).content.decode()
    assert "Valley Tourism Office (1 member)" in page
    response = editor.post(sharing, {"organisations": [str(office.uuid)]}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == detail
    page = editor.get(detail).content.decode()
    assert "Sharing saved." in page and "Valley Tourism Office" in page

    partner = client_for(personas.user(Role.PARTNER))
    assert partner.get(detail).status_code == 200
    assert partner.get(url("plan_board", personas, project.uuid)).status_code == 200
    assert "Secret Project Alpha" in partner.get(url("project_list", personas)).content.decode()

    # Unticking every organisation takes it away again.
    editor = client_for(personas.user(Role.EDITOR))
    assert editor.post(sharing, {}).status_code == 302
    assert shared_names(project) == []
    partner = client_for(personas.user(Role.PARTNER))
    assert partner.get(detail).status_code == 404


def test_the_sharing_page_ticks_the_current_organisations(
    personas: Any, sample: Any, client_for: Any
) -> None:
    office = sample["organisation"]
    office.shared_projects.add(sample["project"])
    chamber = PartnerOrganisationFactory(workspace=personas.workspace, name="Chamber")
    page = (
        client_for(personas.user(Role.EDITOR))
        .get(url("project_sharing", personas, sample["project"].uuid))
        .content.decode()
    )
    assert re.search(rf'<input[^>]*value="{office.uuid}"[^>]*checked', page)
    assert re.search(rf'<input[^>]*value="{chamber.uuid}"[^>]*>', page)
    assert not re.search(rf'<input[^>]*value="{chamber.uuid}"[^>]*checked', page)
    assert "Chamber (0 members)" in page


def test_a_foreign_organisation_uuid_is_refused(
    personas: Any, sample: Any, client_for: Any
) -> None:
    foreign = PartnerOrganisationFactory(workspace=personas.other_workspace, name="Beta office")
    client = client_for(personas.user(Role.OWNER))
    sharing = url("project_sharing", personas, sample["project"].uuid)
    response = client.post(
        sharing, {"organisations": [str(sample["organisation"].uuid), str(foreign.uuid)]}, **HTMX
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="sharing-form"' in body and "<html" not in body
    assert "Select a valid choice" in body and "Beta office" not in body
    response = client.post(sharing, {"organisations": ["not-a-uuid"]}, **HTMX)
    assert response.status_code == 422
    assert shared_names(sample["project"]) == []
    with scopes_disabled():
        assert not foreign.shared_projects.exists()


def test_a_project_of_another_workspace_is_404(personas: Any, client_for: Any) -> None:
    foreign = ProjectFactory(workspace=personas.other_workspace, name="Beta project")
    client = client_for(personas.user(Role.OWNER))
    sharing = url("project_sharing", personas, foreign.uuid)
    assert client.get(sharing).status_code == 404
    assert client.post(sharing, {"organisations": []}).status_code == 404


def test_project_page_shows_the_organisations_it_is_shared_with(
    personas: Any, sample: Any, client_for: Any
) -> None:
    detail = url("project_detail", personas, sample["project"].uuid)
    viewer = client_for(personas.user(Role.VIEWER))
    body = viewer.get(detail).content.decode()
    assert "Not shared with any partner organisation" in body
    assert "Manage sharing" not in body
    sample["organisation"].shared_projects.add(sample["project"])
    body = viewer.get(detail).content.decode()
    assert "Secret Partner Office" in body
    editor_body = client_for(personas.user(Role.EDITOR)).get(detail).content.decode()
    assert "Manage sharing" in editor_body


def test_sharing_page_empty_state(personas: Any, client_for: Any) -> None:
    project = ProjectFactory(workspace=personas.workspace)
    sharing = url("project_sharing", personas, project.uuid)
    body = client_for(personas.user(Role.ADMIN)).get(sharing).content.decode()
    assert "No partner organisation yet" in body
    assert url("partner_create", personas) in body
    body = client_for(personas.user(Role.EDITOR)).get(sharing).content.decode()
    assert "No partner organisation yet" in body
    assert url("partner_create", personas) not in body
