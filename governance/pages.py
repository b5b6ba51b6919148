"""What the governance pages share: finding an object the member may see, the item form page,
the delete answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse

from core.htmx import handle_form, redirect_after_success
from core.http import WorkspaceRequest

PAGE_SIZE = 20
ITEM_FORM = "governance/item_form.html"


def get_or_404(selector: Callable[..., Any], request: WorkspaceRequest, uuid: Any) -> Any:
    """``selector(membership=..., uuid=...)`` or 404: partners find only shared projects' rows."""
    obj = selector(membership=request.membership, uuid=uuid)
    if obj is None:
        raise Http404
    return obj


def paginate(request: WorkspaceRequest, qs: Any) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def project_crumbs(request: WorkspaceRequest, project: Any, *more: tuple[str, Any]) -> list[Any]:
    slug = request.workspace.slug
    return [
        (reverse("project_list", args=[slug]), _projects_label()),
        (reverse("project_detail", args=[slug, project.uuid]), project.name),
        *more,
    ]


def _projects_label() -> str:
    from django.utils.translation import gettext

    return gettext("Projects")


def item_form_page(
    request: WorkspaceRequest,
    *,
    form: Any,
    title: str,
    crumbs: list[Any],
    cancel_url: str,
    save: Callable[[dict[str, Any]], Any],
    success_url: Callable[[Any], str],
    message: str,
    project: Any = None,
    intro: str = "",
) -> HttpResponse:
    """The shared create/edit page: GET shows the form; POST saves through the service or
    answers 422 (409 when a closed cycle refuses) with the form fragment."""
    return handle_form(
        request,
        form=form,
        template=ITEM_FORM,
        context={
            "title": title,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "project": project,
            "intro": intro,
        },
        save=save,
        success_url=success_url,
        success_message=message,
    )


def deleted(
    request: WorkspaceRequest, *, delete: Callable[[], Any], url: str, message: str
) -> HttpResponse:
    delete()
    messages.success(request, message)
    return redirect_after_success(request, url)
