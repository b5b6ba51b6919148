"""Small helpers shared by every HTMX-enhanced view."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only ``partial`` of it for an HTMX request. ``Vary: HX-Request``."""
    fragment = bool(partial and getattr(request, "htmx", False))
    name = f"{template}#{partial}" if fragment else template
    response = render(request, name, context, status=status)
    if fragment:
        # Messages queued by this request ride along as an out-of-band swap.
        response.content += render_to_string(
            "core/_messages.html", {"oob": True, "messages": get_messages(request)}, request
        ).encode()
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_invalid(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str = "form",
    status: int = 422,
) -> HttpResponse:
    """A form with errors: 422, only the form fragment for HTMX, nothing lost."""
    return render_page(request, template, context, partial=partial, status=status)


def redirect_after_success(request: HttpRequest, url: str) -> HttpResponse:
    """HTMX follows with HX-Redirect; a plain form post gets a 303 (post/redirect/get)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url, permanent=False)


def handle_form(
    request: HttpRequest,
    *,
    form: Any,
    template: str,
    save: Any,
    success_url: Any,
    context: dict[str, Any] | None = None,
    success_message: str = "",
    partial: str = "form",
    form_name: str = "form",
) -> HttpResponse:
    """The one way our pages process a form.

    GET renders the page. A POST that validates calls ``save(cleaned_data)`` (a service) and
    redirects to ``success_url(result)``; a ``ValidationError`` from the service lands on the
    form. An invalid POST answers 422 with the ``form`` fragment (the whole page without HTMX),
    keeping everything the user typed. A page with several forms names the one posted
    (``form_name`` in the context) and its fragment (``partial``).
    """
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from core.errors import Refused

    context = {**(context or {}), form_name: form}
    if request.method == "POST":
        if form.is_valid():
            try:
                result = save(form.cleaned_data)
            except ValidationError as error:
                _add_service_error(form, error)
            except Refused as refusal:  # e.g. a closed cycle: 409, the reason on the form
                form.add_error(None, refusal.message)
                return render_invalid(
                    request, template, context, partial=partial, status=refusal.status
                )
            else:
                if success_message:
                    messages.success(request, success_message)
                return redirect_after_success(request, success_url(result))
        return render_invalid(request, template, context, partial=partial)
    return render_page(request, template, context)


def _add_service_error(form: Any, error: Any) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
