"""A posted comment highlights the @mentions that named someone it notified; notifications read as
clean text (no Markdown), truncated with an ellipsis."""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.markup import plain_text, sanitize_html
from core.roles import Role
from tests.conftest import Personas
from tests.mix.test_comments import (
    all_comments,
    as_user,
    detail_url,
    notifications,
    post_comment,
    url,
)

pytestmark = pytest.mark.django_db

MARK = '<mark class="mention">{}</mark>'


def comment_body(page: str) -> str:
    bodies = re.findall(r'<div class="comment-body prose" hx-disable>(.*?)</div>', page, re.S)
    assert bodies, "no comment body on the page"
    return bodies[-1]


def test_a_comment_highlights_the_members_it_mentions(personas: Personas, sample: Any) -> None:
    client = as_user(personas.user(Role.OWNER))
    body = (
        "Ping @Alpha-Editor and @viewer, not @alpha-partner (project not shared) nor @nobody. "
        "Code stays code: `@alpha-editor`; an address stays an address: alpha.editor@example.org"
    )
    response = post_comment(client, sample["action"], body)
    assert response.status_code == 200
    html = comment_body(response.content.decode())
    assert MARK.format("@Alpha-Editor") in html  # as typed
    assert MARK.format("@viewer") in html
    assert "@alpha-partner" in html and MARK.format("@alpha-partner") not in html
    assert "@nobody" in html and MARK.format("@nobody") not in html
    assert "<code>@alpha-editor</code>" in html
    assert "alpha.editor@example.org" in html and html.count("<mark") == 2
    # The item's page shows the same, inside the hx-disable container.
    page = client.get(detail_url(sample["action"])).content.decode()
    assert MARK.format("@viewer") in comment_body(page)


def test_an_edit_moves_the_highlight(personas: Personas, sample: Any) -> None:
    client = as_user(personas.user(Role.EDITOR))
    post_comment(client, sample["action"], "Over to @viewer")
    comment = all_comments()[-1]
    assert MARK.format("@viewer") in comment.body_html
    response = client.post(
        url("comment_edit", comment.uuid), {"body": "Over to @alpha-admin instead"}
    )
    assert response.status_code in (200, 302)
    comment.refresh_from_db()
    assert MARK.format("@alpha-admin") in comment.body_html
    assert "<mark" not in comment.body_html.replace(MARK.format("@alpha-admin"), "")


def test_the_highlight_stays_inert_and_only_ours_passes_the_sanitiser(
    personas: Personas, sample: Any
) -> None:
    client = as_user(personas.user(Role.OWNER))
    post_comment(client, sample["action"], '@viewer<script>alert(1)</script> <mark class="x">')
    html = all_comments()[-1].body_html
    assert html == (
        '<p><mark class="mention">@viewer</mark>&lt;script&gt;alert(1)&lt;/script&gt; '
        '&lt;mark class="x"&gt;</p>'
    )
    assert sanitize_html('<mark class="mention">a</mark>') == '<mark class="mention">a</mark>'
    assert sanitize_html('<mark class="x" onclick="y" style="z">a</mark>') == "<mark>a</mark>"
    assert sanitize_html('<span class="mention">a</span>') == "a"


def test_plain_text_drops_the_markdown() -> None:
    source = (
        "**Budget** is [here](https://example.org/a_b) & `the_code`\n\n"
        "- one\n- two\n\n> quoted <b>raw</b>"
    )
    assert plain_text(source) == "Budget is here & the_code one two quoted <b>raw</b>"


def test_notifications_show_clean_text_never_markdown(
    personas: Personas, sample: Any, django_capture_on_commit_callbacks: Any
) -> None:
    author = as_user(personas.user(Role.OWNER))
    body = (
        "@alpha-editor **please** check [the budget](https://example.org/budget) and the "
        "_stand_:\n\n- item one\n- item two\n\n" + "A long explanation follows. " * 20
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_comment(author, sample["action"], body).status_code == 200
    (sent,) = notifications()
    assert sent.text.startswith(
        "Secret Action: @alpha-editor please check the budget and the stand: item one item two "
        "A long explanation"
    )
    assert sent.text.endswith("…")
    assert len(sent.text) <= len("Secret Action: ") + 200
    for markup in ("**", "](", "_stand_", "- item", "\n"):
        assert markup not in sent.text
    page = as_user(personas.user(Role.EDITOR)).get(url("notification_list")).content.decode()
    shown = re.search(r'<span class="notification-text">(.*?)</span>', page, re.S)
    assert shown and shown.group(1).startswith("Secret Action: @alpha-editor please check")
    assert "**" not in shown.group(1) and "](" not in shown.group(1)
