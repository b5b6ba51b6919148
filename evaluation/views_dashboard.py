"""The dashboards: a project's and the workspace's, their status poll and their exports.

A page reads the latest *done* snapshot of its dashboard (never the measurements themselves,
so its queries do not grow with the number of indicators) and asks for the snapshot of the
current inputs (:func:`evaluation.services.dashboard_request`). While that one is computed,
the page says so and polls the status endpoint, which answers 204 until newer numbers are
ready and then ``HX-Refresh: true``: the page reloads with them. In the embedded default the
computation runs in-process, so the numbers are ready at once.

A project's dashboard is one cycle's: the current one by default, another with ``?cycle=<number>``
(the plan pages' switcher; the status poll and the exports keep it). A closed cycle's numbers
are computed once (at its close, or at its first view) and never change, so its page stops
polling once they are in. The workspace's dashboard adds up every active project's current cycle.

Partners see a project's dashboard only if the project is shared with their organisation
(404 otherwise). The workspace's snapshot covers every project, so a partner never sees it: their
workspace dashboard is summed from the snapshots of the projects shared with them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_htmx.http import HttpResponseClientRefresh

from core.htmx import render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from core.roles import Role
from evaluation import dashboard, services
from evaluation import dashboard_display as display
from evaluation import selectors_dashboard as selectors
from evaluation.models import DashboardSnapshot
from evaluation.selectors import lesson_list
from evaluation.selectors_dashboard import DashboardState
from mix.exports import csv_bytes, xlsx_bytes
from mix.views import cycle_context
from territories.models import Cycle, Project
from territories.selectors import cycles_current_of, visible_projects
from territories.views import cycle_or_404, project_or_404

POLL_WAITING = "2s"  # while newer numbers are computed
POLL_IDLE = "5s"  # someone else may change the plan or enter a measurement meanwhile


def _is_partner(request: WorkspaceRequest) -> bool:
    return request.membership.role == Role.PARTNER


def _shared_projects(request: WorkspaceRequest) -> list[Project]:
    """A partner's active projects: those shared with their organisation."""
    return list(
        visible_projects(membership=request.membership)
        .filter(archived_at__isnull=True)
        .order_by("name", "id")
    )


def _project_state(request: WorkspaceRequest, project: Project, cycle: Cycle) -> DashboardState:
    current = services.dashboard_request(workspace=request.workspace, project=project, cycle=cycle)
    return selectors.dashboard_state(current=current, project=project)


def _workspace_state(request: WorkspaceRequest) -> DashboardState:
    if _is_partner(request):
        projects = _shared_projects(request)
        currents = services.dashboards_request(workspace=request.workspace, projects=projects)
        return selectors.partner_state(projects=projects, current=currents)
    current = services.dashboard_request(workspace=request.workspace, project=None)
    return selectors.dashboard_state(current=current, project=None)


def _poll_every(state: DashboardState) -> str:
    return POLL_WAITING if state.pending else POLL_IDLE


def _page_context(state: DashboardState, *, kind: str, status_url: str) -> dict[str, Any]:
    shown = display.display(state.data, display.reference(), kind=kind) if state.data else None
    return {
        "state": state,
        "kind": kind,
        "shown": shown,
        "charts": shown["charts"] if shown else {},
        "status_url": status_url,
        "poll_every": _poll_every(state),
    }


def _export_links(url_name: str, args: list[Any], query: str = "") -> dict[str, Any]:
    """The export links of a dashboard; ``query`` (``cycle=<number>``) keeps the cycle shown."""
    titles = display.table_titles()
    kind = "project" if url_name.startswith("project") else "workspace"
    tail = f"?{query}" if query else ""
    return {
        "tables": [
            {
                "title": titles[name],
                "csv": reverse(url_name, args=[*args, name, "csv"]) + tail,
                "xlsx": reverse(url_name, args=[*args, name, "xlsx"]) + tail,
            }
            for name in display.EXPORT_TABLES[kind]
        ],
        "all": reverse(url_name, args=[*args, "all", "xlsx"]) + tail,
    }


def _status_answer(
    request: WorkspaceRequest, state: DashboardState, context: dict[str, Any]
) -> HttpResponse:
    """204 while nothing changed; the page reloads when newer numbers are ready (or the update
    failed); the status line alone is redrawn when an update starts."""
    version = request.GET.get("version")
    if version is None:
        return HttpResponse(status=400)
    if state.version != version:
        return HttpResponseClientRefresh()
    if state.pending == (request.GET.get("pending") == "1"):
        return HttpResponse(status=204)
    # An update started (or failed): redraw the status line, which carries the next poll.
    context = {**context, "state": state, "poll_every": _poll_every(state)}
    return render(request, "evaluation/_dashboard_status.html", context)


# --- The project's dashboard -----------------------------------------------------------------


@require_action("dashboard.view")
def project_dashboard(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    state = _project_state(request, project, cycle)
    status_url = reverse("project_dashboard_status", args=[workspace_slug, project.uuid])
    cycling = cycle_context(request, project, cycle)
    context = {
        **_page_context(state, kind="project", status_url=status_url),
        **cycling,
        "project": project,
        "tab": "dashboard",
        "exports": _export_links(
            "project_dashboard_export", [workspace_slug, project.uuid], cycling["cycle_query"]
        ),
        # The feedback loop of the cycle shown, beside the numbers it comes from.
        "lessons": lesson_list(project=project, cycle=cycle)[:10],
    }
    return render_page(request, "evaluation/dashboard.html", context)


@require_action("dashboard.view")
def project_dashboard_status(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    status_url = reverse("project_dashboard_status", args=[workspace_slug, project.uuid])
    cycling = cycle_context(request, project, cycle)
    context = {"status_url": status_url, **cycling}
    return _status_answer(request, _project_state(request, project, cycle), context)


# --- The workspace's dashboard ---------------------------------------------------------------


@require_action("dashboard.view")
def workspace_dashboard(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    state = _workspace_state(request)
    status_url = reverse("workspace_dashboard_status", args=[workspace_slug])
    context = {
        **_page_context(state, kind="workspace", status_url=status_url),
        "partner_view": _is_partner(request),
        "exports": _export_links("workspace_dashboard_export", [workspace_slug]),
    }
    return render_page(request, "evaluation/dashboard.html", context)


@require_action("dashboard.view")
def workspace_dashboard_status(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    status_url = reverse("workspace_dashboard_status", args=[workspace_slug])
    return _status_answer(request, _workspace_state(request), {"status_url": status_url})


# --- Exports -----------------------------------------------------------------------------------


def _latest_data(project: Project, cycle: Cycle) -> dict[str, Any]:
    """The numbers on screen; before the first snapshot, computed directly (a read)."""
    snapshot = selectors.snapshot_latest_done(project=project, cycle=cycle)
    return snapshot.data if snapshot else dashboard.compute_project(project, cycle=cycle)


def _export(
    request: WorkspaceRequest,
    data: dict[str, Any],
    *,
    kind: str,
    table: str,
    fmt: str,
    name: str,
    cycle: Cycle | None = None,
) -> HttpResponse:
    """One table as CSV or XLSX, or every table as one workbook (``all``, XLSX only); headers
    and labels in ``?lang=fr|en`` or the reader's language. The file's name and a column of
    every table say the cycle: ``cycle``'s, or each project's current one (the workspace's)."""
    names = display.EXPORT_TABLES[kind]
    if fmt not in {"csv", "xlsx"} or (table not in names and (table, fmt) != ("all", "xlsx")):
        raise Http404
    asked = request.GET.get("lang", "")
    language = asked if asked in {"fr", "en"} else (request.LANGUAGE_CODE or "en")[:2]
    with override(language):
        ref = display.reference()
        titles = display.table_titles()
        if fmt == "csv":
            headers, rows = display.export_table(table, data, ref, kind=kind)
            content = csv_bytes(headers, rows, language=language)
            content_type = "text/csv; charset=utf-8"
        else:
            sheets = []
            for sheet in names if table == "all" else [table]:
                headers, rows = display.export_table(sheet, data, ref, kind=kind)
                widths = [36] + [max(10, len(h) + 2) for h in headers[1:]]
                sheets.append((titles[sheet], headers, rows, widths))
            content = xlsx_bytes(sheets)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        what = titles[table] if table in titles else _("all tables")
        which = _("cycle %(number)s") % {"number": cycle.number} if cycle else _("current cycles")
        filename = slugify(" ".join([name, _("dashboard"), which, what]))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_action("dashboard.export")
def project_dashboard_export(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any, table: str, fmt: str
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    data = _latest_data(project, cycle)
    return _export(
        request, data, kind="project", table=table, fmt=fmt, name=project.name, cycle=cycle
    )


@require_action("dashboard.export")
def workspace_dashboard_export(
    request: WorkspaceRequest, workspace_slug: str, table: str, fmt: str
) -> HttpResponse:
    if _is_partner(request):
        projects = _shared_projects(request)
        current = cycles_current_of(project_ids=[p.pk for p in projects])
        latest = selectors.snapshots_latest_done(cycle_ids=[c.pk for c in current.values()])
        done = {s.project_id: s for s in latest}
        items = [
            (
                p,
                done.get(p.pk)
                or DashboardSnapshot(data=dashboard.compute_project(p, cycle=current[p.pk])),
            )
            for p in projects
        ]
        data = selectors.combine_projects(items)
    else:
        snapshot = selectors.snapshot_latest_done(project=None)
        data = snapshot.data if snapshot else dashboard.compute_workspace()
    return _export(
        request, data, kind="workspace", table=table, fmt=fmt, name=request.workspace.name
    )
