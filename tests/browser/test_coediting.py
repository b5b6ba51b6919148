"""Live co-editing of the plan board in two browsers: an owner (A) and an editor (B).

Each person has their own browser context (cookies, page, poller). Other people's changes
arrive by the board's 3-second poll, so every cross-browser expectation waits up to 5 s and no
page is ever reloaded. Screenshots of both browsers at each key step go under
test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.roles import Role
from core.tenancy import scopes_disabled
from mix.models import Action
from territories.models import Project
from tests.browser.conftest import ASYNC_UNSAFE, TIMEOUT_MS
from tests.browser.htmx import settled
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Flushing after each live-server test removes the migrations' reference rows.
    pytest.mark.usefixtures("reference_data"),
]

LIVE = 5_000  # ms: the poll runs every 3 s


def shown(text: str) -> re.Pattern[str]:
    """A field's visible value; its button also names it for screen readers ("Edit title: ")."""
    return re.compile(rf"(?:^|:\s*){re.escape(text)}\s*$")


@dataclass
class Person:
    name: str
    page: Page

    def field(self, action: Action, name: str) -> Locator:
        """The field's display button, editor form or conflict box: they share one id."""
        return self.page.locator(f"#action-{action.uuid}-{name}")

    def open_editor(self, action: Action, name: str) -> Locator:
        self.field(action, name).click()
        editor = self.page.locator(f"form#action-{action.uuid}-{name}.inline-editor.editing")
        expect(editor).to_be_visible()
        return editor

    def presence(self, action: Action) -> Locator:
        return self.page.locator(f'[data-presence-for="action:{action.uuid}"]')


@dataclass
class Board:
    project: Project
    action: Action
    a: Person  # Alpha Owner
    b: Person  # Alpha Editor
    shot: Callable[[str], None]


@pytest.fixture
def board(
    browser: Browser,
    browser_context_args: dict[str, Any],
    personas: Personas,
    login_with_cookie: Any,
    screenshot_of: Any,
) -> Iterator[Board]:
    assert os.environ.get(ASYNC_UNSAFE) == "true"  # tests/browser/conftest.py's playwright
    workspace = personas.workspace
    project = ProjectFactory(workspace=workspace, name="Wine Entrepreneurs 2026")
    objective = ObjectiveFactory(workspace=workspace, project=project, title="Be known for wine")
    action = ActionFactory(workspace=workspace, objective=objective, title="Wine fair stand")
    contexts = []
    people = []
    for role in (Role.OWNER, Role.EDITOR):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        login_with_cookie(context, personas.user(role))
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        page.goto(f"/w/{workspace.slug}/projects/{project.uuid}/plan/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Action plan: Wine Entrepreneurs 2026"
        )
        people.append(Person(personas.user(role).display_name, page))
    a, b = people
    assert (a.name, b.name) == ("Alpha Owner", "Alpha Editor")

    def shot(step: str) -> None:
        screenshot_of(a.page, f"{step}-A")
        screenshot_of(b.page, f"{step}-B")

    try:
        yield Board(project, action, a, b, shot)
    finally:
        for context in contexts:
            context.close()


def stored(action: Action) -> Action:
    with scopes_disabled():
        return Action.objects.get(pk=action.pk)


def caught_up(person: Person, project: Project) -> None:
    """Wait until ``person``'s page has polled in every change saved so far."""
    with scopes_disabled():
        revision = Project.objects.get(pk=project.pk).plan_revision
    expect(person.page.locator("#plan-poller")).to_have_attribute(
        "data-revision", str(revision), timeout=LIVE
    )


def test_a_saves_a_title_and_b_sees_it_without_reloading(board: Board) -> None:
    a, b, action = board.a, board.b, board.action
    b.page.evaluate("window.__sameDocument = true")
    expect(b.field(action, "title")).to_have_text(shown("Wine fair stand"))
    board.shot("1-before")

    editor = a.open_editor(action, "title")
    editor.get_by_role("textbox").fill("Salon des vins de Loire")
    board.shot("2-a-editing")
    editor.get_by_role("button", name="Save").click()
    expect(a.field(action, "title")).to_have_text(shown("Salon des vins de Loire"))
    expect(a.page.locator("form.inline-editor")).to_have_count(0)

    expect(b.field(action, "title")).to_have_text(shown("Salon des vins de Loire"), timeout=LIVE)
    assert b.page.evaluate("window.__sameDocument") is True  # no reload
    board.shot("3-b-sees-it")
    saved = stored(action)
    assert (saved.title, saved.version) == ("Salon des vins de Loire", 2)


def test_both_edit_the_same_field_b_saves_first_a_resolves_the_conflict(board: Board) -> None:
    """Round 1: A keeps theirs. Round 2: A overwrites with theirs. Both browsers agree."""
    a, b, action = board.a, board.b, board.action
    rounds = [(1, "Keep theirs", "B round 1", 2), (2, "Overwrite with mine", "A round 2", 4)]
    for n, button, final, version in rounds:
        mine, theirs = f"A round {n}", f"B round {n}"
        editor_a = a.open_editor(action, "title")
        editor_b = b.open_editor(action, "title")
        editor_a.get_by_role("textbox").fill(mine)
        editor_b.get_by_role("textbox").fill(theirs)
        editor_b.get_by_role("button", name="Save").click()
        expect(b.field(action, "title")).to_have_text(shown(theirs))
        # B's save reaches A's page by the poll, but must not close A's editor.
        caught_up(a, board.project)
        expect(editor_a.get_by_role("textbox")).to_have_value(mine)
        board.shot(f"{n}-1-b-saved-first")

        with a.page.expect_response(lambda r: r.request.method == "POST") as answer:
            editor_a.get_by_role("button", name="Save").click()
        assert answer.value.status == 409
        conflict = a.page.get_by_role("alertdialog")
        expect(conflict).to_have_id(f"action-{action.uuid}-title")
        expect(conflict).to_contain_text("Alpha Editor changed this")
        expect(conflict.locator(".theirs")).to_have_text(theirs)
        expect(conflict.locator(".yours")).to_have_text(mine)
        expect(conflict.get_by_role("button", name="Keep theirs")).to_be_focused()
        expect(conflict.get_by_role("button", name="Overwrite with mine")).to_be_visible()
        board.shot(f"{n}-2-a-sees-the-conflict")

        conflict.get_by_role("button", name=button).click()
        expect(a.field(action, "title")).to_have_text(shown(final))
        expect(a.page.locator(".conflict")).to_have_count(0)
        expect(a.field(action, "title")).to_be_focused()
        expect(b.field(action, "title")).to_have_text(shown(final), timeout=LIVE)
        board.shot(f"{n}-3-resolved")
        saved = stored(action)
        # Round 1: B saves (2), A keeps theirs. Round 2: B saves (3), A overwrites (4).
        assert (saved.title, saved.version) == (final, version)


def test_b_changes_another_field_while_a_edits_and_a_keeps_the_typed_text(board: Board) -> None:
    a, b, action = board.a, board.b, board.action
    editor_a = a.open_editor(action, "title")
    box = editor_a.get_by_role("textbox")
    box.fill("A is still typing")
    box.evaluate("el => { el.__original = true }")  # to tell the same node from a copy
    board.shot("1-a-typing")

    editor_b = b.open_editor(action, "status")
    editor_b.get_by_role("combobox").select_option(label="Done")
    editor_b.get_by_role("button", name="Save").click()
    expect(b.field(action, "status")).to_have_text(shown("Done"))

    # B's change arrives in A's page...
    expect(a.field(action, "status")).to_have_text(shown("Done"), timeout=LIVE)
    # ...and A's editor is the very same element, open, with A's text, still focused.
    expect(a.page.locator(f"form#action-{action.uuid}-title.inline-editor")).to_be_visible()
    expect(box).to_have_value("A is still typing")
    assert box.evaluate("el => el.__original === true") is True
    expect(box).to_be_focused()
    board.shot("2-a-still-editing")
    assert stored(action).status == "done"


def test_b_sees_who_is_editing_while_a_editor_is_open(board: Board) -> None:
    a, b, action = board.a, board.b, board.action
    badge = b.presence(action)
    expect(badge).to_be_hidden()
    editor_a = a.open_editor(action, "budget_planned")
    expect(badge).to_have_text("Editing now: Alpha Owner", timeout=LIVE)
    expect(badge).to_be_visible()
    expect(a.presence(action)).to_be_hidden()  # A is not told about themself
    board.shot("1-b-sees-a-editing")

    editor_a.get_by_role("button", name="Cancel").click()
    expect(a.field(action, "budget_planned")).to_have_text(shown("0\xa0€"))
    expect(badge).to_be_hidden(timeout=LIVE)
    expect(badge).to_have_text("")
    board.shot("2-a-closed-the-editor")


def test_keyboard_tab_enter_type_enter_escape(board: Board) -> None:
    a, action = board.a, board.action
    page = a.page
    title = a.field(action, "title")
    target = f"action-{action.uuid}-title"
    # htmx must have wired the page before a key press can open an editor.
    page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
    page.wait_for_load_state("networkidle")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == target:
            break
    else:
        pytest.fail(f"#{target} is not reachable with Tab")
    expect(title).to_be_focused()
    board.shot("1-focused")

    page.keyboard.press("Enter")
    box = page.locator(f"form#{target}.inline-editor").get_by_role("textbox")
    expect(box).to_be_focused()
    expect(box).to_have_value("Wine fair stand")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Typed with the keyboard")
    board.shot("2-typing")
    page.keyboard.press("Enter")
    expect(title).to_have_text(shown("Typed with the keyboard"))
    expect(page.locator("form.inline-editor")).to_have_count(0)
    expect(title).to_be_focused()
    assert stored(action).title == "Typed with the keyboard"

    page.keyboard.press("Enter")
    expect(box).to_be_focused()
    settled(page)  # htmx has taken the new editor over: Escape cancels through it
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Never saved")
    expect(box).to_have_value("Never saved")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    # The cancel is a request to the server: under a loaded machine it can take a few seconds.
    expect(page.locator("form.inline-editor")).to_have_count(0, timeout=15_000)
    expect(title).to_have_text(shown("Typed with the keyboard"))
    expect(title).to_be_focused()
    board.shot("3-escaped")
    saved = stored(action)
    assert (saved.title, saved.version) == ("Typed with the keyboard", 2)
    expect(board.b.field(action, "title")).to_have_text(
        shown("Typed with the keyboard"), timeout=LIVE
    )
