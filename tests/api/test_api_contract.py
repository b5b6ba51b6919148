"""The API's contract, for every resource of the router: what a client can rely on.

- Another workspace's ids are never found: 404 in the address, 400 (with the field named) in
  a body or a filter, and never a byte of the other workspace's data.
- Mass assignment: read-only fields (ids, workspace, version, authors, dates, an action's
  project...) and foreign-workspace references are refused with 400, and nothing changes.
- ETag / If-Match / If-None-Match on every object (428, 412 with the current object, 304).
- One error format (RFC 9457 problem details) for every error status.
- Throttling (429 with Retry-After), a capped page size, filters that refuse bad values, ordering.
- The number of queries of every list does not grow with its length.

Clients use personal tokens, as scripts would. The resources come from the router, so a new
resource fails here until its row is added to the tables below.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import django_filters
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.api import router
from core.apifilters import IdOrKeywordFilter
from core.models import ApiToken, Membership
from core.restapi import ScopedUUIDField, StrictManyRelatedField
from core.roles import Role
from core.tenancy import workspace_scope
from core.tokens import token_create
from evaluation.models import DashboardSnapshot, Indicator
from governance.models import (
    BrandLicensee,
    BrandPlatform,
    Contribution,
    GovernanceBody,
    Meeting,
    MethodStep,
    PartnerOrganisation,
)
from mix.models import Action, Comment, MixFamily
from territories.models import Audience, Cycle, Project, Territory
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    ActorProposalFactory,
    AmbassadorFactory,
    BrandLicenseeFactory,
    BrandPlatformFactory,
    CommentFactory,
    ContactPersonFactory,
    ContributionFactory,
    DecisionFactory,
    DeliverableFactory,
    GovernanceBodyFactory,
    IndicatorFactory,
    LessonFactory,
    MaturityScoreFactory,
    MeasurementFactory,
    MeetingFactory,
    MembershipFactory,
    ObjectiveFactory,
    OwnershipEventFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    StepProgressFactory,
    TerritoryFactory,
    UserFactory,
)
from tests.security.matrix import API_URLS
from tracer.models import Objective, TracerStage

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"

# --- Two workspaces with the same kinds of objects ---------------------------------------------


def build_world(workspace: Any, owner: Any, name: str) -> dict[str, Any]:
    """One object of every kind in ``workspace`` (names start with ``name``)."""
    territory = TerritoryFactory(workspace=workspace, name=f"{name} Valley")
    micro = TerritoryFactory(
        workspace=workspace, name=f"{name} Centre", kind="town_centre", parent=territory
    )
    project = ProjectFactory(workspace=workspace, territory=territory, name=f"{name} Project")
    project2 = ProjectFactory(workspace=workspace, territory=territory, name=f"{name} Project 2")
    objective = ObjectiveFactory(workspace=workspace, project=project, title=f"{name} Objective")
    action = ActionFactory(workspace=workspace, objective=objective, title=f"{name} Action")
    indicator = IndicatorFactory(workspace=workspace, project=project, name=f"{name} Indicator")
    member = MembershipFactory(
        workspace=workspace,
        user=UserFactory(email=f"member@{name.lower()}.example", full_name=f"{name} Member"),
        role=Role.VIEWER,
    )
    cycle = Cycle.unscoped_objects.get(project=project, number=1)
    organisation = PartnerOrganisationFactory(workspace=workspace, name=f"{name} Office")
    # The partner with records on file (the sample organisation stays deletable).
    funder = PartnerOrganisationFactory(workspace=workspace, name=f"{name} Funder")
    body = GovernanceBodyFactory(workspace=workspace, project=project, name=f"{name} Committee")
    meeting = MeetingFactory(workspace=workspace, body=body, title=f"{name} meeting")
    progress = StepProgressFactory(workspace=workspace, project=project)
    platform = BrandPlatformFactory(workspace=workspace, project=project, name=f"{name} Brand")
    score = MaturityScoreFactory(workspace=workspace, assessment__of_project=project)
    governance = {
        "organisation2": PartnerOrganisationFactory(workspace=workspace, name=f"{name} Second"),
        "contact": ContactPersonFactory(
            workspace=workspace, organisation=organisation, full_name=f"{name} Contact"
        ),
        "body": body,
        "meeting": meeting,
        "decision": DecisionFactory(workspace=workspace, meeting=meeting, text=f"{name} decision"),
        "progress": progress,
        "deliverable": DeliverableFactory(
            workspace=workspace, progress=progress, title=f"{name} report"
        ),
        "score": score,
        "assessment": score.assessment,
        "contribution": ContributionFactory(
            workspace=workspace, of_project=project, partner=funder
        ),
        "ownership": OwnershipEventFactory(
            workspace=workspace, of_project=project, title=f"{name} fair"
        ),
        "proposal": ActorProposalFactory(
            workspace=workspace, of_project=project, name=f"{name} Newcomer"
        ),
        "platform": platform,
        "licensee": BrandLicenseeFactory(workspace=workspace, platform=platform, partner=funder),
        "ambassador": AmbassadorFactory(
            workspace=workspace, platform=platform, name=f"{name} Ambassador"
        ),
    }
    return {
        **governance,
        "territory": territory,
        "micro": micro,
        "project": project,
        "project2": project2,
        "cycle": cycle,
        "objective": objective,
        "action": action,
        "comment": CommentFactory(
            workspace=workspace, action=action, author=owner, body=f"{name} comment"
        ),
        "organisation": organisation,
        "indicator": indicator,
        "measurement": MeasurementFactory(workspace=workspace, indicator=indicator),
        "lesson": LessonFactory(
            workspace=workspace, project=project, indicator=indicator, learned=f"{name} lesson"
        ),
        "snapshot": DashboardSnapshot.unscoped_objects.create(
            workspace=workspace, project=project, inputs_version=f"{name}-v1", status="done"
        ),
        "member": member,
    }


class Api:
    """A client holding one personal token."""

    def __init__(self, secret: str, slug: str) -> None:
        self.client = Client()
        self.secret = secret
        self.slug = slug

    def url(self, basename: str, obj: Any = None, slug: str | None = None) -> str:
        base = f"/api/v1/w/{slug or self.slug}/{PREFIXES[basename]}/"
        return base if obj is None else f"{base}{obj.uuid}/"

    def call(
        self,
        method: str,
        url: str,
        body: Any = None,
        *,
        raw: str | bytes | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
    ) -> Any:
        all_headers = {"Authorization": f"Bearer {self.secret}", **(headers or {})}
        if method == "GET":
            return self.client.get(url, query or {}, headers=all_headers)
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.generic(
            method, url, data, content_type=content_type, headers=all_headers
        )


def make_token(user: Any, workspace: Any, scope: str = "write") -> str:
    with workspace_scope(workspace):
        _, secret = token_create(actor=user, workspace=workspace, name="Sync", scope=scope)
    return secret


@pytest.fixture
def worlds(personas: Personas) -> dict[str, Any]:
    alpha = build_world(personas.workspace, personas.user(Role.OWNER), "Alpha")
    beta = build_world(personas.other_workspace, personas.user("outsider"), "Beta")
    return {"alpha": alpha, "beta": beta}


@pytest.fixture
def alpha_api(personas: Personas) -> Api:
    return Api(make_token(personas.user(Role.OWNER), personas.workspace), personas.workspace.slug)


@pytest.fixture
def beta_api(personas: Personas) -> Api:
    return Api(
        make_token(personas.user("outsider"), personas.other_workspace),
        personas.other_workspace.slug,
    )


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["type"].startswith("urn:territoria:problem:")
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def row(obj: Any) -> dict[str, Any]:
    """The object's row as stored (to check that a refused request changed nothing)."""
    return dict(type(obj)._base_manager.filter(pk=obj.pk).values().get())


# --- The resources -----------------------------------------------------------------------------

REGISTRY = {basename: (prefix, viewset) for prefix, viewset, basename in router.registry}
PREFIXES = {basename: prefix for basename, (prefix, _) in REGISTRY.items()}
BASENAMES = sorted(REGISTRY)

# The sample object of each resource, and of each model a reference may name.
SAMPLE = {
    "territory": "territory",
    "project": "project",
    "cycle": "cycle",
    "partner-organisation": "organisation",
    "objective": "objective",
    "action": "action",
    "comment": "comment",
    "indicator": "indicator",
    "measurement": "measurement",
    "dashboard-snapshot": "snapshot",
    "lesson": "lesson",
    "member": "member",
    "contact-person": "contact",
    "governance-body": "body",
    "meeting": "meeting",
    "decision": "decision",
    "step-progress": "progress",
    "deliverable": "deliverable",
    "maturity-assessment": "assessment",
    "maturity-score": "score",
    "contribution": "contribution",
    "ownership-event": "ownership",
    "actor-proposal": "proposal",
    "brand-platform": "platform",
    "brand-licensee": "licensee",
    "ambassador": "ambassador",
}
MODEL_SAMPLE = {
    Territory: "territory",
    Project: "project",
    Cycle: "cycle",
    PartnerOrganisation: "organisation",
    Objective: "objective",
    Action: "action",
    Comment: "comment",
    Indicator: "indicator",
    Membership: "member",
    GovernanceBody: "body",
    Meeting: "meeting",
    BrandPlatform: "platform",
}
# Two successive changes of each resource that can be changed.
PATCHES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "territory": ({"name": "Renamed area"}, {"name": "Another name"}),
    "project": ({"ambition": "Grow"}, {"ambition": "Welcome"}),
    "partner-organisation": ({"name": "Office A"}, {"name": "Office B"}),
    "objective": ({"priority": 1}, {"priority": 3}),
    "action": ({"priority": 1}, {"priority": 3}),
    "comment": ({"body": "Edited"}, {"body": "Edited again"}),
    "indicator": ({"source": "INSEE"}, {"source": "Survey"}),
    "measurement": ({"value": "11.0000"}, {"value": "13.0000"}),
    "lesson": ({"sent_to": "Housing"}, {"sent_to": "Tourism"}),
    "member": ({"role": "editor"}, {"role": "admin"}),
    "contact-person": ({"phone": "01 02"}, {"phone": "03 04"}),
    "governance-body": ({"mandate": "Votes"}, {"mandate": "Decides"}),
    "meeting": ({"title": "Spring"}, {"title": "Autumn"}),
    "decision": ({"status": "done"}, {"status": "dropped"}),
    "step-progress": ({"status": "done"}, {"notes": "Sent"}),
    "deliverable": ({"title": "Survey"}, {"title": "Census"}),
    "maturity-score": ({"score": 1}, {"score": 3}),
    "contribution": ({"note": "Staff"}, {"note": "Money"}),
    "ownership-event": ({"participants": 12}, {"participants": 13}),
    "actor-proposal": ({"status": "contacted"}, {"status": "invited"}),
    "brand-platform": ({"promise": "Sea"}, {"promise": "Cliffs"}),
    "brand-licensee": ({"note": "Brochures"}, {"note": "Front"}),
    "ambassador": ({"segment": "Leaders"}, {"segment": "Diaspora"}),
}


def methods(basename: str, route: str) -> set[str]:
    viewset = REGISTRY[basename][1]
    names = {"list": {"get": "list", "post": "create"}, "detail": {}}
    if route == "detail":
        names["detail"] = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
    return {
        m.upper()
        for m, action in names[route].items()
        if m in viewset.http_method_names and hasattr(viewset, action)
    }


CREATABLE = [b for b in BASENAMES if "POST" in methods(b, "list")]
PATCHABLE = [b for b in BASENAMES if "PATCH" in methods(b, "detail")]
DELETABLE = [b for b in BASENAMES if "DELETE" in methods(b, "detail")]


def test_the_tables_cover_every_resource() -> None:
    assert set(SAMPLE) == set(BASENAMES)
    assert set(PATCHES) == set(PATCHABLE)
    for basename in CREATABLE:
        assert "POST" in API_URLS[f"api:{basename}-list"].ops


def create_body(basename: str, world: dict[str, Any]) -> dict[str, Any]:
    body = API_URLS[f"api:{basename}-list"].ops["POST"].body
    return {
        key: str(world[value[1:]].uuid) if isinstance(value, str) and value[:1] == "@" else value
        for key, value in body.items()
    }


def serializer_fields(basename: str) -> dict[str, Any]:
    fields: dict[str, Any] = REGISTRY[basename][1].serializer_class().fields
    return fields


def reference_fields(basename: str) -> list[tuple[str, str, bool]]:
    """(field, sample key, is a list) of each writable reference to a workspace object."""
    found = []
    for name, field in serializer_fields(basename).items():
        if field.read_only:
            continue
        many = isinstance(field, StrictManyRelatedField)
        child = field.child_relation if many else field
        if isinstance(child, ScopedUUIDField):
            found.append((name, MODEL_SAMPLE[child.model], many))
    return found


def count(basename: str, workspace: Any) -> int:
    model = REGISTRY[basename][1].model
    return int(model._base_manager.filter(workspace=workspace).count())


# --- Another workspace's ids -------------------------------------------------------------------


@pytest.mark.parametrize("basename", BASENAMES)
def test_another_workspaces_ids_in_the_address_are_not_found(
    basename: str, worlds: Any, beta_api: Api, personas: Personas
) -> None:
    """Beta's token, with alpha's ids in the address (under either slug): 404, and nothing of
    alpha in the answer, nothing changed in alpha."""
    target = worlds["alpha"][SAMPLE[basename]]
    before = row(target)
    secrets = [str(target.uuid), "Alpha", "alpha.example"]
    for slug in (personas.other_workspace.slug, personas.workspace.slug):
        for method in methods(basename, "detail"):
            body = PATCHES.get(basename, ({},))[0] if method == "PATCH" else None
            url = beta_api.url(basename, target, slug=slug)
            response = beta_api.call(method, url, body, headers={"If-Match": "*"})
            problem(response, 404)
            assert not any(s in response.content.decode() for s in secrets)
    # Alpha's lists are not found either, whatever the method.
    for method in methods(basename, "list"):
        url = beta_api.url(basename, slug=personas.workspace.slug)
        response = beta_api.call(method, url, {})
        problem(response, 404)
        assert "Alpha" not in response.content.decode()
    assert row(target) == before


BODY_REFERENCES = [
    (basename, name) for basename in BASENAMES for name, _, _ in reference_fields(basename)
]


@pytest.mark.parametrize(("basename", "field"), BODY_REFERENCES)
def test_another_workspaces_ids_in_a_body_are_refused(
    basename: str, field: str, worlds: Any, alpha_api: Api, beta_api: Api, personas: Personas
) -> None:
    """Each reference of each body, named with the other workspace's id (both ways): 400 with
    the field's message, and nothing created or changed on either side."""
    sample_key, many = next((k, m) for n, k, m in reference_fields(basename) if n == field)
    sides = [
        (beta_api, worlds["beta"], worlds["alpha"]),
        (alpha_api, worlds["alpha"], worlds["beta"]),
    ]
    for api, own, foreign in sides:
        foreign_id = str(foreign[sample_key].uuid)
        value: Any = [foreign_id] if many else foreign_id
        if basename in CREATABLE:
            before = (
                count(basename, personas.workspace),
                count(basename, personas.other_workspace),
            )
            body = {**create_body(basename, own), field: value}
            errors = problem(api.call("POST", api.url(basename), body), 400)["errors"]
            assert field in errors
            after = (count(basename, personas.workspace), count(basename, personas.other_workspace))
            assert after == before
        if basename in PATCHABLE:
            target = own[SAMPLE[basename]]
            before_row = row(target)
            response = api.call(
                "PATCH", api.url(basename, target), {field: value}, headers={"If-Match": "*"}
            )
            assert field in problem(response, 400)["errors"]
            assert row(target) == before_row
        assert foreign_id not in api.call("GET", api.url(basename)).content.decode()


def _uuid_filters(basename: str) -> list[tuple[str, str]]:
    filterset = getattr(REGISTRY[basename][1], "filterset_class", None)
    if filterset is None:
        return []
    return [
        (name, _filter_sample(name))
        for name, f in filterset.base_filters.items()
        if isinstance(f, django_filters.ModelChoiceFilter)
        and f.extra.get("to_field_name") == "uuid"
    ]


def _filter_sample(name: str) -> str:
    """The sample a uuid filter names: the filter's name is its model's, except ``partner``."""
    by_name = {
        "parent": "territory",
        "partner": "organisation",
        "project": "project",
        "territory": "territory",
        "cycle": "cycle",
        "objective": "objective",
        "action": "action",
        "indicator": "indicator",
        "organisation": "organisation",
        "body": "body",
        "meeting": "meeting",
        "owner": "member",
        "assessment": "assessment",
        "platform": "platform",
    }
    return by_name[name]


UUID_FILTERS = [(b, name, key) for b in BASENAMES for name, key in _uuid_filters(b)]


@pytest.mark.parametrize(("basename", "name", "sample_key"), UUID_FILTERS)
def test_another_workspaces_ids_in_a_filter_are_refused(
    basename: str, name: str, sample_key: str, worlds: Any, beta_api: Api
) -> None:
    foreign = str(worlds["alpha"][sample_key].uuid)
    response = beta_api.call("GET", beta_api.url(basename), query={name: foreign})
    assert name in problem(response, 400)["errors"]
    assert "Alpha" not in response.content.decode()
    # Its own workspace's id filters.
    own = str(worlds["beta"][sample_key].uuid)
    assert beta_api.call("GET", beta_api.url(basename), query={name: own}).status_code == 200


# --- Mass assignment ---------------------------------------------------------------------------


def _other_value(name: str, value: Any, world: dict[str, Any]) -> Any:
    """A value a client might try to force into a read-only field."""
    if name == "project":
        return str(world["project2"].uuid)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 5
    if isinstance(value, list):
        return [str(uuid.uuid4())]
    if isinstance(value, dict):
        return {"forced": True}
    if isinstance(value, str) and value.startswith("http"):
        return "https://evil.example/"
    if isinstance(value, str) and len(value) == 36:
        return str(uuid.uuid4())
    if name.endswith(("_at", "_on")):
        return "2020-01-01T00:00:00Z"
    return "forced"


@pytest.mark.parametrize("basename", BASENAMES)
def test_read_only_fields_cannot_be_written(
    basename: str, worlds: Any, alpha_api: Api, personas: Personas
) -> None:
    """Every read-only field of the resource, and the workspace and primary key: 400 naming the
    field, on creation and on change, and nothing created or changed."""
    world = worlds["alpha"]
    target = world[SAMPLE[basename]]
    current = alpha_api.call("GET", alpha_api.url(basename, target)).json()
    read_only = [n for n, f in serializer_fields(basename).items() if f.read_only]
    assert {"id", "url"} <= set(read_only)
    forced = {n: _other_value(n, current.get(n), world) for n in read_only}
    forced.update({"workspace": personas.other_workspace.slug, "pk": 1, "version": 99})
    before_row = row(target)
    before_count = count(basename, personas.workspace)
    for name, value in forced.items():
        if basename in CREATABLE:
            body = {**create_body(basename, world), name: value}
            errors = problem(alpha_api.call("POST", alpha_api.url(basename), body), 400)["errors"]
            assert list(errors) == [name]
        if basename in PATCHABLE:
            response = alpha_api.call(
                "PATCH", alpha_api.url(basename, target), {name: value}, headers={"If-Match": "*"}
            )
            assert list(problem(response, 400)["errors"]) == [name]
    assert row(target) == before_row
    assert count(basename, personas.workspace) == before_count
    if basename in PATCHABLE:  # the same PATCH without the forced fields goes through
        response = alpha_api.call(
            "PATCH",
            alpha_api.url(basename, target),
            PATCHES[basename][0],
            headers={"If-Match": "*"},
        )
        assert response.status_code == 200, response.content


def test_an_action_cannot_move_to_another_project_by_its_project_field(
    worlds: Any, alpha_api: Api
) -> None:
    action = worlds["alpha"]["action"]
    other = worlds["alpha"]["project2"]
    url = alpha_api.url("action", action)
    response = alpha_api.call("PATCH", url, {"project": str(other.uuid)}, headers={"If-Match": "*"})
    assert problem(response, 400)["errors"] == {"project": ["This field is read-only."]}
    action.refresh_from_db()
    assert action.project_id == worlds["alpha"]["project"].pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", 12),
        ("priority", "2"),
        ("priority", True),
        ("priority", 2.5),
        ("budget_planned", 1200),
        ("audiences", {}),
        ("contributors", {}),
        ("lead_partner", ""),
        ("start_date", 20260101),
    ],
)
def test_values_of_the_wrong_json_type_are_refused(
    field: str, value: Any, worlds: Any, alpha_api: Api
) -> None:
    """DRF would coerce these (12 into "12", "2" into 2, {} into an empty list, "" into null):
    the API takes the JSON type its schema declares."""
    action = worlds["alpha"]["action"]
    before = row(action)
    url = alpha_api.url("action", action)
    response = alpha_api.call("PATCH", url, {field: value}, headers={"If-Match": "*"})
    assert list(problem(response, 400)["errors"]) == [field]
    assert row(action) == before


def test_an_integer_written_with_a_zero_fraction_is_an_integer(worlds: Any, alpha_api: Api) -> None:
    """JSON Schema's "integer" takes 40.0 (a number without a fraction), and so does the API;
    40.5 is still refused."""
    event = worlds["alpha"][SAMPLE["ownership-event"]]
    url = alpha_api.url("ownership-event", event)
    refused = alpha_api.call("PATCH", url, {"participants": 40.5}, headers={"If-Match": "*"})
    assert list(problem(refused, 400)["errors"]) == ["participants"]
    response = alpha_api.call("PATCH", url, {"participants": 40.0}, headers={"If-Match": "*"})
    assert response.status_code == 200, response.content
    assert response.json()["participants"] == 40


# --- ETag, If-Match, If-None-Match -------------------------------------------------------------


@pytest.mark.parametrize("basename", PATCHABLE)
def test_etags_and_preconditions_on_change(basename: str, worlds: Any, alpha_api: Api) -> None:
    target = worlds["alpha"][SAMPLE[basename]]
    url = alpha_api.url(basename, target)
    first, second = PATCHES[basename]
    read = alpha_api.call("GET", url)
    assert read.status_code == 200
    etag = read["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    # No If-Match: 428, nothing changed.
    before = row(target)
    problem(alpha_api.call("PATCH", url, first), 428)
    assert row(target) == before

    # The ETag just read: 200, the change, a new ETag.
    changed = alpha_api.call("PATCH", url, first, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.content
    new_etag = changed["ETag"]
    assert new_etag != etag
    for key, value in first.items():
        assert changed.json()[key] == value

    # If-None-Match: 304 while current (with the ETag), 200 with an older one.
    not_modified = alpha_api.call("GET", url, headers={"If-None-Match": new_etag})
    assert not_modified.status_code == 304 and not_modified["ETag"] == new_etag
    assert not_modified.content == b""
    assert alpha_api.call("GET", url, headers={"If-None-Match": etag}).status_code == 200

    # The old ETag again: 412 with the current object and its ETag, nothing changed.
    before = row(target)
    stale = alpha_api.call("PATCH", url, second, headers={"If-Match": etag})
    body = problem(stale, 412)
    assert stale["ETag"] == new_etag
    assert body["current"] == alpha_api.call("GET", url).json()
    assert row(target) == before

    # Weak and listed ETags match too.
    again = alpha_api.call("PATCH", url, second, headers={"If-Match": f'"x", W/{new_etag}'})
    assert again.status_code == 200, again.content


@pytest.mark.parametrize("basename", DELETABLE)
def test_preconditions_on_delete(basename: str, worlds: Any, alpha_api: Api) -> None:
    target = worlds["alpha"][SAMPLE[basename]]
    url = alpha_api.url(basename, target)
    etag = alpha_api.call("GET", url)["ETag"]
    problem(alpha_api.call("DELETE", url), 428)
    if basename in PATCHABLE:  # someone changes it: the ETag read before is stale
        changed = alpha_api.call("PATCH", url, PATCHES[basename][0], headers={"If-Match": etag})
        assert changed.status_code == 200
        stale = alpha_api.call("DELETE", url, headers={"If-Match": etag})
        assert problem(stale, 412)["current"]["id"] == str(target.uuid)
        etag = changed["ETag"]
    assert type(target)._base_manager.filter(pk=target.pk).exists()
    assert alpha_api.call("DELETE", url, headers={"If-Match": etag}).status_code == 204
    assert not type(target)._base_manager.filter(pk=target.pk).exists()
    problem(alpha_api.call("GET", url), 404)


# --- Problem details for every error -----------------------------------------------------------


def provoke(status: int, api: Api, world: dict[str, Any], settings: Any, p: Personas) -> Any:
    """A request that the API answers with ``status``."""
    actions, action = api.url("action"), api.url("action", world["action"])
    if status == 400:
        return api.call("POST", actions, {"title": ""})
    if status == 401:
        return Client().get(actions)
    if status == 403:  # a partner may not create actions
        partner = Api(make_token(p.user(Role.PARTNER), p.workspace), api.slug)
        return partner.call("POST", actions, create_body("action", world))
    if status == 404:
        return api.call("GET", api.url("action", world["project"]))
    if status == 405:
        return api.call("PUT", action, {})
    if status == 406:
        return api.call("GET", actions, headers={"Accept": "text/html"})
    if status == 412:
        return api.call("PATCH", action, {"priority": 1}, headers={"If-Match": '"0"'})
    if status == 413:
        settings.API_MAX_BODY_BYTES = 1000
        return api.call("POST", actions, {"title": "x" * 2000})
    if status == 415:
        return api.call("POST", actions, raw="title=x", content_type="multipart/form-data")
    if status == 428:
        return api.call("DELETE", action)
    if status == 429:
        token = ApiToken.unscoped_objects.filter(user=p.user(Role.OWNER)).latest("created_at")
        cache.delete(f"throttle:token:{token.pk}")
        settings.API_THROTTLE_RATES = {"token": "1/min", "user": None, "anon": None}
        api.call("GET", actions)
        return api.call("GET", actions)
    raise AssertionError(status)  # pragma: no cover


ERRORS = [400, 401, 403, 404, 405, 406, 412, 413, 415, 428, 429]


@pytest.mark.parametrize("status", ERRORS)
def test_every_error_is_a_problem_document(
    status: int, worlds: Any, alpha_api: Api, settings: Any, personas: Personas
) -> None:
    response = provoke(status, alpha_api, worlds["alpha"], settings, personas)
    body = problem(response, status)
    assert set(body) <= {"type", "title", "status", "detail", "errors", "current", "retry_after"}
    if status == 400:
        assert body["errors"]["title"] and body["errors"]["objective"]
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    if status == 405:
        assert "PUT" not in response["Allow"] and "PATCH" in response["Allow"]
    if status == 429:
        assert int(response["Retry-After"]) > 0
        assert body["retry_after"] == int(response["Retry-After"])


@pytest.mark.parametrize(
    "path",
    [
        "actions/00000000-0000-0000-0000-000000000000/",
        "actions/not-a-uuid/",
        "actions/12/",
        "no-such-list/",
        "actions/0b6f3a52-8c1e-4d2f-9a57-1c2d3e4f5a6b/comments/",
    ],
)
def test_unknown_addresses_answer_problem_json(path: str, alpha_api: Api, worlds: Any) -> None:
    response = alpha_api.call("GET", f"/api/v1/w/{alpha_api.slug}/{path}")
    problem(response, 404)
    assert "<html" not in response.content.decode().lower()


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        ('{"title": "x",', "application/json", 400),
        ("[1, 2", "application/json", 400),
        ('"just a string"', "application/json", 400),
        ("[]", "application/json", 400),
        ("title=x", "text/plain", 415),
        ("<action/>", "application/xml", 415),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(
    raw: str, content_type: str, status: int, alpha_api: Api, worlds: Any, personas: Personas
) -> None:
    before = count("action", personas.workspace)
    response = alpha_api.call("POST", alpha_api.url("action"), raw=raw, content_type=content_type)
    problem(response, status)
    assert count("action", personas.workspace) == before


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    alpha_api: Api, worlds: Any, settings: Any, personas: Personas
) -> None:
    settings.API_MAX_BODY_BYTES = 4096
    action = worlds["alpha"]["action"]
    before = row(action)
    body = {"description": "x" * 5000}
    response = alpha_api.call(
        "PATCH", alpha_api.url("action", action), body, headers={"If-Match": "*"}
    )
    assert "4096" in problem(response, 413)["detail"]
    assert row(action) == before
    small = alpha_api.call(
        "PATCH",
        alpha_api.url("action", action),
        {"description": "x" * 3000},
        headers={"If-Match": "*"},
    )
    assert small.status_code == 200


# --- Throttling --------------------------------------------------------------------------------


@pytest.fixture
def fresh_throttles(personas: Personas) -> Any:
    """Forget the throttles' counts for the personas (their keys outlive a test's database)."""

    def forget() -> None:
        keys = [f"throttle:user:{user.pk}" for user in personas.users.values()]
        keys += [
            f"throttle:token:{pk}" for pk in ApiToken.unscoped_objects.values_list("pk", flat=True)
        ]
        keys.append("throttle:anon:127.0.0.1")
        cache.delete_many(keys)

    forget()
    yield forget
    forget()


def test_each_token_is_throttled_on_its_own(
    personas: Personas, settings: Any, fresh_throttles: Any
) -> None:
    user = personas.user(Role.EDITOR)
    first = Api(make_token(user, personas.workspace), personas.workspace.slug)
    second = Api(make_token(user, personas.workspace), personas.workspace.slug)
    settings.API_THROTTLE_RATES = {"token": "3/min", "user": "100/min", "anon": "100/min"}
    url = first.url("project")
    assert [first.call("GET", url).status_code for _ in range(3)] == [200, 200, 200]
    refused = first.call("GET", url)
    body = problem(refused, 429)
    assert 0 < int(refused["Retry-After"]) <= 60
    assert body["retry_after"] == int(refused["Retry-After"])
    # Another token of the same person has its own count...
    assert second.call("GET", url).status_code == 200
    # ...and the rate is read at each request: raised, the first token passes again.
    settings.API_THROTTLE_RATES = {"token": "100/min", "user": "100/min", "anon": "100/min"}
    assert first.call("GET", url).status_code == 200


def test_a_person_is_throttled_across_their_tokens_and_session(
    personas: Personas, settings: Any, fresh_throttles: Any, client: Any
) -> None:
    user = personas.user(Role.EDITOR)
    tokens = [Api(make_token(user, personas.workspace), personas.workspace.slug) for _ in "ab"]
    settings.API_THROTTLE_RATES = {"token": "100/min", "user": "4/min", "anon": "100/min"}
    url = tokens[0].url("project")
    statuses = [tokens[i % 2].call("GET", url).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 200]
    problem(tokens[1].call("GET", url), 429)
    client.force_login(user)
    problem(client.get(url), 429)
    # Another person is not affected.
    other = Api(make_token(personas.user(Role.ADMIN), personas.workspace), personas.workspace.slug)
    assert other.call("GET", url).status_code == 200


def test_anonymous_callers_are_throttled_by_address(
    settings: Any, fresh_throttles: Any, client: Any, db: Any
) -> None:
    settings.API_THROTTLE_RATES = {"token": "100/min", "user": "100/min", "anon": "2/min"}
    url = "/api/v1/reference/tracer-stages/"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    problem(client.get(url), 429)


# --- Pages -------------------------------------------------------------------------------------


def test_the_page_size_is_capped_at_100(alpha_api: Api, worlds: Any, personas: Personas) -> None:
    TerritoryFactory.create_batch(105, workspace=personas.workspace)
    total = count("territory", personas.workspace)
    url = alpha_api.url("territory")
    page = alpha_api.call("GET", url, query={"page_size": 1000}).json()
    assert page["count"] == total and len(page["results"]) == 100
    assert "page=2" in page["next"] and "page_size=1000" in page["next"]
    rest = alpha_api.client.get(
        page["next"], headers={"Authorization": f"Bearer {alpha_api.secret}"}
    )
    assert len(rest.json()["results"]) == total - 100 and rest.json()["next"] is None
    ids = {r["id"] for r in page["results"]} | {r["id"] for r in rest.json()["results"]}
    assert len(ids) == total  # no object twice, none left out
    assert len(alpha_api.call("GET", url).json()["results"]) == 50  # the default
    assert len(alpha_api.call("GET", url, query={"page_size": 7}).json()["results"]) == 7
    problem(alpha_api.call("GET", url, query={"page": 99}), 404)


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "0"},
        {"page_size": "-5"},
        {"page_size": "ten"},
        {"page_size": "1.5"},
        {"page_size": ""},
        {"page": "0"},
        {"page": "last"},
        {"page": "two"},
        {"page_size": ["5", "6"]},
    ],
)
def test_bad_page_parameters_are_refused(
    query: dict[str, Any], alpha_api: Api, worlds: Any
) -> None:
    response = alpha_api.call("GET", alpha_api.url("territory"), query=query)
    assert set(problem(response, 400)["errors"]) == set(query)


# --- Filters and ordering ----------------------------------------------------------------------


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {r["id"] for r in response.json()["results"]}


@pytest.fixture
def plan(worlds: Any, personas: Personas) -> dict[str, Any]:
    """Alpha's plan with differences to filter on."""
    world = worlds["alpha"]
    ws = personas.workspace
    stage = TracerStage.objects.exclude(code="tracer.reputation").order_by("position").first()
    other_objective = ObjectiveFactory(
        workspace=ws, project=world["project2"], title="Zebra crossing", stage=stage, is_draft=True
    )
    audience = Audience.objects.order_by("position").first()
    other_objective.audiences.add(audience)
    family = MixFamily.objects.exclude(code="mix.promotion").order_by("position").first()
    partner = world["organisation"]
    led = ActionFactory(
        workspace=ws,
        objective=other_objective,
        title="Aardvark fair",
        family=family,
        status="done",
        lead_partner=partner,
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 31),
    )
    helped = ActionFactory(
        workspace=ws,
        objective=world["objective"],
        title="Middle market",
        status="in_progress",
        start_date=dt.date(2026, 9, 1),
    )
    helped.contributors.add(partner)
    helped.audiences.add(audience)
    return {
        "stage": stage,
        "audience": audience,
        "family": family,
        "partner": partner,
        "other_objective": other_objective,
        "led": led,
        "helped": helped,
        "plain": world["action"],
    }


def test_action_filters(alpha_api: Api, plan: dict[str, Any]) -> None:
    url = alpha_api.url("action")

    def get(**query: Any) -> set[str]:
        return ids(alpha_api.call("GET", url, query=query))

    led, helped, plain = (str(plan[k].uuid) for k in ("led", "helped", "plain"))
    assert get() == {led, helped, plain}
    assert get(stage=plan["stage"].code) == {led}
    assert get(family=plan["family"].code) == {led}
    assert get(audience=plan["audience"].code) == {helped}
    assert get(partner=str(plan["partner"].uuid)) == {led, helped}
    assert get(status="done") == {led}
    assert get(status=["done", "in_progress"]) == {led, helped}
    assert get(objective=str(plan["other_objective"].uuid)) == {led}
    assert get(project=str(plan["other_objective"].project.uuid)) == {led}
    assert get(starts_after="2026-06-01") == {helped}
    assert get(ends_before="2026-06-01") == {led}
    assert get(q="aardvark") == {led}
    assert get(updated_since=(timezone.now() - dt.timedelta(hours=1)).isoformat()) == {
        led,
        helped,
        plain,
    }
    assert get(updated_since=(timezone.now() + dt.timedelta(hours=1)).isoformat()) == set()


def test_objective_project_territory_comment_and_member_filters(
    alpha_api: Api, plan: dict[str, Any], worlds: Any, personas: Personas
) -> None:
    world = worlds["alpha"]

    def get(basename: str, **query: Any) -> set[str]:
        return ids(alpha_api.call("GET", alpha_api.url(basename), query=query))

    other = str(plan["other_objective"].uuid)
    assert get("objective", stage=plan["stage"].code) == {other}
    assert get("objective", audience=plan["audience"].code) == {other}
    assert get("objective", is_draft="true") == {other}
    assert other not in get("objective", is_draft="false")
    assert get("objective", project=str(world["project2"].uuid)) == {other}
    assert get("territory", parent=str(world["territory"].uuid)) == {str(world["micro"].uuid)}
    assert get("territory", kind="town_centre") == {str(world["micro"].uuid)}
    Project.unscoped_objects.filter(pk=world["project2"].pk).update(archived_at=timezone.now())
    assert get("project", archived="true") == {str(world["project2"].uuid)}
    assert get("project", archived="false") == {str(world["project"].uuid)}
    Comment.unscoped_objects.filter(pk=world["comment"].pk).update(resolved_at=timezone.now())
    assert get("comment", resolved="true") == {str(world["comment"].uuid)}
    assert get("comment", resolved="false") == set()
    assert get("member", role="viewer") == {
        str(world["member"].uuid),
        str(personas.memberships[Role.VIEWER].uuid),
    }


def _bad_values(f: Any) -> list[str]:
    """Values a filter must refuse, by its kind (blank and repeated values are refused by all)."""
    if isinstance(f, IdOrKeywordFilter):
        return ["not-an-id", str(uuid.uuid4()), uuid.uuid4().hex, "Current", "now", "1"]
    if isinstance(f, django_filters.ModelChoiceFilter) and f.extra.get("to_field_name") == "uuid":
        return ["not-an-id", str(uuid.uuid4()), uuid.uuid4().hex, "{" + str(uuid.uuid4()) + "}"]
    if isinstance(f, django_filters.ModelChoiceFilter):
        return ["not-an-id", str(uuid.uuid4())]
    if isinstance(f, django_filters.BooleanFilter):
        return ["maybe", "1", "True"]
    if isinstance(f, django_filters.IsoDateTimeFilter):
        return ["yesterday", "2026-13-01T00:00:00Z"]
    if isinstance(f, django_filters.DateFilter):
        # Not YYYY-MM-DD: 05/06/2026 would be read in the request's language's order.
        return ["2026-02-30", "tomorrow", "05/06/2026", "2026-5-6", "20260506"]
    if isinstance(f, django_filters.MultipleChoiceFilter | django_filters.ChoiceFilter):
        return ["not-a-choice"]
    return []


FILTERS = [
    (basename, name)
    for basename in BASENAMES
    if getattr(REGISTRY[basename][1], "filterset_class", None) is not None
    for name in REGISTRY[basename][1].filterset_class.base_filters
]


@pytest.mark.parametrize(("basename", "name"), FILTERS)
def test_bad_filter_values_are_refused_with_the_filters_name(
    basename: str, name: str, alpha_api: Api, worlds: Any
) -> None:
    f = REGISTRY[basename][1].filterset_class.base_filters[name]
    url = alpha_api.url(basename)
    values: list[Any] = [*_bad_values(f), "", " "]
    if not isinstance(f, django_filters.MultipleChoiceFilter):
        values.append(["a", "b"])
    for value in values:
        response = alpha_api.call("GET", url, query={name: value})
        assert list(problem(response, 400)["errors"]) == [name], value


LISTS = [b for b in BASENAMES if "GET" in methods(b, "list")]


@pytest.mark.parametrize("basename", LISTS)
def test_a_parameter_a_list_does_not_take_is_refused(
    basename: str, alpha_api: Api, worlds: Any
) -> None:
    """A misspelt filter is not ignored (the whole list would come back as if filtered)."""
    url = alpha_api.url(basename)
    for query in ({"colour": "red"}, {"cycles": "current"}, {"page_size": "5", "Page": "2"}):
        body = problem(alpha_api.call("GET", url, query=query), 400)
        unknown = [name for name in query if name not in ("page_size",)]
        assert list(body["errors"]) == unknown, query
        assert "page_size" in body["errors"][unknown[0]][0]  # the message lists what it takes
    assert alpha_api.call("GET", url, query={"page_size": "5", "page": "1"}).status_code == 200


def test_ordering(alpha_api: Api, plan: dict[str, Any]) -> None:
    url = alpha_api.url("action")

    def titles(ordering: str) -> list[str]:
        response = alpha_api.call("GET", url, query={"ordering": ordering})
        assert response.status_code == 200, response.content
        return [r["title"] for r in response.json()["results"]]

    ascending = titles("title")
    assert ascending == sorted(ascending) and ascending[0] == "Aardvark fair"
    assert titles("-title") == ascending[::-1]
    by_status = titles("status,-title")
    assert by_status[0] == "Aardvark fair"  # done < in_progress < planned
    for bad in ("colour", "title,colour", "--title", "objective__project__workspace", ",", ""):
        errors = problem(alpha_api.call("GET", url, query={"ordering": bad}), 400)["errors"]
        assert list(errors) == ["ordering"]


# --- Queries per list --------------------------------------------------------------------------


def _grow(basename: str, world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    """``n`` more objects of the resource, each using the relations its answer shows."""
    if basename == "territory":
        TerritoryFactory.create_batch(n, workspace=ws, parent=world["territory"])
    elif basename == "project":
        ProjectFactory.create_batch(n, workspace=ws, territory=world["territory"])
    elif basename == "cycle":
        Cycle.unscoped_objects.bulk_create(
            Cycle(workspace=ws, project=world["project"], number=i + 2, started_on=dt.date.today())
            for i in range(n)
        )
    elif basename == "partner-organisation":
        for organisation in PartnerOrganisationFactory.create_batch(n, workspace=ws):
            organisation.members.add(world["member"])
            organisation.shared_projects.add(world["project"])
    elif basename == "objective":
        for objective in ObjectiveFactory.create_batch(
            n, workspace=ws, project=world["project"], owner=world["member"], updated_by=owner
        ):
            objective.audiences.add(*Audience.objects.all()[:2])
    elif basename == "action":
        for action in ActionFactory.create_batch(
            n,
            workspace=ws,
            objective=world["objective"],
            lead_partner=world["organisation"],
            created_by=owner,
            updated_by=owner,
        ):
            action.contributors.add(world["organisation"])
            action.audiences.add(*Audience.objects.all()[:2])
    elif basename == "comment":
        CommentFactory.create_batch(
            n, workspace=ws, action=world["action"], author=owner, parent=world["comment"]
        )
    elif basename == "indicator":
        for indicator in IndicatorFactory.create_batch(
            n,
            workspace=ws,
            project=world["project"],
            objective=world["objective"],
            created_by=owner,
        ):
            indicator.actions.add(world["action"])
    elif basename == "measurement":
        for i in range(n):
            MeasurementFactory(
                workspace=ws,
                indicator=world["indicator"],
                period=dt.date(1700 + i, 1, 1),
                value=Decimal(i),
                entered_by=owner,
            )
    elif basename == "dashboard-snapshot":
        DashboardSnapshot.unscoped_objects.bulk_create(
            DashboardSnapshot(workspace=ws, project=world["project"], inputs_version=f"v-{i}")
            for i in range(n)
        )
    elif basename == "lesson":
        LessonFactory.create_batch(
            n,
            workspace=ws,
            project=world["project"],
            indicator=world["indicator"],
            action=world["action"],
            created_by=owner,
        )
    elif basename == "member":
        for membership in MembershipFactory.create_batch(n, workspace=ws, role=Role.EDITOR):
            membership.partner_organisations.add(world["organisation"])
    elif basename in GOVERNANCE_GROWERS:
        GOVERNANCE_GROWERS[basename](world, ws, n, owner)
    else:  # pragma: no cover - a new resource needs its line here
        raise AssertionError(f"add {basename} to _grow()")


def _new_cycles(world: dict[str, Any], n: int) -> list[Cycle]:
    """``n`` more cycles of the second project (an assessment is one per cycle)."""
    project = world["project2"]
    return Cycle.unscoped_objects.bulk_create(
        Cycle(
            workspace=project.workspace,
            project=project,
            number=i + 2,
            started_on=dt.date.today(),
            status="closed",
        )
        for i in range(n)
    )


def _grow_bodies(world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    for body in GovernanceBodyFactory.create_batch(n, workspace=ws, project=world["project"]):
        body.members.add(world["member"])
        body.organisations.add(world["organisation"])


def _grow_meetings(world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    for meeting in MeetingFactory.create_batch(n, workspace=ws, body=world["body"]):
        meeting.attendees.add(world["member"])


def _grow_decisions(world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    for decision in DecisionFactory.create_batch(
        n, workspace=ws, meeting=world["meeting"], owner=world["member"]
    ):
        decision.objectives.add(world["objective"])
        decision.actions.add(world["action"])


def _grow_progress(world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    steps = list(MethodStep.objects.order_by("number"))
    made = 0
    while made < n:
        project = ProjectFactory(workspace=ws, territory=world["territory"])
        for step in steps[: n - made]:
            StepProgressFactory(workspace=ws, project=project, step=step, owner=world["member"])
            made += 1


def _grow_scores(world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    for cycle in _new_cycles(world, n):
        MaturityScoreFactory(workspace=ws, assessment__cycle=cycle, assessment__updated_by=owner)


def _grow_platforms(world: dict[str, Any], ws: Any, n: int, owner: Any) -> None:
    for platform in BrandPlatformFactory.create_batch(n, workspace=ws):
        platform.audiences.add(*Audience.objects.all()[:2])


GOVERNANCE_GROWERS: dict[str, Any] = {
    "contact-person": lambda world, ws, n, owner: ContactPersonFactory.create_batch(
        n, workspace=ws, organisation=world["organisation"], membership=world["member"]
    ),
    "governance-body": _grow_bodies,
    "meeting": _grow_meetings,
    "decision": _grow_decisions,
    "step-progress": _grow_progress,
    "deliverable": lambda world, ws, n, owner: DeliverableFactory.create_batch(
        n,
        workspace=ws,
        progress=world["progress"],
        kind="link",
        url="https://docs.example/",
        file="",
        file_name="",
        file_size=0,
        created_by=owner,
    ),
    "maturity-assessment": _grow_scores,
    "maturity-score": _grow_scores,
    "contribution": lambda world, ws, n, owner: ContributionFactory.create_batch(
        n, workspace=ws, cycle=world["cycle"]
    ),
    "ownership-event": lambda world, ws, n, owner: OwnershipEventFactory.create_batch(
        n, workspace=ws, cycle=world["cycle"]
    ),
    "actor-proposal": lambda world, ws, n, owner: ActorProposalFactory.create_batch(
        n, workspace=ws, cycle=world["cycle"]
    ),
    "brand-platform": _grow_platforms,
    "brand-licensee": lambda world, ws, n, owner: BrandLicenseeFactory.create_batch(
        n, workspace=ws, platform=world["platform"]
    ),
    "ambassador": lambda world, ws, n, owner: AmbassadorFactory.create_batch(
        n, workspace=ws, platform=world["platform"]
    ),
}


def _queries(api: Api, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.call("GET", url, query={"page_size": 100})
    assert response.status_code == 200, response.content[:300]
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("basename", BASENAMES)
def test_list_queries_do_not_grow_with_the_list(
    basename: str, personas: Personas, alpha_api: Api
) -> None:
    """1 object and 200 objects (100 on the page): the same number of queries."""
    ws = personas.workspace
    owner = personas.user(Role.OWNER)
    world = build_world(ws, owner, "Alpha")
    model = REGISTRY[basename][1].model
    # Leave one object of the resource (the world has a few of some kinds).
    keep = world[SAMPLE[basename]]
    if basename == "member":
        model._base_manager.filter(workspace=ws).exclude(pk=keep.pk).exclude(user=owner).delete()
    elif basename not in ("project", "territory", "cycle"):
        if model is PartnerOrganisation:  # the records on file protect their partner
            for protecting in (Contribution, BrandLicensee):
                protecting._base_manager.filter(workspace=ws).delete()
        model._base_manager.filter(workspace=ws).exclude(pk=keep.pk).delete()
    url = alpha_api.url(basename)
    alpha_api.call("GET", url)  # the token's first use is recorded once
    few, shown = _queries(alpha_api, url)
    assert 1 <= shown <= 3
    _grow(basename, world, ws, 200, owner)
    many, shown = _queries(alpha_api, url)
    assert shown == 100
    assert many == few, f"{basename}: {few} queries for {shown} objects... {many} for 100"
