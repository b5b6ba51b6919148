"""The OpenAPI schema says what the server does: If-Match required where a write without it is
428, the ``cycle`` parameter of the per-cycle lists, and query parameters that refuse blanks."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from config.api import router
from core.apifilters import IdOrKeywordFilter

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
            assert if_match["schema"] == {"type": "string"}
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
