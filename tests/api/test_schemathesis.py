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

Why the engine and not ``@schema.parametrize()``: one sample and one live server for the whole
run (a transactional test per operation would flush and reload the database sixty times), and
``schemathesis.pytest.from_fixture`` does not run under pytest 9.2 (it sets ``Node._nodeid``).
"""

from __future__ import annotations

import gc
import json
import os
import re
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
from evaluation.models import CatalogueIndicator, DashboardSnapshot
from governance.models import Element, ElementComponent, MethodStep
from mix.models import MixFamily
from territories.models import Audience, Cycle
from tests.conftest import ARTIFACTS
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
    MaturityAssessmentFactory,
    MaturityScoreFactory,
    MeasurementFactory,
    MeetingFactory,
    ObjectiveFactory,
    OwnershipEventFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    StepProgressFactory,
)
from tracer.models import TracerStage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

MAX_EXAMPLES = 10
STATEFUL_STEPS = 12
# Share of the positive cases that send If-Match: * instead of a random (stale) ETag.
STEER = 0.6
# References in bodies and filters always name the sample's objects in positive cases: a
# well-formed id of nothing is refused (400), which no schema can tell from a real one.
# Negative cases still send malformed ids.
REFERENCE = 1.0


@pytest.fixture
def sample_ids(personas: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """The sample and one object (or more) of every other resource: what each id may name.

    Some rows leave their optional references empty (a comment on an objective, a score of a
    sub-component and not an element, a contact without an account), so that the answers show
    null where the schema says it may be."""
    ws = personas.workspace
    project = sample["project"]
    cycle = Cycle.unscoped_objects.get(project=project, number=1)
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
    # On an action no id parameter names: it outlives DELETE /actions/<id>/ (and its cascade).
    kept_comment = CommentFactory(workspace=ws, action=action, author=personas.user(Role.OWNER))
    snapshot = DashboardSnapshot.unscoped_objects.create(
        workspace=ws, project=project, inputs_version="v1", status="done", data={"actions": {}}
    )
    body = GovernanceBodyFactory(workspace=ws, project=project, name="Steering committee")
    meeting = MeetingFactory(workspace=ws, body=body)
    # Of a body no id parameter names: it outlives DELETE /governance-bodies/<id>/.
    kept_meeting = MeetingFactory(
        workspace=ws, body=GovernanceBodyFactory(workspace=ws, project=project, name="Forum")
    )
    progress = StepProgressFactory(workspace=ws, project=project)
    assessment = MaturityAssessmentFactory(workspace=ws, cycle=cycle)
    platform = BrandPlatformFactory(workspace=ws, project=project, name="Valley brand")
    # Cycles that POST /cycles/<id>/close/ may close: each of its own project, with a plan to
    # carry over, so that closing them leaves the sample's cycle open for every other operation.
    closable: dict[str, list[Any]] = {"cycles": [], "objectives": [], "actions": []}
    for n in range(3):
        other = ProjectFactory(workspace=ws, territory=sample["territory"], name=f"Closable {n}")
        closable["cycles"].append(Cycle.unscoped_objects.get(project=other, number=1))
        objective = ObjectiveFactory(workspace=ws, project=other, title=f"To carry over {n}")
        closable["objectives"].append(objective)
        closable["actions"].append(
            ActionFactory(workspace=ws, objective=objective, title=f"To carry over {n}")
        )
    objects = {
        "territories": [sample["territory"], sample["micro"]],
        # The closable projects have no brand platform yet: POST /brand-platforms/ may create one.
        "projects": [project, *(c.project for c in closable["cycles"])],
        "cycles": [cycle],
        "partner-organisations": [partner, sample["organisation"]],
        "objectives": [sample["objective"]],
        "actions": [sample["action"]],
        "comments": [sample["comment"], kept_comment],
        "indicators": [sample["indicator"]],
        "measurements": [MeasurementFactory(workspace=ws, indicator=sample["indicator"])],
        "dashboard-snapshots": [snapshot],
        "lessons": [sample["lesson"]],
        # Not the owner: demoting or removing the token's own user would end the run early.
        "members": [personas.memberships[Role.EDITOR], personas.memberships[Role.VIEWER]],
        "contact-people": [
            ContactPersonFactory(workspace=ws, organisation=partner),
            ContactPersonFactory(
                workspace=ws, organisation=partner, membership=personas.memberships[Role.PARTNER]
            ),
        ],
        "governance-bodies": [body],
        "meetings": [meeting, kept_meeting],
        "decisions": [DecisionFactory(workspace=ws, meeting=meeting, project=project)],
        "step-progress": [progress],
        "deliverables": [
            DeliverableFactory(workspace=ws, progress=progress),
            DeliverableFactory(workspace=ws, progress=progress, kind="note", file=None, text="x"),
        ],
        "maturity-assessments": [assessment],
        "maturity-scores": [
            MaturityScoreFactory(workspace=ws, assessment=assessment),
            MaturityScoreFactory(
                workspace=ws,
                assessment=assessment,
                element=None,
                component=ElementComponent.objects.order_by("pk").first(),
            ),
        ],
        "contributions": [ContributionFactory(workspace=ws, cycle=cycle, partner=partner)],
        "ownership-events": [OwnershipEventFactory(workspace=ws, cycle=cycle)],
        "actor-proposals": [ActorProposalFactory(workspace=ws, cycle=cycle)],
        "brand-platforms": [platform],
        "brand-licensees": [BrandLicenseeFactory(workspace=ws, platform=platform, partner=partner)],
        "ambassadors": [AmbassadorFactory(workspace=ws, platform=platform)],
        **{f"closable-{k}": v for k, v in closable.items()},
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
    "partner": "partner-organisations",
    "organisation": "partner-organisations",
    "owner": "members",
    "membership": "members",
    "meeting": "meetings",
    "platform": "brand-platforms",
}
# Filters naming an object (``cycle`` also takes ``current``).
QUERY_REFERENCES = {
    **BODY_REFERENCES,
    "body": "governance-bodies",
    "assessment": "maturity-assessments",
    "cycle": "cycles-or-current",
}
BODY_REFERENCE_LISTS = {
    "contributors": "partner-organisations",
    "organisations": "partner-organisations",
    "members": "members",
    "attendees": "members",
    "objectives": "objectives",
    "actions": "actions",
}
# Body fields naming reference data by its code, and where the codes come from.
CODE_SOURCES = {
    "stage": TracerStage,
    "family": MixFamily,
    "audiences": Audience,
    "step": MethodStep,
    "element": Element,
    "component": ElementComponent,
    "catalogue": CatalogueIndicator,
}
# Operations whose body field of a common name names something else.
OPERATION_BODY_REFERENCES = {
    # A meeting's body is its governance body; a comment's is its text.
    "meetings": {"body": "governance-bodies"},
    # What a cycle review carries over are the closed cycle's own items.
    "cycle-close": {
        "objectives[*]": "closable-objectives",
        "actions[*]": "closable-actions",
    },
}


def _codes() -> dict[str, list[str]]:
    return {
        name: list(model.objects.order_by("pk").values_list("code", flat=True)[:3])
        for name, model in CODE_SOURCES.items()
    }


def _config(
    base_url: str, secret: str, slug: str, ids: dict[str, list[str]], codes: dict[str, list[str]]
) -> Any:
    dictionaries: dict[str, Any] = {f"ids-{k}": {"values": v} for k, v in ids.items()}
    dictionaries.update({f"codes-{k}": {"values": v} for k, v in codes.items()})
    dictionaries["ids-cycles-or-current"] = {"values": [*ids["cycles"], "current"]}
    dictionaries["if-match"] = {"values": ["*"]}
    # When a cycle review may start the next cycle: after any cycle of the sample started.
    dictionaries["started-on"] = {"values": ["2027-01-04"]}

    def steer(dictionary: str, probability: float = STEER) -> dict[str, Any]:
        return {"dictionary": dictionary, "probability": probability}

    parameters: dict[str, Any] = {
        "path.workspace_slug": slug,
        "header.If-Match": steer("if-match"),
    }
    for name, resource in BODY_REFERENCES.items():
        parameters[f"body.{name}"] = steer(f"ids-{resource}", REFERENCE)
    for name, resource in QUERY_REFERENCES.items():
        parameters[f"query.{name}"] = steer(f"ids-{resource}", REFERENCE)
    for name, resource in BODY_REFERENCE_LISTS.items():
        parameters[f"body.{name}[*]"] = steer(f"ids-{resource}", REFERENCE)
    for name in CODE_SOURCES:
        key = f"body.{name}[*]" if name == "audiences" else f"body.{name}"
        parameters[key] = steer(f"codes-{name}", REFERENCE)
        parameters[f"query.{name.removesuffix('s')}"] = steer(f"codes-{name}", REFERENCE)
    # One entry per resource (its list and its objects: the first entry that matches is the
    # operation's): the path's id is one of the resource's.
    operations = [
        {
            "include-path-regex": "/cycles/\\{uuid\\}/close/$",
            # Not where the stateful phase's links lead: they would close the sample's cycle,
            # and every later write in it would be a (documented) 409.
            "phases": {"stateful": {"enabled": False}},
            "parameters": {
                "path.uuid": steer("ids-closable-cycles", 0.8),
                "body.started_on": steer("started-on"),
                **{
                    f"body.{name}": steer(f"ids-{target}")
                    for name, target in OPERATION_BODY_REFERENCES["cycle-close"].items()
                },
            },
        }
    ]
    for resource in ids:
        if resource.startswith("closable-"):
            continue
        operation_parameters = {"path.uuid": steer(f"ids-{resource}", 0.8)}
        for name, target in OPERATION_BODY_REFERENCES.get(resource, {}).items():
            operation_parameters[f"body.{name}"] = steer(f"ids-{target}")
        operations.append(
            {
                "include-path-regex": f"/{resource}/(\\{{uuid\\}}/)?$",
                "parameters": operation_parameters,
            }
        )
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
            # Every check (``--checks all``).
            "checks": {
                "enabled": True,
                # A write without If-Match is refused with 428 Precondition Required (RFC 6585).
                "missing_required_header": {
                    "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
                },
                # A random If-Match is well formed and stale: 412 Precondition Failed.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "429"]
                },
            },
            "phases": {
                # One unexpected method per operation (tests/security checks every one's 405).
                "coverage": {"unexpected-methods": ["PUT"]},
                "stateful": {"max-steps": STATEFUL_STEPS},
            },
        }
    )


def _with_sample_ids(served: dict[str, Any], ids: dict[str, list[str]]) -> None:
    """The request examples of the schema name the sample's objects (their ids are made up):
    the examples phase then sends requests that can succeed."""
    for path, item in served["paths"].items():
        segments = path.split("/")  # /api/v1/w/{workspace_slug}/<resource>/...
        resource = "cycle-close" if path.endswith("/close/") else "/".join(segments[5:6])
        overrides = OPERATION_BODY_REFERENCES.get(resource, {})
        singles = {**BODY_REFERENCES, **{k: v for k, v in overrides.items() if "[" not in k}}
        lists = {
            **BODY_REFERENCE_LISTS,
            **{k.removesuffix("[*]"): v for k, v in overrides.items() if "[" in k},
        }
        for operation in item.values():
            content = (
                operation.get("requestBody", {}).get("content", {})
                if isinstance(operation, dict)
                else {}
            )
            for media in content.values():
                for example in media.get("examples", {}).values():
                    value = example.get("value")
                    if not isinstance(value, dict):
                        continue
                    for name, target in singles.items():
                        if isinstance(value.get(name), str) and ids.get(target):
                            value[name] = ids[target][0]
                    for name, target in lists.items():
                        if isinstance(value.get(name), list) and ids.get(target):
                            value[name] = ids[target][:1]


def _served_schema(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema: dict[str, Any] = json.loads(response.content)
    return schema


# Refusals (400) of schema-valid data for rules that depend on the rows, which no schema can
# state. Each is counted and printed, not a failure; any other refusal of positive data is one.
STATE_RULES = {
    # A well-formed id (or code) of nothing: which ids exist is data, not schema.
    "unknown reference": re.compile(
        r"Object with (id|code)=.* does not exist\.|"
        r"Select a valid choice\. That choice is not one of the available choices\."
    ),
    # One per partner and cycle, per project, per name...: the row exists already.
    "duplicate": re.compile(r".*\balready\b.*"),
    # A PATCH may repeat a create-only field's current value, not change it.
    "create-only field changed": re.compile(
        r"This cannot change once created.*|This field cannot be edited here\."
    ),
    # Rules between fields, or between a field and another object (a link for kind=link, one
    # target of a comment, dates in order, an indicator of the same project, a value
    # plausible for the indicator's unit): the generator does not follow them.
    "cross-field rule": re.compile(
        r"Give the link\.|Write the note\.|Name exactly one of action, objective or parent\.|"
        r"Give an element or a sub-component, not both\.|"
        r"A territory cannot sit inside itself\.|"
        r"The (end|target) date cannot be before the (start|baseline) date\.|"
        r"Choose (an objective of this project|one from this project)\.|"
        r".* the (smallest|largest) plausible value .*"
    ),
    # Schemathesis's coverage phase adds an undeclared property, though additionalProperties
    # is false: that body is outside the schema.
    "undeclared property sent": re.compile(r"Unknown field\."),
}


def _state_rule(content: bytes) -> str | None:
    """The one rule that every message of a 400's problem details names, if any."""
    try:
        problem = json.loads(content)
    except ValueError:
        return None
    errors = problem.get("errors") if isinstance(problem, dict) else None
    if not isinstance(errors, dict) or not errors:
        return None
    messages = [m for v in errors.values() for m in (v if isinstance(v, list) else [v])]
    if "Unknown field." in messages:  # the body was outside the schema
        return "undeclared property sent"
    rules = [
        next((rule for rule, pattern in STATE_RULES.items() if pattern.fullmatch(m)), None)
        if isinstance(m, str)
        else None
        for m in messages
    ]
    return rules[0] if None not in rules else None


def _describe(recorder: Any, refused: Counter[str]) -> list[str]:
    lines = []
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            response = recorder.find_response(case_id=case_id)
            rule = (
                _state_rule(response.content)
                if check.name == "positive_data_acceptance"
                and response is not None
                and response.status_code == 400
                else None
            )
            if rule is not None:
                refused[rule] += 1
                continue
            status = response.status_code if response is not None else "no response"
            body = response.content[:400].decode(errors="replace") if response is not None else ""
            lines.append(
                f"{recorder.label} [{check.name}] -> {status}: {failure.title}: "
                f"{failure.message}\n{check.failure_info.code_sample}\n<- {body}"
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
    config = _config(live_server.url, secret, personas.workspace.slug, sample_ids, _codes())
    served = _served_schema(client)
    _with_sample_ids(served, sample_ids)
    schema = schemathesis.openapi.from_dict(served, config=config)
    only = os.environ.get("SCHEMATHESIS_PATHS")  # a regex, to run some operations only
    if only:
        schema = schema.include(path_regex=only)
        served["paths"] = {p: i for p, i in served["paths"].items() if re.search(only, p)}

    started = time.monotonic()
    failures: list[str] = []
    errors: list[str] = []
    scenarios: dict[str, int] = {}
    stateful_transitions = 0
    answered: Counter[str] = Counter()  # "POST 201": how many
    refused_by_rule: Counter[str] = Counter()
    by_operation: dict[str, Counter[int]] = {}  # "POST /api/v1/w/{workspace_slug}/actions/"
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            phase = getattr(event, "phase", "fuzzing")
            recorder = event.recorder
            scenarios[str(phase)] = scenarios.get(str(phase), 0) + len(recorder.cases)
            failures.extend(_describe(recorder, refused_by_rule))
            for case_id, interaction in recorder.interactions.items():
                if interaction.response is None:
                    continue
                status = interaction.response.status_code
                answered[f"{interaction.request.method} {status}"] += 1
                node = recorder.cases.get(case_id)
                if node is not None:
                    label = node.value.operation.label
                    by_operation.setdefault(label, Counter())[status] += 1
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.PhaseStarted) and event.payload is not None:
            stateful_transitions = event.payload.transitions_selected
    elapsed = time.monotonic() - started
    # Let the engine's kept-alive connections go, and with them the server's database sessions.
    gc.collect()
    labels = [
        f"{method.upper()} {path}"
        for path, item in served["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "delete", "put")
    ]
    reached = [
        label for label in labels if any(200 <= s < 300 for s in by_operation.get(label, {}))
    ]
    missed = sorted(set(labels) - set(reached))
    print(  # noqa: T201 - the run's size and reach, in the test's output
        f"schemathesis: {sum(scenarios.values())} cases {scenarios}, "
        f"{stateful_transitions} stateful transitions, {elapsed:.0f} s; "
        f"answers: {dict(sorted(answered.items()))}; "
        f"positive cases refused by a rule on the rows: {dict(refused_by_rule)}; "
        f"{len(reached)} of {len(labels)} operations answered 2xx at least once; never: "
        + "; ".join(f"{label} {dict(by_operation.get(label, {}))}" for label in missed)
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "schemathesis-failures.txt").write_text(
        "\n\n".join(errors + failures), encoding="utf-8"
    )
    assert not errors, "\n\n".join(errors)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:40])
    if only:
        return
    # The run really ran, and its writes went through the services, not only the validation.
    assert sum(scenarios.values()) > 2000
    for answer in ("POST 201", "PATCH 200", "DELETE 204", "GET 304", "PATCH 412", "PATCH 428"):
        assert answered[answer] > 0, answer
    # The examples reached real objects: nearly every operation answered a 2xx at least once
    # (the print lists those that did not, with what they answered).
    assert len(reached) >= 0.95 * len(labels), missed
