"""Browser-test plumbing: the live server, a logged-in page, and short default timeouts.

Playwright's sync API runs an event loop in the test thread, so Django refuses ORM calls there
unless told that this is safe (it is: the test thread is not serving requests, the live server
thread is).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from core.models import User
from tests.conftest import ARTIFACTS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Short enough that a broken flow fails fast, long enough for a cold Chromium on a busy CI box.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Every context's base URL, so tests write ``page.goto("/accounts/login/")``."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # English unless a test switches language itself; a stable viewport for screenshots.
    return {
        **browser_context_args,
        "locale": "en-GB",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page: Any) -> Any:
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def login_with_cookie(live_server: Any) -> Callable[[Any, User], None]:
    """``login_with_cookie(page_or_context, user)``: a session made by ``force_login``.

    Faster than the form; the form itself is exercised by ``login_with_form``.
    """

    def login(target: Any, user: User) -> None:
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        # Sanity: the session really carries the user (a cookie of an empty session would
        # silently leave the browser anonymous).
        session = client.session
        assert session[SESSION_KEY] == str(user.pk)
        assert session[BACKEND_SESSION_KEY] and session[HASH_SESSION_KEY]
        context = getattr(target, "context", target)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie.value,
              "url": live_server.url}]
        )

    return login


@pytest.fixture
def screenshot_of(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """``screenshot_of(other_page, "step")``: like ``screenshot``, for a second browser context."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Any, step: str) -> Path:
        path = folder / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
