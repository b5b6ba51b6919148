"""Walk the URL resolver: every workspace URL is closed to other workspaces and to anonymous
visitors, and answers each role as the permission matrix says."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import Role
from tests.factories import (
    PNG,
    ActorProposalFactory,
    AmbassadorFactory,
    BrandLicenseeFactory,
    BrandPlatformFactory,
    ContactPersonFactory,
    ContributionFactory,
    DecisionFactory,
    DeliverableFactory,
    GovernanceBodyFactory,
    InvitationFactory,
    MeetingFactory,
    NotificationFactory,
    OwnershipEventFactory,
)
from tests.security.matrix import LOGIN_ONLY, PUBLIC, WORKSPACE_URLS

pytestmark = pytest.mark.django_db


def walk(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(route, name) of every named URL pattern, admin excluded."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from walk(pattern, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, pattern.name


ALL_URLS = {name: route for route, name in walk()}
WORKSPACE_NAMES = sorted(
    name for name, route in ALL_URLS.items() if "<slug:workspace_slug>" in route
)


def test_every_url_has_a_matrix_row() -> None:
    rows = set(WORKSPACE_URLS) | PUBLIC | LOGIN_ONLY
    missing = sorted(set(ALL_URLS) - rows)
    assert not missing, f"URLs without a row in tests/security/matrix.py: {missing}"
    stale = sorted(rows - set(ALL_URLS))
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"
    assert sorted(WORKSPACE_URLS) == WORKSPACE_NAMES


def _kwargs(name: str, personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    route = ALL_URLS[name]
    kwargs: dict[str, Any] = {"workspace_slug": personas.workspace.slug}
    fillers = {
        "territory_uuid": lambda: sample["territory"].uuid,
        "project_uuid": lambda: sample["project"].uuid,
        "member_uuid": lambda: personas.memberships[Role.VIEWER].uuid,
        "invitation_uuid": lambda: sample["invitation"].uuid,
        "objective_uuid": lambda: sample["objective"].uuid,
        "action_uuid": lambda: sample["action"].uuid,
        "comment_uuid": lambda: sample["comment"].uuid,
        "notification_uuid": lambda: sample["notification"].uuid,
        "partner_uuid": lambda: sample["organisation"].uuid,
        "contact_uuid": lambda: sample["contact"].uuid,
        "body_uuid": lambda: sample["body"].uuid,
        "meeting_uuid": lambda: sample["meeting"].uuid,
        "decision_uuid": lambda: sample["decision"].uuid,
        "deliverable_uuid": lambda: sample["deliverable"].uuid,
        "step_number": lambda: 1,
        "cycle_number": lambda: 1,
        # Records of a cycle: the URL name says which register.
        "record_uuid": lambda: sample[name.split("_")[0]].uuid,
        "item_uuid": lambda: (
            (
                sample[name.split("_")[0]]
                if name.startswith(("licensee", "ambassador"))
                else sample["action"]
            ).uuid
        ),
        "indicator_uuid": lambda: sample["indicator"].uuid,
        "lesson_uuid": lambda: sample["lesson"].uuid,
        "name": lambda: "title",
        "fmt": lambda: "csv",
        "table": lambda: "funnel",
        "kind": lambda: "action",
    }
    for key in re.findall(r"<\w+:(\w+)>", route):
        if key != "workspace_slug":
            kwargs[key] = fillers[key]()
    return kwargs


@pytest.fixture
def full_sample(personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    sample["invitation"] = InvitationFactory(
        workspace=personas.workspace, email="secret-invitee@alpha.example"
    )
    sample["notification"] = NotificationFactory(
        workspace=personas.workspace,
        recipient=personas.user(Role.OWNER),
        text="Secret notification",
        url=reverse("action_detail", args=[personas.workspace.slug, sample["action"].uuid]),
    )
    sample["organisation"].logo.save("logo.png", ContentFile(PNG), save=True)
    sample["contact"] = ContactPersonFactory(
        workspace=personas.workspace,
        organisation=sample["organisation"],
        full_name="Secret contact",
    )
    sample["body"] = GovernanceBodyFactory(
        workspace=personas.workspace, project=sample["project"], name="Secret Steering"
    )
    sample["meeting"] = MeetingFactory(workspace=personas.workspace, body=sample["body"])
    sample["decision"] = DecisionFactory(
        workspace=personas.workspace, meeting=sample["meeting"], text="Secret decision"
    )
    sample["deliverable"] = DeliverableFactory(
        workspace=personas.workspace, progress__project=sample["project"], title="Secret report"
    )
    sample["contribution"] = ContributionFactory(
        workspace=personas.workspace,
        of_project=sample["project"],
        partner=sample["organisation"],
        note="Secret contribution",
    )
    sample["ownership"] = OwnershipEventFactory(
        workspace=personas.workspace, cycle=sample["contribution"].cycle, title="Secret workshop"
    )
    platform = BrandPlatformFactory(
        workspace=personas.workspace, project=sample["project"], name="Secret Brand"
    )
    sample["licensee"] = BrandLicenseeFactory(
        workspace=personas.workspace, platform=platform, partner=sample["organisation"]
    )
    sample["ambassador"] = AmbassadorFactory(
        workspace=personas.workspace, platform=platform, name="Secret Ambassador"
    )
    sample["proposal"] = ActorProposalFactory(
        workspace=personas.workspace, cycle=sample["contribution"].cycle, name="Secret Newcomer"
    )
    return sample


def _request(client: Any, name: str, url: str) -> Any:
    row = WORKSPACE_URLS[name]
    if row.method == "POST":
        return client.post(url + row.query, row.data)
    return client.get(url + row.query)


SECRETS = [
    "Secret Valley Area",
    "Secret Town Centre",
    "Secret Project Alpha",
    "Alpha Attractiveness",
    "secret-invitee",
    "Secret Partner Office",
    "Secret comment",
    "Secret notification",
    "Secret Indicator",
    "Secret lesson",
    "Secret contact",
    "Secret Steering",
    "Secret decision",
    "Secret report",
    "Secret contribution",
    "Secret workshop",
    "Secret Brand",
    "Secret Ambassador",
    "Secret Newcomer",
]


@pytest.mark.parametrize("name", WORKSPACE_NAMES)
def test_another_workspace_gets_404_and_sees_nothing(
    name: str, personas: Any, full_sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user("outsider"))
    kwargs = _kwargs(name, personas, full_sample)
    url = reverse(name, kwargs=kwargs)
    for method in ("get", "post"):
        response = getattr(client, method)(url, WORKSPACE_URLS[name].data)
        assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body
        for value in kwargs.values():
            if isinstance(value, uuid.UUID):
                assert str(value) not in body
    # And with the outsider's own slug but alpha's object ids: 404 too.
    if any(isinstance(value, uuid.UUID) for value in kwargs.values()):
        url = reverse(name, kwargs={**kwargs, "workspace_slug": personas.other_workspace.slug})
        assert _request(client, name, url).status_code == 404


@pytest.mark.parametrize("name", WORKSPACE_NAMES)
def test_anonymous_is_sent_to_the_login_page(
    name: str, personas: Any, full_sample: Any, client: Any
) -> None:
    url = reverse(name, kwargs=_kwargs(name, personas, full_sample))
    response = _request(client, name, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", sorted(LOGIN_ONLY))
def test_login_only_pages_send_anonymous_to_login(name: str, client: Any) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _expected(row: Any, role: str) -> set[int]:
    if Role.rank(role) < Role.rank(row.min_role):
        return {403}
    if role == Role.PARTNER and row.hidden_from_partner:
        return {404}
    if (
        row.own_object
        and role != Role.OWNER
        and (row.others_min_role is None or Role.rank(role) < Role.rank(row.others_min_role))
    ):
        return {row.others_status}
    # Allowed: a page (200), a redirect after success (302), a refused change (422).
    return {200, 204, 302, 422} if row.method == "POST" else {200}


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("name", WORKSPACE_NAMES)
def test_role_matrix(
    name: str, role: str, personas: Any, full_sample: Any, client_for: Any
) -> None:
    row = WORKSPACE_URLS[name]
    client = client_for(personas.user(role))
    url = reverse(name, kwargs=_kwargs(name, personas, full_sample))
    response = _request(client, name, url)
    assert response.status_code in _expected(row, role), (
        f"{row.method} {name} as {role}: {response.status_code}, expected {_expected(row, role)}"
    )


def test_partner_sees_a_project_once_it_is_shared(
    personas: Any, sample: Any, client_for: Any
) -> None:
    from governance.models import PartnerOrganisation

    organisation = PartnerOrganisation.unscoped_objects.create(
        workspace=personas.workspace, name="Tourism office"
    )
    organisation.members.add(personas.memberships[Role.PARTNER])
    client = client_for(personas.user(Role.PARTNER))
    detail = reverse("project_detail", args=[personas.workspace.slug, sample["project"].uuid])
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("project_list", args=[personas.workspace.slug])).content.decode()
    assert "Secret Project Alpha" not in listing
    organisation.shared_projects.add(sample["project"])
    assert client.get(detail).status_code == 200
    assert (
        "Secret Project Alpha"
        in client.get(reverse("project_list", args=[personas.workspace.slug])).content.decode()
    )
    # Its territory becomes visible, but not the unrelated micro-territory.
    territories = client.get(
        reverse("territory_list", args=[personas.workspace.slug])
    ).content.decode()
    assert "Secret Valley Area" in territories and "Secret Town Centre" not in territories
