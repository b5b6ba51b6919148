"""Pages for a project's indicators, their measurements, and the CSV import of measurements.

Between the preview and the confirmation, the uploaded file's text waits in the cache under a
random token that only the uploader's session lists, for that project, for an hour. The
confirmation reads that text again and checks every row against the project as it is then:
nothing the browser sends back is trusted but the token.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.htmx import handle_form, redirect_after_success, render_page
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action
from evaluation import imports, selectors, services
from evaluation.forms import IndicatorForm, MeasurementForm, MeasurementImportForm
from evaluation.indicator_chart import indicator_chart
from evaluation.models import Indicator
from evaluation.templatetags.evaluation import period_label
from territories.models import Project
from territories.views import project_or_404

PAGE_SIZE = 50
LIST_TEMPLATE = "evaluation/indicator_list.html"
FORM_TEMPLATE = "evaluation/indicator_form.html"
DETAIL_TEMPLATE = "evaluation/indicator_detail.html"
IMPORT_TEMPLATE = "evaluation/measurement_import.html"
HISTORY_SIZE = 50
# The session lists its pending imports, {project uuid: token}; the cache keeps each file's text.
IMPORT_SESSION_KEY = "evaluation_pending_imports"
IMPORT_TTL_SECONDS = 3600


def _indicator_or_404(request: WorkspaceRequest, uuid: Any) -> Indicator:
    indicator = selectors.indicator_get(membership=request.membership, uuid=uuid)
    if indicator is None:
        raise Http404
    return indicator


def _detail_url(workspace_slug: str, indicator: Indicator) -> str:
    return reverse("indicator_detail", args=[workspace_slug, indicator.uuid])


# --- Indicators --------------------------------------------------------------------------------


@require_action("indicator.view")
def indicator_list(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """The project's indicators grouped by TRACER stage, with their latest value."""
    project = project_or_404(request, project_uuid)
    page = Paginator(selectors.indicator_list(project=project), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"project": project, "tab": "indicators", "page": page, "querystring": ""}
    return render_page(request, LIST_TEMPLATE, context, partial="results")


def _indicator_form(
    request: WorkspaceRequest, project: Project, prefill_url: str, initial: dict[str, Any]
) -> IndicatorForm:
    """Bound on POST; on a GET carrying ``catalogue`` (the picker's HTMX request), filled in
    from that catalogue entry and what was typed so far."""
    if request.method == "POST":
        return IndicatorForm(request.POST, project=project, prefill_url=prefill_url)
    if "catalogue" in request.GET:
        entry = selectors.catalogue_get(code=request.GET["catalogue"])
        initial = IndicatorForm.prefill(request.GET, entry)
    return IndicatorForm(project=project, prefill_url=prefill_url, initial=initial)


@require_action("indicator.manage")
def indicator_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    url = reverse("indicator_create", args=[workspace_slug, project.uuid])
    form = _indicator_form(request, project, url, {})
    context = {"project": project, "tab": "indicators"}
    if request.method == "GET" and "catalogue" in request.GET:
        return render_page(request, FORM_TEMPLATE, {**context, "form": form}, partial="form")
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        context=context,
        save=lambda data: services.indicator_create(
            actor=request.user, workspace=request.workspace, project=project, **data
        ),
        success_url=lambda indicator: _detail_url(workspace_slug, indicator),
        success_message=_("Indicator created. Enter its values below."),
    )


@require_action("indicator.view")
def indicator_detail(
    request: WorkspaceRequest, workspace_slug: str, indicator_uuid: Any
) -> HttpResponse:
    """The indicator, its values and their history; ``?period=`` fills the form in to correct
    the value of that period (an HTMX request gets only the form)."""
    indicator = _indicator_or_404(request, indicator_uuid)
    initial: dict[str, Any] = {}
    # The form is only drawn for those who may record; for others ?period= changes nothing.
    period = request.GET.get("period", "") if member_can(request, "measurement.record") else ""
    if period:
        try:
            day = dt.date.fromisoformat(period)
        except ValueError:
            day = None
        if day is not None:
            initial = {"period": day}
            current = selectors.measurement_get(
                indicator=indicator, period=services.period_start(day, indicator.frequency)
            )
            if current is not None:
                initial.update(value=current.value, source=current.source, note=current.note)
    context = _detail_context(indicator, MeasurementForm(initial=initial))
    return render_page(
        request, DETAIL_TEMPLATE, context, partial="measurement_form" if period else None
    )


def _detail_context(indicator: Indicator, form: MeasurementForm) -> dict[str, Any]:
    measurements = list(selectors.measurement_list(indicator=indicator))
    return {
        "project": indicator.project,
        "tab": "indicators",
        "indicator": indicator,
        "actions": indicator.actions.select_related("objective__stage").order_by("title"),
        "measurements": measurements,
        "chart": indicator_chart(indicator=indicator, measurements=measurements),
        "changes": list(selectors.measurement_change_list(indicator=indicator)[:HISTORY_SIZE]),
        "form": form,
    }


@require_POST
@require_action("measurement.record")
def measurement_record(
    request: WorkspaceRequest, workspace_slug: str, indicator_uuid: Any
) -> HttpResponse:
    """Add the value of a period, or correct it (the history keeps the old value)."""
    indicator = _indicator_or_404(request, indicator_uuid)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        start = services.period_start(data["period"], indicator.frequency)
        existed = selectors.measurement_get(indicator=indicator, period=start) is not None
        try:
            services.measurement_record(
                actor=request.user, workspace=request.workspace, indicator=indicator, **data
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            period = period_label(start, indicator.frequency)
            messages.success(
                request,
                (
                    _("Value of %(period)s corrected.")
                    if existed
                    else _("Value of %(period)s saved.")
                )
                % {"period": period},
            )
            if not request.htmx:
                return redirect(_detail_url(workspace_slug, indicator))
            return render_page(
                request,
                DETAIL_TEMPLATE,
                _detail_context(indicator, MeasurementForm()),
                partial="measurements",
            )
    return render_page(
        request,
        DETAIL_TEMPLATE,
        _detail_context(indicator, form),
        partial="measurements",
        status=422,
    )


@require_action("indicator.manage")
def indicator_edit(
    request: WorkspaceRequest, workspace_slug: str, indicator_uuid: Any
) -> HttpResponse:
    indicator = _indicator_or_404(request, indicator_uuid)
    project = indicator.project
    url = reverse("indicator_edit", args=[workspace_slug, indicator.uuid])
    form = _indicator_form(request, project, url, IndicatorForm.initial_from(indicator))
    context = {"project": project, "tab": "indicators", "indicator": indicator}
    if request.method == "GET" and "catalogue" in request.GET:
        return render_page(request, FORM_TEMPLATE, {**context, "form": form}, partial="form")
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        context=context,
        save=lambda data: services.indicator_update(
            actor=request.user, workspace=request.workspace, indicator=indicator, **data
        ),
        success_url=lambda saved: _detail_url(workspace_slug, saved),
        success_message=_("Indicator saved."),
    )


@require_POST
@require_action("indicator.manage")
def indicator_delete(
    request: WorkspaceRequest, workspace_slug: str, indicator_uuid: Any
) -> HttpResponse:
    indicator = _indicator_or_404(request, indicator_uuid)
    project, name = indicator.project, indicator.name
    services.indicator_delete(actor=request.user, workspace=request.workspace, indicator=indicator)
    messages.success(request, _("Indicator “%(name)s” deleted, with its values.") % {"name": name})
    return redirect_after_success(
        request, reverse("indicator_list", args=[workspace_slug, project.uuid])
    )


# --- CSV import of measurements ---------------------------------------------------------------


def _cache_key(token: str) -> str:
    return f"evaluation-import:{token}"


def _keep(request: WorkspaceRequest, project: Project, text: str, name: str, encoding: str) -> str:
    """Keep the file's text until the user confirms: in the cache under a random token, which
    the uploader's session lists for this project (one pending import per project)."""
    token = secrets.token_urlsafe(24)
    pending = dict(request.session.get(IMPORT_SESSION_KEY, {}))
    previous = pending.get(str(project.uuid))
    if previous:
        cache.delete(_cache_key(previous))
    entry = {
        "project": str(project.uuid),
        "user": request.user.pk,
        "name": name[:200],
        "text": text,
        "encoding": encoding,
    }
    cache.set(_cache_key(token), entry, IMPORT_TTL_SECONDS)
    pending[str(project.uuid)] = token
    request.session[IMPORT_SESSION_KEY] = pending
    return token


def _take(request: WorkspaceRequest, project: Project, token: str) -> dict[str, Any] | None:
    """The kept import, if ``token`` is this session's pending import for this project."""
    pending = request.session.get(IMPORT_SESSION_KEY, {})
    if not token or pending.get(str(project.uuid)) != token:
        return None
    entry = cache.get(_cache_key(token))
    if entry is None or entry["project"] != str(project.uuid) or entry["user"] != request.user.pk:
        return None
    return entry


def _drop(request: WorkspaceRequest, project: Project, token: str) -> None:
    cache.delete(_cache_key(token))
    pending = dict(request.session.get(IMPORT_SESSION_KEY, {}))
    if pending.pop(str(project.uuid), None) is not None:
        request.session[IMPORT_SESSION_KEY] = pending


@require_action("measurement.record")
def measurements_import(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """Upload a CSV file, see every row checked, then confirm: all rows are saved, or none."""
    project = project_or_404(request, project_uuid)
    context: dict[str, Any] = {"project": project, "tab": "indicators"}
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, workspace_slug, project, context)
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method != "POST":
        return render_page(request, IMPORT_TEMPLATE, context, partial="import")
    if not form.is_valid():
        return render_page(request, IMPORT_TEMPLATE, context, partial="import", status=422)
    upload = form.cleaned_data["file"]
    parsed, text, encoding = imports.parse(project=project, content=upload.read())
    context.update(parsed=parsed, file_name=upload.name)
    if not parsed.is_valid or text is None:
        return render_page(request, IMPORT_TEMPLATE, context, partial="import", status=422)
    context["token"] = _keep(request, project, text, upload.name, encoding)
    context["form"] = MeasurementImportForm()
    return render_page(request, IMPORT_TEMPLATE, context, partial="import")


def _import_confirm(
    request: WorkspaceRequest, workspace_slug: str, project: Project, context: dict[str, Any]
) -> HttpResponse:
    token = request.POST.get("token", "")
    context["form"] = MeasurementImportForm()
    entry = _take(request, project, token)
    if entry is None:
        context["import_error"] = _(
            "This preview has expired or was already imported: upload the file again."
        )
        return render_page(request, IMPORT_TEMPLATE, context, partial="import", status=422)
    # The rows are read again from the kept text and checked against the project as it is now.
    parsed = imports.parse_text(
        project=project, text=entry["text"], encoding=entry.get("encoding", "utf-8")
    )
    context.update(parsed=parsed, file_name=entry["name"])
    if not parsed.is_valid:
        _drop(request, project, token)
        return render_page(request, IMPORT_TEMPLATE, context, partial="import", status=422)
    try:
        count = services.measurements_import(
            actor=request.user, workspace=request.workspace, rows=parsed.rows
        )
    except ValidationError as exc:
        context["import_error"] = " ".join(exc.messages)
        return render_page(request, IMPORT_TEMPLATE, context, partial="import", status=422)
    _drop(request, project, token)
    messages.success(
        request,
        ngettext("%(count)d value imported.", "%(count)d values imported.", count)
        % {"count": count},
    )
    return redirect_after_success(
        request, reverse("indicator_list", args=[workspace_slug, project.uuid])
    )


@require_action("measurement.record")
def measurements_template(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    """A CSV to fill in: one line per indicator of the project, for the current period.

    Semicolons and French column names for French readers (what their spreadsheet expects),
    commas otherwise; a byte-order mark so that spreadsheets read it as UTF-8.
    """
    project = project_or_404(request, project_uuid)
    french = (translation.get_language() or "en").startswith("fr")
    indicators = list(selectors.indicator_list(project=project))
    names = [i.name.strip() for i in indicators]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow(imports.column_names())
    day = timezone.localdate()
    for indicator, name in zip(indicators, names, strict=True):
        key = name if names.count(name) == 1 else str(indicator.uuid)
        period = services.period_start(day, indicator.frequency).isoformat()
        writer.writerow([key, period, "", indicator.source, ""])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = slugify(f"{project.name}-{_('values')}") or "values"
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
