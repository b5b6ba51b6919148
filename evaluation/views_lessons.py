"""The lessons register of a project (element 6, the feedback loop): list, create, edit, change
the status inline, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import handle_form, redirect_after_success, render_page
from core.http import WorkspaceRequest
from core.permissions import require_action
from evaluation import selectors, services
from evaluation.forms import LessonFilterForm, LessonForm, LessonStatusForm
from evaluation.models import Lesson
from territories.models import Project
from territories.views import project_or_404
from tracer.selectors import current_cycle

PAGE_SIZE = 20
LIST_TEMPLATE = "evaluation/lesson_list.html"
FORM_TEMPLATE = "evaluation/lesson_form.html"


def _lesson_or_404(request: WorkspaceRequest, uuid: Any) -> Lesson:
    lesson = selectors.lesson_get(membership=request.membership, uuid=uuid)
    if lesson is None:
        raise Http404
    return lesson


def _list_url(workspace_slug: str, project: Project, lesson: Lesson | None = None) -> str:
    url = reverse("lesson_list", args=[workspace_slug, project.uuid])
    return f"{url}#lesson-{lesson.uuid}" if lesson is not None else url


@require_action("lesson.view")
def lesson_list(request: WorkspaceRequest, workspace_slug: str, project_uuid: Any) -> HttpResponse:
    """The lessons of every cycle, newest cycle first; filtered by cycle, policy and status."""
    project = project_or_404(request, project_uuid)
    filters = LessonFilterForm(request.GET or None, project=project)
    data = filters.cleaned_data if filters.is_valid() else {}
    criteria = {k: v for k, v in data.items() if v}
    lessons = selectors.lesson_list(project=project, **criteria)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "project": project,
        "tab": "lessons",
        "filters": filters,
        "page": Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": params.urlencode(),
        "is_filtered": bool(criteria),
        "status_form": LessonStatusForm(),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


@require_action("lesson.manage")
def lesson_create(
    request: WorkspaceRequest, workspace_slug: str, project_uuid: Any
) -> HttpResponse:
    project = project_or_404(request, project_uuid)
    initial: dict[str, Any] = {"cycle": current_cycle(project=project).uuid}
    for name in ("indicator", "action"):  # "Draw a lesson" links from an indicator or action
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = LessonForm(request.POST or None, project=project, initial=initial)
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        context={"project": project, "tab": "lessons"},
        save=lambda data: services.lesson_save(
            actor=request.user, workspace=request.workspace, project=project, **data
        ),
        success_url=lambda lesson: _list_url(workspace_slug, project, lesson),
        success_message=_("Lesson recorded."),
    )


@require_action("lesson.manage")
def lesson_edit(request: WorkspaceRequest, workspace_slug: str, lesson_uuid: Any) -> HttpResponse:
    lesson = _lesson_or_404(request, lesson_uuid)
    project = lesson.project
    initial = {
        "learned": lesson.learned,
        "source": lesson.source,
        "indicator": lesson.indicator.uuid if lesson.indicator else None,
        "action": lesson.action.uuid if lesson.action else None,
        "policy": lesson.policy,
        "status": lesson.status,
        "sent_to": lesson.sent_to,
        "cycle": lesson.cycle.uuid,
    }
    form = LessonForm(request.POST or None, project=project, initial=initial)
    return handle_form(
        request,
        form=form,
        template=FORM_TEMPLATE,
        context={"project": project, "tab": "lessons", "lesson": lesson},
        save=lambda data: services.lesson_save(
            actor=request.user, workspace=request.workspace, project=project, lesson=lesson, **data
        ),
        success_url=lambda saved: _list_url(workspace_slug, project, saved),
        success_message=_("Lesson saved."),
    )


@require_POST
@require_action("lesson.manage")
def lesson_status(request: WorkspaceRequest, workspace_slug: str, lesson_uuid: Any) -> HttpResponse:
    """Move a lesson along proposed -> sent -> acted on, from its row."""
    lesson = _lesson_or_404(request, lesson_uuid)
    form = LessonStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.lesson_save(
                actor=request.user,
                workspace=request.workspace,
                project=lesson.project,
                lesson=lesson,
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Status changed."))
        return redirect_after_success(request, _list_url(workspace_slug, lesson.project, lesson))
    row = selectors.lesson_list(project=lesson.project).get(pk=lesson.pk)
    context = {
        "project": lesson.project,
        "lesson": row,
        "status_form": LessonStatusForm(),
        "row_error": error,
        "row_message": None if error else _("Status changed."),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="row", status=422 if error else 200)


@require_POST
@require_action("lesson.manage")
def lesson_delete(request: WorkspaceRequest, workspace_slug: str, lesson_uuid: Any) -> HttpResponse:
    lesson = _lesson_or_404(request, lesson_uuid)
    project = lesson.project
    services.lesson_delete(actor=request.user, workspace=request.workspace, lesson=lesson)
    messages.success(request, _("Lesson deleted."))
    return redirect_after_success(request, _list_url(workspace_slug, project))
