"""The 10-step method tracker: where the project stands, each step's guidance, status and
deliverables (notes, links, files served to members only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import handle_form, render_page
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action
from core.uploads import serve
from governance import selectors, services
from governance.forms import DeliverableForm, StepProgressForm, initial_from
from governance.models import MethodStep
from governance.pages import deleted, get_or_404
from territories.views import project_or_404

STEP_TEMPLATE = "governance/method_step.html"


def _step_or_404(number: int) -> MethodStep:
    step = selectors.method_step_get(number=number)
    if step is None:
        raise Http404
    return step


def _step_url(request: WorkspaceRequest, project: Any, step: MethodStep) -> str:
    return reverse("method_step", args=[request.workspace.slug, project.uuid, step.number])


@require_action("governance.view")
def method_tracker(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    context = {
        "project": project,
        "tab": "method",
        "position": selectors.method_position(project=project),
    }
    return render_page(request, "governance/method_tracker.html", context)


def _step_context(request: WorkspaceRequest, project: Any, step: MethodStep) -> dict[str, Any]:
    progress = selectors.step_progress_get(project=project, step=step)
    return {
        "project": project,
        "tab": "method",
        "step": step,
        "progress": progress,
        "deliverables": selectors.deliverable_list(progress=progress),
        "deliverable_form": DeliverableForm(initial={"kind": "note"}),
    }


@require_action("governance.view")
def method_step(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any, step_number: int
) -> HttpResponse:
    """A step: its guidance, its status form (editors) and its deliverables."""
    project = project_or_404(request, project_uuid)
    step = _step_or_404(step_number)
    if request.method == "POST" and not member_can(request, "governance.manage"):
        raise PermissionDenied
    context = _step_context(request, project, step)
    progress = context["progress"]
    fields = ["status", "owner", "due_date", "notes"]
    form = StepProgressForm(
        request.POST or None,
        initial=initial_from(progress, fields) if progress else {},
        choices={"owner": selectors.member_choices(workspace=request.workspace)},
    )
    return handle_form(
        request,
        form=form,
        template=STEP_TEMPLATE,
        context=context,
        save=lambda data: services.step_progress_save(
            actor=request.user, workspace=request.workspace, project=project, step=step, **data
        ),
        success_url=lambda saved: _step_url(request, project, step),
        success_message=_("Step saved."),
    )


@require_POST
@require_action("governance.manage")
def deliverable_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any, step_number: int
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    step = _step_or_404(step_number)
    form = DeliverableForm(request.POST, request.FILES)
    context = _step_context(request, project, step)
    return handle_form(
        request,
        form=form,
        template=STEP_TEMPLATE,
        context=context,
        save=lambda data: services.deliverable_add(
            actor=request.user, workspace=request.workspace, project=project, step=step, **data
        ),
        success_url=lambda saved: f"{_step_url(request, project, step)}#deliverable-{saved.uuid}",
        success_message=_("Deliverable added."),
        partial="deliverable_form",
        form_name="deliverable_form",
    )


@require_action("governance.view")
def deliverable_file(
    request: WorkspaceRequest, workspace_slug: str, deliverable_uuid: Any
) -> HttpResponseBase:
    """The uploaded file, to members who see the project (never from a public URL)."""
    deliverable = get_or_404(selectors.deliverable_get, request, deliverable_uuid)
    if not deliverable.file:
        raise Http404
    return serve(deliverable.file, filename=deliverable.file_name or "file")


@require_POST
@require_action("governance.manage")
def deliverable_delete(
    request: WorkspaceRequest, workspace_slug: str, deliverable_uuid: Any
) -> HttpResponse:
    deliverable = get_or_404(selectors.deliverable_get, request, deliverable_uuid)
    progress = deliverable.progress
    return deleted(
        request,
        delete=lambda: services.deliverable_delete(
            actor=request.user, workspace=request.workspace, deliverable=deliverable
        ),
        url=_step_url(request, progress.project, progress.step),
        message=_("Deliverable deleted."),
    )
