"""The audit log page and its CSV export: admins and owners read it; nothing here writes."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import selectors
from core.forms import AuditFilterForm
from core.htmx import render_page
from core.http import WorkspaceRequest
from core.models import AuditEvent
from core.permissions import require_action

TEMPLATE = "core/audit_log.html"
PAGE_SIZE = 50


def detail_text(detail: dict[str, Any]) -> str:
    """``after=admin before=viewer``: an event's details on one line (lists joined by commas)."""
    parts = []
    for key, value in sorted(detail.items()):
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        parts.append(f"{key}={'' if value is None else value}")
    return " ".join(parts)


def _events(request: WorkspaceRequest) -> tuple[AuditFilterForm, dict[str, Any], Any]:
    form = AuditFilterForm(request.GET)
    filters = form.filters()
    events = selectors.audit_event_list(workspace=request.workspace, **filters)
    return form, filters, events


@never_cache
@require_GET
@require_action("audit.view")
def audit_log(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    form, filters, events = _events(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.detail_text = detail_text(event.detail)
    querystring = urlencode({k: str(v) for k, v in filters.items()})
    context = {
        "filters": form,
        "page": page,
        "is_filtered": bool(filters),
        "querystring": querystring,
    }
    return render_page(request, TEMPLATE, context, partial="results")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(events: Any) -> Iterator[list[str]]:
    yield [
        _("When"),
        _("Event"),
        _("Code"),
        _("By"),
        _("On"),
        _("Address"),
        _("Details"),
    ]
    event: AuditEvent
    for event in events.iterator(chunk_size=500):
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            str(event.get_event_display()),
            event.event,
            event.actor_label,
            event.target_label,
            event.ip or "",
            detail_text(event.detail),
        ]


@require_GET
@require_action("audit.view")
def audit_log_csv(request: WorkspaceRequest, workspace_slug: str) -> StreamingHttpResponse:
    """The filtered events as CSV (UTF-8 with a BOM, so that spreadsheets read the accents)."""
    _form, _filters, events = _events(request)
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"
        for row in _rows(events):
            yield writer.writerow(row)

    filename = f"audit-{request.workspace.slug}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
