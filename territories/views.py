"""Pages for territories and projects (list, create, view, edit, archive)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import handle_form, redirect_after_success, render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from territories import selectors, services
from territories.forms import ProjectFilterForm, ProjectForm, TerritoryFilterForm, TerritoryForm
from territories.models import Cycle, Project, Territory

PAGE_SIZE = 20


def _paginate(request: HttpRequest, qs: Any) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_page(
    request: WorkspaceRequest,
    *,
    filters: Any,
    select: Any,
    template: str,
    rows: Any = None,
) -> HttpResponse:
    """A filtered, paginated list; HTMX filter and page changes get only the results.
    ``rows``, if given, turns the page's items into the rows the template draws."""
    data = filters.cleaned_data if filters.is_valid() else {}
    criteria = {k: v for k, v in data.items() if k not in {"page", "archived"} and v}
    qs = select(membership=request.membership, archived=bool(data.get("archived")), **criteria)
    page = _paginate(request, qs)
    if rows is not None:
        page.object_list = rows(page.object_list)
    context = {
        "filters": filters,
        "page": page,
        "querystring": _querystring(request),
        "showing_archived": bool(data.get("archived")),
        "is_filtered": bool(criteria),
    }
    return render_page(request, template, context, partial="results")


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _territory_or_404(request: WorkspaceRequest, uuid: Any) -> Territory:
    territory = selectors.territory_get(membership=request.membership, uuid=uuid)
    if territory is None:
        raise Http404
    return territory


def project_or_404(request: WorkspaceRequest, uuid: Any) -> Project:
    """A project the member may see (partners: shared ones only), else 404. Every app's
    project pages find their project through this."""
    project = selectors.project_get(membership=request.membership, uuid=uuid)
    if project is None:
        raise Http404
    return project


def cycle_or_404(request: WorkspaceRequest, project: Project) -> Cycle:
    """The cycle a project page shows: ``?cycle=<number>``, the current one without it, 404 for
    a number the project has no cycle for. Every plan page picks its cycle through this."""
    cycle = selectors.cycle_get(project=project, number=request.GET.get("cycle"))
    if cycle is None:
        raise Http404
    return cycle


@require_action("workspace.view")
def workspace_home(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    membership = request.membership
    context = {
        "counts": selectors.workspace_counts(membership=membership),
        "recent_projects": selectors.project_list(membership=membership).order_by("-updated_at")[
            :5
        ],
    }
    return render_page(request, "territories/workspace_home.html", context)


# --- Territories ---------------------------------------------------------------------------


@require_action("territory.view")
def territory_list(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    # Paginated by top-level territory: each page shows its micro-territories under it.
    return _list_page(
        request,
        filters=TerritoryFilterForm(request.GET or None),
        select=selectors.territory_tree,
        template="territories/territory_list.html",
        rows=lambda groups: selectors.territory_tree_rows(
            membership=request.membership, groups=groups
        ),
    )


@require_action("territory.create")
def territory_create(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    membership = request.membership
    form = TerritoryForm(
        request.POST or None,
        membership=membership,
        instance=Territory(workspace=request.workspace),
        initial={"parent": request.GET.get("parent")},
    )
    return handle_form(
        request,
        form=form,
        template="territories/territory_form.html",
        save=lambda data: services.territory_create(
            actor=request.user,
            workspace=request.workspace,
            **data,
        ),
        success_url=lambda t: reverse("territory_detail", args=[workspace_slug, t.uuid]),
        success_message=_("Territory created."),
    )


@require_action("territory.view")
def territory_detail(
    request: WorkspaceRequest, workspace_slug: str, territory_uuid: Any
) -> HttpResponse:
    territory = _territory_or_404(request, territory_uuid)
    membership = request.membership
    context = {
        "territory": territory,
        "children": selectors.territory_children(territory=territory),
        "projects": selectors.project_list(membership=membership, territory=territory),
    }
    return render_page(request, "territories/territory_detail.html", context)


@require_action("territory.update")
def territory_edit(
    request: WorkspaceRequest, workspace_slug: str, territory_uuid: Any
) -> HttpResponse:
    territory = _territory_or_404(request, territory_uuid)
    form = TerritoryForm(request.POST or None, membership=request.membership, instance=territory)
    return handle_form(
        request,
        form=form,
        template="territories/territory_form.html",
        context={"territory": territory},
        save=lambda data: services.territory_update(
            actor=request.user,
            workspace=request.workspace,
            territory=territory,
            **data,
        ),
        success_url=lambda t: reverse("territory_detail", args=[workspace_slug, t.uuid]),
        success_message=_("Territory saved."),
    )


@require_POST
@require_action("territory.archive")
def territory_archive(
    request: WorkspaceRequest, workspace_slug: str, territory_uuid: Any
) -> HttpResponse:
    territory = _territory_or_404(request, territory_uuid)
    archived = request.POST.get("archived", "1") == "1"
    return _archive_response(
        request,
        obj=territory,
        run=lambda: services.territory_set_archived(
            actor=request.user,
            workspace=request.workspace,
            territory=territory,
            archived=archived,
        ),
        template="territories/territory_list.html",
        detail_url=reverse("territory_detail", args=[workspace_slug, territory.uuid]),
        message=_("Territory archived.") if archived else _("Territory restored."),
        row_name="territory",
        refetch=lambda t: selectors.territory_list(
            membership=request.membership,
            archived=t.is_archived,
        ).get(pk=t.pk),
    )


def _archive_response(
    request: WorkspaceRequest,
    *,
    obj: Any,
    run: Any,
    template: str,
    detail_url: str,
    message: str,
    row_name: str,
    refetch: Any,
) -> HttpResponse:
    """Archive or restore; from a list (HTMX) the row is swapped in place, else redirect."""
    error = None
    try:
        obj = run()
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        obj = refetch(obj)
        context = {row_name: obj, "row_error": error, "row_message": None if error else message}
        return render_page(request, template, context, partial="row", status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect_after_success(request, detail_url)


# --- Projects ------------------------------------------------------------------------------


@require_action("project.view")
def project_list(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    return _list_page(
        request,
        filters=ProjectFilterForm(request.GET or None),
        select=selectors.project_list,
        template="territories/project_list.html",
    )


@require_action("project.create")
def project_create(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    form = ProjectForm(
        request.POST or None,
        membership=request.membership,
        instance=Project(workspace=request.workspace),
        initial={"territory": request.GET.get("territory")},
    )
    return handle_form(
        request,
        form=form,
        template="territories/project_form.html",
        save=lambda data: services.project_create(
            actor=request.user,
            workspace=request.workspace,
            **data,
        ),
        success_url=lambda p: reverse("project_detail", args=[workspace_slug, p.uuid]),
        success_message=_("Project created. Cycle 1 is open."),
    )


@require_action("project.view")
def project_detail(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    context = {
        "project": project,
        "cycles": selectors.cycle_list(project=project),
        "shared_with": selectors.project_shared_with(project=project),
    }
    return render_page(request, "territories/project_detail.html", context)


@require_action("project.update")
def project_edit(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    form = ProjectForm(request.POST or None, membership=request.membership, instance=project)
    return handle_form(
        request,
        form=form,
        template="territories/project_form.html",
        context={"project": project},
        save=lambda data: services.project_update(
            actor=request.user,
            workspace=request.workspace,
            project=project,
            **data,
        ),
        success_url=lambda p: reverse("project_detail", args=[workspace_slug, p.uuid]),
        success_message=_("Project saved."),
    )


@require_POST
@require_action("project.archive")
def project_archive(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    archived = request.POST.get("archived", "1") == "1"
    return _archive_response(
        request,
        obj=project,
        run=lambda: services.project_set_archived(
            actor=request.user,
            workspace=request.workspace,
            project=project,
            archived=archived,
        ),
        template="territories/project_list.html",
        detail_url=reverse("project_detail", args=[workspace_slug, project.uuid]),
        message=_("Project archived.") if archived else _("Project restored."),
        row_name="project",
        refetch=lambda p: selectors.project_list(
            membership=request.membership,
            archived=p.is_archived,
        ).get(pk=p.pk),
    )
