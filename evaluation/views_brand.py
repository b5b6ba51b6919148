"""Record the brand registers' counts as indicator values (from the brand page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.htmx import redirect_after_success
from core.http import WorkspaceRequest
from core.permissions import require_action
from evaluation import services
from territories.views import project_or_404


@require_POST
@require_action("measurement.record")
def brand_indicators_record(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    try:
        recorded = services.brand_indicators_record(
            actor=request.user, workspace=request.workspace, project=project
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The brand's counts were recorded in %(count)d indicator.",
                "The brand's counts were recorded in %(count)d indicators.",
                len(recorded),
            )
            % {"count": len(recorded)},
        )
    return redirect_after_success(request, reverse("brand", args=[workspace_slug, project.uuid]))
