"""French pages, as rendered: their text (screen-reader text included) has a no-break space
before : ; ! ? and inside « », wherever it comes from (catalogue, templates, Python).

The catalogue test checks each msgstr; this one catches the punctuation that templates and code
put around translated pieces ("{% translate 'Edit' %}: {{ name }}").
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.conftest import Personas
from tests.factories import CommentFactory, NotificationFactory
from tests.ops.typography import problems

pytestmark = pytest.mark.django_db


def text_lines(page: str) -> list[str]:
    """The page's text, line by line, as a reader (or a screen reader) meets it."""
    page = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return [line.strip() for line in text.split("\n") if line.strip()]


def pages(personas: Personas, sample: dict[str, Any]) -> list[str]:
    ws, project = personas.workspace.slug, sample["project"].uuid
    per_project = [
        "project_detail", "plan_board", "plan_table", "plan_matrix", "plan_timeline",
        "plan_activity", "plan_library", "project_dashboard", "indicator_list", "lesson_list",
        "measurements_import", "method_tracker", "maturity", "body_list", "decision_list",
        "contribution_list", "ownership_list", "brand", "proposal_list", "cycle_review_current",
    ]  # fmt: skip
    per_workspace = [
        "workspace_home", "project_list", "territory_list", "partner_list", "members",
        "notification_list", "workspace_settings", "api_tokens", "webhook_list",
        "workspace_export", "workspace_deletion",
    ]  # fmt: skip
    return [
        *(reverse(name, args=[ws, project]) for name in per_project),
        *(reverse(name, args=[ws]) for name in per_workspace),
        reverse("action_detail", args=[ws, sample["action"].uuid]),
        reverse("objective_detail", args=[ws, sample["objective"].uuid]),
        reverse("indicator_detail", args=[ws, sample["indicator"].uuid]),
        reverse("territory_detail", args=[ws, sample["territory"].uuid]),
        reverse("partner_detail", args=[ws, sample["organisation"].uuid]),
        reverse("frameworks"),
    ]


def test_french_pages_put_a_no_break_space_before_double_signs(
    personas: Personas, sample: dict[str, Any]
) -> None:
    owner = personas.user(Role.OWNER)
    editor = personas.user(Role.EDITOR)
    CommentFactory(workspace=personas.workspace, action=sample["action"], author=editor, body="Vu")
    NotificationFactory(workspace=personas.workspace, recipient=owner, actor=editor, text="Vu")
    client = Client()
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    found = []
    urls = pages(personas, sample)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="fr"' in page, url
        found += [f"{url}: {p}" for line in text_lines(page) for p in problems(line)]
    assert len(urls) > 30
    assert not found, "\n".join(sorted(set(found)))
