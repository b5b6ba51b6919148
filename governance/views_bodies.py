"""Governance bodies, their meetings and decisions, and the project's decisions register."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from governance import selectors, services
from governance.forms import (
    DecisionFilterForm,
    DecisionForm,
    GovernanceBodyForm,
    MeetingForm,
    initial_from,
)
from governance.models import Decision, GovernanceBody, Meeting
from governance.pages import deleted, get_or_404, item_form_page, paginate, project_crumbs
from territories.views import project_or_404


def _body_url(request: WorkspaceRequest, body: GovernanceBody) -> str:
    return reverse("body_detail", args=[request.workspace.slug, body.uuid])


def _meeting_url(request: WorkspaceRequest, meeting: Meeting) -> str:
    return reverse("meeting_detail", args=[request.workspace.slug, meeting.uuid])


def _bodies_url(request: WorkspaceRequest, project: Any) -> str:
    return reverse("body_list", args=[request.workspace.slug, project.uuid])


@require_action("governance.view")
def body_list(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    context = {
        "project": project,
        "tab": "bodies",
        "page": paginate(request, selectors.body_list(project=project)),
        "querystring": "",
    }
    return render_page(request, "governance/body_list.html", context, partial="results")


def _body_form(
    request: WorkspaceRequest, project: Any, body: GovernanceBody | None
) -> HttpResponse:
    fields = ["name", "kind", "mandate", "members", "organisations"]
    form = GovernanceBodyForm(
        request.POST or None,
        initial=initial_from(body, fields) if body else {},
        choices={
            "members": selectors.member_choices(workspace=request.workspace),
            "organisations": selectors.partner_organisation_choices(workspace=request.workspace),
        },
    )
    return item_form_page(
        request,
        form=form,
        project=project,
        title=_("Edit governance body") if body else _("New governance body"),
        crumbs=project_crumbs(request, project, (_bodies_url(request, project), _("Governance"))),
        cancel_url=_body_url(request, body) if body else _bodies_url(request, project),
        save=lambda data: services.governance_body_save(
            actor=request.user, workspace=request.workspace, project=project, body=body, **data
        ),
        success_url=lambda saved: _body_url(request, saved),
        message=_("Governance body saved."),
    )


@require_action("governance.manage")
def body_create(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    return _body_form(request, project_or_404(request, project_uuid), None)


@require_action("governance.manage")
def body_edit(request: WorkspaceRequest, workspace_slug: str, body_uuid: Any) -> HttpResponse:
    body = get_or_404(selectors.body_get, request, body_uuid)
    return _body_form(request, body.project, body)


@require_POST
@require_action("governance.manage")
def body_delete(request: WorkspaceRequest, workspace_slug: str, body_uuid: Any) -> HttpResponse:
    body = get_or_404(selectors.body_get, request, body_uuid)
    return deleted(
        request,
        delete=lambda: services.governance_body_delete(
            actor=request.user, workspace=request.workspace, body=body
        ),
        url=_bodies_url(request, body.project),
        message=_("Governance body deleted."),
    )


@require_action("governance.view")
def body_detail(request: WorkspaceRequest, workspace_slug: str, body_uuid: Any) -> HttpResponse:
    body = get_or_404(selectors.body_get, request, body_uuid)
    context = {
        "project": body.project,
        "tab": "bodies",
        "body": body,
        "page": paginate(request, selectors.meeting_list(body=body)),
        "querystring": "",
    }
    return render_page(request, "governance/body_detail.html", context, partial="results")


def _meeting_form(
    request: WorkspaceRequest, body: GovernanceBody, meeting: Meeting | None
) -> HttpResponse:
    fields = ["held_on", "title", "agenda", "attendees", "other_attendees", "minutes"]
    form = MeetingForm(
        request.POST or None,
        initial=initial_from(meeting, fields) if meeting else {},
        choices={"attendees": selectors.member_choices(workspace=request.workspace)},
    )
    return item_form_page(
        request,
        form=form,
        project=body.project,
        title=_("Edit meeting") if meeting else _("New meeting"),
        intro=_("The minutes are written in Markdown: **bold**, *italics*, lists, links."),
        crumbs=project_crumbs(request, body.project, (_body_url(request, body), body.name)),
        cancel_url=_meeting_url(request, meeting) if meeting else _body_url(request, body),
        save=lambda data: services.meeting_save(
            actor=request.user, workspace=request.workspace, body=body, meeting=meeting, **data
        ),
        success_url=lambda saved: _meeting_url(request, saved),
        message=_("Meeting saved."),
    )


@require_action("governance.manage")
def meeting_create(request: WorkspaceRequest, workspace_slug: str, body_uuid: Any) -> HttpResponse:
    return _meeting_form(request, get_or_404(selectors.body_get, request, body_uuid), None)


@require_action("governance.manage")
def meeting_edit(request: WorkspaceRequest, workspace_slug: str, meeting_uuid: Any) -> HttpResponse:
    meeting = get_or_404(selectors.meeting_get, request, meeting_uuid)
    return _meeting_form(request, meeting.body, meeting)


@require_POST
@require_action("governance.manage")
def meeting_delete(
    request: WorkspaceRequest, workspace_slug: str, meeting_uuid: Any
) -> HttpResponse:
    meeting = get_or_404(selectors.meeting_get, request, meeting_uuid)
    return deleted(
        request,
        delete=lambda: services.meeting_delete(
            actor=request.user, workspace=request.workspace, meeting=meeting
        ),
        url=_body_url(request, meeting.body),
        message=_("Meeting deleted."),
    )


@require_action("governance.view")
def meeting_detail(
    request: WorkspaceRequest, workspace_slug: str, meeting_uuid: Any
) -> HttpResponse:
    meeting = get_or_404(selectors.meeting_get, request, meeting_uuid)
    project = meeting.body.project
    context = {
        "project": project,
        "tab": "bodies",
        "meeting": meeting,
        "decisions": selectors.decision_list(project=project, meeting=meeting),
    }
    return render_page(request, "governance/meeting_detail.html", context)


def _decision_form(
    request: WorkspaceRequest, meeting: Meeting, decision: Decision | None
) -> HttpResponse:
    project = meeting.body.project
    fields = ["text", "owner", "due_date", "status", "objectives", "actions"]
    form = DecisionForm(
        request.POST or None,
        initial=initial_from(decision, fields) if decision else {},
        choices={
            "owner": selectors.member_choices(workspace=request.workspace),
            "objectives": project.objectives.select_related("stage", "cycle").order_by(
                "-cycle__number", "title", "id"
            ),
            "actions": project.actions.select_related(
                "objective__stage", "objective__cycle"
            ).order_by("-objective__cycle__number", "title", "id"),
        },
    )
    return item_form_page(
        request,
        form=form,
        project=project,
        title=_("Edit decision") if decision else _("New decision"),
        crumbs=project_crumbs(request, project, (_meeting_url(request, meeting), str(meeting))),
        cancel_url=_meeting_url(request, meeting),
        save=lambda data: services.decision_save(
            actor=request.user,
            workspace=request.workspace,
            meeting=meeting,
            decision=decision,
            **data,
        ),
        success_url=lambda saved: f"{_meeting_url(request, meeting)}#decision-{saved.uuid}",
        message=_("Decision saved."),
    )


@require_action("governance.manage")
def decision_create(
    request: WorkspaceRequest, workspace_slug: str, meeting_uuid: Any
) -> HttpResponse:
    return _decision_form(request, get_or_404(selectors.meeting_get, request, meeting_uuid), None)


@require_action("governance.manage")
def decision_edit(
    request: WorkspaceRequest, workspace_slug: str, decision_uuid: Any
) -> HttpResponse:
    decision = get_or_404(selectors.decision_get, request, decision_uuid)
    return _decision_form(request, decision.meeting, decision)


@require_POST
@require_action("governance.manage")
def decision_delete(
    request: WorkspaceRequest, workspace_slug: str, decision_uuid: Any
) -> HttpResponse:
    decision = get_or_404(selectors.decision_get, request, decision_uuid)
    return deleted(
        request,
        delete=lambda: services.decision_delete(
            actor=request.user, workspace=request.workspace, decision=decision
        ),
        url=_meeting_url(request, decision.meeting),
        message=_("Decision deleted."),
    )


@require_action("governance.view")
def decision_list(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """The decisions register: every decision of every body, newest meeting first."""
    project = project_or_404(request, project_uuid)
    filters = DecisionFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    context = {
        "project": project,
        "tab": "decisions",
        "filters": filters,
        "page": paginate(request, selectors.decision_list(project=project, status=status)),
        "querystring": f"status={status}" if status else "",
        "is_filtered": bool(status),
    }
    return render_page(request, "governance/decision_list.html", context, partial="results")
