"""axe-core on every page of the demo workspace: no serious or critical violation.

The demo data is loaded as ``manage.py demo`` loads it (cycle 1 closed and carried over, cycle 2
open, two partner organisations with the project shared). The crawl starts at the workspace
home, follows same-origin links with GET only (never a form, never a logout, delete, close or
export link), and keeps one URL per route name and set of query-string keys, so a page shown
for six objectives is checked once, but ``?cycle=`` is a page of its own. It runs as the owner,
then as a partner; the anonymous pages (login, sign-up, the Frameworks page, the API docs) are
checked once.

axe-core comes from the ``axe-playwright-python`` package (it ships ``axe.min.js``). Every
violation found is written to test-artifacts/axe/<test>.json, the failing ones are listed in
the assertion message (page, rule, target nodes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import override_settings
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from core.models import User, Workspace
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG 2.1 A and AA plus axe's best practices (landmarks, headings, duplicate ids...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "experimental"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}

# Links never followed: they change state, end the session or answer a file.
SKIPPED_PATH = re.compile(
    r"/(logout|delete|close|export|download|archive|restore|leave|revoke|rotate)(/|$|\.)"
    r"|\.(csv|xlsx|pdf|png|jpe?g|svg|json|zip)$"
    r"|^/(admin|media|static)/",
    re.IGNORECASE,
)
SKIPPED_ROUTE = re.compile(r"logout|delete|close|export|download|file|schema", re.IGNORECASE)
# A sane cap: the demo has some 60 distinct pages; more means the de-duplication broke.
MAX_PAGES = 150
BUSY = ".htmx-request, .htmx-settling, .htmx-swapping"

axe = Axe()


@dataclass
class Crawl:
    origin: str
    visited: list[str] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    seen: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)

    def key(self, url: str) -> tuple[str, tuple[str, ...]] | None:
        """One page per route name and set of query-string keys; None for what is not ours."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or SKIPPED_PATH.search(parts.path):
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if SKIPPED_ROUTE.search(match.view_name or ""):
            return None
        # A closed cycle reads differently from the open one (no editors): each is a page.
        query = {
            f"{name}={value}" if name == "cycle" else name for name, value in parse_qsl(parts.query)
        }
        keys = tuple(sorted(query - {"page"}))
        return match.view_name, keys


def settle(page: Page) -> None:
    """Wait for the fragments htmx loads into the page (``hx-trigger="load"``): by the load
    event htmx has sent them, and marks each element with ``htmx-request`` until it is in."""
    # Polled from here rather than with wait_for_function, whose predicate the strict CSP of
    # some pages (the API docs) refuses to evaluate.
    for _attempt in range(50):
        if not page.evaluate(f"!!document.querySelector('{BUSY}')"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{page.url}: htmx still busy after 5 s")


def audit(page: Page, crawl: Crawl, url: str, state: str = "") -> None:
    """Run axe-core on the page as it is now; ``state`` names what was opened on it."""
    crawl.visited.append(url + (f" ({state})" if state else ""))
    results = axe.run(page, options=AXE_OPTIONS).response
    parts = urlsplit(url)
    where = (
        parts.path + (f"?{parts.query}" if parts.query else "") + (f" ({state})" if state else "")
    )
    for violation in results["violations"]:
        crawl.violations.append(
            {
                "page": where,
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [" ".join(map(str, node["target"])) for node in violation["nodes"]],
                "why": [node.get("failureSummary", "")[:300] for node in violation["nodes"][:3]],
            }
        )


def check(page: Page, crawl: Crawl, url: str) -> list[str]:
    """Open ``url``, run axe-core on it, and return the links it offers."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # e.g. a download that no pattern caught
        if "Download is starting" in str(error):
            return []
        raise
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return []
    assert response.status < 400, f"{url} answered {response.status}"
    settle(page)
    if urlsplit(url).path == "/api/v1/docs/":
        # Drawn once the schema is fetched; generating it takes seconds on a busy machine.
        page.locator(".swagger-ui .opblock-tag").first.wait_for(timeout=60_000)
    audit(page, crawl, url)
    links: list[dict[str, Any]] = page.eval_on_selector_all(
        "a[href]",
        "links => links.map(a => ({href: a.href, download: a.hasAttribute('download')}))",
    )
    # A cycle picker is a GET form (nothing submitted): each cycle it offers is a page to see.
    cycles: list[str] = page.eval_on_selector_all(
        "form:not([method=post]):not([method=POST]) select[name=cycle] option",
        """options => options.map(option => {
            const url = new URL(option.form.action || location.href);
            url.searchParams.set("cycle", option.value);
            return url.href;
        })""",
    )
    return [link["href"] for link in links if not link["download"]] + cycles


def crawl_from(page: Page, origin: str, start: Iterable[str]) -> Crawl:
    crawl = Crawl(origin=origin)
    # The API docs are the same page for everyone: the anonymous test checks them, opened.
    crawl.seen.add(("api:docs", ()))
    queue = [origin + path for path in start]
    while queue and len(crawl.visited) < MAX_PAGES:
        url = urlunsplit(urlsplit(queue.pop(0))._replace(fragment=""))
        key = crawl.key(url)
        if key is None or key in crawl.seen:
            continue
        crawl.seen.add(key)
        queue.extend(check(page, crawl, url))
    assert len(crawl.visited) < MAX_PAGES, "the crawl hit its cap: is the de-duplication right?"
    return crawl


def report(crawl: Crawl, name: str) -> list[dict[str, Any]]:
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(
        json.dumps({"visited": crawl.visited, "violations": crawl.violations}, indent=2)
    )
    return [v for v in crawl.violations if v["impact"] in FAILING_IMPACTS]


def describe(failing: list[dict[str, Any]]) -> str:
    lines = [f"{len(failing)} serious or critical axe-core violations:"]
    for v in failing:
        lines.append(f"- {v['page']}: {v['rule']} ({v['impact']}, {len(v['targets'])} nodes)")
        lines.extend(f"    {target}" for target in v["targets"][:20])
    return "\n".join(lines)


@pytest.fixture
def demo(transactional_db: Any) -> Workspace:
    """The workspace ``manage.py demo`` makes (it refuses to run outside DEBUG and the
    embedded default; here it runs on the test database)."""
    with override_settings(DEBUG=True, EMBEDDED=True):
        call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Workspace.objects.get(slug="demo")


def partner_of(workspace: Workspace) -> User:
    """A partner member whose organisation has a project shared with it."""
    from core.tenancy import scopes_disabled
    from governance.models import PartnerOrganisation

    with scopes_disabled():
        organisation = (
            PartnerOrganisation.unscoped_objects.filter(
                workspace=workspace, shared_projects__isnull=False, members__role="partner"
            )
            .distinct()
            .first()
        )
        assert organisation is not None, "the demo shares no project with a partner"
        return organisation.members.filter(role="partner").first().user


def test_every_demo_page_has_no_serious_violation(
    page: Page, live_server: Any, demo: Workspace, login_with_cookie: Any, screenshot: Any
) -> None:
    """As the owner, then as a partner (one browser context, its session swapped)."""
    failing = []
    for who, user in (
        ("owner", User.objects.get(email="demo@territoria.local")),
        ("partner", partner_of(demo)),
    ):
        page.context.clear_cookies()
        login_with_cookie(page, user)
        crawl = crawl_from(page, live_server.url, [f"/w/{demo.slug}/"])
        # The crawl reached the plan's views and the closed cycle: a crawl that stopped at the
        # home page would pass without checking anything.
        routes = {view_name for view_name, _keys in crawl.seen}
        assert len(crawl.visited) > 30, (who, crawl.visited)
        assert {"plan_matrix", "plan_timeline", "plan_board"} <= routes, (who, routes)
        assert any("cycle=1" in url for url in crawl.visited), f"{who}: no page of cycle 1"
        failing += report(crawl, f"demo-{who}")
        # The two views whose names and colours were fixed, to look at.
        for url in crawl.visited:
            view = re.search(r"/plan/(matrix|timeline)/$", url)
            if view:
                page.goto(url)
                screenshot(f"{who}-{view[1]}")
            if view and view[1] == "matrix":
                # A cell is named by what it shows, then by its stage and family.
                expect(page.locator(".matrix .filled a.cell-link").first).to_have_accessible_name(
                    re.compile(r"^\d+ [\d,]+ €\s*actions?, .+ \u00d7 .+$")
                )
                expect(page.locator(".matrix .gap a.cell-link").first).to_have_accessible_name(
                    re.compile(r"^gap\s*, .+ \u00d7 .+$", re.IGNORECASE)
                )
    assert not failing, describe(failing)


def test_anonymous_pages_and_api_docs_have_no_serious_violation(
    page: Page, live_server: Any
) -> None:
    crawl = Crawl(origin=live_server.url)
    for path in ["/", "/accounts/login/", "/accounts/signup/", "/frameworks/", "/api/v1/docs/"]:
        check(page, crawl, live_server.url + path)
    # The docs fold their groups: open one, and one operation in it, as a reader does.
    page.locator('.opblock-tag[data-tag="Actions"]').click()
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.wait_for()
    audit(page, crawl, live_server.url + "/api/v1/docs/", "a group and an operation open")
    assert len(crawl.visited) == 6, crawl.visited
    failing = report(crawl, "anonymous-and-docs")
    assert not failing, describe(failing)
