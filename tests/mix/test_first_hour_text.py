"""What a new user reads in the first hour, on real pages, in English and in French: counts with
their plural forms, day-first dates, distinct French names for the plan's views."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from mix.models import Action
from territories.models import Cycle
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def text_of(page: str, element_id: str | None = None) -> str:
    """The page's (or one element's) visible text, tags dropped and spaces collapsed."""
    if element_id is not None:
        match = re.search(rf'<(\w+)[^>]*\bid="{element_id}".*?</\1>', page, re.S)
        assert match, f"no #{element_id} on the page"
        page = match.group(0)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def reader(user: Any, language: str) -> Client:
    """A member who chose ``language`` with the language switch (its cookie)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def project(personas: Personas) -> Any:
    return ProjectFactory(
        workspace=personas.workspace, name="Wine Entrepreneurs", start_date=dt.date(2026, 5, 17)
    )


def add_actions(project: Any, *statuses: str) -> None:
    objective = ObjectiveFactory(workspace=project.workspace, project=project)
    for status in statuses:
        ActionFactory(workspace=project.workspace, objective=objective, status=status)


def board_counters(personas: Personas, project: Any, language: str) -> str:
    url = reverse("plan_board", args=[personas.workspace.slug, project.uuid])
    page = reader(personas.user(Role.OWNER), language).get(url).content.decode()
    return text_of(page, "plan-counters")


# --- Plurals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", ["1 objective", "1 action", "1 idea", "1 done"], ["2 actions", "2 ideas", "2 done"]),
        (
            "fr",
            ["1 objectif", "1 action", "1 idée", "1 réalisée"],
            ["4 actions", "2 idées", "2 réalisées"],
        ),
    ],
)
def test_plan_counters_say_one_idea_and_two_ideas(
    personas: Personas, project: Any, language: str, one: list[str], two: list[str]
) -> None:
    objective = ObjectiveFactory(workspace=personas.workspace, project=project)
    ActionFactory(workspace=personas.workspace, objective=objective, status="idea")
    counters = board_counters(personas, project, language)
    for expected in one[:3]:
        assert re.search(rf"(^| ){expected}( |$)", counters), (expected, counters)
    ActionFactory(workspace=personas.workspace, objective=objective, status="done")
    assert re.search(rf"(^| ){one[3]}( |$)", board_counters(personas, project, language))
    ActionFactory(workspace=personas.workspace, objective=objective, status="idea")
    ActionFactory(workspace=personas.workspace, objective=objective, status="done")
    counters = board_counters(personas, project, language)
    for expected in ["4 actions", *two[1:]]:
        assert re.search(rf"(^| ){expected}( |$)", counters), (expected, counters)
    add_actions(project)  # a second objective
    assert re.search(r"(^| )2 objecti(ve|f)s( |$)", board_counters(personas, project, language))


def test_the_table_says_one_action_then_two_actions(personas: Personas, project: Any) -> None:
    url = reverse("plan_table", args=[personas.workspace.slug, project.uuid])
    add_actions(project, "planned")
    for language in ("en", "fr"):
        page = reader(personas.user(Role.OWNER), language).get(url).content.decode()
        assert re.search(r"(?<!\d)1 action(?!s)", text_of(page)), language
    add_actions(project, "planned")
    for language in ("en", "fr"):
        page = reader(personas.user(Role.OWNER), language).get(url).content.decode()
        assert re.search(r"(?<!\d)2 actions", text_of(page)), language


# --- Dates ------------------------------------------------------------------------------------


def test_english_pages_write_dates_day_first(personas: Personas, project: Any) -> None:
    owner = personas.user(Role.OWNER)
    slug = personas.workspace.slug
    listing = reader(owner, "en").get(reverse("project_list", args=[slug])).content.decode()
    assert "17/05/2026" in text_of(listing)
    assert "05/17/2026" not in listing
    detail = reader(owner, "en").get(reverse("project_detail", args=[slug, project.uuid]))
    text = text_of(detail.content.decode())
    assert "17 May 2026" in text
    assert "May 17, 2026" not in text


def test_french_pages_keep_french_dates(personas: Personas, project: Any) -> None:
    owner = personas.user(Role.OWNER)
    slug = personas.workspace.slug
    listing = reader(owner, "fr").get(reverse("project_list", args=[slug])).content.decode()
    assert "17/05/2026" in text_of(listing)
    detail = reader(owner, "fr").get(reverse("project_detail", args=[slug, project.uuid]))
    assert "17 mai 2026" in text_of(detail.content.decode())


def test_the_language_switch_still_switches_the_date_format(
    personas: Personas, project: Any
) -> None:
    client = Client()
    client.force_login(personas.user(Role.OWNER))
    detail = reverse("project_detail", args=[personas.workspace.slug, project.uuid])
    for language, expected in (("fr", "17 mai 2026"), ("en", "17 May 2026")):
        answer = client.post(reverse("set_language"), {"language": language, "next": detail})
        assert answer.status_code == 302
        page = client.get(answer["Location"])
        assert page.status_code == 200
        assert expected in text_of(page.content.decode()), language


@pytest.mark.parametrize("language", ["en", "fr"])
def test_dates_typed_day_first_or_sent_as_iso_are_read_alike(language: str) -> None:
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("2026-05-17") == dt.date(2026, 5, 17)  # what <input type=date> sends
        assert field.clean("17/05/2026") == dt.date(2026, 5, 17)
        with pytest.raises(forms.ValidationError):
            field.clean("05/17/2026")  # month first is never read


def test_a_new_action_keeps_the_iso_date_its_form_sends(personas: Personas, project: Any) -> None:
    objective = ObjectiveFactory(workspace=personas.workspace, project=project)
    client = reader(personas.user(Role.OWNER), "en")
    url = reverse("action_create", args=[personas.workspace.slug, project.uuid])
    form = client.get(url).content.decode()
    assert re.search(r'<input type="date" name="start_date"', form)
    answer = client.post(
        url,
        {
            "objective": objective.uuid,
            "family": "mix.promotion",
            "title": "Wine fair stand",
            "status": "planned",
            "priority": 2,
            "start_date": "2026-05-17",
            "end_date": "2026-06-30",
            "budget_planned": "0",
            "budget_spent": "0",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    action = Action.unscoped_objects.get(title="Wine fair stand")
    assert (action.start_date, action.end_date) == (dt.date(2026, 5, 17), dt.date(2026, 6, 30))
    # The table shows it day first.
    table = client.get(reverse("plan_table", args=[personas.workspace.slug, project.uuid]))
    assert "17/05/2026" in text_of(table.content.decode())


# --- The plan's views have distinct names in French -------------------------------------------


def plan_tabs(page: str) -> list[str]:
    nav = re.search(r'<nav class="tabs" aria-label="[^"]*">(.*?)</nav>', page, re.S)
    assert nav, "no tabs"
    return [text_of(a) for a in re.findall(r"<a\b.*?</a>", nav.group(1), re.S)]


def test_french_plan_tabs_have_distinct_names_that_pages_repeat(
    personas: Personas, project: Any
) -> None:
    client = reader(personas.user(Role.OWNER), "fr")
    slug = personas.workspace.slug
    board = client.get(reverse("plan_board", args=[slug, project.uuid])).content.decode()
    tabs = plan_tabs(board)
    assert tabs[:2] == ["Kanban", "Liste des actions"]
    assert "Tableau de bord" in tabs
    assert len(set(tabs)) == len(tabs)
    # No two tab names where one is the start of the other ("Tableau" / "Tableau de bord").
    for a in tabs:
        for b in tabs:
            assert a == b or not b.startswith(a + " "), (a, b)
    assert "<title>Kanban · " in board
    table = client.get(reverse("plan_table", args=[slug, project.uuid])).content.decode()
    assert "<title>Liste des actions · " in table
    # The main menu names the workspace dashboard as the project's tab does.
    menu = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', board, re.S)
    assert menu and "Tableau de bord" in text_of(menu.group(1))


def test_english_plan_tabs_are_unchanged(personas: Personas, project: Any) -> None:
    client = reader(personas.user(Role.OWNER), "en")
    board = client.get(reverse("plan_board", args=[personas.workspace.slug, project.uuid]))
    assert plan_tabs(board.content.decode())[:2] == ["Board", "Table"]


def test_cycle_started_on_shows_day_first(personas: Personas, project: Any) -> None:
    Cycle.unscoped_objects.filter(project=project).update(started_on=dt.date(2026, 5, 17))
    page = reader(personas.user(Role.OWNER), "en").get(
        reverse("project_detail", args=[personas.workspace.slug, project.uuid])
    )
    assert "since 17 May 2026" in text_of(page.content.decode())
