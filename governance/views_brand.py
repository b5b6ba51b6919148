"""The brand platform of a project (optional): the platform, the partners allowed to use the
mark, the ambassadors register and its counts."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from governance import selectors, services
from governance.forms import (
    AmbassadorFilterForm,
    AmbassadorForm,
    BrandLicenseeForm,
    BrandPlatformForm,
    initial_from,
)
from governance.models import Ambassador, BrandLicensee
from governance.pages import deleted, get_or_404, item_form_page, paginate, project_crumbs
from territories.views import project_or_404

PLATFORM_FIELDS = ["name", "promise", "values", "personality", "audiences", "proof_points"]


def _brand_url(request: WorkspaceRequest, project: Any) -> str:
    return reverse("brand", args=[request.workspace.slug, project.uuid])


def _ambassadors_url(request: WorkspaceRequest, project: Any) -> str:
    return reverse("ambassador_list", args=[request.workspace.slug, project.uuid])


def _item_or_404(request: WorkspaceRequest, model: Any, uuid: Any) -> Any:
    return get_or_404(partial(selectors.brand_item_get, model), request, uuid)


def _platform_or_404(project: Any) -> Any:
    platform = selectors.brand_get(project=project)
    if platform is None:
        raise Http404
    return platform


@require_action("governance.view")
def brand(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    platform = selectors.brand_get(project=project)
    context: dict[str, Any] = {"project": project, "tab": "brand", "platform": platform}
    if platform is not None:
        context["licensees"] = selectors.licensee_list(platform=platform)
        context["counts"] = selectors.brand_counts(project=project)
    return render_page(request, "governance/brand.html", context)


@require_action("governance.manage")
def brand_edit(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    platform = selectors.brand_get(project=project)
    form = BrandPlatformForm(
        request.POST or None,
        initial=initial_from(platform, PLATFORM_FIELDS) if platform else {},
    )
    back = _brand_url(request, project)
    return item_form_page(
        request,
        form=form,
        project=project,
        title=_("Edit the brand platform") if platform else _("New brand platform"),
        crumbs=project_crumbs(request, project, (back, _("Brand"))),
        cancel_url=back,
        save=lambda data: services.brand_platform_save(
            actor=request.user, workspace=request.workspace, project=project, **data
        ),
        success_url=lambda saved: back,
        message=_("Brand platform saved."),
    )


def _licensee_form(request: WorkspaceRequest, project: Any, licensee: Any) -> HttpResponse:
    form = BrandLicenseeForm(
        request.POST or None,
        initial=initial_from(licensee, ["partner", "since", "note"]) if licensee else {},
        choices={"partner": selectors.partner_organisation_choices(workspace=request.workspace)},
    )
    back = _brand_url(request, project)
    return item_form_page(
        request,
        form=form,
        project=project,
        title=_("Edit brand licensee") if licensee else _("New brand licensee"),
        crumbs=project_crumbs(request, project, (back, _("Brand"))),
        cancel_url=back,
        save=lambda data: services.brand_licensee_save(
            actor=request.user,
            workspace=request.workspace,
            project=project,
            licensee=licensee,
            **data,
        ),
        success_url=lambda saved: f"{back}#licensee-{saved.uuid}",
        message=_("Brand licensee saved."),
    )


@require_action("governance.manage")
def licensee_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    _platform_or_404(project)
    return _licensee_form(request, project, None)


@require_action("governance.manage")
def licensee_edit(request: WorkspaceRequest, workspace_slug: str, item_uuid: Any) -> HttpResponse:
    licensee = _item_or_404(request, BrandLicensee, item_uuid)
    return _licensee_form(request, licensee.platform.project, licensee)


@require_POST
@require_action("governance.manage")
def licensee_delete(request: WorkspaceRequest, workspace_slug: str, item_uuid: Any) -> HttpResponse:
    licensee = _item_or_404(request, BrandLicensee, item_uuid)
    return deleted(
        request,
        delete=lambda: services.brand_licensee_delete(
            actor=request.user, workspace=request.workspace, licensee=licensee
        ),
        url=_brand_url(request, licensee.platform.project),
        message=_("Brand licensee deleted."),
    )


@require_action("governance.view")
def ambassador_list(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    platform = _platform_or_404(project)
    filters = AmbassadorFilterForm(request.GET or None)
    active = filters.cleaned_data.get("active") if filters.is_valid() else ""
    context = {
        "project": project,
        "tab": "brand",
        "filters": filters,
        "page": paginate(
            request,
            selectors.ambassador_list(
                platform=platform, active=None if not active else active == "1"
            ),
        ),
        "querystring": f"active={active}" if active else "",
        "is_filtered": bool(active),
        "counts": selectors.brand_counts(project=project),
    }
    return render_page(request, "governance/ambassador_list.html", context, partial="results")


def _ambassador_form(request: WorkspaceRequest, project: Any, ambassador: Any) -> HttpResponse:
    fields = ["name", "kind", "segment", "is_active", "joined_on"]
    form = AmbassadorForm(
        request.POST or None,
        initial=initial_from(ambassador, fields) if ambassador else {"is_active": True},
    )
    back = _ambassadors_url(request, project)
    return item_form_page(
        request,
        form=form,
        project=project,
        title=_("Edit ambassador") if ambassador else _("New ambassador"),
        crumbs=project_crumbs(request, project, (back, _("Ambassadors"))),
        cancel_url=back,
        save=lambda data: services.ambassador_save(
            actor=request.user,
            workspace=request.workspace,
            project=project,
            ambassador=ambassador,
            **data,
        ),
        success_url=lambda saved: f"{back}#ambassador-{saved.uuid}",
        message=_("Ambassador saved."),
    )


@require_action("governance.manage")
def ambassador_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    _platform_or_404(project)
    return _ambassador_form(request, project, None)


@require_action("governance.manage")
def ambassador_edit(request: WorkspaceRequest, workspace_slug: str, item_uuid: Any) -> HttpResponse:
    ambassador = _item_or_404(request, Ambassador, item_uuid)
    return _ambassador_form(request, ambassador.platform.project, ambassador)


@require_POST
@require_action("governance.manage")
def ambassador_delete(
    request: WorkspaceRequest, workspace_slug: str, item_uuid: Any
) -> HttpResponse:
    ambassador = _item_or_404(request, Ambassador, item_uuid)
    return deleted(
        request,
        delete=lambda: services.ambassador_delete(
            actor=request.user, workspace=request.workspace, ambassador=ambassador
        ),
        url=_ambassadors_url(request, ambassador.platform.project),
        message=_("Ambassador deleted."),
    )
