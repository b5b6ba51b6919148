"""Personal API tokens: each member lists, creates and revokes their own; admins see everyone's.

A token's secret exists only in the answer to the POST that created it (core.tokens stores a
hash), so that answer is never cached and the page never shows it again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import selectors, tokens
from core.forms import ApiTokenForm
from core.htmx import _add_service_error, redirect_after_success, render_invalid, render_page
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action

TEMPLATE = "core/api_tokens.html"


def _read_only(request: WorkspaceRequest) -> bool:
    """Viewers get read-only tokens (core.tokens refuses the others)."""
    return not tokens.can_write(request.membership.role)


def _context(request: WorkspaceRequest, **extra: Any) -> dict[str, Any]:
    everyone = member_can(request, "token.revoke_any")
    context: dict[str, Any] = {
        "tokens": selectors.api_token_list(
            workspace=request.workspace, user=request.user, everyone=everyone
        ),
        "sees_everyone": everyone,
        "form": ApiTokenForm(read_only=_read_only(request)),
        "docs_url": reverse("api:docs"),
    }
    context.update(extra)
    return context


def _curl_examples(request: WorkspaceRequest, secret: str) -> list[str]:
    """Ready to paste: this site's real address, this workspace, this token."""
    me = request.build_absolute_uri(reverse("api:me"))
    actions = request.build_absolute_uri(
        reverse("api:action-list", kwargs={"workspace_slug": request.workspace.slug})
    )
    header = f'-H "Authorization: Bearer {secret}"'
    return [f"curl {header} {me}", f'curl {header} "{actions}?page_size=100"']


@never_cache
@require_action("token.manage")
def api_tokens(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """The member's tokens (admins: everyone's). POST creates one and shows its secret once."""
    if request.method != "POST":
        return render_page(request, TEMPLATE, _context(request))
    form = ApiTokenForm(request.POST, read_only=_read_only(request))
    if form.is_valid():
        try:
            token, secret = tokens.token_create(
                actor=request.user,
                workspace=request.workspace,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_on=form.cleaned_data["expires_on"],
                request=request,
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            context = _context(
                request,
                created=token,
                secret=secret,
                curl_examples=_curl_examples(request, secret),
            )
            # HTMX: the secret replaces the form and the list refreshes out of band. Without
            # HTMX: the whole page, the secret in place of the form. Never a redirect: the
            # secret must not travel through the session or the address.
            return render_page(request, TEMPLATE, context, partial="created")
    return render_invalid(request, TEMPLATE, _context(request, form=form))


@require_POST
@require_action("token.manage")
def api_token_revoke(
    request: WorkspaceRequest, workspace_slug: str, token_uuid: str
) -> HttpResponse:
    """Revoke one of the member's tokens; admins and owners revoke anyone's in the workspace."""
    token = selectors.api_token_get(
        workspace=request.workspace,
        user=request.user,
        uuid=token_uuid,
        everyone=member_can(request, "token.revoke_any"),
    )
    if token is None:
        raise Http404
    was_active = token.is_active
    token = tokens.token_revoke(
        actor=request.user, workspace=request.workspace, token=token, request=request
    )
    if was_active:
        messages.success(
            request,
            _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
        )
    if request.htmx:
        context = _context(request, t=token)
        return render_page(request, TEMPLATE, context, partial="token_row")
    return redirect_after_success(request, reverse("api_tokens", args=[request.workspace.slug]))
