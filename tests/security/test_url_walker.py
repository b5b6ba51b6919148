"""Walk the URL resolver: every workspace URL is closed to other workspaces and to anonymous
visitors, and answers each role as the permission matrix says."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.models import ExportStatus, WebhookDelivery, WebhookEndpoint, WorkspaceExport
from core.roles import Role
from core.tenancy import workspace_scope
from core.tokens import token_create
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
    MaturityScoreFactory,
    MeasurementFactory,
    MeetingFactory,
    MembershipFactory,
    NotificationFactory,
    OwnershipEventFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
)
from tests.security.matrix import (
    API_LOGIN_ONLY,
    API_PUBLIC,
    API_URLS,
    LOGIN_ONLY,
    PUBLIC,
    WORKSPACE_URLS,
    ApiOp,
)

pytestmark = pytest.mark.django_db


def walk(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(route, name, pattern) of every named URL pattern, admin excluded. Names in a namespace
    are qualified ("api:action-list")."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, route, inner if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route, name, pattern


ALL_URLS = {name: route for route, name, _ in walk()}
PATTERNS = {name: pattern for _, name, pattern in walk()}
WORKSPACE_NAMES = sorted(
    name
    for name, route in ALL_URLS.items()
    if "<slug:workspace_slug>" in route and not name.startswith("api:")
)
API_NAMES = sorted(
    name
    for name, route in ALL_URLS.items()
    if "<slug:workspace_slug>" in route and name.startswith("api:")
)


def test_every_url_has_a_matrix_row() -> None:
    rows = set(WORKSPACE_URLS) | PUBLIC | LOGIN_ONLY | set(API_URLS) | API_PUBLIC | API_LOGIN_ONLY
    missing = sorted(set(ALL_URLS) - rows)
    assert not missing, f"URLs without a row in tests/security/matrix.py: {missing}"
    stale = sorted(rows - set(ALL_URLS))
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"
    assert sorted(WORKSPACE_URLS) == WORKSPACE_NAMES
    assert sorted(API_URLS) == API_NAMES


@pytest.mark.parametrize("name", API_NAMES)
def test_every_api_operation_has_a_matrix_row(name: str) -> None:
    """Each method a view set answers has its row, and the row names no method it refuses."""
    callback: Any = PATTERNS[name].callback
    actions = getattr(callback, "actions", None)
    assert actions, f"{name} is not a view set route"
    # HEAD comes with GET (DRF adds it to the mapping at the first request).
    answered = {m.upper() for m in actions if m in callback.cls.http_method_names and m != "head"}
    assert set(API_URLS[name].ops) == answered


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
        "endpoint_uuid": lambda: sample["webhook"].uuid,
        "delivery_uuid": lambda: sample["delivery"].uuid,
        "token_uuid": lambda: sample["token"].uuid,
        "export_uuid": lambda: sample["export"].uuid,
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
    return build_full_sample(personas, sample)


def build_full_sample(personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """One object of nearly every model in the personas' workspace (other tests reuse it)."""
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
    sample["webhook"] = WebhookEndpoint.unscoped_objects.create(
        workspace=personas.workspace,
        url="https://secret-receiver.example/hook",
        secret="whsec_secret",
        events=["action.created"],
    )
    sample["delivery"] = WebhookDelivery.unscoped_objects.create(
        workspace=personas.workspace,
        endpoint=sample["webhook"],
        event="action.created",
        event_id=uuid.uuid4(),
        payload={"data": {"object": {"title": "Secret Action"}}},
        status="succeeded",
    )
    # The owner's API token: other members may not revoke it, admins may.
    with workspace_scope(personas.workspace):
        sample["token"], _ = token_create(
            actor=personas.user(Role.OWNER),
            workspace=personas.workspace,
            name="Secret token",
            scope="read",
        )
    # A finished export of the workspace (the owners download it).
    sample["export"] = WorkspaceExport(
        workspace=personas.workspace,
        requested_by=personas.user(Role.OWNER),
        status=ExportStatus.READY,
        progress=100,
        expires_at=timezone.now() + timedelta(days=1),
    )
    sample["export"].file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
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
    "secret-receiver",
    "Secret token",
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


# --- The REST API ------------------------------------------------------------------------------

API_METHODS = ["GET", "POST", "PATCH", "DELETE", "PUT"]


@pytest.fixture(autouse=True)
def _unthrottled(settings: Any) -> None:
    """Hundreds of requests from one address and a few people: throttling has its own tests
    (tests/api/test_api_contract.py), and must not answer 429 here."""
    settings.API_THROTTLE_RATES = {"token": None, "user": None, "anon": None}


@pytest.fixture
def api_sample(personas: Any, full_sample: dict[str, Any]) -> dict[str, Any]:
    from evaluation.models import DashboardSnapshot
    from territories.models import Cycle

    full_sample["cycle"] = Cycle.unscoped_objects.get(project=full_sample["project"], number=1)
    full_sample["measurement"] = MeasurementFactory(
        workspace=personas.workspace, indicator=full_sample["indicator"]
    )
    full_sample["snapshot"] = DashboardSnapshot.unscoped_objects.create(
        workspace=personas.workspace,
        project=full_sample["project"],
        inputs_version="secret-inputs",
        status="done",
    )
    full_sample["member"] = personas.memberships[Role.VIEWER]
    # Governance and the method.
    full_sample["platform"] = full_sample["licensee"].platform
    full_sample["progress"] = full_sample["deliverable"].progress
    full_sample["organisation2"] = PartnerOrganisationFactory(
        workspace=personas.workspace, name="Secret Second Office"
    )
    # The sample organisation stays deletable: the records on file are another partner's.
    third = PartnerOrganisationFactory(workspace=personas.workspace, name="Secret Third Office")
    for record in (full_sample["contribution"], full_sample["licensee"]):
        record.partner = third
        record.save(update_fields=["partner"])
    full_sample["project2"] = ProjectFactory(
        workspace=personas.workspace, territory=full_sample["territory"], name="Secret Project Two"
    )
    full_sample["score"] = MaturityScoreFactory(
        workspace=personas.workspace, assessment__of_project=full_sample["project"]
    )
    full_sample["assessment"] = full_sample["score"].assessment
    return full_sample


def _token(user: Any, workspace: Any, *, write: bool = True) -> str:
    with workspace_scope(workspace):
        _, secret = token_create(
            actor=user, workspace=workspace, name="walker", scope="write" if write else "read"
        )
    return secret


@pytest.fixture
def api_tokens(personas: Any) -> dict[str, str]:
    """A token for each persona in its workspace (viewers' tokens can only read)."""
    tokens = {
        role.value: _token(personas.user(role), personas.workspace, write=role != Role.VIEWER)
        for role in Role
    }
    tokens["outsider"] = _token(personas.user("outsider"), personas.other_workspace)
    return tokens


def _api_url(name: str, personas: Any, sample: dict[str, Any], slug: str | None = None) -> str:
    row = API_URLS[name]
    kwargs: dict[str, Any] = {"workspace_slug": slug or personas.workspace.slug}
    if row.obj is not None:
        kwargs["uuid"] = sample[row.obj].uuid
    return reverse(name, kwargs=kwargs)


def _api_body(op: ApiOp | None, sample: dict[str, Any]) -> dict[str, Any]:
    if op is None:
        return {}
    return {
        key: str(sample[value[1:]].uuid) if isinstance(value, str) and value[:1] == "@" else value
        for key, value in op.body.items()
    }


def _api_request(
    client: Any, method: str, url: str, body: dict[str, Any], secret: str | None = None
) -> Any:
    headers = {"If-Match": "*"}
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("urn:territoria:problem:")
    return body


API_OPERATIONS = [(name, method) for name in API_NAMES for method in API_URLS[name].ops]


@pytest.mark.parametrize(("name", "method"), API_OPERATIONS)
def test_api_anonymous_gets_401(
    name: str, method: str, personas: Any, api_sample: Any, client: Any
) -> None:
    op = API_URLS[name].ops[method]
    url = _api_url(name, personas, api_sample)
    response = _api_request(client, method, url + op.query, _api_body(op, api_sample))
    _assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("name", API_NAMES)
def test_api_another_workspace_gets_404_and_sees_nothing(
    name: str, personas: Any, api_sample: Any, api_tokens: Any, client: Any
) -> None:
    """A member of another workspace (session or token), and a member's token made for another
    workspace, get 404 for every method, and no name or id of this workspace."""
    owner = personas.user(Role.OWNER)
    MembershipFactory(workspace=personas.other_workspace, user=owner, role=Role.OWNER)
    owners_beta_token = _token(owner, personas.other_workspace)
    url = _api_url(name, personas, api_sample)
    callers: list[tuple[Any, str | None]] = [
        (personas.user("outsider"), None),
        (None, api_tokens["outsider"]),
        (None, owners_beta_token),
    ]
    obj = API_URLS[name].obj
    hidden = [*SECRETS, "Secret Objective", "Secret Action", "secret-inputs"]
    if obj is not None:
        hidden.append(str(api_sample[obj].uuid))
    for user, secret in callers:
        client.logout()
        if user is not None:
            client.force_login(user)
        for method in API_METHODS:
            body = _api_body(API_URLS[name].ops.get(method), api_sample)
            response = _api_request(client, method, url, body, secret)
            _assert_problem(response, 404)
            content = response.content.decode()
            assert not [text for text in hidden if text in content]
    # With the outsider's own workspace in the address but this workspace's ids: 404 too.
    if API_URLS[name].obj is not None:
        client.logout()
        url = _api_url(name, personas, api_sample, slug=personas.other_workspace.slug)
        for method in API_URLS[name].ops:
            body = _api_body(API_URLS[name].ops[method], api_sample)
            response = _api_request(client, method, url, body, api_tokens["outsider"])
            _assert_problem(response, 404)


def _api_expected(op: ApiOp, method: str, role: str) -> int:
    if Role.rank(role) < Role.rank(op.min_role):
        return 403
    if role == Role.PARTNER and op.hidden_from_partner:
        return op.partner_status
    if (
        op.own_object
        and role != Role.OWNER
        and (op.others_min_role is None or Role.rank(role) < Role.rank(op.others_min_role))
    ):
        return op.others_status
    return {"GET": 200, "POST": 201, "PATCH": 200, "DELETE": 204}[method]


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize(("name", "method"), API_OPERATIONS)
def test_api_role_matrix(
    name: str, method: str, role: str, personas: Any, api_sample: Any, api_tokens: Any, client: Any
) -> None:
    op = API_URLS[name].ops[method]
    url = _api_url(name, personas, api_sample) + op.query
    response = _api_request(client, method, url, _api_body(op, api_sample), api_tokens[role])
    expected = _api_expected(op, method, role)
    assert response.status_code == expected, (
        f"{method} {name} as {role}: {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )
    if expected >= 400:
        body = _assert_problem(response, expected)
        if expected == 400:
            assert body["errors"]
    elif expected != 204:
        assert response["Content-Type"] == "application/json"
    # Partners' lists leave out what is not shared with them.
    if role == Role.PARTNER and method == "GET" and expected == 200:
        content = response.content.decode()
        for secret_text in ["Secret Project Alpha", "Secret Objective", "Secret Action"]:
            assert secret_text not in content


@pytest.mark.parametrize("name", API_NAMES)
def test_api_other_methods_answer_405(
    name: str, personas: Any, api_sample: Any, api_tokens: Any, client: Any
) -> None:
    url = _api_url(name, personas, api_sample)
    for method in set(API_METHODS) - set(API_URLS[name].ops):
        response = _api_request(client, method, url, {}, api_tokens[Role.OWNER])
        _assert_problem(response, 405)
        assert method not in response["Allow"]


def test_api_partner_sees_a_project_once_it_is_shared(
    personas: Any, api_sample: Any, api_tokens: Any, client: Any
) -> None:
    from governance.models import PartnerOrganisation

    organisation = PartnerOrganisation.unscoped_objects.create(
        workspace=personas.workspace, name="Tourism office"
    )
    organisation.members.add(personas.memberships[Role.PARTNER])
    secret = api_tokens[Role.PARTNER]
    detail = _api_url("api:project-detail", personas, api_sample)
    listing = reverse("api:action-list", args=[personas.workspace.slug])
    assert _api_request(client, "GET", detail, {}, secret).status_code == 404
    assert _api_request(client, "GET", listing, {}, secret).json()["count"] == 0
    organisation.shared_projects.add(api_sample["project"])
    assert _api_request(client, "GET", detail, {}, secret).status_code == 200
    actions = _api_request(client, "GET", listing, {}, secret).json()
    assert [a["id"] for a in actions["results"]] == [str(api_sample["action"].uuid)]
    # Shared is not led: the partner still cannot edit the action...
    action_url = _api_url("api:action-detail", personas, api_sample)
    body = {"priority": 3}
    assert _api_request(client, "PATCH", action_url, body, secret).status_code == 403
    # ...until their organisation leads it.
    api_sample["action"].lead_partner = organisation
    api_sample["action"].save(update_fields=["lead_partner"])
    assert _api_request(client, "PATCH", action_url, body, secret).status_code == 200


# Pages that pick their cycle from ``?cycle=<number>`` (territories.views.cycle_or_404).
CYCLE_PAGES = sorted(
    name
    for name in WORKSPACE_NAMES
    if "<uuid:project_uuid>" in ALL_URLS[name] and WORKSPACE_URLS[name].method == "GET"
)


@pytest.mark.parametrize("name", CYCLE_PAGES)
def test_the_cycle_parameter_opens_nothing_to_others(
    name: str, personas: Any, full_sample: Any, client_for: Any
) -> None:
    """``?cycle=`` changes which cycle a page shows, never who may see it: another workspace
    gets 404 with or without it, every role gets what the matrix says, and a cycle the project
    does not have is 404 where the page reads the parameter."""
    url = reverse(name, kwargs=_kwargs(name, personas, full_sample))
    row = WORKSPACE_URLS[name]
    joiner = "&" if row.query else "?"
    outsider = client_for(personas.user("outsider"))
    assert outsider.get(url + row.query + joiner + "cycle=1").status_code == 404
    for role in [r.value for r in Role]:
        client = client_for(personas.user(role))
        response = client.get(url + row.query + joiner + "cycle=1")
        assert response.status_code in _expected(row, role), (name, role, response.status_code)
