"""Leaving: the workspace export (owners) and the workspace's deletion and restoration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import erasure, exports, uploads
from core.htmx import redirect_after_success, render_invalid, render_page
from core.http import WorkspaceRequest
from core.models import ExportStatus
from core.permissions import require_action

EXPORT_TEMPLATE = "core/workspace_export.html"
DELETION_TEMPLATE = "core/workspace_deletion.html"


def _export_context(request: WorkspaceRequest) -> dict[str, Any]:
    return {
        "exports": exports.export_list(workspace=request.workspace),
        "retention_days": settings.WORKSPACE_EXPORT_RETENTION_DAYS,
    }


@require_http_methods(["GET", "POST"])
@require_action("workspace.export")
def workspace_export(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """The owner's exports; POST asks for a new one (built by a task)."""
    if request.method == "POST":
        exports.export_request(actor=request.user, workspace=request.workspace, request=request)
        messages.success(request, _("The export is being built. You can leave this page."))
        if request.htmx:
            return render_page(request, EXPORT_TEMPLATE, _export_context(request), partial="list")
        return redirect_after_success(
            request, reverse("workspace_export", args=[request.workspace.slug])
        )
    return render_page(request, EXPORT_TEMPLATE, _export_context(request), partial="list")


@never_cache
@require_GET
@require_action("workspace.export")
def workspace_export_status(
    request: WorkspaceRequest, workspace_slug: str, export_uuid: str
) -> HttpResponse:
    """The export's row, polled by the page while it is being built."""
    export = exports.export_get(workspace=request.workspace, export_uuid=export_uuid)
    if export is None:
        raise Http404
    # Only the row, whoever asks: it is what the page's poll swaps in.
    return render(request, f"{EXPORT_TEMPLATE}#export_row", {"export": export})


@require_GET
@require_action("workspace.export")
def workspace_export_download(
    request: WorkspaceRequest, workspace_slug: str, export_uuid: str
) -> FileResponse:
    export = exports.export_get(workspace=request.workspace, export_uuid=export_uuid)
    if export is None or export.status != ExportStatus.READY or not export.file:
        raise Http404
    exports.export_downloaded(
        actor=request.user, workspace=request.workspace, export=export, request=request
    )
    return uploads.serve(export.file, filename=export.filename)


class DeletionForm(forms.Form):
    confirm_name = forms.CharField(
        label=gettext_lazy("Type the workspace's name to confirm"), max_length=120
    )


@require_http_methods(["GET", "POST"])
@require_action("workspace.delete")
def workspace_deletion(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """Delete the workspace (type its name), or, during the grace period, restore it."""
    workspace = request.workspace
    form = DeletionForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "grace_days": settings.WORKSPACE_DELETION_GRACE_DAYS,
    }
    if request.method == "POST":
        if request.POST.get("action") == "restore":
            erasure.deletion_cancel(actor=request.user, workspace=workspace, request=request)
            messages.success(request, _("The workspace is restored: its members can use it again."))
            return redirect_after_success(request, reverse("workspace_home", args=[workspace.slug]))
        if form.is_valid():
            try:
                erasure.deletion_request(
                    actor=request.user,
                    workspace=workspace,
                    confirm_name=form.cleaned_data["confirm_name"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("confirm_name", error)
            else:
                messages.warning(
                    request,
                    _("The workspace is deleted. It will be erased for good on %(date)s.")
                    % {"date": date_format(localtime(workspace.erase_after), "DATE_FORMAT")},
                )
                return redirect_after_success(
                    request, reverse("workspace_deletion", args=[workspace.slug])
                )
        return render_invalid(request, DELETION_TEMPLATE, context)
    return render_page(request, DELETION_TEMPLATE, context, partial="form")
