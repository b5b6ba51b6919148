"""Shared fixtures: personas, real services, the Celery worker and the browser.

Tests marked ``services`` need the real PostgreSQL and Redis (and start a real Celery worker).
Without them they are skipped, loudly; with ``REQUIRE_SERVICES=1`` a missing service is a
failure. Tests marked ``browser`` need Debian's Chromium at /usr/bin/chromium, with the same rule.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from core.models import Membership, User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled, workspace_scope
from tests.factories import (
    ActionFactory,
    CommentFactory,
    IndicatorFactory,
    LessonFactory,
    MembershipFactory,
    ObjectiveFactory,
    PartnerOrganisationFactory,
    ProjectFactory,
    TerritoryFactory,
    UserFactory,
    WorkspaceFactory,
)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# Debian's Chromium; CHROMIUM=<path> points elsewhere (CI's newcomer run: at nothing, as on a
# machine without it).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# The real worker's uploaded files (a test whose task writes files reads them there).
WORKER_MEDIA_ROOT = ARTIFACTS / "worker-media"
PASSWORD = "pass-word-123"

# Every skip for a missing service or browser says this first; the banner counts those skips.
NEEDS = "needs "


def _postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _redis_ok() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except Exception:
        return False


def _services_missing() -> str | None:
    missing = []
    if not _postgres():
        missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    if not _redis_ok():
        missing.append("Redis (set REDIS_URL=redis://... to a running server)")
    return ", ".join(missing) or None


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_SERVICES:
        missing = _services_missing()
        if missing:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1 but these are missing: {missing}")
        if not Path(CHROMIUM).exists():
            raise pytest.UsageError(f"REQUIRE_SERVICES=1 but Chromium is missing at {CHROMIUM}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, under REQUIRE_SERVICES=1, fail) tests whose services are missing, before any
    fixture is set up: without Chromium, Playwright's session fixtures would error instead."""
    reasons = []
    if item.get_closest_marker("services"):
        missing = _services_missing()
        if missing:
            reasons.append(missing)
    if item.get_closest_marker("browser") and not Path(CHROMIUM).exists():
        reasons.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if reasons:
        _skip_or_fail(NEEDS + "; ".join(reasons))


def _skip_or_fail(message: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


def _skipped_for_services(terminalreporter: Any) -> int:
    """Tests skipped for a missing service, counted from the reports: right under pytest-xdist
    (the skips happen in the workers) and for every test a session fixture's skip stopped."""
    count = 0
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        if message.removeprefix("Skipped: ").startswith(NEEDS):
            count += 1
    return count


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = _skipped_for_services(terminalreporter)
    if skipped:
        bar = "!" * 78
        terminalreporter.write_line(bar, red=True, bold=True)
        terminalreporter.write_line(
            f"{skipped} tests were SKIPPED because PostgreSQL, Redis or "
            "Chromium are not available.",
            red=True,
            bold=True,
        )
        terminalreporter.write_line(
            "Run them with: DATABASE_URL=postgres://postgres@127.0.0.1:5432/territoria "
            "REDIS_URL=redis://127.0.0.1:6379/1 REQUIRE_SERVICES=1 make test",
            red=True,
        )
        terminalreporter.write_line(bar, red=True, bold=True)


# --- Reference data --------------------------------------------------------------------------


def load_reference_data() -> None:
    """Run the loaders of the ``*_reference_*`` data migrations again (they upsert by code)."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    with connection.schema_editor() as schema_editor:
        for migration, _backwards in plan:
            if "_reference_" in migration.name:
                for operation in migration.operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """The frameworks' rows come from data migrations; the flush that ends every transactional
    test (live server, real worker, threads) deletes them. Put them back before any test that
    touches the database, outside its transaction, so they stay."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from tracer.models import TracerStage

    with blocker.unblock():
        if not TracerStage.objects.exists():
            load_reference_data()


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> Iterator[None]:
    """Without REDIS_URL the cache lives in this process and outlives each test's database, whose
    ids SQLite hands out again: a throttle count kept under ``throttle:token:1`` by one test
    would greet the next test's first token with a 429. Empty it around every test. (The Redis
    cache is left alone: it also holds the worker's queues, and PostgreSQL never reuses an id.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if not isinstance(cache, LocMemCache):
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files go to a temporary folder, never to the project's media folder."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


# --- Personas --------------------------------------------------------------------------------


@dataclass
class Personas:
    workspace: Workspace
    other_workspace: Workspace
    users: dict[str, User]  # role -> user in ``workspace``; "outsider" is only in the other one
    memberships: dict[str, Membership]

    def user(self, who: str) -> User:
        return self.users[who]


ROLES = [Role.OWNER, Role.ADMIN, Role.EDITOR, Role.PARTNER, Role.VIEWER]


@pytest.fixture
def personas(db: Any) -> Personas:
    workspace = WorkspaceFactory(name="Alpha Attractiveness", slug="alpha")
    other = WorkspaceFactory(name="Beta Agency", slug="beta")
    users: dict[str, User] = {}
    memberships: dict[str, Membership] = {}
    for role in ROLES:
        user = UserFactory(email=f"{role}@alpha.example", full_name=f"Alpha {role.title()}")
        memberships[role] = MembershipFactory(workspace=workspace, user=user, role=role)
        users[role] = user
    outsider = UserFactory(email="outsider@beta.example", full_name="Beta Owner")
    MembershipFactory(workspace=other, user=outsider, role=Role.OWNER)
    users["outsider"] = outsider
    return Personas(workspace, other, users, memberships)


@pytest.fixture
def scope(personas: Personas) -> Iterator[Workspace]:
    with workspace_scope(personas.workspace):
        yield personas.workspace


@pytest.fixture
def unscoped(db: Any) -> Iterator[None]:
    with scopes_disabled():
        yield


@pytest.fixture
def client_for(client: Any) -> Any:
    """``client_for(user)`` logs the test client in as ``user`` (None: anonymous)."""

    def login(user: User | None) -> Any:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def sample(personas: Personas) -> dict[str, Any]:
    """A territory, a micro-territory, a project with a plan and a partner organisation."""
    ws = personas.workspace
    area = TerritoryFactory(workspace=ws, name="Secret Valley Area")
    micro = TerritoryFactory(
        workspace=ws, name="Secret Town Centre", kind="town_centre", parent=area
    )
    project = ProjectFactory(workspace=ws, territory=area, name="Secret Project Alpha")
    objective = ObjectiveFactory(workspace=ws, project=project, title="Secret Objective")
    action = ActionFactory(workspace=ws, objective=objective, title="Secret Action")
    # The owner's comment: the other members may read it, not edit it.
    comment = CommentFactory(
        workspace=ws, action=action, author=personas.user(Role.OWNER), body="Secret comment"
    )
    # No members and no shared project: the partner persona still sees nothing of the sample.
    organisation = PartnerOrganisationFactory(workspace=ws, name="Secret Partner Office")
    indicator = IndicatorFactory(workspace=ws, project=project, name="Secret Indicator")
    lesson = LessonFactory(
        workspace=ws, project=project, indicator=indicator, learned="Secret lesson"
    )
    return {
        "indicator": indicator,
        "lesson": lesson,
        "organisation": organisation,
        "territory": area,
        "micro": micro,
        "project": project,
        "objective": objective,
        "action": action,
        "comment": comment,
    }


# --- The real Celery worker ------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: Any, django_db_blocker: Any
) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``celery worker`` subprocess on the test database and the real Redis."""
    missing = _services_missing()
    if missing:
        _skip_or_fail(NEEDS + missing)
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        # The webhook tests' receiver listens on 127.0.0.1.
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",
        "MEDIA_ROOT": str(WORKER_MEDIA_ROOT),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "celery-worker.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--hostname=test-worker@%h",
            "--queues=celery,dashboards",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from celery import current_app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited early; see {ARTIFACTS / 'celery-worker.log'}")
        replies = current_app.control.ping(timeout=1)
        if replies:
            break
    else:
        process.kill()
        pytest.fail("the Celery worker did not answer within 60 s")
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


# --- The browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Any:
    """``screenshot("step")`` saves test-artifacts/screenshots/<test>-<step>.png."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(step: str) -> Path:
        path = folder / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
