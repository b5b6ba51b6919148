"""Comments on objectives and actions: threads, replies, edits, resolving, the @mention search.

Every view fetches its objects through the selectors that apply the partner rule (projects shared
with their organisation), so a comment on a project someone cannot see is a 404 for them. HTMX
requests get fragments of ``mix/_comments.html``; without JavaScript the forms post and redirect.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from core import selectors as core_selectors
from core.http import WorkspaceRequest
from core.permissions import member_can, require_action
from mix import comments, selectors
from mix.forms import CommentForm
from mix.models import Action, Comment
from territories.selectors import project_get
from tracer import selectors as tracer_selectors
from tracer.models import Objective

TEMPLATE = "mix/_comments.html"
PAGE = "mix/comment_page.html"


def _target_or_404(request: WorkspaceRequest, kind: str, uuid: Any) -> Action | Objective:
    item: Action | Objective | None
    if kind == "action":
        item = selectors.action_get(membership=request.membership, uuid=uuid)
    else:
        item = tracer_selectors.objective_get(membership=request.membership, uuid=uuid)
    if item is None:
        raise Http404
    return item


def _comment_or_404(request: WorkspaceRequest, uuid: Any) -> Comment:
    comment = selectors.comment_get(membership=request.membership, uuid=uuid)
    if comment is None:
        raise Http404
    return comment


def _kind(item: Action | Objective) -> str:
    return "action" if isinstance(item, Action) else "objective"


def _item_url(request: WorkspaceRequest, item: Action | Objective) -> str:
    return reverse(f"{_kind(item)}_detail", args=[request.workspace.slug, item.uuid])


def comments_context(request: WorkspaceRequest, item: Action | Objective) -> dict[str, Any]:
    """What ``mix/_comments.html#section`` needs: the threads (one query) and the new-comment form."""
    return {
        "item": item,
        "project": item.project,
        "threads": selectors.comment_thread_list(membership=request.membership, target=item),
        "comment_form": CommentForm(),
        "can_comment": member_can(request, "comment.create"),
        "comment_post_url": reverse(
            f"comment_create_{_kind(item)}", args=[request.workspace.slug, item.uuid]
        ),
    }


def _section(request: WorkspaceRequest, item: Action | Objective) -> HttpResponse:
    return render(request, f"{TEMPLATE}#section", comments_context(request, item))


def _add_errors(form: CommentForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("body", error)


# --- Writing ------------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@require_POST
@require_action("comment.create")
def comment_create_action(
    request: WorkspaceRequest, workspace_slug: str, action_uuid: Any
) -> HttpResponse:
    return _create(request, _target_or_404(request, "action", action_uuid))


@vary_on_headers("HX-Request")
@require_POST
@require_action("comment.create")
def comment_create_objective(
    request: WorkspaceRequest, workspace_slug: str, objective_uuid: Any
) -> HttpResponse:
    return _create(request, _target_or_404(request, "objective", objective_uuid))


def _create(request: WorkspaceRequest, item: Action | Objective) -> HttpResponse:
    """A new thread, or a reply when ``parent`` names a comment of this item."""
    form = CommentForm(request.POST)
    parent: Comment | None = None
    if form.is_valid():
        if form.cleaned_data["parent"]:
            parent = _comment_or_404(request, form.cleaned_data["parent"])
        try:
            comment = comments.comment_create(
                actor=request.user,
                membership=request.membership,
                workspace=request.workspace,
                target=item,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.htmx:
                return _section(request, item)
            return redirect(_item_url(request, item) + f"#comment-{comment.uuid}")
    reply_to = form.cleaned_data.get("parent")
    context = {**comments_context(request, item), "comment_form": form, "parent_uuid": reply_to}
    if not request.htmx:
        return render(request, PAGE, {**context, "mode": "create"}, status=422)
    if reply_to:
        partial, form_id = "reply_form", f"comment-form-reply-{reply_to}"
    else:
        partial, form_id = "new_form", "comment-form-new"
    response = render(request, f"{TEMPLATE}#{partial}", context, status=422)
    return reswap(retarget(response, f"#{form_id}"), "outerHTML")


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@require_action("comment.update")
def comment_edit(request: WorkspaceRequest, workspace_slug: str, comment_uuid: Any) -> HttpResponse:
    """GET: the edit form (``?display=1``: the comment again, to cancel). POST: save the edit."""
    comment = _comment_or_404(request, comment_uuid)
    item = comments.comment_target(comment)
    context: dict[str, Any] = {"item": item, "project": item.project, "comment": comment}
    if request.method == "GET" and request.GET.get("display"):
        row = selectors.comment_row(membership=request.membership, comment=comment)
        return render(request, f"{TEMPLATE}#comment", {**context, "row": row})
    if not selectors.can_edit_comment(membership=request.membership, comment=comment):
        raise PermissionDenied
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = comments.comment_update(
                    actor=request.user,
                    membership=request.membership,
                    workspace=request.workspace,
                    comment=comment,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if not request.htmx:
                    return redirect(_item_url(request, item) + f"#comment-{comment.uuid}")
                row = selectors.comment_row(membership=request.membership, comment=comment)
                return render(request, f"{TEMPLATE}#comment", {**context, "row": row})
        status = 422
    else:
        form = CommentForm(initial={"body": comment.body})
        status = 200
    context["comment_form"] = form
    if request.htmx:
        return render(request, f"{TEMPLATE}#edit_form", context, status=status)
    return render(request, PAGE, {**context, "mode": "edit"}, status=status)


@vary_on_headers("HX-Request")
@require_POST
@require_action("comment.delete")
def comment_delete(
    request: WorkspaceRequest, workspace_slug: str, comment_uuid: Any
) -> HttpResponse:
    comment = _comment_or_404(request, comment_uuid)
    item = comments.comment_target(comment)
    comments.comment_delete(
        actor=request.user,
        membership=request.membership,
        workspace=request.workspace,
        comment=comment,
    )
    if request.htmx:
        return _section(request, item)
    return redirect(_item_url(request, item) + "#comments")


@vary_on_headers("HX-Request")
@require_POST
@require_action("comment.resolve")
def comment_resolve(
    request: WorkspaceRequest, workspace_slug: str, comment_uuid: Any
) -> HttpResponse:
    """``resolved=1`` resolves the comment's thread, ``resolved=0`` reopens it."""
    comment = _comment_or_404(request, comment_uuid)
    item = comments.comment_target(comment)
    root = comments.comment_resolve(
        actor=request.user,
        membership=request.membership,
        workspace=request.workspace,
        comment=comment,
        resolved=request.POST.get("resolved", "1") != "0",
    )
    if request.htmx:
        return _section(request, item)
    return redirect(_item_url(request, item) + f"#comment-{root.uuid}")


# --- The @mention search ------------------------------------------------------------------------

MENTION_RESULTS = 8


@require_GET
@require_action("comment.create")
def member_search(request: WorkspaceRequest, workspace_slug: str) -> HttpResponse:
    """``?q=cla`` -> up to 8 members as a listbox fragment. ``&project=<uuid>`` narrows to the
    members who can see that project (the others would not be notified)."""
    query = request.GET.get("q", "").strip()[:60]
    project = None
    project_uuid = request.GET.get("project")
    if project_uuid:
        try:
            project = project_get(membership=request.membership, uuid=project_uuid)
        except ValidationError:  # not a UUID
            project = None
        if project is None:
            raise Http404
    found: list[Any] = []
    if query:
        members = list(core_selectors.membership_list(workspace=request.workspace))
        among = None
        if project is not None:
            visible = selectors.members_who_can_see(project=project, memberships=members)
            among = {m.pk for m in visible}
        found = core_selectors.member_search(
            workspace=request.workspace,
            query=query,
            members=members,
            among=among,
            limit=MENTION_RESULTS,
        )
    return render(request, f"{TEMPLATE}#mention_options", {"found": found, "query": query})
