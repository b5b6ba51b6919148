"""The cycle review page and closing a cycle (opening the next one with the carried-over
objectives and actions)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.htmx import handle_form, render_page
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action
from evaluation import cycles
from evaluation.forms import CycleCloseForm
from mix.models import Action
from territories.models import Cycle
from territories.views import project_or_404
from tracer.selectors import current_cycle, plan_objectives

TEMPLATE = "evaluation/cycle_review.html"


def _cycle_or_404(project: Any, number: int) -> Cycle:
    cycle = Cycle.objects.filter(project=project, number=number).select_related("project").first()
    if cycle is None:
        raise Http404
    return cycle


def _review_url(workspace_slug: str, cycle: Cycle) -> str:
    return reverse("cycle_review", args=[workspace_slug, cycle.project.uuid, cycle.number])


def _close_form(cycle: Cycle, review: cycles.CycleReview, data: Any = None) -> CycleCloseForm:
    unfinished = review.unfinished_actions
    carried = {a.objective_id for a in unfinished}
    return CycleCloseForm(
        data,
        objectives=plan_objectives(project=cycle.project, cycle=cycle).order_by(
            "stage__position", "priority", "id"
        ),
        actions=Action.objects.filter(pk__in=[a.pk for a in unfinished]).order_by("id"),
        initial={
            "started_on": timezone.localdate(),
            "objectives": [o for o in review.objectives if o.pk in carried],
            "actions": unfinished,
        },
    )


def _carry_labels() -> dict[str, str]:
    """The close dialog's counts, in both plural forms: its script picks one with the
    language's plural rules (``Intl.PluralRules``) and puts the number in place of ``%(count)s``."""
    return {
        f"{noun}_{form}": text
        for form, n in (("one", 1), ("other", 2))
        for noun, text in (
            ("objectives", ngettext("%(count)s objective", "%(count)s objectives", n)),
            ("actions", ngettext("%(count)s action", "%(count)s actions", n)),
        )
    }


@require_action("cycle.view")
def cycle_review(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any, cycle_number: int
) -> HttpResponse:
    """What the cycle achieved; for an open cycle, the form that closes it."""
    project = project_or_404(request, project_uuid)
    return _review_page(request, project, _cycle_or_404(project, cycle_number))


def _review_page(request: WorkspaceRequest, project: Any, cycle: Cycle) -> HttpResponse:
    review = cycles.cycle_review(cycle=cycle)
    context: dict[str, Any] = {
        "project": project,
        "tab": "review",
        "cycle": cycle,
        "review": review,
    }
    if cycle.status == "open" and member_can(request, "cycle.close"):
        context["form"] = _close_form(cycle, review)
        context["carry_labels"] = _carry_labels()
    return render_page(request, TEMPLATE, context)


@require_action("cycle.close")
def cycle_close(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any, cycle_number: int
) -> HttpResponse:
    """Close cycle N and open N+1 (one transaction); a closed cycle answers 409."""
    project = project_or_404(request, project_uuid)
    cycle = _cycle_or_404(project, cycle_number)
    review = cycles.cycle_review(cycle=cycle)
    form = _close_form(cycle, review, request.POST if request.method == "POST" else None)
    return handle_form(
        request,
        form=form,
        template=TEMPLATE,
        context={
            "project": project,
            "tab": "review",
            "cycle": cycle,
            "review": review,
            "carry_labels": _carry_labels(),
        },
        save=lambda data: cycles.cycle_close(
            actor=request.user,
            workspace=request.workspace,
            cycle=cycle,
            started_on=data["started_on"],
            objectives=data["objectives"],
            actions=data["actions"],
        ),
        success_url=lambda following: _review_url(workspace_slug, following),
        success_message=_("Cycle closed. The next cycle is open."),
    )


@require_action("cycle.view")
def cycle_review_current(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """The review of the project's current cycle."""
    project = project_or_404(request, project_uuid)
    return _review_page(request, project, current_cycle(project=project))
