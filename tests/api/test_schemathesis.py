"""Schemathesis against the served OpenAPI schema, on the live server, with a read-write token.

The whole run is schemathesis's own engine (what ``schemathesis run`` does): every operation of
/api/v1/schema/ gets its examples, the coverage phase (boundary and invalid values of every
parameter and body), the fuzzing phase (positive and negative data), and a stateful phase that
follows the links it infers from the answers (``Location`` headers, ``url`` fields). The checks:
no server error, every status code, content type, body and header as the schema declares them,
and invalid data refused.

Random ids would almost never name an object of the workspace, so schemathesis dictionaries
offer the sample's ids (and the reference codes, and ``If-Match: *``) for part of the cases: the
updates, deletions and creations then run through the services for real. Dictionaries only feed
positive cases with values the schema accepts, so negative cases stay negative.
"""

from __future__ import annotations

import gc
import json
import socket
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.servers.basehttp import WSGIRequestHandler
from schemathesis.engine import events, from_schema

from core.roles import Role
from core.tenancy import workspace_scope
from core.tokens import token_create
from evaluation.models import DashboardSnapshot
from territories.models import Cycle
from tests.factories import (
    ActionFactory,
    CommentFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PartnerOrganisationFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
]
MAX_EXAMPLES = 25
STATEFUL_STEPS = 12
# Share of the positive cases that use the sample's ids instead of random ones.
STEER = 0.6


@pytest.fixture
def sample_ids(personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """The sample and a few more objects: what each id parameter may name."""
    ws = personas.workspace
    project = sample["project"]
    partner = PartnerOrganisationFactory(workspace=ws, name="Tourism office")
    partner.members.add(personas.memberships[Role.PARTNER])
    for n in range(3):
        objective = ObjectiveFactory(workspace=ws, project=project, title=f"Objective {n}")
        action = ActionFactory(
            workspace=ws, objective=objective, title=f"Action {n}", lead_partner=partner
        )
        action.contributors.add(sample["organisation"])
    CommentFactory(
        workspace=ws, action=None, objective=sample["objective"], author=personas.user(Role.EDITOR)
    )
    snapshot = DashboardSnapshot.unscoped_objects.create(
        workspace=ws, project=project, inputs_version="v1", status="done", data={"actions": {}}
    )
    cycle = Cycle.unscoped_objects.get(project=project, number=1)
    objects = {
        "territories": [sample["territory"], sample["micro"]],
        "projects": [project],
        "cycles": [cycle],
        "partner-organisations": [partner, sample["organisation"]],
        "objectives": [sample["objective"]],
        "actions": [sample["action"]],
        "comments": [sample["comment"]],
        "indicators": [sample["indicator"]],
        "measurements": [MeasurementFactory(workspace=ws, indicator=sample["indicator"])],
        "dashboard-snapshots": [snapshot],
        "lessons": [sample["lesson"]],
        # Not the owner: demoting or removing the token's own user would end the run early.
        "members": [personas.memberships[Role.EDITOR], personas.memberships[Role.VIEWER]],
    }
    return {k: [str(o.uuid) for o in v] for k, v in objects.items()}


# Body fields naming an object, and the list of ids they may take.
BODY_REFERENCES = {
    "project": "projects",
    "territory": "territories",
    "parent": "territories",
    "objective": "objectives",
    "action": "actions",
    "indicator": "indicators",
    "cycle": "cycles",
    "lead_partner": "partner-organisations",
    "owner": "members",
}
BODY_REFERENCE_LISTS = {
    "contributors": "partner-organisations",
    "members": "members",
    "actions": "actions",
}
CODES = {
    "stage": ["tracer.reputation", "tracer.territory"],
    "family": ["mix.promotion", "mix.product"],
    "audiences": ["residents_new", "tourists"],
}


def _config(base_url: str, secret: str, slug: str, ids: dict[str, list[str]]) -> Any:
    dictionaries: dict[str, Any] = {f"ids-{k}": {"values": v} for k, v in ids.items()}
    dictionaries.update({f"codes-{k}": {"values": v} for k, v in CODES.items()})
    dictionaries["if-match"] = {"values": ["*"]}
    parameters: dict[str, Any] = {
        "path.workspace_slug": slug,
        "header.If-Match": {"dictionary": "if-match", "probability": STEER},
    }
    for name, resource in BODY_REFERENCES.items():
        parameters[f"body.{name}"] = {"dictionary": f"ids-{resource}", "probability": STEER}
    for name, resource in BODY_REFERENCE_LISTS.items():
        parameters[f"body.{name}[*]"] = {"dictionary": f"ids-{resource}", "probability": STEER}
    for name in CODES:
        key = f"body.{name}[*]" if name == "audiences" else f"body.{name}"
        parameters[key] = {"dictionary": f"codes-{name}", "probability": STEER}
    operations = [
        {
            "include-path-regex": f"/{resource}/\\{{uuid\\}}/$",
            "parameters": {"path.uuid": {"dictionary": f"ids-{resource}", "probability": 0.8}},
        }
        for resource in ids
    ]
    return schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            "headers": {"Authorization": f"Bearer {secret}"},
            "workers": 1,
            "seed": 20261105,
            "dictionaries": dictionaries,
            "parameters": parameters,
            "operations": operations,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {
                # One unexpected method per operation (tests/security checks every one's 405).
                "coverage": {"unexpected-methods": ["PUT"]},
                "stateful": {"max-steps": STATEFUL_STEPS},
            },
        }
    )


def _served_schema(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema: dict[str, Any] = json.loads(response.content)
    return schema


def _describe(recorder: Any) -> list[str]:
    lines = []
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            response = recorder.find_response(case_id=case_id)
            status = response.status_code if response is not None else "no response"
            lines.append(
                f"{recorder.label} [{check.name}] -> {status}: {failure.title}: "
                f"{failure.message}\n{check.failure_info.code_sample}"
            )
    return lines


@pytest.fixture
def no_delayed_acks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live server writes an answer in several small packets; on a kept-alive connection
    each then waits for the client's delayed ACK (40 ms a request). Send them at once."""
    original = WSGIRequestHandler.setup

    def setup(handler: Any) -> None:
        handler.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        original(handler)

    monkeypatch.setattr(WSGIRequestHandler, "setup", setup)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server: Any,
    no_delayed_acks: None,
    personas: Any,
    sample_ids: dict[str, Any],
    client: Any,
    settings: Any,
) -> None:
    # Thousands of requests in a few minutes: throttling has its own tests.
    settings.API_THROTTLE_RATES = {"token": None, "user": None, "anon": None}
    with workspace_scope(personas.workspace):
        _, secret = token_create(
            actor=personas.user(Role.OWNER),
            workspace=personas.workspace,
            name="schemathesis",
            scope="write",
        )
    config = _config(live_server.url, secret, personas.workspace.slug, sample_ids)
    schema = schemathesis.openapi.from_dict(_served_schema(client), config=config)

    started = time.monotonic()
    failures: list[str] = []
    errors: list[str] = []
    scenarios: dict[str, int] = {}
    stateful_transitions = 0
    answered: Counter[str] = Counter()  # "POST 201": how many
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            phase = getattr(event, "phase", "fuzzing")
            scenarios[str(phase)] = scenarios.get(str(phase), 0) + len(event.recorder.cases)
            failures.extend(_describe(event.recorder))
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    status = interaction.response.status_code
                    answered[f"{interaction.request.method} {status}"] += 1
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.PhaseStarted) and event.payload is not None:
            stateful_transitions = event.payload.transitions_selected
    elapsed = time.monotonic() - started
    # Let the engine's kept-alive connections go, and with them the server's database sessions.
    gc.collect()
    print(  # noqa: T201 - the run's size, in the test's output
        f"schemathesis: {sum(scenarios.values())} cases {scenarios}, "
        f"{stateful_transitions} stateful transitions, {elapsed:.0f} s; "
        f"answers: {dict(sorted(answered.items()))}"
    )
    assert not errors, "\n\n".join(errors)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:40])
    # The run really ran, and its writes went through the services, not only the validation.
    assert sum(scenarios.values()) > 2000
    for answer in ("POST 201", "PATCH 200", "DELETE 204", "GET 304", "PATCH 412", "PATCH 428"):
        assert answered[answer] > 0, answer
