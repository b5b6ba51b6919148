"""Writes for comments on objectives and actions: threads, @mentions and their notifications.

* The body is Markdown; its sanitised HTML (``core.markup``) is stored next to it on every write.
* A top-level comment starts a thread; a reply to a reply joins the thread of its root.
* Only its author edits a comment. Its author deletes it while nobody has replied; admins and
  owners delete any comment (a thread's first comment takes its replies with it).
* The thread's author, or an editor and above, resolves and reopens a thread.
* @mentions (see ``core.mentions``) name members of the workspace; those who can see the project
  are recorded on the comment, highlighted in its HTML and notified once, after commit. The
  notification's text is plain (no Markdown), truncated with an ellipsis.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import mentions
from core import selectors as core_selectors
from core import services as core_services
from core.markup import plain_text, render_markdown
from core.models import Membership, User, Workspace
from core.roles import can
from core.tenancy import assert_same_workspace, workspace_scope
from mix import selectors
from mix.models import Action, Comment
from territories.selectors import visible_projects
from tracer.models import Objective

BODY_MAX_LENGTH = 10_000
MENTIONED = "mentioned"


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": ngettext(
                    "A comment holds %(max)d character at most.",
                    "A comment holds %(max)d characters at most.",
                    BODY_MAX_LENGTH,
                )
                % {"max": BODY_MAX_LENGTH}
            }
        )
    return body


def _check_member(membership: Membership, actor: User, workspace: Workspace) -> None:
    if membership.user_id != actor.pk or membership.workspace_id != workspace.pk:
        raise PermissionDenied("membership does not match the actor and the workspace")


def comment_target(comment: Comment) -> Action | Objective:
    target = comment.action if comment.action_id else comment.objective
    assert target is not None
    return target


def comment_url(*, workspace: Workspace, comment: Comment) -> str:
    target = comment_target(comment)
    kind = "action" if isinstance(target, Action) else "objective"
    return (
        reverse(f"{kind}_detail", args=[workspace.slug, target.uuid]) + f"#comment-{comment.uuid}"
    )


def _mentioned_users(*, workspace: Workspace, comment: Comment) -> list[User]:
    """Members named in the body who can see the comment's project (two queries at most)."""
    named = core_selectors.members_by_handles(
        workspace=workspace, handles=mentions.handles_in(comment.body)
    )
    if not named:
        return []
    project = comment_target(comment).project
    return [m.user for m in selectors.members_who_can_see(project=project, memberships=named)]


def _highlighted(body: str, users: list[User]) -> str:
    """The body's HTML, with the @handles that named one of ``users`` highlighted."""
    handles = {h for h in mentions.handles_in(body) if any(mentions.matches(u, h) for u in users)}
    return render_markdown(body, mentions=handles)


def _notify_after_commit(
    *, actor: User, workspace: Workspace, comment: Comment, recipients: list[User]
) -> None:
    recipients = [user for user in recipients if user.pk != actor.pk]
    if not recipients:
        return
    target = comment_target(comment)
    text = f"{Truncator(target.title).chars(80)}: {Truncator(plain_text(comment.body)).chars(200)}"
    transaction.on_commit(
        partial(
            _notify,
            actor=actor,
            workspace=workspace,
            recipients=recipients,
            text=text,
            url=comment_url(workspace=workspace, comment=comment),
        )
    )


def _notify(
    *, actor: User, workspace: Workspace, recipients: list[User], text: str, url: str
) -> None:
    # After commit the request's scope may be gone (a task, a test): open the workspace's own.
    with workspace_scope(workspace):
        core_services.notification_create_many(
            actor=actor,
            workspace=workspace,
            recipients=recipients,
            verb=MENTIONED,
            text=text,
            url=url,
        )


@transaction.atomic
def comment_create(
    *,
    actor: User,
    membership: Membership,
    workspace: Workspace,
    target: Action | Objective,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """A new thread on ``target``, or a reply in ``parent``'s thread."""
    _check_member(membership, actor, workspace)
    assert_same_workspace(workspace, target, parent)
    if not can(membership.role, "comment.create"):
        raise PermissionDenied(_("You may not comment here."))
    if not visible_projects(membership=membership).filter(pk=target.project_id).exists():
        raise PermissionDenied(_("You may not comment here."))
    body = _clean_body(body)
    kind = "action" if isinstance(target, Action) else "objective"
    if parent is not None:
        if parent.parent_id is not None:  # a reply to a reply joins the thread's root
            parent = Comment.objects.get(pk=parent.parent_id)
        if getattr(parent, f"{kind}_id") != target.pk:
            raise ValidationError(_("This reply belongs to another item's comments."))
    comment = Comment(
        workspace=workspace,
        project_id=target.project_id,
        parent=parent,
        author=actor,
        body=body,
        **{kind: target},
    )
    mentioned = _mentioned_users(workspace=workspace, comment=comment)
    comment.body_html = _highlighted(body, mentioned)
    comment.save()
    if mentioned:
        comment.mentions.set(mentioned)
    _notify_after_commit(actor=actor, workspace=workspace, comment=comment, recipients=mentioned)
    return comment


@transaction.atomic
def comment_update(
    *, actor: User, membership: Membership, workspace: Workspace, comment: Comment, body: str
) -> Comment:
    """Its author rewrites a comment; people newly mentioned are notified, the others not again."""
    _check_member(membership, actor, workspace)
    assert_same_workspace(workspace, comment)
    if not selectors.can_edit_comment(membership=membership, comment=comment):
        raise PermissionDenied(_("Only its author can edit a comment."))
    body = _clean_body(body)
    if body == comment.body:
        return comment
    already = set(comment.mentions.values_list("pk", flat=True))
    comment.body = body
    mentioned = _mentioned_users(workspace=workspace, comment=comment)
    comment.body_html = _highlighted(body, mentioned)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    comment.mentions.set(mentioned)
    _notify_after_commit(
        actor=actor,
        workspace=workspace,
        comment=comment,
        recipients=[user for user in mentioned if user.pk not in already],
    )
    return comment


@transaction.atomic
def comment_delete(
    *, actor: User, membership: Membership, workspace: Workspace, comment: Comment
) -> None:
    _check_member(membership, actor, workspace)
    assert_same_workspace(workspace, comment)
    has_replies = comment.parent_id is None and comment.replies.exists()
    if not selectors.can_delete_comment(
        membership=membership, comment=comment, has_replies=has_replies
    ):
        if has_replies and selectors.can_edit_comment(membership=membership, comment=comment):
            raise PermissionDenied(
                _("Others replied to this comment: edit it, or resolve the thread, instead.")
            )
        raise PermissionDenied(_("You may delete only your own comments."))
    comment.delete()


@transaction.atomic
def comment_resolve(
    *,
    actor: User,
    membership: Membership,
    workspace: Workspace,
    comment: Comment,
    resolved: bool = True,
) -> Comment:
    """Resolve (or reopen) the thread ``comment`` belongs to."""
    _check_member(membership, actor, workspace)
    assert_same_workspace(workspace, comment)
    root = Comment.objects.get(pk=comment.parent_id) if comment.parent_id else comment
    if not selectors.can_resolve_thread(membership=membership, root=root):
        raise PermissionDenied(_("Only the thread's author or an editor can resolve it."))
    if resolved and root.resolved_at is None:
        root.resolved_at, root.resolved_by = timezone.now(), actor
    elif not resolved and root.resolved_at is not None:
        root.resolved_at, root.resolved_by = None, None
    else:
        return root
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root
