"""The same figure is the same everywhere: for one cycle, the plan header's planned budget, the
pooled-means page's planned budget, the dashboard's budget by family and the API's sum agree, on
the demo (cycle 1 closed and carried over, cycle 2 open) and on a generated plan with a closed
cycle. Each figure is read where a person or a client reads it: the pages and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from evaluation import services
from evaluation.models import SnapshotStatus
from territories.models import Cycle, Project
from tests.api.helpers import api_planned_budget
from tests.conftest import Personas
from tests.mix.test_cycles import TwoCycles, two_cycles  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def four_figures(client: Client, workspace: Workspace, project: Project, cycle: Cycle) -> dict:
    """The planned budget of ``cycle`` as each place shows it."""
    query = f"?cycle={cycle.number}"
    board = client.get(reverse("plan_board", args=[workspace.slug, project.uuid]) + query)
    means = client.get(reverse("contribution_list", args=[workspace.slug, project.uuid]) + query)
    with workspace_scope(workspace):
        version = services.inputs_version(project, workspace, cycle)
        snapshot = services.snapshot_compute(
            workspace=workspace, project=project, cycle=cycle, version=version, claim="test"
        )
    assert snapshot is not None and snapshot.status == SnapshotStatus.DONE
    dashboard = client.get(
        reverse("project_dashboard", args=[workspace.slug, project.uuid]) + query
    )
    assert board.status_code == means.status_code == dashboard.status_code == 200
    shown = dashboard.context["state"].data
    assert shown["cycle"]["number"] == cycle.number
    return {
        "plan header": board.context["counters"]["planned"],
        "pooled means": means.context["totals"]["planned"],
        "dashboard": sum(
            (Decimal(str(r["planned"])) for r in shown["budget_by_family"]), Decimal(0)
        ),
        "API": api_planned_budget(client, workspace.slug, cycle),
    }


def assert_all_agree(figures: dict[str, Decimal]) -> Decimal:
    values = set(figures.values())
    assert len(values) == 1, figures
    return values.pop()


def test_the_four_budgets_agree_on_the_demo(settings: Any) -> None:
    settings.DEBUG = True
    settings.EMBEDDED = True
    call_command("demo")
    owner = User.objects.get(email="demo@territoria.local")
    client = Client()
    client.force_login(owner)
    workspace = Workspace.objects.get(slug="demo")
    with scopes_disabled():
        project = Project.objects.get(workspace=workspace)
        cycles = list(Cycle.objects.filter(project=project).order_by("number"))
    assert [c.status for c in cycles] == ["closed", "open"]
    totals = [assert_all_agree(four_figures(client, workspace, project, c)) for c in cycles]
    assert totals[0] > 0 and totals[1] > 0
    assert totals[0] != totals[1]  # two cycles, two plans: never both added together


def test_the_four_budgets_agree_on_a_generated_plan_with_a_closed_cycle(
    personas: Personas,
    two_cycles: TwoCycles,  # noqa: F811 - the fixture
) -> None:
    client = Client()
    client.force_login(personas.user(Role.OWNER))
    closed = four_figures(client, two_cycles.workspace, two_cycles.project, two_cycles.first)
    current = four_figures(client, two_cycles.workspace, two_cycles.project, two_cycles.second)
    assert assert_all_agree(closed) == Decimal("1700.00")
    assert assert_all_agree(current) == Decimal("1300.00")
