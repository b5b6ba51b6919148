"""Webhook settings pages: endpoints, their secret, their deliveries' log. Admins only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import webhooks
from core.forms import WebhookEndpointForm
from core.htmx import handle_form, redirect_after_success, render_page
from core.http import WorkspaceRequest
from core.models import WebhookEndpoint
from core.permissions import require_action

LIST_TEMPLATE = "core/webhook_list.html"
FORM_TEMPLATE = "core/webhook_form.html"
DETAIL_TEMPLATE = "core/webhook_detail.html"
DELIVERIES_PAGE_SIZE = 25


def _endpoint_or_404(request: WorkspaceRequest, endpoint_uuid: Any) -> WebhookEndpoint:
    endpoint = webhooks.endpoint_get(workspace=request.workspace, uuid=endpoint_uuid)
    if endpoint is None:
        raise Http404
    return endpoint


def _detail_url(workspace_slug: str, endpoint: WebhookEndpoint) -> str:
    return reverse("webhook_detail", args=[workspace_slug, endpoint.uuid])


@never_cache
@require_action("webhook.view")
def webhook_list(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    endpoints = webhooks.endpoint_list(workspace=request.workspace)
    return render_page(request, LIST_TEMPLATE, {"endpoints": endpoints, "events": webhooks.EVENTS})


@require_action("webhook.manage")
def webhook_create(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    form = WebhookEndpointForm(request.POST or None)
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        save=lambda data: webhooks.endpoint_create(
            actor=request.user, workspace=request.workspace, request=request, **data
        ),
        success_url=lambda endpoint: _detail_url(workspace_slug, endpoint),
        success_message=_(
            "Endpoint added. Copy its secret into the receiver to check the signatures."
        ),
    )


@require_action("webhook.manage")
def webhook_edit(
    request: WorkspaceRequest, workspace_slug: str, endpoint_uuid: Any
) -> HttpResponse:
    endpoint = _endpoint_or_404(request, endpoint_uuid)
    form = WebhookEndpointForm(
        request.POST or None,
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
            "is_active": endpoint.is_active,
        },
    )
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        context={"endpoint": endpoint},
        save=lambda data: webhooks.endpoint_update(
            actor=request.user, workspace=request.workspace, endpoint=endpoint, **data
        ),
        success_url=lambda saved: _detail_url(workspace_slug, saved),
        success_message=_("Endpoint saved."),
    )


@never_cache
@require_action("webhook.view")
def webhook_detail(
    request: WorkspaceRequest, workspace_slug: str, endpoint_uuid: Any
) -> HttpResponse:
    """The endpoint, its secret and its deliveries' log (the ``results`` fragment refreshes
    itself while a delivery on the page is still on its way)."""
    endpoint = _endpoint_or_404(request, endpoint_uuid)
    deliveries = webhooks.delivery_list(endpoint=endpoint)
    page = Paginator(deliveries, DELIVERIES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "endpoint": endpoint,
        "page": page,
        "in_flight": any(d.is_open for d in page.object_list),
        "events": webhooks.EVENTS,
        "max_attempts": webhooks.max_attempts(),
    }
    return render_page(request, DETAIL_TEMPLATE, context, partial="results")


@require_POST
@require_action("webhook.manage")
def webhook_delete(
    request: WorkspaceRequest, workspace_slug: str, endpoint_uuid: Any
) -> HttpResponse:
    endpoint = _endpoint_or_404(request, endpoint_uuid)
    webhooks.endpoint_delete(
        actor=request.user, workspace=request.workspace, endpoint=endpoint, request=request
    )
    messages.success(request, _("Endpoint %(url)s deleted.") % {"url": endpoint.url})
    return redirect_after_success(request, reverse("webhook_list", args=[workspace_slug]))


@require_POST
@require_action("webhook.manage")
def webhook_rotate_secret(
    request: WorkspaceRequest, workspace_slug: str, endpoint_uuid: Any
) -> HttpResponse:
    endpoint = _endpoint_or_404(request, endpoint_uuid)
    webhooks.endpoint_rotate_secret(
        actor=request.user, workspace=request.workspace, endpoint=endpoint, request=request
    )
    messages.success(
        request,
        _(
            "New secret made. For 24 hours deliveries are signed with both the old and the new "
            "secret: update the receiver meanwhile."
        ),
    )
    return redirect_after_success(request, _detail_url(workspace_slug, endpoint))


@require_POST
@require_action("webhook.manage")
def webhook_test(
    request: WorkspaceRequest, workspace_slug: str, endpoint_uuid: Any
) -> HttpResponse:
    endpoint = _endpoint_or_404(request, endpoint_uuid)
    webhooks.endpoint_send_test(actor=request.user, workspace=request.workspace, endpoint=endpoint)
    messages.success(request, _("A test event (ping) is on its way: see the log below."))
    return redirect_after_success(request, _detail_url(workspace_slug, endpoint))


@require_POST
@require_action("webhook.manage")
def webhook_replay(
    request: WorkspaceRequest, workspace_slug: str, endpoint_uuid: Any, delivery_uuid: Any
) -> HttpResponse:
    """Send a delivery's event again, as a new delivery at the top of the log."""
    endpoint = _endpoint_or_404(request, endpoint_uuid)
    delivery = webhooks.delivery_get(endpoint=endpoint, uuid=delivery_uuid)
    if delivery is None:
        raise Http404
    webhooks.delivery_replay(actor=request.user, workspace=request.workspace, delivery=delivery)
    messages.success(request, _("The %(event)s event is sent again.") % {"event": delivery.event})
    return redirect_after_success(request, _detail_url(workspace_slug, endpoint))
