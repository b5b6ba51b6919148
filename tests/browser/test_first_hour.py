"""What a new user reads in the first hour, in the browser: the French plan's tabs and counters,
day-first dates in English, a posted mention highlighted and its notification as clean text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def use_language(page: Page, live_server: Any, language: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


def test_the_french_plan_reads_at_once(
    page: Page,
    live_server: Any,
    personas: Personas,
    reference_data: None,
    login_with_cookie: Any,
    screenshot: Any,
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Entrepreneurs du vin")
    objective = ObjectiveFactory(workspace=ws, project=project, title="Être connu pour le vin")
    for status, title in (("idea", "Salon du vin"), ("idea", "Route des caves"), ("done", "Site")):
        ActionFactory(
            workspace=ws, objective=objective, status=status, title=title,
            start_date=dt.date(2026, 5, 17),
        )  # fmt: skip
    login_with_cookie(page, personas.user(Role.OWNER))
    use_language(page, live_server, "fr")
    page.goto(f"/w/alpha/projects/{project.uuid}/plan/")
    tabs = page.get_by_role("navigation", name="Vues du plan")
    expect(tabs.get_by_role("link", name="Kanban", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(tabs.get_by_role("link", name="Liste des actions", exact=True)).to_be_visible()
    expect(tabs.get_by_role("link", name="Tableau de bord", exact=True)).to_be_visible()
    counters = page.locator("#plan-counters")
    expect(counters).to_contain_text("3 actions")
    expect(counters).to_contain_text("2 idées")
    expect(counters).to_contain_text("1 réalisée")
    screenshot("board-fr")
    tabs.get_by_role("link", name="Liste des actions", exact=True).click()
    expect(page).to_have_title(f"Liste des actions · {project.name} · Territoria")
    expect(page.locator("table").first).to_contain_text("17/05/2026")
    # The same table in English: the date still day first.
    use_language(page, live_server, "en")
    page.reload()
    expect(page.get_by_role("navigation", name="Plan views")).to_contain_text("Table")
    expect(page.locator("table").first).to_contain_text("17/05/2026")
    screenshot("table-en")


def test_a_mention_is_highlighted_and_its_notification_is_clean_text(
    page: Page,
    personas: Personas,
    reference_data: None,
    login_with_cookie: Any,
    screenshot: Any,
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Wine Entrepreneurs")
    action = ActionFactory(
        workspace=ws,
        objective=ObjectiveFactory(workspace=ws, project=project),
        title="Wine fair stand",
    )
    login_with_cookie(page, personas.user(Role.OWNER))
    page.goto(f"/w/alpha/actions/{action.uuid}/")
    page.get_by_label("Add a comment", exact=True).fill(
        "@alpha-editor **please** check [the budget](https://example.org/budget)"
    )
    page.get_by_role("button", name="Post comment").click()
    mention = page.locator(".comment-body mark.mention")
    expect(mention).to_have_text("@alpha-editor")
    background = mention.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(page.locator(".comment-body strong")).to_have_text("please")
    screenshot("comment")
    login_with_cookie(page, personas.user(Role.EDITOR))
    page.goto("/w/alpha/notifications/")
    text = page.locator(".notification-text").first
    expect(text).to_have_text("Wine fair stand: @alpha-editor please check the budget")
    screenshot("notifications")
