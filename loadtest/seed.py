"""The soak's dataset: two workspaces built with the benchmark's generator, plus what the load
needs to act as real people (sessions, API tokens, a partner member of a shared project).

``python -m loadtest.seed FIXTURE.json`` runs with the production settings on the soak's own
database (``python -m loadtest`` prepares it) and writes what the locustfile reads: each
workspace's projects, actions, objectives and indicators by UUID, and for each simulated person
a session key and a personal API token.

Sessions are created directly in the session store (as ``django.contrib.auth.login`` stores
them): a PBKDF2 check per simulated user at each step of the ramp would measure the password
hasher, not the pages.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any

WORKSPACES = ("soak-a", "soak-b")  # soak-a is the noisy neighbour, soak-b the one measured
SEED = 1111
PARTNER_EMAIL = "partner@soak.territoria.example"


def _shape(timed: bool) -> Any:
    from bench.dataset import Shape

    return Shape(
        territories=8,
        projects=6,
        members=6,
        partners=4,
        plan_objectives=18,
        plan_actions=150,
        actions_per_project=(4, 12),
        measurement_levels=(2_000,) if timed else (),
        indicators_per_project=(2, 4),
        measurements_per_indicator=(6, 24),
        second_cycle_share=0.25,
    )


def _session_key(user: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(86400)
    store.create()
    assert store.session_key
    return store.session_key


def _person(user: Any, workspace: Any, role: str) -> dict[str, Any]:
    from core.tokens import token_create

    _token, secret = token_create(actor=user, workspace=workspace, name="soak", scope="read")
    return {
        "email": user.email,
        "role": role,
        "session": _session_key(user),
        "token": secret,
    }


def build() -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from bench.dataset import Dataset, WorkspacePlan, generate
    from core.models import Membership, User
    from core.roles import Role
    from core.tenancy import workspace_scope
    from governance.models import PartnerOrganisation
    from governance.services import project_sharing_update
    from mix.models import Action
    from territories.models import Cycle, CycleStatus
    from tracer.models import Objective

    plans = [
        WorkspacePlan(slug=slug, name=f"Soak {slug[-1].upper()}", shape=_shape(True))
        for slug in WORKSPACES
    ]
    ds = generate(Dataset(label="soak", seed=SEED, plans=plans))
    rng = random.Random(SEED)
    # One hash for everybody (a PBKDF2 run per user would take minutes): nobody logs in with it,
    # but the session hash is derived from it.
    User.objects.filter(pk__in=[u.pk for u in ds.users]).update(
        password=make_password("soak-not-a-real-password")
    )
    fixture: dict[str, Any] = {"workspaces": {}}
    with transaction.atomic():
        for slug in WORKSPACES:
            workspace = ds.workspaces[slug]
            with workspace_scope(workspace):
                staff = list(
                    Membership.objects.filter(workspace=workspace)
                    .select_related("user")
                    .order_by("pk")
                )
                # Everyone simulated edits: viewers become editors.
                for membership in staff:
                    if membership.role == Role.VIEWER:
                        membership.role = Role.EDITOR
                        membership.save(update_fields=["role"])
                projects = []
                open_cycles = Cycle.objects.filter(status=CycleStatus.OPEN).select_related(
                    "project"
                )
                for cycle in open_cycles.filter(project__archived_at__isnull=True).order_by("pk"):
                    actions = list(
                        Action.objects.filter(objective__cycle=cycle).values_list("uuid", flat=True)
                    )
                    objectives = list(
                        Objective.objects.filter(cycle=cycle).values_list("uuid", flat=True)
                    )
                    if not actions:
                        continue
                    projects.append(
                        {
                            "uuid": str(cycle.project.uuid),
                            "cycle": cycle.number,
                            "actions": [str(a) for a in actions],
                            "objectives": [str(o) for o in objectives],
                            "indicators": [str(i.uuid) for i in cycle.project.indicators.all()],
                        }
                    )
                projects.sort(key=lambda p: -len(p["actions"]))
                people = [_person(m.user, workspace, m.role) for m in staff]
                # A partner member: in an organisation that leads actions of two shared projects.
                organisation = PartnerOrganisation.objects.order_by("pk").first()
                assert organisation is not None
                user = User.objects.create(
                    email=f"{slug}-{PARTNER_EMAIL}", full_name="Claire Partenaire"
                )
                user.password = make_password(None)
                user.save(update_fields=["password"])
                membership = Membership.objects.create(
                    workspace=workspace, user=user, role=Role.PARTNER
                )
                organisation.members.add(membership)
                shared = projects[:2]
                for project in shared:
                    project_obj = open_cycles.get(project__uuid=project["uuid"]).project
                    project_sharing_update(
                        actor=ds.owners[slug],
                        workspace=workspace,
                        project=project_obj,
                        organisations=[organisation],
                    )
                    led = rng.sample(project["actions"], min(10, len(project["actions"])))
                    Action.objects.filter(uuid__in=led).update(lead_partner=organisation)
                partner = _person(user, workspace, Role.PARTNER)
                partner["projects"] = [p["uuid"] for p in shared]
                fixture["workspaces"][slug] = {
                    "slug": slug,
                    "projects": projects,
                    "people": people,
                    "partner": partner,
                }
    fixture["counts"] = ds.counts()
    return fixture


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    fixture = build()
    Path(argv[0]).write_text(json.dumps(fixture, indent=1))
    counts = ", ".join(f"{n} {kind}" for kind, n in fixture["counts"].items())
    print(f"Seeded {len(WORKSPACES)} workspaces: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
