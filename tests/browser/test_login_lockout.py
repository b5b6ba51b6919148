"""Guessing a password in Chromium: after five wrong ones the login page says how long to wait,
and the right password is refused until then."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try(page: Page, email: str, password: str) -> int:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^E-mail address:?$")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in", exact=True).click()
    return answer.value.status


def test_a_guessed_account_is_locked_and_says_how_long(page: Page, screenshot: Any) -> None:
    UserFactory(email="guessed@example.org")
    statuses = [_try(page, "guessed@example.org", f"guess-{n}") for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert _try(page, "guessed@example.org", PASSWORD) == 429
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("signing in is paused: try again in 15 minutes")
    expect(page.get_by_label(re.compile(r"^E-mail address:?$"))).to_have_value(
        "guessed@example.org"
    )
    screenshot("locked-out")
    # The window passes (the stored attempts are moved back in time): the right one works.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - dt.timedelta(minutes=16)
        )
    _try(page, "guessed@example.org", PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
