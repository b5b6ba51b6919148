"""The plan library: example objectives and actions per TRACER stage, imported as drafts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language, ngettext

from core.htmx import handle_form
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action
from mix import selectors, services
from mix.forms import LibraryImportForm
from mix.views import cycle_context
from territories.views import cycle_or_404, project_or_404
from tracer.models import Objective


@require_action("plan.view")
def plan_library(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    """Everyone who sees the plan reads the library; editors import chosen stages into it."""
    project = project_or_404(request, project_uuid)
    # Imports go into the open cycle; a closed one's page draws no import (and the service
    # refuses one with 409).
    cycle = cycle_or_404(request, project)
    if request.method == "POST" and not member_can(request, "template.import"):
        raise PermissionDenied
    language = get_language() or "en"

    def save(data: dict[str, Any]) -> list[Objective]:
        objectives = services.plan_library_import(
            actor=request.user,
            workspace=request.workspace,
            project=project,
            stage_codes=data["stages"],
            language=language,
        )
        messages.success(
            request,
            ngettext(
                "%(count)d objective imported as a draft, with its example actions: adapt "
                "them to your territory.",
                "%(count)d objectives imported as drafts, with their example actions: adapt "
                "them to your territory.",
                len(objectives),
            )
            % {"count": len(objectives)},
        )
        return objectives

    context = {
        "project": project,
        "view": "library",
        **cycle_context(request, project, cycle),
        "counters": selectors.counters(project=project, cycle=cycle),
        "entries": selectors.plan_library(project=project, cycle=cycle, language=language),
        "selected": request.POST.getlist("stages"),
    }
    return handle_form(
        request,
        form=LibraryImportForm(request.POST if request.method == "POST" else None),
        template="mix/plan_library.html",
        context=context,
        save=save,
        success_url=lambda objectives: reverse("plan_board", args=[workspace_slug, project.uuid]),
    )
