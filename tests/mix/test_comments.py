"""Comments on objectives and actions: who may write, edit, delete and resolve; replies and
threads; @mentions and the notifications they send after commit; the bell; query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import mentions
from core.models import Notification
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from mix import comments
from mix.models import Comment
from tests.conftest import Personas
from tests.factories import (
    ActionFactory,
    CommentFactory,
    MembershipFactory,
    NotificationFactory,
    PartnerOrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args: Any) -> str:
    return reverse(name, args=["alpha", *args])


def create_url(target: Any) -> str:
    kind = "action" if hasattr(target, "family_id") else "objective"
    return url(f"comment_create_{kind}", target.uuid)


def detail_url(target: Any) -> str:
    kind = "action" if hasattr(target, "family_id") else "objective"
    return url(f"{kind}_detail", target.uuid)


def all_comments() -> list[Comment]:
    with scopes_disabled():
        return list(Comment.objects.order_by("id"))


def notifications() -> list[Notification]:
    with scopes_disabled():
        return list(Notification.objects.select_related("recipient").order_by("id"))


def share_with_partner(personas: Personas, project: Any) -> Any:
    office = PartnerOrganisationFactory(workspace=personas.workspace, name="Tourism office")
    office.members.add(personas.memberships[Role.PARTNER])
    office.shared_projects.add(project)
    return office


def as_user(user: Any) -> Client:
    """A client of its own (``client_for`` reuses one client, so one person at a time)."""
    client = Client()
    client.force_login(user)
    return client


def post_comment(client: Any, target: Any, body: str, **extra: Any) -> Any:
    return client.post(create_url(target), {"body": body, **extra}, **HTMX)


# --- Who may comment ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.EDITOR])
@pytest.mark.parametrize("kind", ["action", "objective"])
def test_staff_comment_on_actions_and_objectives(
    role: str, kind: str, personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(role))
    target = sample[kind]
    response = post_comment(client, target, "Looks **good** to me")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="comments"')  # the section, not a page
    assert "<strong>good</strong>" in body
    comment = all_comments()[-1]
    assert comment.author == personas.user(role)
    assert getattr(comment, f"{kind}_id") == target.pk
    assert comment.project_id == sample["project"].pk
    assert comment.body_html == "<p>Looks <strong>good</strong> to me</p>"


def test_without_htmx_a_comment_redirects_to_its_anchor(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = client.post(create_url(sample["action"]), {"body": "Plain form"})
    comment = all_comments()[-1]
    assert response.status_code == 302
    assert response["Location"] == detail_url(sample["action"]) + f"#comment-{comment.uuid}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.uuid}"' in page and "Plain form" in page


def test_viewer_may_read_but_not_comment(personas: Personas, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.VIEWER))
    page = client.get(detail_url(sample["action"])).content.decode()
    assert "Secret comment" in page
    assert 'id="comment-form-new"' not in page and "Resolve the thread" not in page
    assert post_comment(client, sample["action"], "Me too").status_code == 403
    assert len(all_comments()) == 1


def test_partner_comments_on_shared_projects_only(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.PARTNER))
    assert post_comment(client, sample["action"], "Hello").status_code == 404
    assert client.get(detail_url(sample["action"])).status_code == 404
    share_with_partner(personas, sample["project"])
    assert post_comment(client, sample["action"], "Hello").status_code == 200
    assert post_comment(client, sample["objective"], "Hello too").status_code == 200
    assert [c.author for c in all_comments()[1:]] == [personas.user(Role.PARTNER)] * 2


def test_partner_may_not_edit_or_resolve_or_delete_what_is_not_shared(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.PARTNER))
    comment = sample["comment"]
    assert client.get(url("comment_edit", comment.uuid)).status_code == 404
    assert client.post(url("comment_resolve", comment.uuid)).status_code == 404
    assert client.post(url("comment_delete", comment.uuid)).status_code == 404


def test_another_workspace_gets_404_everywhere(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user("outsider"))
    comment = sample["comment"]
    for response in (
        post_comment(client, sample["action"], "x"),
        post_comment(client, sample["objective"], "x"),
        client.get(url("comment_edit", comment.uuid)),
        client.post(url("comment_edit", comment.uuid), {"body": "x"}),
        client.post(url("comment_delete", comment.uuid)),
        client.post(url("comment_resolve", comment.uuid)),
        client.get(url("member_search") + "?q=alpha"),
    ):
        assert response.status_code == 404
        assert "Secret" not in response.content.decode()
    # The outsider's own workspace does not open alpha's comment either.
    edit = reverse("comment_edit", args=["beta", comment.uuid])
    assert client.get(edit).status_code == 404
    assert all_comments() == [comment]


# --- Validation --------------------------------------------------------------------------------


def test_an_empty_comment_answers_422_with_the_form_keeping_the_text(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = post_comment(client, sample["action"], "   \n  ")
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#comment-form-new"
    assert response["HX-Reswap"] == "outerHTML"
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="comment-form-new"')
    assert "Write something first." in body and 'aria-invalid="true"' in body
    assert ">   \n  </textarea>" in body
    assert len(all_comments()) == 1
    # Without htmx: the whole page, still 422, the text still there.
    response = client.post(create_url(sample["action"]), {"body": " \t "})
    assert response.status_code == 422
    assert (
        "<html" in response.content.decode()
        and "Write something first." in response.content.decode()
    )


def test_an_empty_reply_keeps_its_own_form(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    root = sample["comment"]
    response = post_comment(client, sample["action"], "  ", parent=str(root.uuid))
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#comment-form-reply-{root.uuid}"
    assert f'value="{root.uuid}"' in response.content.decode()


def test_a_very_long_comment_is_refused(personas: Personas, sample: Any, client_for: Any) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = post_comment(client, sample["action"], "x" * 10_001)
    assert response.status_code == 422
    assert len(all_comments()) == 1


# --- Threads -----------------------------------------------------------------------------------


def test_replies_join_the_thread_of_their_root(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    root = sample["comment"]
    assert (
        post_comment(client, sample["action"], "First reply", parent=str(root.uuid)).status_code
        == 200
    )
    first = all_comments()[-1]
    assert first.parent_id == root.pk
    # A reply to a reply goes to the root's thread (threads are one level deep).
    assert (
        post_comment(client, sample["action"], "Second reply", parent=str(first.uuid)).status_code
        == 200
    )
    assert all_comments()[-1].parent_id == root.pk
    page = client.get(detail_url(sample["action"])).content.decode()
    thread = page[page.index(f'id="thread-{root.uuid}"') :]
    assert (
        thread.index("Secret comment") < thread.index("First reply") < thread.index("Second reply")
    )


def test_a_reply_must_belong_to_the_same_item(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    response = post_comment(
        client, sample["objective"], "Wrong place", parent=str(sample["comment"].uuid)
    )
    assert response.status_code == 422
    assert "another item" in response.content.decode()
    # A parent from another workspace does not exist.
    with scopes_disabled():
        foreign = CommentFactory(workspace=personas.other_workspace)
    response = post_comment(client, sample["action"], "x", parent=str(foreign.uuid))
    assert response.status_code == 404


def test_resolve_and_reopen_by_the_author_or_an_editor(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    share_with_partner(personas, sample["project"])
    partner = as_user(personas.user(Role.PARTNER))
    assert post_comment(partner, sample["action"], "Partner thread").status_code == 200
    mine = all_comments()[-1]
    # The partner resolves their own thread, not the owner's.
    assert partner.post(url("comment_resolve", sample["comment"].uuid), **HTMX).status_code == 403
    response = partner.post(url("comment_resolve", mine.uuid), {"resolved": "1"}, **HTMX)
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.resolved_at is not None and mine.resolved_by == personas.user(Role.PARTNER)
    # A resolved thread is collapsed (a closed <details>), with no reply form.
    body = response.content.decode()
    assert f'<details class="thread resolved" id="thread-{mine.uuid}">' in body
    assert f'id="comment-form-reply-{mine.uuid}"' not in body
    assert "Reopen the thread" in body
    # An editor reopens it; resolving a reply resolves its thread.
    editor = as_user(personas.user(Role.EDITOR))
    assert (
        editor.post(url("comment_resolve", mine.uuid), {"resolved": "0"}, **HTMX).status_code == 200
    )
    mine.refresh_from_db()
    assert mine.resolved_at is None and mine.resolved_by is None
    assert (
        post_comment(editor, sample["action"], "A reply", parent=str(mine.uuid)).status_code == 200
    )
    reply = all_comments()[-1]
    assert editor.post(url("comment_resolve", reply.uuid), {"resolved": "1"}).status_code == 302
    mine.refresh_from_db()
    assert mine.resolved_at is not None
    # Viewers never resolve.
    viewer = as_user(personas.user(Role.VIEWER))
    assert viewer.post(url("comment_resolve", mine.uuid), {"resolved": "0"}).status_code == 403
    assert partner.post(url("comment_resolve", mine.uuid), {"resolved": "0"}).status_code == 302


# --- Editing and deleting ---------------------------------------------------------------------


def test_only_the_author_edits_and_an_edit_shows_edited(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    comment = sample["comment"]  # the owner's
    edit = url("comment_edit", comment.uuid)
    for role in (Role.ADMIN, Role.EDITOR):
        client = client_for(personas.user(role))
        assert client.get(edit, **HTMX).status_code == 403
        assert client.post(edit, {"body": "Hijacked"}, **HTMX).status_code == 403
    assert client_for(personas.user(Role.VIEWER)).get(edit).status_code == 403
    owner = client_for(personas.user(Role.OWNER))
    form = owner.get(edit, **HTMX)
    assert form.status_code == 200 and ">Secret comment</textarea>" in form.content.decode()
    response = owner.post(edit, {"body": "Secret comment, _revised_"}, **HTMX)
    assert response.status_code == 200
    assert "<em>revised</em>" in response.content.decode()
    assert "(edited)" in response.content.decode()
    comment.refresh_from_db()
    assert comment.edited_at is not None and comment.body == "Secret comment, _revised_"
    # Cancel shows the comment again; an empty edit is refused, keeping the form.
    assert "<em>revised</em>" in owner.get(edit + "?display=1", **HTMX).content.decode()
    invalid = owner.post(edit, {"body": " "}, **HTMX)
    assert invalid.status_code == 422 and 'class="comment comment-form editing"' in (
        invalid.content.decode()
    )
    # Without htmx: a page to edit, and a redirect to the comment after saving.
    assert "<html" in owner.get(edit).content.decode()
    saved = owner.post(edit, {"body": "Third version"})
    assert saved.status_code == 302 and saved["Location"].endswith(f"#comment-{comment.uuid}")


def test_partner_edits_their_own_comment_on_a_shared_project(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    share_with_partner(personas, sample["project"])
    partner = client_for(personas.user(Role.PARTNER))
    assert post_comment(partner, sample["action"], "Typo hre").status_code == 200
    mine = all_comments()[-1]
    assert (
        partner.post(url("comment_edit", mine.uuid), {"body": "Typo here"}, **HTMX).status_code
        == 200
    )
    mine.refresh_from_db()
    assert mine.body == "Typo here" and mine.edited_at is not None
    assert partner.get(url("comment_edit", sample["comment"].uuid), **HTMX).status_code == 403


def test_delete_own_comment_admins_any_and_threads_with_replies(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    editor = as_user(personas.user(Role.EDITOR))
    assert post_comment(editor, sample["action"], "Mine").status_code == 200
    mine = all_comments()[-1]
    # The editor deletes their own comment, not the owner's.
    assert editor.post(url("comment_delete", sample["comment"].uuid), **HTMX).status_code == 403
    response = editor.post(url("comment_delete", mine.uuid), **HTMX)
    assert response.status_code == 200 and "Mine" not in response.content.decode()
    assert all_comments() == [sample["comment"]]
    # Once someone replied, the author may no longer delete the thread's first comment...
    assert (
        post_comment(
            editor, sample["action"], "A reply", parent=str(sample["comment"].uuid)
        ).status_code
        == 200
    )
    owner = as_user(personas.user(Role.OWNER))
    assert owner.post(url("comment_delete", sample["comment"].uuid)).status_code == 302
    assert all_comments() == []  # an owner (or admin) deletes any comment, replies included
    # ...and an admin deletes anyone's comment; a plain author with replies is refused.
    assert post_comment(editor, sample["action"], "Root").status_code == 200
    root = all_comments()[-1]
    assert post_comment(owner, sample["action"], "Re", parent=str(root.uuid)).status_code == 200
    assert editor.post(url("comment_delete", root.uuid)).status_code == 403
    page = editor.get(detail_url(sample["action"])).content.decode()
    assert f'action="{url("comment_delete", root.uuid)}"' not in page
    admin = as_user(personas.user(Role.ADMIN))
    assert admin.post(url("comment_delete", root.uuid), **HTMX).status_code == 200
    assert all_comments() == []


def test_deleting_without_htmx_returns_to_the_comments(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    owner = client_for(personas.user(Role.OWNER))
    response = owner.post(url("comment_delete", sample["comment"].uuid))
    assert response.status_code == 302
    assert response["Location"] == detail_url(sample["action"]) + "#comments"


# --- Mentions ----------------------------------------------------------------------------------


def test_mention_handles() -> None:
    assert mentions.handles_in("Hi @Claire-Dupont, @bob.smith. And @Hélène!") == {
        "claire-dupont",
        "bob.smith",
        "hélène",
    }
    # E-mail addresses and bare "@" are not mentions.
    assert mentions.handles_in("write to ann@example.org or @ someone, a@b") == set()
    user = UserFactory.build(full_name="Hélène Lévy", email="h.levy@example.org")
    assert mentions.matches(user, "helene-levy") and mentions.matches(user, "Hélène-Lévy")
    assert mentions.matches(user, "h.levy") and not mentions.matches(user, "helene")
    assert mentions.search_matches(user, "lev") and mentions.search_matches(user, "h.l")


def test_mentions_notify_members_who_see_the_project_after_commit(
    personas: Personas,
    sample: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(personas.user(Role.OWNER))
    body = (
        "Ping @alpha-editor, @viewer (e-mail handle), @alpha-partner (not shared), "
        "@beta-owner and @outsider (another workspace), @alpha-owner (myself) and @nobody."
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert post_comment(client, sample["action"], body).status_code == 200
    # Nothing is sent inside the transaction: one callback waits for the commit.
    assert notifications() == []
    assert len(callbacks) == 1
    callbacks[0]()
    sent = notifications()
    assert sorted(n.recipient.email for n in sent) == [
        "editor@alpha.example",
        "viewer@alpha.example",
    ]
    comment = all_comments()[-1]
    # Recorded: whoever was named and can see the project (the author too, never notified).
    assert {u.email for u in comment.mentions.all()} == {
        "editor@alpha.example",
        "viewer@alpha.example",
        "owner@alpha.example",
    }
    for n in sent:
        assert n.workspace_id == personas.workspace.pk
        assert n.actor == personas.user(Role.OWNER)
        assert n.verb == "mentioned"
        assert n.url == detail_url(sample["action"]) + f"#comment-{comment.uuid}"
        assert n.text.startswith("Secret Action: Ping @alpha-editor")


def test_a_partner_is_notified_once_the_project_is_shared(
    personas: Personas,
    sample: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    share_with_partner(personas, sample["project"])
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            post_comment(client, sample["objective"], "Over to you @alpha-partner").status_code
            == 200
        )
    (sent,) = notifications()
    assert sent.recipient == personas.user(Role.PARTNER)
    assert sent.url == detail_url(sample["objective"]) + f"#comment-{all_comments()[-1].uuid}"


def test_a_failed_comment_notifies_nobody(
    personas: Personas,
    sample: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post_comment(client, sample["action"], "x" * 10_001 + " @viewer").status_code == 422
    assert callbacks == [] and notifications() == []


def test_an_edit_notifies_only_the_newly_mentioned(
    personas: Personas,
    sample: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(personas.user(Role.EDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_comment(client, sample["action"], "Hi @viewer").status_code == 200
    comment = all_comments()[-1]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(
                url("comment_edit", comment.uuid), {"body": "Hi @viewer and @alpha-admin"}, **HTMX
            ).status_code
            == 200
        )
    assert sorted(n.recipient.email for n in notifications()) == [
        "admin@alpha.example",
        "viewer@alpha.example",
    ]


def test_mentions_resolve_against_this_workspace_only(personas: Personas, sample: Any) -> None:
    # A member of beta shares a handle with nobody in alpha, and one in alpha with a beta user.
    twin = UserFactory(email="twin@beta.example", full_name="Alpha Editor")
    MembershipFactory(workspace=personas.other_workspace, user=twin, role=Role.OWNER)
    with workspace_scope(personas.workspace):
        comment = comments.comment_create(
            actor=personas.user(Role.OWNER),
            membership=personas.memberships[Role.OWNER],
            workspace=personas.workspace,
            target=sample["action"],
            body="@alpha-editor @twin",
        )
        assert list(comment.mentions.all()) == [personas.user(Role.EDITOR)]


def test_service_refuses_a_target_of_another_workspace(personas: Personas, sample: Any) -> None:
    from core.tenancy import ScopeError

    foreign = ActionFactory(workspace=personas.other_workspace)
    with workspace_scope(personas.workspace), pytest.raises(ScopeError):
        comments.comment_create(
            actor=personas.user(Role.OWNER),
            membership=personas.memberships[Role.OWNER],
            workspace=personas.workspace,
            target=foreign,
            body="x",
        )


def test_member_search_lists_at_most_8_members_of_this_workspace(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    for n in range(10):
        user = UserFactory(email=f"alpha.member{n}@example.org", full_name=f"Alpha Member {n}")
        MembershipFactory(workspace=personas.workspace, user=user, role=Role.VIEWER)
    client = client_for(personas.user(Role.EDITOR))
    body = client.get(url("member_search") + "?q=alpha").content.decode()
    assert body.count('role="option"') == 8
    assert 'role="listbox"' in body
    body = client.get(url("member_search") + "?q=beta").content.decode()
    assert "Beta Owner" not in body and 'role="option"' not in body
    # By e-mail part, with the handle to insert.
    body = client.get(url("member_search") + "?q=viewer").content.decode()
    assert 'data-mention="alpha-viewer"' in body
    # Narrowed to a project: the partner (not shared) is left out, until it is shared.
    project = f"&project={sample['project'].uuid}"
    assert (
        "Alpha Partner"
        not in client.get(url("member_search") + "?q=partner" + project).content.decode()
    )
    share_with_partner(personas, sample["project"])
    assert (
        "Alpha Partner"
        in client.get(url("member_search") + "?q=partner" + project).content.decode()
    )
    # An empty query lists nobody; viewers cannot search (they cannot comment).
    assert 'role="option"' not in client.get(url("member_search") + "?q=").content.decode()
    assert (
        client_for(personas.user(Role.VIEWER)).get(url("member_search") + "?q=a").status_code == 403
    )


def test_member_search_prefers_a_unique_handle(personas: Personas, client_for: Any) -> None:
    for email in ("claire@one.example", "claire.d@two.example"):
        user = UserFactory(email=email, full_name="Claire Dupont")
        MembershipFactory(workspace=personas.workspace, user=user, role=Role.EDITOR)
    body = client_for(personas.user(Role.EDITOR)).get(url("member_search") + "?q=claire")
    html = body.content.decode()
    # The name is shared: each gets their e-mail handle, which names only them.
    assert 'data-mention="claire"' in html and 'data-mention="claire.d"' in html


# --- Notifications and the bell ------------------------------------------------------------------


def test_bell_shows_the_unread_count_of_this_workspace(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    owner = personas.user(Role.OWNER)
    NotificationFactory.create_batch(3, workspace=personas.workspace, recipient=owner)
    NotificationFactory(workspace=personas.other_workspace, recipient=owner)  # not counted here
    NotificationFactory(workspace=personas.workspace, recipient=personas.user(Role.EDITOR))
    client = client_for(owner)
    page = client.get(url("workspace_home")).content.decode()
    assert 'id="notification-bell"' in page
    assert '<span class="bell-count" aria-hidden="true">3</span>' in page
    assert "Notifications: 3 unread" in page
    # The fragment the bell polls: 204 while the count is right, the bell when it changed.
    bell = url("notification_bell")
    assert client.get(bell + "?n=3", **HTMX).status_code == 204
    response = client.get(bell + "?n=2", **HTMX)
    assert response.status_code == 200
    assert '<span class="bell-count" aria-hidden="true">3</span>' in response.content.decode()
    # Outside a workspace there is no bell.
    assert 'id="notification-bell"' not in client.get(reverse("workspace_list")).content.decode()


def test_the_bell_costs_one_query_whatever_the_count(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    owner = personas.user(Role.OWNER)
    client = client_for(owner)
    page = url("workspace_home")
    client.get(page)
    NotificationFactory(workspace=personas.workspace, recipient=owner)
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    NotificationFactory.create_batch(40, workspace=personas.workspace, recipient=owner)
    with CaptureQueriesContext(connection) as many:
        assert "41</span>" in client.get(page).content.decode()
    assert len(one.captured_queries) == len(many.captured_queries)
    counts = [q["sql"] for q in many.captured_queries if "core_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()


def test_notification_list_read_one_and_read_all(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    owner = personas.user(Role.OWNER)
    target = detail_url(sample["action"]) + "#comment-x"
    first = NotificationFactory(
        workspace=personas.workspace,
        recipient=owner,
        actor=personas.user(Role.EDITOR),
        text="Secret Action: look",
        url=target,
    )
    NotificationFactory(workspace=personas.workspace, recipient=owner, text="Second one")
    someone_elses = NotificationFactory(
        workspace=personas.workspace, recipient=personas.user(Role.EDITOR), text="Not yours"
    )
    client = client_for(owner)
    listing = client.get(url("notification_list")).content.decode()
    assert "Alpha Editor mentioned you" in listing and "Secret Action: look" in listing
    assert "Not yours" not in listing
    # Clicking one marks it read and goes to its page.
    response = client.post(url("notification_read", first.uuid))
    assert response.status_code == 302 and response["Location"] == target
    first.refresh_from_db()
    assert first.read_at is not None
    # Someone else's notification does not exist for you.
    assert client.post(url("notification_read", someone_elses.uuid)).status_code == 404
    # Mark all as read.
    assert client.post(url("notification_read_all")).status_code == 302
    assert all(n.read_at for n in notifications() if n.recipient == owner)
    someone_elses.refresh_from_db()
    assert someone_elses.read_at is None


def test_a_notification_url_never_leaves_the_site(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    owner = personas.user(Role.OWNER)
    evil = NotificationFactory(
        workspace=personas.workspace, recipient=owner, url="https://evil.example/x"
    )
    response = client_for(owner).post(url("notification_read", evil.uuid))
    assert response["Location"] == url("notification_list")


def test_notification_list_is_paginated_with_constant_queries(
    personas: Personas, sample: Any, client_for: Any
) -> None:
    owner = personas.user(Role.OWNER)
    client = client_for(owner)
    NotificationFactory(
        workspace=personas.workspace, recipient=owner, actor=personas.user("editor")
    )
    client.get(url("notification_list"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("notification_list")).status_code == 200
    NotificationFactory.create_batch(
        49, workspace=personas.workspace, recipient=owner, actor=personas.user("admin")
    )
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(url("notification_list") + "?page=1")
    assert len(one.captured_queries) == len(fifty.captured_queries)
    assert response.content.decode().count('<li class="notification') == 25
    assert "Page 1 of 2" in response.content.decode()


# --- Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["action", "objective"])
def test_detail_page_queries_do_not_grow_with_comments(
    kind: str, personas: Personas, sample: Any, client_for: Any
) -> None:
    target = sample[kind]
    client = client_for(personas.user(Role.EDITOR))
    if kind == "objective":
        CommentFactory(
            workspace=personas.workspace,
            action=None,
            objective=target,
            author=personas.user(Role.ADMIN),
        )
    client.get(detail_url(target))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(detail_url(target)).status_code == 200
    authors = [personas.user(r) for r in (Role.OWNER, Role.ADMIN, Role.EDITOR, Role.PARTNER)]
    roots: list[Comment] = []
    for n in range(29):
        parent = roots[n % 3] if n >= 3 and n % 2 else None
        comment = CommentFactory(
            workspace=personas.workspace,
            action=target if kind == "action" else None,
            objective=target if kind == "objective" else None,
            author=authors[n % 4],
            parent=parent,
            body=f"Comment number {n}",
        )
        if parent is None:
            roots.append(comment)
    with scopes_disabled():
        comment.resolved_at, comment.resolved_by = comment.created_at, authors[0]
        roots[0].resolved_at, roots[0].resolved_by = roots[0].created_at, authors[1]
        roots[0].save()
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(detail_url(target))
    assert response.content.decode().count('class="comment"') == 30
    assert len(thirty.captured_queries) == len(one.captured_queries)
