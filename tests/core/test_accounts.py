"""Sign up, log in, invitations, roles and the workspace switcher."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Invitation, Membership, User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SIGNUP = {
    "full_name": "Claire Dupont",
    "email": "Claire@Example.org",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "workspace_name": "Agence d'attractivité du Val",
}


def test_signup_creates_user_workspace_and_ownership(client: Any) -> None:
    response = client.post(reverse("signup"), SIGNUP, **HTMX)
    assert response.status_code == 200
    user = User.objects.get(email="claire@example.org")
    workspace = Workspace.objects.get(name="Agence d'attractivité du Val")
    assert workspace.slug == "agence-dattractivite-du-val"
    assert response["HX-Redirect"] == reverse("workspace_home", args=[workspace.slug])
    with scopes_disabled():
        assert Membership.objects.get(user=user, workspace=workspace).role == Role.OWNER
    # Signed in: the home page goes to the workspace.
    assert client.get(reverse("home"))["Location"] == reverse(
        "workspace_home", args=[workspace.slug]
    )


def test_signup_errors_answer_422_and_keep_the_input(client: Any) -> None:
    UserFactory(email="taken@example.org")
    data = {**SIGNUP, "email": "taken@example.org", "password2": "different-passphrase"}
    response = client.post(reverse("signup"), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "An account already uses this address." in html
    assert "The two passwords differ." in html
    assert "Agence d&#x27;attractivité du Val" in html
    response = client.post(
        reverse("signup"), {**SIGNUP, "password1": "123", "password2": "123"}, **HTMX
    )
    assert response.status_code == 422
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="claire@example.org").exists()


def test_login_with_email_case_insensitive(client: Any) -> None:
    UserFactory(email="paul@example.org")
    response = client.post(
        reverse("login"), {"username": "Paul@Example.org", "password": "pass-word-123"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": "paul@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_password_reset_sends_a_link(client: Any) -> None:
    UserFactory(email="forgetful@example.org")
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body)
    assert link
    response = client.get(link.group(0), follow=True)
    assert "Choose a new password" in response.content.decode()


@pytest.fixture
def invite(django_capture_on_commit_callbacks: Any) -> Any:
    """Post the invitation form; the e-mail goes out after commit, as in production."""

    def post(client: Any, slug: str, email: str, role: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("members", args=[slug]), {"email": email, "role": role}, **HTMX
            )

    return post


def test_invitation_flow_for_a_new_person(personas: Any, client_for: Any, invite: Any) -> None:
    client = client_for(personas.user(Role.ADMIN))
    response = invite(client, "alpha", "New.Partner@Example.org", Role.PARTNER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "new.partner@example.org" in html and 'hx-swap-oob="true"' in html
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.partner@example.org"]
    link = re.search(r"http://testserver(/invitations/\S+/)", message.body).group(1)

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Alpha Attractiveness" in page.content.decode()
    response = client.post(
        link,
        {
            "full_name": "Nina Partner",
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.partner@example.org")
    with scopes_disabled():
        assert Membership.objects.get(user=user, workspace=personas.workspace).role == Role.PARTNER
        invitation = Invitation.objects.get(email="new.partner@example.org")
    assert invitation.accepted_by == user
    # The link is single-use.
    assert client.get(link).status_code == 404


def test_existing_user_accepts_with_matching_address_only(
    personas: Any, client_for: Any, invite: Any
) -> None:
    guest = UserFactory(email="guest@example.org")
    invite(client_for(personas.user(Role.OWNER)), "alpha", "guest@example.org", Role.VIEWER)
    link = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[0].body).group(1)
    client = client_for(personas.user(Role.EDITOR))  # the wrong person
    response = client.post(link)
    assert response.status_code == 422
    assert "Sign in with that address" in response.content.decode()
    client = client_for(guest)
    assert client.post(link).status_code == 302
    with scopes_disabled():
        assert Membership.objects.get(user=guest, workspace=personas.workspace).role == Role.VIEWER


def test_invitation_errors(personas: Any, client_for: Any, invite: Any) -> None:
    client = client_for(personas.user(Role.ADMIN))
    response = invite(client, "alpha", personas.user(Role.VIEWER).email, Role.EDITOR)
    assert response.status_code == 422
    assert "already a member" in response.content.decode()
    response = invite(client, "alpha", "not-an-email", Role.EDITOR)
    assert (
        response.status_code == 422 and "Enter a valid email address." in response.content.decode()
    )
    # Admins cannot make owners: the choice is not even offered.
    response = invite(client, "alpha", "boss@example.org", Role.OWNER)
    assert response.status_code == 422
    assert not mail.outbox


def test_editors_cannot_invite(personas: Any, client_for: Any, invite: Any) -> None:
    response = invite(client_for(personas.user(Role.EDITOR)), "alpha", "x@example.org", Role.VIEWER)
    assert response.status_code == 403


def test_role_changes_follow_the_rules(personas: Any, client_for: Any) -> None:
    admin = client_for(personas.user(Role.ADMIN))
    owner_membership = personas.memberships[Role.OWNER]
    viewer_membership = personas.memberships[Role.VIEWER]
    response = admin.post(
        reverse("member_role", args=["alpha", viewer_membership.uuid]),
        {"role": Role.EDITOR},
        **HTMX,
    )
    assert response.status_code == 200
    viewer_membership.refresh_from_db()
    assert viewer_membership.role == Role.EDITOR
    # An admin cannot demote an owner.
    response = admin.post(
        reverse("member_role", args=["alpha", owner_membership.uuid]), {"role": Role.VIEWER}, **HTMX
    )
    assert response.status_code == 422
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER
    # The last owner cannot step down.
    owner = client_for(personas.user(Role.OWNER))
    response = owner.post(
        reverse("member_role", args=["alpha", owner_membership.uuid]), {"role": Role.ADMIN}, **HTMX
    )
    assert response.status_code == 422
    assert "at least one owner" in response.content.decode()
    response = owner.post(reverse("member_remove", args=["alpha", owner_membership.uuid]), **HTMX)
    assert response.status_code == 422


def test_removing_a_member(personas: Any, client_for: Any) -> None:
    admin = client_for(personas.user(Role.ADMIN))
    target = personas.memberships[Role.VIEWER]
    response = admin.post(reverse("member_remove", args=["alpha", target.uuid]), **HTMX)
    assert response.status_code == 200
    with scopes_disabled():
        assert not Membership.objects.filter(pk=target.pk).exists()
    assert (
        client_for(personas.user(Role.VIEWER))
        .get(reverse("workspace_home", args=["alpha"]))
        .status_code
        == 404
    )


def test_workspace_switcher_lists_every_workspace_of_the_user(
    personas: Any, client_for: Any
) -> None:
    user = personas.user(Role.EDITOR)
    third = WorkspaceFactory(name="Client Gamma", slug="gamma")
    MembershipFactory(workspace=third, user=user, role=Role.VIEWER)
    client = client_for(user)
    html = client.get(reverse("workspace_home", args=["alpha"])).content.decode()
    assert reverse("workspace_home", args=["gamma"]) in html and "Client Gamma" in html
    assert "Beta Agency" not in html
    assert client.get(reverse("home"))["Location"] == reverse("workspace_list")
    assert client.get(reverse("workspace_home", args=["gamma"])).status_code == 200


def test_a_consultant_creates_another_workspace(personas: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.VIEWER))
    response = client.post(reverse("workspace_list"), {"name": "Alpha Attractiveness"}, **HTMX)
    assert response.status_code == 200
    workspace = Workspace.objects.get(slug="alpha-attractiveness")
    with scopes_disabled():
        assert (
            Membership.objects.get(workspace=workspace, user=personas.user(Role.VIEWER)).role
            == Role.OWNER
        )
    response = client.post(reverse("workspace_list"), {"name": ""}, **HTMX)
    assert response.status_code == 422


def test_language_switch(client: Any) -> None:
    response = client.post(reverse("set_language"), {"language": "fr"}, HTTP_REFERER="/frameworks/")
    assert response.status_code == 302
    html = client.get(reverse("frameworks")).content.decode()
    assert '<html lang="fr">' in html and "Tous réunis" in html
