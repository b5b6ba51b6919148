"""The plan of a project: board, table, TRACER x mix matrix, timeline, and live co-editing."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.context_processors import permissions_for
from core.errors import Refused
from core.htmx import handle_form, redirect_after_success, render_page
from core.http import WorkspaceRequest
from core.models import Membership
from core.permissions import member_can, require_action
from core.roles import Role
from governance.models import PartnerOrganisation
from mix import exports, selectors, services
from mix.forms import (
    ActionCreateForm,
    ActionFilterForm,
    IrrelevantCellForm,
    ObjectiveCreateForm,
)
from mix.models import Action, MixFamily
from mix.views_comments import comments_context
from territories import selectors as territories_selectors
from territories import services as territories_services
from territories.models import Cycle, CycleStatus, Project
from territories.views import cycle_or_404, project_or_404
from tracer import coediting
from tracer import selectors as tracer_selectors
from tracer import services as tracer_services
from tracer.models import Objective, TracerStage

TABLE_PAGE_SIZE = 50
POLL_MAX_ITEMS = 100  # beyond this many changed items, the poll asks for a reload
# Fields shown (and live-updated) on the board cards and table rows.
LIVE_FIELDS = {
    "action": [
        "title",
        "status",
        "family",
        "start_date",
        "end_date",
        "budget_planned",
        "lead_partner",
    ],
    "objective": ["title", "priority", "segment"],
}


def _poller(
    request: WorkspaceRequest, project: Project, revision: int | None = None
) -> dict[str, Any]:
    presence = coediting.presence_list(project=project, exclude_user_id=request.user.pk)
    encoded = json.dumps(presence, sort_keys=True)
    return {
        "revision": project.plan_revision if revision is None else revision,
        "presence_json": encoded,
        "presence_hash": hashlib.sha1(encoded.encode(), usedforsecurity=False).hexdigest()[:12],
    }


# The plan writes a closed cycle refuses: its pages draw no control for them.
CLOSED_CYCLE_DENIED = frozenset(
    {
        "objective.create",
        "objective.update",
        "objective.delete",
        "action.create",
        "action.update",
        "action.delete",
        "template.import",
        "matrix.mark",
    }
)


def cycle_context(request: WorkspaceRequest, project: Project, cycle: Cycle) -> dict[str, Any]:
    """The cycle a plan page shows, the switcher's cycles, and whether the page is read-only.
    On a closed cycle the page's ``can`` refuses every plan write, so no editor is drawn."""
    cycles = list(territories_selectors.cycle_list(project=project).order_by("number"))
    current = territories_selectors.current_of(cycles)
    closed = cycle.status == CycleStatus.CLOSED
    context: dict[str, Any] = {
        "cycle": cycle,
        "cycles": cycles,
        "read_only": closed,
        # Links between plan pages keep a cycle other than the current one.
        "cycle_query": "" if cycle.pk == current.pk else f"cycle={cycle.number}",
    }
    if closed:
        context["can"] = permissions_for(request.membership).without(CLOSED_CYCLE_DENIED)
        context["successor"] = next((c for c in cycles if c.number > cycle.number), None)
    return context


def _plan_context(
    request: WorkspaceRequest,
    project: Project,
    view: str,
    *,
    cycle: Cycle,
    fragment: bool = False,
) -> dict[str, Any]:
    """What every plan page needs; a fragment (an HTMX results update) skips the page chrome."""
    context: dict[str, Any] = {
        "project": project,
        "view": view,
        "org_ids": _org_ids(request),
        **cycle_context(request, project, cycle),
    }
    if not fragment:
        context["counters"] = selectors.counters(project=project, cycle=cycle)
        if not context["read_only"]:  # a closed cycle never changes: nothing to poll
            context["poller"] = _poller(request, project)
    return context


def _org_ids(request: WorkspaceRequest) -> set[int]:
    """The viewer's partner organisations; only partners' edit rights depend on them."""
    if request.membership.role != Role.PARTNER:
        return set()
    return selectors.organisation_ids(membership=request.membership)


@require_action("plan.view")
def plan_board(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    """Objectives and their actions in six columns, one per TRACER stage."""
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    objectives = list(tracer_selectors.objective_list(project=project, cycle=cycle))
    actions: dict[int, list[Action]] = {}
    for action in selectors.with_details(
        selectors.plan_actions(project=project, cycle=cycle), membership=request.membership
    ).order_by("priority", "id"):
        actions.setdefault(action.objective_id, []).append(action)
    for objective in objectives:
        objective.plan_actions = actions.get(objective.pk, [])  # type: ignore[attr-defined]
    columns = [
        (stage, [o for o in objectives if o.stage_id == stage.pk])
        for stage in tracer_selectors.stage_list()
    ]
    context = {**_plan_context(request, project, "board", cycle=cycle), "columns": columns}
    return render_page(request, "mix/plan_board.html", context)


@require_action("plan.view")
def plan_table(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    """Every action in a filterable, sortable, paginated table."""
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    filters = ActionFilterForm(request.GET or None, workspace=request.workspace)
    data = filters.cleaned_data if filters.is_valid() else {}
    sort = request.GET.get("sort") or "stage"
    actions = selectors.action_list(
        project=project, cycle=cycle, filters=data, sort=sort, membership=request.membership
    )
    page = Paginator(actions, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sortless = params.copy()
    sortless.pop("sort", None)
    context = {
        **_plan_context(request, project, "table", cycle=cycle, fragment=bool(request.htmx)),
        "filters": filters,
        "page": page,
        "sort": sort,
        "querystring": params.urlencode(),
        "sortless_querystring": sortless.urlencode(),
        "is_filtered": any(data.values()),
        "cell": _cell_from_filters(data),
        "sort_columns": [
            ("title", _("Action")),
            ("stage", _("Stage")),
            ("family", _("Mix family")),
            ("status", _("Status")),
            ("start", _("Start")),
            ("end", _("End")),
            ("budget", _("Budget (€)")),
            ("", _("Lead partner")),
        ],
    }
    return render_page(request, "mix/plan_table.html", context, partial="results")


@require_action("plan.export")
def plan_export(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any, fmt: str
) -> HttpResponse:
    """The table as filtered on screen, as CSV or XLSX; headers in ?lang=fr|en or the UI's language."""
    project = project_or_404(request, project_uuid)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    cycle = cycle_or_404(request, project)
    filters = ActionFilterForm(request.GET or None, workspace=request.workspace)
    data = filters.cleaned_data if filters.is_valid() else {}
    actions = selectors.action_list(
        project=project,
        cycle=cycle,
        filters=data,
        sort=request.GET.get("sort") or "stage",
        full=True,
    )
    asked = request.GET.get("lang", "")
    language = asked if asked in {"fr", "en"} else (request.LANGUAGE_CODE or "en")[:2]
    name = f"{slugify(project.name) or 'plan'}-{_('cycle')}-{cycle.number}-{_('actions')}"
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(actions, language=language), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(actions, language=language),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response


def _querystring_without_page(request: WorkspaceRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _cell_from_filters(data: dict[str, Any]) -> dict[str, Any] | None:
    if data.get("stage") and data.get("family"):
        return {"stage": data["stage"], "family": data["family"]}
    return None


@require_action("plan.view")
def plan_matrix(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    """The TRACER x mix matrix: actions and budget per cell, gaps marked."""
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    context = {
        **_plan_context(request, project, "matrix", cycle=cycle),
        "matrix": selectors.matrix(project=project, cycle=cycle),
        "families": selectors.family_list(),
    }
    return render_page(request, "mix/plan_matrix.html", context, partial="matrix")


def _matrix_cell_context(
    request: WorkspaceRequest, project: Project, cycle: Cycle
) -> dict[str, Any]:
    """The cell named by ``?stage=<code>&family=<code>``, 404 for codes that name none."""
    stage = TracerStage.objects.filter(code=request.GET.get("stage") or "").first()
    family = MixFamily.objects.filter(code=request.GET.get("family") or "").first()
    if stage is None or family is None:
        raise Http404
    grid = selectors.matrix(project=project, cycle=cycle)
    return {
        "project": project,
        "view": "matrix",
        **cycle_context(request, project, cycle),
        "matrix": grid,
        "cell": grid.cell(stage, family),
    }


@require_action("matrix.mark")
def plan_matrix_cell(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """Mark a matrix cell "not relevant for this project" with a reason, change the reason, or
    remove the mark. With HTMX the form opens in the cell and a save answers the cell and the
    header's counts; without JS this is a page whose form goes back to the matrix."""
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    context = _matrix_cell_context(request, project, cycle)
    cell: selectors.Cell = context["cell"]
    fragment = bool(request.htmx)
    if (
        request.method == "GET"
        and fragment
        and (request.GET.get("display") or context["read_only"])
    ):
        # Cancel, or a page drawn before the cycle closed: the cell as it is, with no form.
        return _vary(render(request, "mix/plan_matrix.html#cell", {**context, "focus": True}))
    if request.method == "GET" and context["read_only"]:
        territories_services.assert_cycle_open(cycle)  # 409: a closed cycle offers no form
    form = IrrelevantCellForm(
        request.POST if request.method == "POST" else None,
        initial={"reason": cell.mark.reason if cell.mark else ""},
        auto_id=f"{cell.dom_id}-%s",
    )
    context["form"] = form
    status = 200
    if request.method == "POST":
        unmark = bool(request.POST.get("unmark"))
        status = 422 if not unmark and not form.is_valid() else 200
        try:
            if status == 200 and unmark:
                if cell.mark is not None:
                    services.irrelevant_cell_unmark(
                        actor=request.user, workspace=request.workspace, cell=cell.mark
                    )
            elif status == 200:
                services.irrelevant_cell_mark(
                    actor=request.user,
                    workspace=request.workspace,
                    project=project,
                    cycle=cycle,
                    stage=cell.stage,
                    family=cell.family,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            for messages_ in getattr(error, "message_dict", {}).values():
                form.add_error("reason", messages_)
            status = 422
        except Refused as refusal:  # a closed cycle: the reason on the form, nothing lost
            form.add_error(None, refusal.message)
            status = refusal.status
        if status == 200:
            if not fragment:
                messages.success(
                    request,
                    _("The mark is removed.")
                    if unmark
                    else _("The cell is marked not relevant for this project."),
                )
                return redirect_after_success(
                    request,
                    reverse("plan_matrix", args=[workspace_slug, project.uuid])
                    + f"?cycle={cycle.number}#{cell.dom_id}",
                )
            grid = selectors.matrix(project=project, cycle=cycle)
            saved = {**context, "matrix": grid, "cell": grid.cell(cell.stage, cell.family)}
            return _vary(
                render(
                    request,
                    "mix/plan_matrix.html#cell_saved",
                    {**saved, "focus": True, "form": None},
                )
            )
    if fragment:
        return _vary(render(request, "mix/plan_matrix.html#cell", context, status=status))
    return render_page(request, "mix/matrix_cell.html", context, status=status)


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_action("plan.view")
def plan_timeline(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    context = {
        **_plan_context(request, project, "timeline", cycle=cycle),
        **selectors.timeline(project=project, cycle=cycle, membership=request.membership),
    }
    return render_page(request, "mix/plan_timeline.html", context)


@require_action("plan.view")
def plan_changes(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    """The co-editors' poll: 204 when nothing changed, else the changes as out-of-band swaps."""
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    try:
        since = int(request.GET.get("rev", ""))
    except ValueError:
        return HttpResponse(status=400)
    poller = _poller(request, project)
    if since == project.plan_revision and request.GET.get("p") == poller["presence_hash"]:
        return HttpResponse(status=204)
    context: dict[str, Any] = {
        "project": project,
        "poller": poller,
        "view": request.GET.get("view", "board"),
        "org_ids": _org_ids(request),
        "live_fields": LIVE_FIELDS,
        **cycle_context(request, project, cycle),
    }
    if since != project.plan_revision:
        changed = coediting.changed_targets(project=project, since=since)
        touched_actions = set().union(*changed["action"].values()) if changed["action"] else set()
        touched_objectives = (
            set().union(*changed["objective"].values()) if changed["objective"] else set()
        )
        if len(touched_actions) + len(touched_objectives) > POLL_MAX_ITEMS:
            # Far behind (a laptop woke up): say so rather than send the whole plan.
            page_url = (request.htmx.current_url if request.htmx else None) or reverse(
                "plan_board", args=[workspace_slug, project.uuid]
            )
            context.update(
                changed=True,
                too_many=True,
                counters=selectors.counters(project=project, cycle=cycle),
                page_url=page_url,
            )
            return render(request, "mix/_poll.html", context)
        context.update(
            changed=True,
            counters=selectors.counters(project=project, cycle=cycle),
            actions=list(
                selectors.with_details(
                    selectors.plan_actions(project=project, cycle=cycle).filter(
                        uuid__in=touched_actions
                    ),
                    membership=request.membership,
                )
            ),
            objectives=list(
                tracer_selectors.objective_list(project=project, cycle=cycle).filter(
                    uuid__in=touched_objectives
                )
            ),
            created=changed["action"].get("created", set())
            | changed["action"].get("imported", set()),
            created_objectives=changed["objective"].get("created", set())
            | changed["objective"].get("imported", set()),
            deleted=changed["action"].get("deleted", set()),
            deleted_objectives=changed["objective"].get("deleted", set()),
        )
        if context["view"] == "matrix":
            context["matrix"] = selectors.matrix(project=project, cycle=cycle)
            context["families"] = selectors.family_list()
    return render(request, "mix/_poll.html", context)


# --- Creating and deleting ------------------------------------------------------------------------


@require_action("objective.create")
def objective_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    form = ObjectiveCreateForm(
        request.POST or None,
        workspace=request.workspace,
        initial={"stage": request.GET.get("stage"), "owner": request.membership.uuid},
    )
    return handle_form(
        request,
        form=form,
        template="mix/objective_form.html",
        context={"project": project},
        save=lambda data: tracer_services.objective_create(
            actor=request.user, workspace=request.workspace, project=project, **data
        ),
        success_url=lambda o: (
            reverse("plan_board", args=[workspace_slug, project.uuid]) + f"#objective-{o.uuid}"
        ),
        success_message=_("Objective added."),
    )


@require_action("action.create")
def action_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    initial = {
        k: request.GET.get(k) for k in ("objective", "family", "stage") if request.GET.get(k)
    }
    form = ActionCreateForm(
        request.POST or None,
        workspace=request.workspace,
        project=project,
        cycle=territories_selectors.cycle_current(project=project),
        initial=initial,
    )
    return handle_form(
        request,
        form=form,
        template="mix/action_form.html",
        context={"project": project},
        save=lambda data: services.action_create(
            actor=request.user, workspace=request.workspace, **data
        ),
        success_url=lambda a: reverse("action_detail", args=[workspace_slug, a.uuid]),
        success_message=_("Action added."),
    )


@require_POST
@require_action("objective.delete")
def objective_delete(
    request: WorkspaceRequest, workspace_slug: str, objective_uuid: Any
) -> HttpResponse:
    objective = _objective_or_404(request, objective_uuid)
    project = objective.project
    tracer_services.objective_delete(
        actor=request.user, workspace=request.workspace, objective=objective
    )
    return redirect_after_success(
        request, reverse("plan_board", args=[workspace_slug, project.uuid])
    )


@require_POST
@require_action("action.delete")
def action_delete(request: WorkspaceRequest, workspace_slug: str, action_uuid: Any) -> HttpResponse:
    action = _action_or_404(request, action_uuid)
    project = action.project
    services.action_delete(actor=request.user, workspace=request.workspace, action=action)
    return redirect_after_success(
        request, reverse("plan_board", args=[workspace_slug, project.uuid])
    )


# --- Detail pages ---------------------------------------------------------------------------------


def _objective_or_404(request: WorkspaceRequest, uuid: Any) -> Objective:
    objective = tracer_selectors.objective_get(membership=request.membership, uuid=uuid)
    if objective is None:
        raise Http404
    return objective


def _action_or_404(request: WorkspaceRequest, uuid: Any) -> Action:
    action = selectors.action_get(membership=request.membership, uuid=uuid)
    if action is None:
        raise Http404
    return action


ACTION_DETAIL_FIELDS = [
    "title",
    "description",
    "objective",
    "family",
    "status",
    "priority",
    "audiences",
    "lead_partner",
    "contributors",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_spent",
]
OBJECTIVE_DETAIL_FIELDS = [
    "title",
    "description",
    "stage",
    "priority",
    "audiences",
    "segment",
    "owner",
    "is_draft",
]


def _carried_links(item: Action | Objective) -> dict[str, Any]:
    """The item of the previous cycle this one continues, and its copy in the next cycle,
    each with its cycle."""
    model = type(item)
    path = "cycle" if model is Objective else "objective__cycle"
    found = model.objects.filter(Q(pk=item.carried_from_id) | Q(carried_from=item)).select_related(
        path
    )
    links: dict[str, Any] = {}
    for other in found:
        key = "carried_from" if other.pk == item.carried_from_id else "carried_to"
        cycle = other.cycle if isinstance(other, Objective) else other.objective.cycle
        links[key] = (other, cycle)
    return links


@require_action("plan.view")
def action_detail(request: WorkspaceRequest, workspace_slug: str, action_uuid: Any) -> HttpResponse:
    action = _action_or_404(request, action_uuid)
    project = action.project
    context = {
        **_plan_context(request, project, "action", cycle=action.objective.cycle),
        **comments_context(request, action),
        **_carried_links(action),
        "item": action,
        "fields": ACTION_DETAIL_FIELDS,
        "history": selectors.plan_change_rows(
            tracer_selectors.target_change_list(project=project, target_uuid=action.uuid)[:50]
        ),
    }
    return render_page(request, "mix/item_detail.html", context)


@require_action("plan.view")
def objective_detail(
    request: WorkspaceRequest, workspace_slug: str, objective_uuid: Any
) -> HttpResponse:
    objective = _objective_or_404(request, objective_uuid)
    project = objective.project
    context = {
        **_plan_context(request, project, "objective", cycle=objective.cycle),
        **comments_context(request, objective),
        **_carried_links(objective),
        "item": objective,
        "fields": OBJECTIVE_DETAIL_FIELDS,
        "actions": objective.actions.select_related("family").order_by("priority", "id"),
        "history": selectors.plan_change_rows(
            tracer_selectors.target_change_list(project=project, target_uuid=objective.uuid)[:50]
        ),
    }
    return render_page(request, "mix/item_detail.html", context)


@require_action("plan.view")
def plan_activity(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    cycle = cycle_or_404(request, project)
    changes = tracer_selectors.plan_change_list(project=project, cycle=cycle)
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.plan_change_rows(page.object_list)
    return render_page(
        request,
        "mix/plan_activity.html",
        {
            "project": project,
            "page": page,
            "view": "activity",
            "querystring": _querystring_without_page(request),
            **cycle_context(request, project, cycle),
        },
        partial="results",
    )


# --- Inline editing -------------------------------------------------------------------------------


def _field_form(item: Any, name: str, membership: Membership) -> type[forms.Form]:
    """A one-field form that parses the posted value of ``name``."""
    model = type(item)
    choices = None
    if name == "owner":
        choices = Membership.objects.select_related("user").order_by(
            "user__full_name", "user__email"
        )
    elif name in {"lead_partner", "contributors"}:
        choices = PartnerOrganisation.objects.order_by("name")
    elif name == "objective":
        # A move keeps the action in its cycle: only the objectives of that cycle are offered.
        choices = tracer_selectors.plan_objectives(
            project=item.project, cycle=item.objective.cycle
        ).select_related("stage")
    elif name == "stage":
        choices = TracerStage.objects.order_by("position")
    field = coediting.formfield(model, name, choices=choices)
    if isinstance(field, forms.ModelMultipleChoiceField):
        field.widget = forms.CheckboxSelectMultiple(choices=field.widget.choices)
    if name == "owner":
        field.label_from_instance = lambda m: m.user.display_name  # type: ignore[attr-defined]
    return type("FieldForm", (forms.Form,), {name: field})


def _initial(item: Any, name: str) -> Any:
    field = item._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(item, name).all())
    return getattr(item, name)


def _field_view(
    request: WorkspaceRequest, item: Any, name: str, *, editable: bool, save: Any
) -> HttpResponse:
    kind = "action" if isinstance(item, Action) else "objective"
    fields = ACTION_DETAIL_FIELDS if kind == "action" else OBJECTIVE_DETAIL_FIELDS
    if name not in fields:
        raise Http404
    project = item.project
    cycle = item.cycle if kind == "objective" else item.objective.cycle
    target = f"{kind}:{item.uuid}"
    context: dict[str, Any] = {"item": item, "name": name, "kind": kind, "project": project}
    template = "mix/_field.html"
    if request.method == "GET" and cycle.status == CycleStatus.CLOSED:
        # A closed cycle opens no editor (a page drawn before the close asked for one): the
        # field goes back to its text. A save still reaches the service, which refuses it (409).
        return render_page(
            request, template, {**context, "editable": False, "read_only": True}, partial="display"
        )
    if request.method == "GET" and request.GET.get("display"):
        coediting.presence_leave(project=project, membership=request.membership, target=target)
        return render_page(request, template, {**context, "editable": editable}, partial="display")
    if not editable:
        raise PermissionDenied(_("You may not edit this."))
    form_class = _field_form(item, name, request.membership)
    if request.method == "GET":
        coediting.presence_ping(project=project, membership=request.membership, target=target)
        form = form_class(initial={name: _initial(item, name)})
        return render_page(
            request, template, {**context, "form": form, "version": item.version}, partial="editor"
        )
    form = form_class(request.POST)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    if form.is_valid():
        try:
            saved = save(
                value=form.cleaned_data[name],
                version=version,
                original=request.POST.get("original"),
            )
        except coediting.Conflict as conflict:
            context.update(
                current=conflict.current,
                theirs=coediting.display(conflict.current, name),
                yours=_posted_display(form, name),
                posted=request.POST.getlist(name),
                version=conflict.current.version,
            )
            return render_page(request, template, context, partial="conflict", status=409)
        except ValidationError as error:
            for message in coediting.field_error_message(error, name):
                form.add_error(name, message)
        else:
            coediting.presence_leave(project=project, membership=request.membership, target=target)
            context.update(
                item=saved,
                editable=True,
                counters=selectors.counters(project=project, cycle=cycle),
                saved=True,
            )
            return render_page(request, template, context, partial="saved")
    return render_page(
        request,
        template,
        {
            **context,
            "form": form,
            "version": request.POST.get("version", ""),
            "original": request.POST.get("original"),
        },
        partial="editor",
        status=422,
    )


def _posted_display(form: forms.Form, name: str) -> str:
    value = form.cleaned_data.get(name)
    if value is None:
        return ""
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return coediting.amount(value)  # as "theirs" reads: "12,000 €"
    field = form.fields[name]
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    return str(value)


@require_action("action.update")
def action_field(
    request: WorkspaceRequest, workspace_slug: str, action_uuid: Any, name: str
) -> HttpResponse:
    action = _action_or_404(request, action_uuid)
    editable = selectors.can_edit_action(membership=request.membership, action=action)
    return _field_view(
        request,
        action,
        name,
        editable=editable,
        save=lambda value, version, original: services.action_save_field(
            actor=request.user,
            membership=request.membership,
            workspace=request.workspace,
            action=action,
            name=name,
            value=value,
            version=version,
            original=original,
        ),
    )


@require_action("objective.update")
def objective_field(
    request: WorkspaceRequest, workspace_slug: str, objective_uuid: Any, name: str
) -> HttpResponse:
    objective = _objective_or_404(request, objective_uuid)
    return _field_view(
        request,
        objective,
        name,
        editable=True,
        save=lambda value, version, original: tracer_services.objective_save_field(
            actor=request.user,
            workspace=request.workspace,
            objective=objective,
            name=name,
            value=value,
            version=version,
            original=original,
        ),
    )


@require_POST
@require_action("action.update")
def presence(
    request: WorkspaceRequest, workspace_slug: str, kind: str, item_uuid: Any
) -> HttpResponse:
    """The open editor pings every few seconds: "Claire is editing". Only editors of the item."""
    item: Action | Objective
    if kind == "action":
        item = _action_or_404(request, item_uuid)
        allowed = selectors.can_edit_action(membership=request.membership, action=item)
    elif kind == "objective":
        item = _objective_or_404(request, item_uuid)
        allowed = member_can(request, "objective.update")
    else:
        raise Http404
    if not allowed:
        raise PermissionDenied
    coediting.presence_ping(
        project=item.project, membership=request.membership, target=f"{kind}:{item.uuid}"
    )
    return HttpResponse(status=204)
