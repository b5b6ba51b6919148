"""Partner organisations, enriched: kind, role, logo (checked, served to members only),
contact people, and the actions they take part in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from core.tenancy import scopes_disabled
from governance.models import ContactPerson, PartnerOrganisation
from tests.factories import (
    PNG,
    ActionFactory,
    ContactPersonFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, personas: Any, *args: Any) -> str:
    return reverse(name, args=[personas.workspace.slug, *args])


def _post_logo(client: Any, personas: Any, name: str, content: bytes) -> Any:
    return client.post(
        url("partner_create", personas),
        {"name": "Office", "kind": "tourism_office", "role": "steering",
         "logo": SimpleUploadedFile(name, content)},
        **HTMX,
    )  # fmt: skip


def test_admin_creates_an_organisation_with_kind_role_and_logo(
    personas: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.ADMIN))
    response = _post_logo(client, personas, "logo.png", PNG)
    assert response.status_code == 200, response.content.decode()[:500]
    with scopes_disabled():
        office = PartnerOrganisation.objects.get(name="Office")
    assert (office.kind, office.role) == ("tourism_office", "steering")
    assert office.logo.name.startswith(f"logos/{personas.workspace.pk}/")
    # Served to members through a checked view, not from a public URL.
    logo = client.get(url("partner_logo", personas, office.uuid))
    assert logo.status_code == 200
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert (
        client_for(personas.user("outsider"))
        .get(url("partner_logo", personas, office.uuid))
        .status_code
        == 404
    )
    assert client_for(None).get(url("partner_logo", personas, office.uuid)).status_code == 302
    assert client.get(f"/media/{office.logo.name}").status_code == 404  # no public URL


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b"<svg onload='x'/>", "not accepted"),
        ("logo.png", b"MZ\x90\x00 not an image", "does not match"),
        ("logo.png", PNG + b"\x00" * (1024 * 1024), "too big"),
    ],
)
def test_a_logo_of_the_wrong_type_size_or_content_is_refused(
    name: str, content: bytes, message: str, personas: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.ADMIN))
    response = _post_logo(client, personas, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    with scopes_disabled():
        assert not PartnerOrganisation.objects.filter(name="Office").exists()


def test_contacts_are_managed_by_admins_and_linked_to_accounts(
    personas: Any, client_for: Any
) -> None:
    office = PartnerOrganisationFactory(workspace=personas.workspace, name="Office")
    partner = personas.memberships[Role.PARTNER]
    client = client_for(personas.user(Role.ADMIN))
    response = client.post(
        url("contact_create", personas, office.uuid),
        {"full_name": "Claire Martin", "email": "claire@example.org", "membership": partner.uuid},
        **HTMX,
    )
    assert response.status_code == 200
    with scopes_disabled():
        contact = ContactPerson.objects.get(full_name="Claire Martin")
    assert contact.membership == partner and contact.organisation == office
    page = client.get(url("partner_detail", personas, office.uuid)).content.decode()
    assert "Claire Martin" in page and "Alpha Partner" in page
    assert client.post(url("contact_create", personas, office.uuid), {"full_name": ""}, **HTMX
                       ).status_code == 422  # fmt: skip
    client.post(url("contact_delete", personas, contact.uuid))
    with scopes_disabled():
        assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    editor = client_for(personas.user(Role.EDITOR))
    assert editor.get(url("contact_create", personas, office.uuid)).status_code == 403


def test_a_contact_of_another_workspace_is_not_found(personas: Any, client_for: Any) -> None:
    foreign = ContactPersonFactory(workspace=personas.other_workspace, full_name="Foreign")
    client = client_for(personas.user(Role.ADMIN))
    assert client.get(url("contact_edit", personas, foreign.uuid)).status_code == 404


def test_partner_detail_lists_only_actions_of_projects_the_member_sees(
    personas: Any, client_for: Any
) -> None:
    office = PartnerOrganisationFactory(workspace=personas.workspace, name="Office")
    office.members.add(personas.memberships[Role.PARTNER])
    shared = ProjectFactory(workspace=personas.workspace, name="Shared")
    hidden = ProjectFactory(workspace=personas.workspace, name="Hidden")
    office.shared_projects.add(shared)
    led = ActionFactory(workspace=personas.workspace, objective__project=shared, title="Led one")
    led.lead_partner = office
    led.save()
    other = ActionFactory(workspace=personas.workspace, objective__project=hidden, title="Unseen")
    other.contributors.add(office)
    as_partner = client_for(personas.user(Role.PARTNER)).get(
        url("partner_detail", personas, office.uuid)
    )
    html = as_partner.content.decode()
    assert "Led one" in html and "Unseen" not in html
    as_editor = client_for(personas.user(Role.EDITOR)).get(
        url("partner_detail", personas, office.uuid)
    )
    assert "Unseen" in as_editor.content.decode()


def test_partner_detail_query_count_is_constant(
    personas: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    office = PartnerOrganisationFactory(workspace=personas.workspace, name="Office")
    project = ProjectFactory(workspace=personas.workspace)
    action = ActionFactory(workspace=personas.workspace, objective__project=project)
    action.contributors.add(office)
    ContactPersonFactory(workspace=personas.workspace, organisation=office)
    client = client_for(personas.user(Role.EDITOR))
    page = url("partner_detail", personas, office.uuid)
    client.get(page)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    for _ in range(19):
        ActionFactory(workspace=personas.workspace, objective__project=project).contributors.add(
            office
        )
        ContactPersonFactory(workspace=personas.workspace, organisation=office)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(page).status_code == 200
