"""The 7 elements maturity assessment of each cycle: scores, radar beside the cycle before,
next steps for the weakest elements."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.htmx import handle_form, render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from governance import selectors, services
from governance.forms import MaturityForm
from territories.models import Cycle
from territories.services import assert_cycle_open
from territories.views import project_or_404


def _cycle_or_404(request: WorkspaceRequest, project: Any) -> Cycle:
    cycle = selectors.cycle_get(project=project, number=request.GET.get("cycle"))
    if cycle is None:
        raise Http404
    return cycle


def _radar(comparison: selectors.MaturityComparison) -> dict[str, Any]:
    """The chart's data (rendered by json_script, drawn by static/js/maturity.js)."""
    elements = comparison.elements
    datasets: list[dict[str, Any]] = [
        {
            "label": str(comparison.cycle),
            "data": [row.score.score if row.score else None for row in elements],
            "color": "current",
        }
    ]
    if comparison.previous_cycle is not None:
        datasets.append(
            {
                "label": str(comparison.previous_cycle),
                "data": [row.previous.score if row.previous else None for row in elements],
                "color": "previous",
                "dashed": True,
            }
        )
    return {
        "labels": [f"{row.item.number}. {row.item.label}" for row in elements],  # type: ignore[union-attr]
        "datasets": datasets,
        "max": 4,
    }


@require_action("governance.view")
def maturity(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    cycle = _cycle_or_404(request, project)
    comparison = selectors.maturity_comparison(cycle=cycle)
    context = {
        "project": project,
        "tab": "maturity",
        "cycle": cycle,
        "cycles": selectors.cycle_list(project=project),
        "comparison": comparison,
        "radar": _radar(comparison),
    }
    return render_page(request, "governance/maturity.html", context)


@require_action("governance.manage")
def maturity_edit(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """Score the cycle (open cycles only: a closed cycle answers 409 with the reason)."""
    project = project_or_404(request, project_uuid)
    cycle = _cycle_or_404(request, project)
    assert_cycle_open(cycle)
    comparison = selectors.maturity_comparison(cycle=cycle)
    form = MaturityForm(request.POST or None, rows=comparison.rows)
    page = reverse("maturity", args=[workspace_slug, project.uuid]) + f"?cycle={cycle.number}"
    return handle_form(
        request,
        form=form,
        template="governance/maturity_form.html",
        context={"project": project, "cycle": cycle, "cancel_url": page},
        save=lambda data: services.maturity_assessment_save(
            actor=request.user, workspace=request.workspace, cycle=cycle, scores=form.scores()
        ),
        success_url=lambda saved: page,
        success_message=_("Assessment saved."),
    )
