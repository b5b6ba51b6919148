"""The OpenAPI schema says what the server does: If-Match required where a write without it is
428, the ``cycle`` parameter of the per-cycle lists, query parameters that refuse blanks, and
answer fields that may be null."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.test import Client
from rest_framework import serializers as drf_serializers

from config.api import router
from core.apifilters import IdOrKeywordFilter
from core.roles import Role
from core.tenancy import workspace_scope
from core.tokens import token_create
from governance.models import Element, ElementComponent, MethodStep
from mix.models import MixFamily
from territories.models import Audience, Cycle
from tests.conftest import Personas
from tests.factories import (
    MaturityAssessmentFactory,
    MaturityScoreFactory,
    ProjectFactory,
    StepProgressFactory,
)
from tracer.models import TracerStage

pytestmark = pytest.mark.django_db

WORKSPACE = "/api/v1/w/{workspace_slug}/"


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    served: dict[str, Any] = json.loads(response.content)
    return served


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "patch", "delete", "put")
    ]


def parameter(operation: dict[str, Any], name: str, where: str) -> dict[str, Any] | None:
    return next(
        (p for p in operation.get("parameters", []) if p["name"] == name and p["in"] == where),
        None,
    )


def test_the_schema_is_valid_and_generated_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text(encoding="utf-8").startswith("openapi: 3.1")


def test_if_match_is_required_exactly_where_the_server_answers_428(
    schema: dict[str, Any],
) -> None:
    needing = []
    for method, path, operation in operations(schema):
        if_match = parameter(operation, "If-Match", "header")
        if "428" in operation["responses"]:
            assert if_match is not None and if_match["required"] is True, (method, path)
            assert if_match["schema"] == {"type": "string", "minLength": 1, "pattern": r"\S"}
            needing.append((method, path))
        else:
            assert if_match is None, (method, path)
    # The server's 428 (core.restapi.WorkspaceViewSet._check_precondition) is every workspace
    # object's PATCH and DELETE: each is documented.
    expected = set()
    for prefix, viewset, _basename in router.registry:
        for method, action in (("PATCH", "partial_update"), ("DELETE", "destroy")):
            if method.lower() in viewset.http_method_names and hasattr(viewset, action):
                expected.add((method, f"/api/v1/w/{{workspace_slug}}/{prefix}/{{uuid}}/"))
    assert set(needing) == expected and expected


def _cycle_list_paths() -> list[str]:
    return sorted(
        f"/api/v1/w/{{workspace_slug}}/{prefix}/"
        for prefix, viewset, _basename in router.registry
        if isinstance(
            getattr(getattr(viewset, "filterset_class", None), "base_filters", {}).get("cycle"),
            IdOrKeywordFilter,
        )
    )


def test_every_per_cycle_list_documents_cycle_as_an_id_or_current(
    schema: dict[str, Any],
) -> None:
    paths = _cycle_list_paths()
    for plan in ("objectives", "actions", "lessons", "contributions", "maturity-assessments"):
        assert f"{WORKSPACE}{plan}/" in paths
    for path in paths:
        operation = schema["paths"][path]["get"]
        cycle = parameter(operation, "cycle", "query")
        assert cycle is not None, path
        assert "current" in cycle["description"]
        assert cycle["allowEmptyValue"] is False
        pattern = re.compile(cycle["schema"]["pattern"])
        for good in ("current", str(uuid.uuid4()), str(uuid.uuid4()).upper()):
            assert pattern.search(good), (path, good)
        for bad in ("", "Current", "now", "1", uuid.uuid4().hex, f"{uuid.uuid4()}x"):
            assert not pattern.search(bad), (path, bad)
        assert "400" in operation["responses"]
        # What the rows carry.
        component = operation["responses"]["200"]["content"]["application/json"]["schema"]
        page = schema["components"]["schemas"][component["$ref"].rsplit("/", 1)[-1]]
        item = page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
        properties = schema["components"]["schemas"][item]["properties"]
        assert properties["cycle"]["format"] == "uuid", path
        assert properties["cycle_url"]["format"] == "uri", path


def test_list_parameters_say_they_refuse_blank_values(schema: dict[str, Any]) -> None:
    seen = 0
    for method, path, operation in operations(schema):
        if method != "GET" or not path.startswith(WORKSPACE) or "{uuid}" in path:
            continue
        for p in operation.get("parameters", []):
            if p["in"] != "query":
                continue
            seen += 1
            assert p["allowEmptyValue"] is False, (path, p["name"])
            kind = p["schema"]
            if kind.get("type") == "string" and "format" not in kind and "enum" not in kind:
                # A blank or all-space value matches no pattern of a string parameter.
                assert not re.search(kind["pattern"], " "), (path, p["name"])
                assert kind.get("minLength", 1) >= 1
        assert "400" in operation["responses"], path
    assert seen > 100


def _validator(schema: dict[str, Any], component: str) -> jsonschema.Draft202012Validator:
    """A JSON Schema validator of one component of the served schema (OpenAPI 3.1's schemas
    are JSON Schema 2020-12)."""
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{component}", "components": schema["components"]}
    )


def test_a_score_of_a_sub_component_reads_as_the_schema_says(
    schema: dict[str, Any], personas: Personas
) -> None:
    """A score names an element or a sub-component, never both: the other reads null."""
    project = ProjectFactory(workspace=personas.workspace)
    cycle = Cycle.unscoped_objects.get(project=project, number=1)
    assessment = MaturityAssessmentFactory(workspace=personas.workspace, cycle=cycle)
    MaturityScoreFactory(workspace=personas.workspace, assessment=assessment)
    MaturityScoreFactory(
        workspace=personas.workspace,
        assessment=assessment,
        element=None,
        component=ElementComponent.objects.order_by("pk").first(),
    )
    with workspace_scope(personas.workspace):
        _, secret = token_create(
            actor=personas.user(Role.VIEWER),
            workspace=personas.workspace,
            name="BI",
            scope="read",
        )
    response = Client().get(
        f"/api/v1/w/alpha/maturity-assessments/{assessment.uuid}/",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted((s["element"] is None, s["component"] is None) for s in body["scores"]) == [
        (False, True),
        (True, False),
    ]
    errors = [e.message for e in _validator(schema, "MaturityAssessment").iter_errors(body)]
    assert not errors, errors
    summary = schema["components"]["schemas"]["ScoreSummary"]["properties"]
    assert summary["element"]["type"] == ["string", "null"]
    assert summary["component"]["type"] == ["string", "null"]


def test_every_answer_field_read_through_an_empty_reference_may_be_null(
    schema: dict[str, Any],
) -> None:
    """Each field of an answer whose source goes through a nullable column (a project's
    optional objective, a score's component...) is nullable in the schema: DRF answers null."""
    seen = 0
    for prefix, viewset, _basename in router.registry:
        serializer_class = viewset.serializer_class
        if serializer_class is None:
            continue
        serializers_to_walk = [serializer_class()]
        while serializers_to_walk:
            serializer = serializers_to_walk.pop()
            name = serializer.__class__.__name__.removesuffix("Serializer")
            component = schema["components"]["schemas"].get(name)
            for field in serializer.fields.values():
                child = getattr(field, "child", None)
                if isinstance(child, drf_serializers.Serializer):
                    serializers_to_walk.append(child)
                if component is None or not _reads_a_nullable_column(field):
                    continue
                seen += 1
                prop = component["properties"][field.field_name]
                kinds = prop.get("type", [])
                nullable = "null" in kinds or any(
                    s.get("type") == "null" for s in prop.get("oneOf", [])
                )
                assert nullable, (prefix, name, field.field_name, prop)
    assert seen > 20


def _reads_a_nullable_column(field: Any) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", [])
    if getattr(field, "many", False) or field.source == "*" or not attrs:
        return False
    for attr in attrs:
        try:
            column = model._meta.get_field(attr)
        except (AttributeError, FieldDoesNotExist):
            return False
        if column.null and not column.many_to_many:
            return True
        model = column.related_model
    return False


def test_reference_lists_document_the_orderings_they_take(schema: dict[str, Any]) -> None:
    """Each field the schema offers orders the list (each item once); a blank value or another
    field is refused, as the schema's pattern says."""
    client = Client()
    lists = [path for path in schema["paths"] if path.startswith("/api/v1/reference/")]
    assert len(lists) >= 7
    for path in lists:
        ordering = parameter(schema["paths"][path]["get"], "ordering", "query")
        assert ordering is not None and ordering["allowEmptyValue"] is False, path
        pattern = re.compile(ordering["schema"]["pattern"])
        everything = client.get(path).json()
        fields = re.findall(r"\(([^()]*)\)", ordering["schema"]["pattern"])[0].split("|")
        for field in fields:
            for value in (field, f"-{field}"):
                assert pattern.search(value)
                response = client.get(path, {"ordering": value})
                assert response.status_code == 200, (path, value)
                codes = [item["code"] for item in response.json()]
                assert sorted(codes) == sorted(item["code"] for item in everything), (path, value)
        for bad in ("", "nope", "components"):
            assert not pattern.search(bad), (path, bad)
            assert client.get(path, {"ordering": bad}).status_code == 400, (path, bad)


def _owner_client(personas: Personas) -> Client:
    with workspace_scope(personas.workspace):
        _, secret = token_create(
            actor=personas.user(Role.OWNER),
            workspace=personas.workspace,
            name="sync",
            scope="write",
        )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _documented(schema: dict[str, Any], method: str, path: str) -> set[str]:
    return set(schema["paths"][path][method.lower()]["responses"])


def test_removing_or_demoting_the_last_owner_is_a_documented_conflict(
    schema: dict[str, Any], personas: Personas
) -> None:
    client = _owner_client(personas)
    owner = personas.memberships[Role.OWNER]
    path = f"/api/v1/w/alpha/members/{owner.uuid}/"
    removed = client.delete(path, headers={"If-Match": "*"})
    demoted = client.patch(
        path, {"role": "admin"}, content_type="application/json", headers={"If-Match": "*"}
    )
    for method, response in (("DELETE", removed), ("PATCH", demoted)):
        assert response.status_code == 409, response.content
        assert "at least one owner" in response.json()["detail"]
        assert "409" in _documented(schema, method, f"{WORKSPACE}members/{{uuid}}/")
    assert client.get(path).json()["role"] == "owner"


def test_what_the_schema_refuses_in_a_request_the_server_refuses(
    schema: dict[str, Any], personas: Personas, sample: dict[str, Any]
) -> None:
    """A blank If-Match, a text with a NUL character or only spaces, a file deliverable: each
    is outside the schema, and refused."""
    client = _owner_client(personas)
    action = f"/api/v1/w/alpha/actions/{sample['action'].uuid}/"
    operation = schema["paths"][f"{WORKSPACE}actions/{{uuid}}/"]["patch"]
    header = parameter(operation, "If-Match", "header")
    assert header is not None
    if_match = re.compile(header["schema"]["pattern"])
    assert not if_match.search(" ")
    blank = client.patch(
        action, {"title": "New"}, content_type="application/json", headers={"If-Match": " "}
    )
    assert blank.status_code in (412, 428), blank.content

    title = schema["components"]["schemas"]["PatchedActionRequest"]["properties"]["title"]
    for bad in ("Spring\x00campaign", "   "):
        assert not re.search(title["pattern"], bad)
        refused = client.patch(
            action, {"title": bad}, content_type="application/json", headers={"If-Match": "*"}
        )
        assert refused.status_code == 400, refused.content
        assert "title" in refused.json()["errors"]
    assert re.search(title["pattern"], " Spring campaign ")

    kind = schema["components"]["schemas"]["DeliverableRequest"]["properties"]["kind"]
    assert kind["not"] == {"enum": ["file"]}
    kinds = schema["components"]["schemas"]["DeliverableKindEnum"]["enum"]
    assert "file" in kinds  # answers show uploaded files
    progress = StepProgressFactory(workspace=personas.workspace, project=sample["project"])
    body = {
        "project": str(sample["project"].uuid),
        "step": progress.step.code,
        "title": "Survey",
        "kind": "file",
    }
    response = client.post("/api/v1/w/alpha/deliverables/", body, content_type="application/json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    response = client.post(
        "/api/v1/w/alpha/deliverables/",
        {**body, "kind": "note", "text": "Done"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_any_date_time_the_schema_allows_is_answered_not_a_server_error(
    personas: Personas, sample: dict[str, Any]
) -> None:
    """RFC 3339 allows offsets up to 23:59 and the year 1; PostgreSQL refused offsets beyond
    15:59 (a 500). The instant is compared in UTC; one before the year 1 in UTC is a 400."""
    client = _owner_client(personas)
    for path, name in (("territories", "updated_since"), ("comments", "since")):
        late = client.get(f"/api/v1/w/alpha/{path}/", {name: "2026-06-05T07:48:39-16:38"})
        assert late.status_code == 200, late.content
        early = client.get(f"/api/v1/w/alpha/{path}/", {name: "0259-06-05T07:48:39+16:38"})
        assert early.status_code == 200 and len(early.json()["results"]) >= 1, early.content
        first = client.get(f"/api/v1/w/alpha/{path}/", {name: "0001-01-01T00:00:00+01:00"})
        assert first.status_code == 400, first.content
        assert name in first.json()["errors"]


CODE_FIELDS = {
    "stage": TracerStage,
    "family": MixFamily,
    "audiences": Audience,
    "step": MethodStep,
    "element": Element,
    "component": ElementComponent,
}


def _example_values(schema: dict[str, Any]) -> list[dict[str, Any]]:
    values = []
    for _method, _path, operation in operations(schema):
        contents = [operation.get("requestBody", {}).get("content", {})]
        contents += [r.get("content", {}) for r in operation["responses"].values()]
        for content in contents:
            for media in content.values():
                for example in media.get("examples", {}).values():
                    if isinstance(example.get("value"), dict):
                        values.append(example["value"])
    return values


def test_the_examples_name_reference_data_by_codes_that_exist(schema: dict[str, Any]) -> None:
    checked = 0
    for value in _example_values(schema):
        for name, model in CODE_FIELDS.items():
            codes = value.get(name)
            if codes is None:
                continue
            for code in codes if isinstance(codes, list) else [codes]:
                checked += 1
                assert model.objects.filter(code=code).exists(), (name, code, value)
    assert checked > 10


def test_numbers_and_pages_the_schema_allows_are_the_ones_the_server_takes(
    schema: dict[str, Any], personas: Personas, sample: dict[str, Any]
) -> None:
    client = _owner_client(personas)
    value = schema["components"]["schemas"]["MeasurementRequest"]["properties"]["value"]
    for bad in ("", "-", "1.23456"):
        assert not re.search(value["pattern"], bad), bad
    for good in ("1", "-1.5", ".5", "21.3000"):
        assert re.search(value["pattern"], good), good
    refused = client.post(
        "/api/v1/w/alpha/measurements/",
        {"indicator": str(sample["indicator"].uuid), "period": "2026-01-01", "value": ""},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "value" in refused.json()["errors"]
    operation = schema["paths"][f"{WORKSPACE}actions/"]["get"]
    for name in ("page", "page_size"):
        most = parameter(operation, name, "query")
        assert most is not None
        top = most["schema"]["maximum"]
        assert client.get("/api/v1/w/alpha/actions/", {name: top}).status_code in (200, 404)
        assert client.get("/api/v1/w/alpha/actions/", {name: top + 1}).status_code == 400


def test_a_number_that_cannot_be_negative_has_no_sign_in_its_pattern(
    schema: dict[str, Any], personas: Personas
) -> None:
    """Contributions' money and days are refused below zero (a check constraint): the served
    schema's pattern says so."""
    request = schema["components"]["schemas"]["ContributionRequest"]["properties"]
    for name in ("amount", "days"):
        assert re.fullmatch(request[name]["pattern"], "12.5")
        assert not re.fullmatch(request[name]["pattern"], "-1"), request[name]["pattern"]
