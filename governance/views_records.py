"""Records of a cycle with the same pages: pooled means (partners' contributions) and the local
ownership log. One list with totals per cycle, one create/edit form, one delete; closed cycles
are read-only (the services refuse, the pages answer 409 with the reason)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.htmx import render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from governance import selectors, services
from governance.forms import (
    ActorProposalForm,
    ContributionForm,
    OwnershipEventForm,
    initial_from,
)
from governance.models import ActorProposal, Contribution, OwnershipEvent
from governance.pages import deleted, get_or_404, item_form_page, paginate, project_crumbs
from territories.views import project_or_404


@dataclass(frozen=True)
class CycleRegister:
    prefix: str  # URL names: <prefix>_list, <prefix>_create, <prefix>_edit, <prefix>_delete
    model: Any
    form: Any
    fields: list[str]
    keyword: str  # the service's keyword for the record
    save: Callable[..., Any]
    delete: Callable[..., Any]
    rows: Callable[..., Any]
    totals: Callable[..., Any]
    template: str
    title: Promise
    new_title: Promise
    edit_title: Promise
    saved: Promise
    removed: Promise
    choices: Callable[[WorkspaceRequest], dict[str, Any]] = lambda request: {}
    frozen_when_closed: bool = True  # records followed beyond their cycle stay editable


MEANS = CycleRegister(
    prefix="contribution",
    model=Contribution,
    form=ContributionForm,
    fields=["partner", "amount", "days", "note"],
    keyword="contribution",
    save=services.contribution_save,
    delete=services.contribution_delete,
    rows=selectors.contribution_list,
    totals=selectors.contribution_totals,
    template="governance/contribution_list.html",
    title=_("Pooled means"),
    new_title=_("New contribution"),
    edit_title=_("Edit contribution"),
    saved=_("Contribution saved."),
    removed=_("Contribution deleted."),
    choices=lambda request: {
        "partner": selectors.partner_organisation_choices(workspace=request.workspace)
    },
)

OWNERSHIP = CycleRegister(
    prefix="ownership",
    model=OwnershipEvent,
    form=OwnershipEventForm,
    fields=["kind", "held_on", "title", "audience", "participants", "outcomes"],
    keyword="event",
    save=services.ownership_event_save,
    delete=services.ownership_event_delete,
    rows=selectors.ownership_list,
    totals=selectors.ownership_totals,
    template="governance/ownership_list.html",
    title=_("Local ownership"),
    new_title=_("New local ownership event"),
    edit_title=_("Edit local ownership event"),
    saved=_("Event saved."),
    removed=_("Event deleted."),
)


def _list_url(request: WorkspaceRequest, register: CycleRegister, cycle: Any) -> str:
    url = reverse(f"{register.prefix}_list", args=[request.workspace.slug, cycle.project.uuid])
    return f"{url}?cycle={cycle.number}"


def _record_or_404(request: WorkspaceRequest, register: CycleRegister, uuid: Any) -> Any:
    return get_or_404(partial(selectors.cycle_record_get, register.model), request, uuid)


def _form_page(
    request: WorkspaceRequest, register: CycleRegister, cycle: Any, record: Any
) -> HttpResponse:
    form_kwargs: dict[str, Any] = {
        "initial": initial_from(record, register.fields) if record else {}
    }
    if register.choices(request):
        form_kwargs["choices"] = register.choices(request)
    form = register.form(request.POST or None, **form_kwargs)
    project = cycle.project
    back = _list_url(request, register, cycle)
    return item_form_page(
        request,
        form=form,
        project=project,
        title=f"{register.edit_title if record else register.new_title} · {cycle}",
        crumbs=project_crumbs(request, project, (back, str(register.title))),
        cancel_url=back,
        save=lambda data: register.save(
            actor=request.user,
            workspace=request.workspace,
            cycle=cycle,
            **{register.keyword: record},
            **data,
        ),
        success_url=lambda saved: f"{back}#{register.prefix}-{saved.uuid}",
        message=str(register.saved),
    )


def register_views(register: CycleRegister) -> dict[str, Callable[..., HttpResponse]]:
    """The four pages of a register, guarded like every governance page."""

    @require_action("governance.view")
    def record_list(
        request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
    ) -> HttpResponse:
        project = project_or_404(request, project_uuid)
        cycle = selectors.cycle_get(project=project, number=request.GET.get("cycle"))
        if cycle is None:
            raise Http404
        context = {
            "project": project,
            "tab": register.prefix,
            "cycle": cycle,
            "cycles": selectors.cycle_list(project=project),
            "page": paginate(request, register.rows(cycle=cycle)),
            "querystring": f"cycle={cycle.number}",
            "totals": register.totals(cycle=cycle),
            "editable": cycle.status == "open" or not register.frozen_when_closed,
        }
        return render_page(request, register.template, context, partial="results")

    @require_action("governance.manage")
    def record_create(
        request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
    ) -> HttpResponse:
        project = project_or_404(request, project_uuid)
        cycle = selectors.cycle_get(project=project, number=request.GET.get("cycle"))
        if cycle is None:
            raise Http404
        return _form_page(request, register, cycle, None)

    @require_action("governance.manage")
    def record_edit(
        request: WorkspaceRequest, workspace_slug: str, record_uuid: Any
    ) -> HttpResponse:
        record = _record_or_404(request, register, record_uuid)
        return _form_page(request, register, record.cycle, record)

    @require_POST
    @require_action("governance.manage")
    def record_delete(
        request: WorkspaceRequest, workspace_slug: str, record_uuid: Any
    ) -> HttpResponse:
        record = _record_or_404(request, register, record_uuid)
        return deleted(
            request,
            delete=lambda: register.delete(
                actor=request.user, workspace=request.workspace, **{register.keyword: record}
            ),
            url=_list_url(request, register, record.cycle),
            message=str(register.removed),
        )

    return {
        "list": record_list,
        "create": record_create,
        "edit": record_edit,
        "delete": record_delete,
    }


def register_urls(register: CycleRegister, segment: str) -> list[Any]:
    from django.urls import path

    views = register_views(register)
    p = register.prefix
    return [
        path(f"projects/<uuid:project_uuid>/{segment}/", views["list"], name=f"{p}_list"),
        path(f"projects/<uuid:project_uuid>/{segment}/new/", views["create"], name=f"{p}_create"),
        path(f"{segment}/<uuid:record_uuid>/edit/", views["edit"], name=f"{p}_edit"),
        path(f"{segment}/<uuid:record_uuid>/delete/", views["delete"], name=f"{p}_delete"),
    ]


NEW_ACTORS = CycleRegister(
    prefix="proposal",
    model=ActorProposal,
    form=ActorProposalForm,
    fields=["name", "kind", "reason", "contact", "status"],
    keyword="proposal",
    save=services.actor_proposal_save,
    delete=services.actor_proposal_delete,
    rows=selectors.actor_proposal_list,
    totals=selectors.actor_proposal_totals,
    template="governance/proposal_list.html",
    title=_("New actors"),
    new_title=_("New actor proposal"),
    edit_title=_("Edit new actor proposal"),
    saved=_("Proposal saved."),
    removed=_("Proposal deleted."),
    frozen_when_closed=False,
)
