"""The soak's traffic: what the team, its partners and their scripts do all day.

* ``StaffUser``: a member of a workspace reading the action plan (board, table, matrix), keeping
  its poll running every few seconds, editing a field in place (the editor's GET, then the POST
  with the version and the original value it was drawn with, the CSRF token of the page and
  ``HX-Request``, as htmx sends them), reading the project and workspace dashboards and their
  status polls.
* ``ApiUser``: a script pulling lists from the REST API with a personal bearer token.
* ``PartnerUser``: a partner member reading the plans shared with their organisation and
  commenting on their actions.

People, projects and UUIDs come from the fixture that ``loadtest.seed`` writes (path in
``LOADTEST_FIXTURE``). Every request name starts with its workspace (``[soak-b] plan board``) so
that the runner can tell the workspaces apart. Any status other than the ones a browser expects
(200, a poll's 204, a co-editing conflict's 409) counts as a failure; redirects are never
followed (a redirect to the login page is a failure, not a 200).

Run by ``python -m loadtest`` (the whole soak), or on its own against a running server::

    LOADTEST_FIXTURE=fixture.json locust -f loadtest/locustfile.py --host http://127.0.0.1:8000
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, constant_pacing, task

from loadtest.pages import CSRF_RE, DASHBOARD_POLLER_RE, ORIGINAL_RE, POLLER_RE, VERSION_RE

# Seconds between two tasks of one simulated person: the rate is users / PACE tasks a second.
PACE = float(os.environ.get("LOADTEST_PACE", "2"))

_fixture: dict[str, Any] | None = None
_people = itertools.count()


def fixture() -> dict[str, Any]:
    global _fixture
    if _fixture is None:
        with open(os.environ["LOADTEST_FIXTURE"]) as handle:
            _fixture = json.load(handle)
    return _fixture


def behind_tls_proxy(cookies: Any) -> None:
    """The server is told (``X-Forwarded-Proto: https``) that a TLS proxy stands in front of it,
    so its cookies are ``Secure``: the client sends them back over this plain connection, as
    the proxy would pass them on."""
    for cookie in cookies:
        cookie.secure = False


OK = (200,)
POLL_OK = (200, 204)
SAVE_OK = (200, 409)  # 409: someone else saved the same field first (the conflict screen)


class Person(HttpUser):
    """Shared plumbing: session or token, expected statuses, names prefixed by workspace."""

    abstract = True
    wait_time = constant_pacing(PACE)
    workspace_slug = ""  # each concrete class works in one workspace (see the end of the file)
    workspace: dict[str, Any]
    person: dict[str, Any]

    def choose(self) -> tuple[dict[str, Any], dict[str, Any]]:
        raise NotImplementedError

    def my_workspace(self) -> dict[str, Any]:
        return fixture()["workspaces"][self.workspace_slug]

    def on_start(self) -> None:
        self.workspace, self.person = self.choose()
        self.slug = self.workspace["slug"]
        host = urlsplit(str(self.host)).netloc
        self.origin = f"https://{host}"
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Accept-Language": random.choice(["fr", "en"])}
        )
        self.csrf = ""
        self.polls: dict[str, str] = {}
        if self.person.get("session"):
            self.client.cookies.set("sessionid", self.person["session"])

    def request(
        self,
        method: str,
        path: str,
        label: str,
        expect: tuple[int, ...] = OK,
        **kwargs: Any,
    ) -> Any:
        with self.client.request(
            method,
            path,
            name=f"[{self.slug}] {label}",
            catch_response=True,
            allow_redirects=False,
            **kwargs,
        ) as response:
            behind_tls_proxy(self.client.cookies)
            if response.status_code in expect:
                response.success()
            else:
                response.failure(f"{response.status_code} (expected {expect})")
            return response

    def page(self, path: str, label: str) -> str:
        response = self.request("GET", path, label)
        text = response.text if response.status_code == 200 else ""
        found = CSRF_RE.search(text)
        if found:
            self.csrf = found.group(1)
        return text

    def htmx(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"HX-Request": "true", **(extra or {})}
        if self.csrf:
            headers.update(
                {"X-CSRFToken": self.csrf, "Origin": self.origin, "Referer": f"{self.origin}/"}
            )
        return headers

    def project(self, projects: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        # Most of the work happens on the big plan; the others get a share.
        projects = projects or self.workspace["projects"]
        return projects[0] if random.random() < 0.6 else random.choice(projects)

    def base(self, project: dict[str, Any]) -> str:
        return f"/w/{self.slug}/projects/{project['uuid']}"

    def read_plan(self, project: dict[str, Any], view: str) -> None:
        suffix = {"board": "plan/", "table": "plan/table/", "matrix": "plan/matrix/"}[view]
        text = self.page(f"{self.base(project)}/{suffix}?cycle={project['cycle']}", f"plan {view}")
        found = POLLER_RE.search(text)
        if found:
            self.polls[project["uuid"]] = html.unescape(found.group(1))

    def poll(self, project: dict[str, Any]) -> None:
        url = self.polls.get(project["uuid"])
        if url is None:
            self.read_plan(project, "board")
            return
        response = self.request("GET", url, "plan poll", POLL_OK, headers=self.htmx())
        if response.status_code == 200:
            # The answer carries the next poller (an out-of-band swap): poll from there.
            found = POLLER_RE.search(response.text)
            if found:
                self.polls[project["uuid"]] = html.unescape(found.group(1))

    def comment(self, project: dict[str, Any], actions: list[str]) -> None:
        if not self.csrf:
            self.read_plan(project, "board")
        action = random.choice(actions)
        self.request(
            "GET", f"/w/{self.slug}/actions/{action}/", "action detail"
        )  # the page the comment is written on
        self.request(
            "POST",
            f"/w/{self.slug}/actions/{action}/comments/",
            "comment",
            data={"body": random.choice(COMMENTS)},
            headers=self.htmx(),
        )


COMMENTS = [
    "Le budget me paraît juste : on en reparle au comité de pilotage ?",
    "We can host the launch event at the tourism office.",
    "**Attention** : la date de fin chevauche le salon de septembre.",
    "Relance envoyée aux partenaires, réponse attendue lundi.",
]
TITLES = ["Campagne", "Salon", "Accueil", "Guide", "Ateliers", "Newsletter"]


class StaffUser(Person):
    """A member of the team: reads plans, keeps them open (polls), edits in place."""

    abstract = True
    weight = 4

    def choose(self) -> tuple[dict[str, Any], dict[str, Any]]:
        workspace = self.my_workspace()
        people = workspace["people"]
        return workspace, people[next(_people) % len(people)]

    def on_start(self) -> None:
        super().on_start()
        self.read_plan(self.project(), "board")

    @task(3)
    def board(self) -> None:
        self.read_plan(self.project(), "board")

    @task(2)
    def table(self) -> None:
        self.read_plan(self.project(), "table")

    @task(1)
    def matrix(self) -> None:
        self.read_plan(self.project(), "matrix")

    @task(8)
    def plan_poll(self) -> None:
        self.poll(self.project())

    @task(3)
    def inline_save(self) -> None:
        project = self.project()
        action = random.choice(project["actions"])
        field = random.choice(["title", "title", "budget_planned"])
        url = f"/w/{self.slug}/actions/{action}/fields/{field}/"
        editor = self.request("GET", url, f"editor {field}", headers=self.htmx())
        version = VERSION_RE.search(editor.text) if editor.status_code == 200 else None
        original = ORIGINAL_RE.search(editor.text) if editor.status_code == 200 else None
        if version is None or original is None:
            return
        if field == "title":
            value = f"{random.choice(TITLES)} {random.randint(1, 9999)}"
        else:
            value = str(random.randrange(1_000, 150_000, 50))
        self.request(
            "POST",
            url,
            f"save {field}",
            SAVE_OK,
            data={
                field: value,
                "version": version.group(1),
                "original": html.unescape(original.group(1)),
            },
            headers=self.htmx(),
        )

    @task(1)
    def project_dashboard(self) -> None:
        project = self.project()
        text = self.page(f"{self.base(project)}/dashboard/", "project dashboard")
        found = DASHBOARD_POLLER_RE.search(text)
        if found:
            self.request(
                "GET",
                html.unescape(found.group(1)),
                "dashboard status",
                POLL_OK,
                headers=self.htmx(),
            )

    @task(1)
    def workspace_dashboard(self) -> None:
        self.page(f"/w/{self.slug}/dashboard/", "workspace dashboard")

    @task(1)
    def home(self) -> None:
        self.page(f"/w/{self.slug}/", "workspace home")

    @task(1)
    def comment_action(self) -> None:
        project = self.project()
        self.comment(project, project["actions"])


class ApiUser(Person):
    """A script (BI tool, intranet) pulling lists with a read-only personal token."""

    abstract = True
    weight = 1
    wait_time = between(PACE * 0.5, PACE * 1.5)

    def choose(self) -> tuple[dict[str, Any], dict[str, Any]]:
        workspace = self.my_workspace()
        return workspace, random.choice(workspace["people"])

    def on_start(self) -> None:
        super().on_start()
        self.client.cookies.clear()  # the token alone
        self.client.headers["Authorization"] = f"Bearer {self.person['token']}"

    @task(4)
    def actions(self) -> None:
        self.request("GET", f"/api/v1/w/{self.slug}/actions/?page_size=100", "api actions")

    @task(2)
    def objectives(self) -> None:
        self.request("GET", f"/api/v1/w/{self.slug}/objectives/?page_size=100", "api objectives")

    @task(1)
    def projects(self) -> None:
        self.request("GET", f"/api/v1/w/{self.slug}/projects/", "api projects")

    @task(1)
    def indicators(self) -> None:
        self.request("GET", f"/api/v1/w/{self.slug}/indicators/?page_size=100", "api indicators")

    @task(1)
    def measurements(self) -> None:
        self.request(
            "GET", f"/api/v1/w/{self.slug}/measurements/?page_size=100", "api measurements"
        )

    @task(1)
    def snapshots(self) -> None:
        # The latest numbers of each project, as a BI tool asks for them. A page of 10 fills up
        # during the warm-up: an unbounded page would grow with every save during the soak.
        self.request(
            "GET",
            f"/api/v1/w/{self.slug}/dashboard-snapshots/?cycle=current&status=done&page_size=10",
            "api snapshots",
        )


class PartnerUser(Person):
    """A partner member (tourism office...) on the plans shared with their organisation."""

    abstract = True
    weight = 1

    def choose(self) -> tuple[dict[str, Any], dict[str, Any]]:
        workspace = self.my_workspace()
        return workspace, workspace["partner"]

    def on_start(self) -> None:
        super().on_start()
        shared = set(self.person["projects"])
        self.shared = [p for p in self.workspace["projects"] if p["uuid"] in shared]
        self.read_plan(self.shared[0], "board")

    @task(3)
    def board(self) -> None:
        self.read_plan(self.project(self.shared), "board")

    @task(1)
    def table(self) -> None:
        self.read_plan(self.project(self.shared), "table")

    @task(5)
    def plan_poll(self) -> None:
        self.poll(self.project(self.shared))

    @task(2)
    def comment_action(self) -> None:
        project = self.project(self.shared)
        self.comment(project, project["actions"])

    @task(1)
    def dashboard(self) -> None:
        self.page(f"{self.base(self.project(self.shared))}/dashboard/", "partner dashboard")


# The same people in each workspace of the fixture (loadtest.seed.WORKSPACES): one class per
# kind and workspace, so that locust keeps the same mix in both whatever the number of users.
class StaffA(StaffUser):
    workspace_slug = "soak-a"


class StaffB(StaffUser):
    workspace_slug = "soak-b"


class ApiA(ApiUser):
    workspace_slug = "soak-a"


class ApiB(ApiUser):
    workspace_slug = "soak-b"


class PartnerA(PartnerUser):
    workspace_slug = "soak-a"


class PartnerB(PartnerUser):
    workspace_slug = "soak-b"


USERS = [StaffA, StaffB, ApiA, ApiB, PartnerA, PartnerB]
