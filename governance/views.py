"""Pages for partner organisations (list, create, edit, delete) and for sharing a project."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import handle_form, redirect_after_success, render_page
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action
from core.uploads import serve
from governance import selectors, services
from governance.forms import (
    ContactPersonForm,
    PartnerOrganisationForm,
    ProjectSharingForm,
    initial_from,
)
from governance.models import ContactPerson, PartnerOrganisation
from territories.views import project_or_404

PAGE_SIZE = 20
LIST_TEMPLATE = "governance/partner_list.html"
FORM_TEMPLATE = "governance/partner_form.html"
ITEM_FORM = "governance/item_form.html"


def _organisation_or_404(request: WorkspaceRequest, uuid: Any) -> PartnerOrganisation:
    organisation = selectors.partner_organisation_get(workspace=request.workspace, uuid=uuid)
    if organisation is None:
        raise Http404
    return organisation


def _list_url(workspace_slug: str, organisation: PartnerOrganisation | None = None) -> str:
    url = reverse("partner_list", args=[workspace_slug])
    return f"{url}#partner-{organisation.uuid}" if organisation is not None else url


def _detail_url(workspace_slug: str, organisation: PartnerOrganisation) -> str:
    return reverse("partner_detail", args=[workspace_slug, organisation.uuid])


@require_action("partner_org.view")
def partner_list(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    organisations = selectors.partner_organisation_list(membership=request.membership)
    context = {
        "page": Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": "",
        # {% if can.… %} cannot spell "partner_org.manage" (the underscore is taken for the dot).
        "can_manage": member_can(request, "partner_org.manage"),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


@require_action("partner_org.manage")
def partner_create(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    form = PartnerOrganisationForm(
        request.POST or None, request.FILES or None, workspace=request.workspace
    )
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        save=lambda data: services.partner_organisation_create(
            actor=request.user, workspace=request.workspace, **data
        ),
        success_url=lambda organisation: _detail_url(workspace_slug, organisation),
        success_message=_("Partner organisation created."),
    )


@require_action("partner_org.manage")
def partner_edit(request: WorkspaceRequest, workspace_slug: str, partner_uuid: Any) -> HttpResponse:
    organisation = _organisation_or_404(request, partner_uuid)
    form = PartnerOrganisationForm(
        request.POST or None,
        request.FILES or None,
        workspace=request.workspace,
        initial=initial_from(organisation, ["name", "members", "kind", "role", "website", "notes"]),
    )
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        context={"organisation": organisation},
        save=lambda data: services.partner_organisation_update(
            actor=request.user, workspace=request.workspace, organisation=organisation, **data
        ),
        success_url=lambda saved: _detail_url(workspace_slug, saved),
        success_message=_("Partner organisation saved."),
    )


@require_POST
@require_action("partner_org.manage")
def partner_delete(
    request: WorkspaceRequest, workspace_slug: str, partner_uuid: Any
) -> HttpResponse:
    """Delete; refused (422 with the row and the reason) while the organisation has actions."""
    organisation = _organisation_or_404(request, partner_uuid)
    name = organisation.name
    try:
        services.partner_organisation_delete(
            actor=request.user, workspace=request.workspace, organisation=organisation
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if request.htmx:
            row = selectors.partner_organisation_list(membership=request.membership).get(
                pk=organisation.pk
            )
            context = {"organisation": row, "row_error": error, "can_manage": True}
            return render_page(request, LIST_TEMPLATE, context, partial="row", status=422)
        messages.error(request, error)
        return redirect_after_success(request, _list_url(workspace_slug, organisation))
    messages.success(request, _("%(name)s deleted.") % {"name": name})
    return redirect_after_success(request, _list_url(workspace_slug))


@require_action("project.share")
def project_sharing(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """Tick the organisations whose partners see this project."""
    project = project_or_404(request, project_uuid)
    initial = {}
    if request.method != "POST":
        initial["organisations"] = list(selectors.project_partner_organisations(project=project))
    # Bound on every POST: unticking all the boxes posts nothing, and that is a valid choice.
    data = request.POST if request.method == "POST" else None
    form = ProjectSharingForm(data, workspace=request.workspace, initial=initial)
    return handle_form(
        request,
        form=form,
        template="governance/project_sharing.html",
        context={"project": project, "can_manage": member_can(request, "partner_org.manage")},
        save=lambda data: services.project_sharing_update(
            actor=request.user,
            workspace=request.workspace,
            project=project,
            organisations=data["organisations"],
        ),
        success_url=lambda saved: reverse("project_detail", args=[workspace_slug, saved.uuid]),
        success_message=_("Sharing saved."),
    )


@require_action("partner_org.view")
def partner_detail(
    request: WorkspaceRequest, workspace_slug: str, partner_uuid: Any
) -> HttpResponse:
    """An organisation: what it is, its contact people, the actions it leads or contributes to
    (in the projects the member sees)."""
    organisation = selectors.partner_organisation_detail(
        workspace=request.workspace, uuid=partner_uuid
    )
    if organisation is None:
        raise Http404
    actions = selectors.partner_actions(organisation=organisation, membership=request.membership)
    context = {
        "organisation": organisation,
        "contacts": selectors.contact_list(organisation=organisation),
        "page": Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": "",
        "can_manage": member_can(request, "partner_org.manage"),
    }
    return render_page(request, "governance/partner_detail.html", context, partial="results")


@require_action("partner_org.view")
def partner_logo(
    request: WorkspaceRequest, workspace_slug: str, partner_uuid: Any
) -> HttpResponseBase:
    """The logo, to members only (files are never on a public URL)."""
    organisation = _organisation_or_404(request, partner_uuid)
    if not organisation.logo:
        raise Http404
    return serve(organisation.logo, filename=organisation.logo.name.rsplit("/", 1)[-1], inline=True)


def _contact_or_404(request: WorkspaceRequest, uuid: Any) -> ContactPerson:
    contact = selectors.contact_get(workspace=request.workspace, uuid=uuid)
    if contact is None:
        raise Http404
    return contact


def _contact_form_page(
    request: WorkspaceRequest,
    organisation: PartnerOrganisation,
    contact: ContactPerson | None,
) -> HttpResponse:
    initial = (
        initial_from(contact, ["full_name", "job_title", "email", "phone", "membership"])
        if contact
        else {}
    )
    form = ContactPersonForm(request.POST or None, workspace=request.workspace, initial=initial)
    detail = _detail_url(request.workspace.slug, organisation)
    return handle_form(
        request,
        form=form,
        template=ITEM_FORM,
        context={
            "title": _("Edit contact person") if contact else _("New contact person"),
            "crumbs": [
                (
                    reverse("partner_list", args=[request.workspace.slug]),
                    _("Partner organisations"),
                ),
                (detail, organisation.name),
            ],
            "cancel_url": detail,
        },
        save=lambda data: services.contact_person_save(
            actor=request.user,
            workspace=request.workspace,
            organisation=organisation,
            contact=contact,
            **data,
        ),
        success_url=lambda saved: f"{detail}#contact-{saved.uuid}",
        success_message=_("Contact person saved."),
    )


@require_action("partner_org.manage")
def contact_create(
    request: WorkspaceRequest, workspace_slug: str, partner_uuid: Any
) -> HttpResponse:
    return _contact_form_page(request, _organisation_or_404(request, partner_uuid), None)


@require_action("partner_org.manage")
def contact_edit(request: WorkspaceRequest, workspace_slug: str, contact_uuid: Any) -> HttpResponse:
    contact = _contact_or_404(request, contact_uuid)
    return _contact_form_page(request, contact.organisation, contact)


@require_POST
@require_action("partner_org.manage")
def contact_delete(
    request: WorkspaceRequest, workspace_slug: str, contact_uuid: Any
) -> HttpResponse:
    contact = _contact_or_404(request, contact_uuid)
    services.contact_person_delete(actor=request.user, workspace=request.workspace, contact=contact)
    messages.success(request, _("Contact person deleted."))
    return redirect_after_success(request, _detail_url(workspace_slug, contact.organisation))
