"""Comments in the browser: mention someone from the autocomplete, post without a reload, see the
422 in place, resolve the thread, and find the notification behind the bell."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from core.models import Notification
from core.roles import Role
from core.tenancy import scopes_disabled
from tests.conftest import Personas
from tests.factories import ActionFactory, ObjectiveFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_comment_with_a_mention_then_the_bell(
    page: Page,
    personas: Personas,
    reference_data: None,
    login_with_cookie: Any,
    screenshot: Any,
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Loire by bike")
    objective = ObjectiveFactory(workspace=ws, project=project, title="Be known for cycling")
    action = ActionFactory(workspace=ws, objective=objective, title="Cycling guide")
    login_with_cookie(page, personas.user(Role.OWNER))
    page.goto(f"/w/alpha/actions/{action.uuid}/")
    page.evaluate("window.__sameDocument = true")
    comments = page.get_by_role("region", name="Comments")
    expect(comments.get_by_text("No comment yet.")).to_be_visible()

    # An empty comment: 422, the form in place with its error.
    box = comments.get_by_label("Add a comment")
    box.fill("   ")
    comments.get_by_role("button", name="Post comment").click()
    expect(comments.get_by_role("alert")).to_have_text("Write something first.")
    expect(box).to_have_attribute("aria-invalid", "true")

    # Type "@alpha-ed": the list offers Alpha Editor; choosing inserts the handle.
    box.fill("")
    box.press_sequentially("Can you check this, @alpha-ed", delay=20)
    option = comments.get_by_role("option", name=re.compile("Alpha Editor"))
    expect(option).to_be_visible()
    screenshot("1-mention-list")
    option.click()
    expect(box).to_have_value("Can you check this, @alpha-editor ")
    expect(box).to_be_focused()
    box.press_sequentially("**today**?")
    comments.get_by_role("button", name="Post comment").click()
    expect(comments.locator(".comment-body strong")).to_have_text("today")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    screenshot("2-posted")

    with scopes_disabled():
        (sent,) = Notification.objects.all()
    assert sent.recipient == personas.user(Role.EDITOR)

    # Resolve: the thread collapses.
    comments.get_by_role("button", name="Resolve the thread").click()
    expect(comments.locator("details.thread.resolved")).not_to_have_attribute("open", "")
    expect(comments.get_by_role("button", name="Reopen the thread")).to_be_hidden()

    # The editor sees one unread notification behind the bell, and follows it.
    login_with_cookie(page, personas.user(Role.EDITOR))
    page.goto("/w/alpha/")
    bell = page.get_by_test_id("notification-bell")
    expect(bell).to_contain_text("1")
    bell.click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    page.get_by_role("button", name=re.compile("Alpha Owner mentioned you")).click()
    expect(page).to_have_url(re.compile(rf"/actions/{action.uuid}/#comment-"))
    expect(page.get_by_test_id("notification-bell")).not_to_contain_text("1")
    screenshot("3-followed")
