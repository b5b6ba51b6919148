"""Browser-test plumbing: the live server, a logged-in page, and short default timeouts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from core.models import User
from tests.conftest import ARTIFACTS

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last (after pytest-django's own ordering), so no other test runs while
    Playwright, and the variable below, are alive."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _database_before_playwright(django_db_setup: Any, live_server: Any) -> None:
    """Create the test database and start the live server before Playwright starts, so they
    are set up outside its event loop and torn down after it is gone."""


@pytest.fixture(scope="session")
def playwright(playwright: Any) -> Iterator[Any]:
    """pytest-playwright's, with ``DJANGO_ALLOW_ASYNC_UNSAFE=true`` for as long as it runs.

    Playwright's sync API keeps an asyncio loop running in the test thread, so Django refuses
    ORM calls there (factories, the database flush after each test) unless told that this is
    safe; it is, the live server answers from its own thread. Set for Playwright's lifetime
    only, not at import: it would leak into the other tests and the subprocesses they start
    (``manage.py check --deploy`` warns about it).
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield playwright
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


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
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_cookie.value,
                    "url": live_server.url,
                }
            ]
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


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """The frameworks' reference rows, loaded again by their own data migrations.

    They come from data migrations, and the flush that ends every transactional test (each
    live-server test) deletes them. Re-running the ``*_reference_*`` migrations' loaders (they
    upsert by code) brings them back without ``serialized_rollback``, which clashes with the
    content types that flush recreates.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    loaded = 0
    with connection.schema_editor() as schema_editor:
        for migration, _backwards in plan:
            if "_reference_" not in migration.name:
                continue
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, schema_editor)
                    loaded += 1
    assert loaded, "no reference-data migration found"
