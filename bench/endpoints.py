"""The measured endpoints, each with its raw-SQL baseline.

A baseline is the hand-written SQL that fetches what the endpoint shows (rows and columns), run
through ``connection.cursor()``: the least any implementation has to do. Before an endpoint is
timed, :meth:`Endpoint.shown` checks that the response shows exactly the rows its baseline
fetched, so the ratio compares like with like.

Workspace pages are requested for a :class:`Target`: a workspace, and the project whose action
plan the plan pages show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from html import unescape
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.models import User, Workspace
from evaluation.models import CatalogueIndicator
from governance.models import (
    Element,
    ElementComponent,
    MethodSequence,
    MethodStep,
    PartnerOrganisation,
)
from mix.models import Action, ActionStatus, MixFamily
from mix.views import TABLE_PAGE_SIZE
from territories.models import MICRO_KINDS, Audience, Cycle, Project, Territory
from territories.views import PAGE_SIZE
from tracer.models import Objective, TracerStage

RECENT_PROJECTS = 5  # the workspace home shows the 5 most recently updated projects
REFERENCE_PREFIX = "api/v1/reference/"


class BenchError(RuntimeError):
    """The benchmark cannot trust what it would measure (a wrong page, a baseline that differs)."""


@dataclass(frozen=True)
class Fetched:
    """What a baseline fetched: the rows the endpoint lists, and the figures it shows."""

    rows: list[tuple[Any, ...]]
    figures: dict[str, int] = field(default_factory=dict)
    body: bytes = b""  # the response an API baseline built from its rows (JSON)


def _t(model: type[Model]) -> str:
    return model._meta.db_table


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _uuid(value: Any) -> str:
    """SQLite hands UUIDs back as 32 hex digits, PostgreSQL as ``uuid.UUID``."""
    return str(uuid.UUID(str(value)))


@dataclass(frozen=True)
class Target:
    """Where workspace pages are requested: a workspace, and the project whose plan is shown."""

    workspace: Workspace
    project: Project


class Endpoint(ABC):
    url_name: str
    in_workspace: bool  # a page under /w/<slug>/, requested by the workspace's owner
    headers: ClassVar[dict[str, str]] = {}  # request headers (an HTMX request sends HX-Request)
    status: int = 200  # the status of a good answer
    # Requested with a personal API token of the owner (Authorization: Bearer), not the session.
    bearer: ClassVar[bool] = False

    @property
    def label(self) -> str:
        if self.in_workspace:
            return reverse(self.url_name, args=["SLUG"]).replace("SLUG", "<slug>")
        return reverse(self.url_name)

    def path(self, target: Target | None) -> str:
        if self.in_workspace:
            assert target is not None
            return reverse(self.url_name, args=[target.workspace.slug])
        return reverse(self.url_name)

    @abstractmethod
    def baseline(self, target: Target | None) -> Fetched:
        """The raw SQL that fetches what the endpoint shows."""

    @abstractmethod
    def shown(self, content: bytes, fetched: Fetched) -> int:
        """Check the response shows what ``fetched`` holds; return how many rows it shows."""

    def _fail(self, message: str) -> BenchError:
        return BenchError(f"{self.label}: {message}")


# --- Pages -----------------------------------------------------------------------------------


def _micro_kinds() -> list[str]:
    return sorted(str(kind) for kind in MICRO_KINDS)


class WorkspaceHome(Endpoint):
    url_name = "workspace_home"
    in_workspace = True

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        workspace = target.workspace
        t, p, c = _t(Territory), _t(Project), _t(Cycle)
        micro = _micro_kinds()
        marks = ", ".join(["%s"] * len(micro))
        ws = workspace.pk
        territories, micro_territories, projects = fetch(
            f"""
            SELECT
              (SELECT COUNT(*) FROM {t} WHERE workspace_id = %s AND archived_at IS NULL),
              (SELECT COUNT(*) FROM {t}
                WHERE workspace_id = %s AND archived_at IS NULL AND kind IN ({marks})),
              (SELECT COUNT(*) FROM {p} WHERE workspace_id = %s AND archived_at IS NULL)
            """,
            [ws, ws, *micro, ws],
        )[0]
        recent = fetch(
            f"""
            SELECT p.uuid, p.name, t.name, p.status,
                   (SELECT MAX(c.number) FROM {c} c WHERE c.project_id = p.id)
            FROM {p} p JOIN {t} t ON t.id = p.territory_id
            WHERE p.workspace_id = %s AND p.archived_at IS NULL
            ORDER BY p.updated_at DESC
            LIMIT %s
            """,
            [ws, RECENT_PROJECTS],
        )
        figures = {
            "territories": territories,
            "micro_territories": micro_territories,
            "projects": projects,
        }
        return Fetched(recent, figures)

    def shown(self, content: bytes, fetched: Fetched) -> int:
        html = content.decode()
        for key in ("territories", "projects"):
            match = re.search(rf'data-testid="count-{key}">(\d+)<', html)
            if match is None or int(match.group(1)) != fetched.figures[key]:
                raise self._fail(f"the {key} count differs from the baseline's")
        if f"<strong>{fetched.figures['micro_territories']}</strong>" not in html:
            raise self._fail("the micro-territory count differs from the baseline's")
        shown = re.findall(r"/projects/([0-9a-f-]{36})/", html)
        if shown != [_uuid(row[0]) for row in fetched.rows]:
            raise self._fail("the recent projects differ from the baseline's")
        for row in fetched.rows:
            if escape(row[1]) not in html or escape(row[2]) not in html:
                raise self._fail(f"project {row[1]!r} or its territory is not shown")
        return len(shown)


class _ListPage(Endpoint):
    in_workspace = True
    row_prefix: str  # the rows' DOM ids: <tr id="<prefix>-<uuid>">
    text_columns: tuple[int, ...]  # baseline columns whose text the page shows

    def shown(self, content: bytes, fetched: Fetched) -> int:
        html = content.decode()
        shown = re.findall(rf'<tr id="{self.row_prefix}-([0-9a-f-]{{36}})"', html)
        if shown != [_uuid(row[0]) for row in fetched.rows]:
            raise self._fail("the listed rows differ from the baseline's")
        for row in fetched.rows:
            for text in (row[i] for i in self.text_columns):
                if text and escape(text) not in html:
                    raise self._fail(f"{text!r} is not shown")
        return len(shown)


class TerritoryList(_ListPage):
    url_name = "territory_list"
    row_prefix = "territory"
    text_columns = (1, 3)  # name, parent's name

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        workspace = target.workspace
        t, p = _t(Territory), _t(Project)
        total = fetch(
            f"SELECT COUNT(*) FROM {t} WHERE workspace_id = %s AND archived_at IS NULL",
            [workspace.pk],
        )[0][0]
        rows = fetch(
            f"""
            SELECT t.uuid, t.name, t.kind, parent.name,
                   (SELECT COUNT(*) FROM {p} p
                     WHERE p.territory_id = t.id AND p.archived_at IS NULL)
            FROM {t} t LEFT JOIN {t} parent ON parent.id = t.parent_id
            WHERE t.workspace_id = %s AND t.archived_at IS NULL
            ORDER BY t.name, t.id
            LIMIT %s
            """,
            [workspace.pk, PAGE_SIZE],
        )
        return Fetched(rows, {"total": total})


class ProjectList(_ListPage):
    url_name = "project_list"
    row_prefix = "project"
    text_columns = (1, 2)  # name, territory's name

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        workspace = target.workspace
        t, p, c = _t(Territory), _t(Project), _t(Cycle)
        total = fetch(
            f"SELECT COUNT(*) FROM {p} WHERE workspace_id = %s AND archived_at IS NULL",
            [workspace.pk],
        )[0][0]
        rows = fetch(
            f"""
            SELECT p.uuid, p.name, t.name, p.status,
                   (SELECT MAX(c.number) FROM {c} c WHERE c.project_id = p.id),
                   p.start_date
            FROM {p} p JOIN {t} t ON t.id = p.territory_id
            WHERE p.workspace_id = %s AND p.archived_at IS NULL
            ORDER BY p.name, p.id
            LIMIT %s
            """,
            [workspace.pk, PAGE_SIZE],
        )
        return Fetched(rows, {"total": total})


# --- The action plan --------------------------------------------------------------------------

ZERO_UUID = uuid.UUID(int=0)
# The presence hash the plan pages put in their poll URL when nobody else is editing
# (mix.views._poller hashes the JSON of the presence list: "{}"). A wrong one answers 200.
NO_PRESENCE = hashlib.sha1(b"{}", usedforsecurity=False).hexdigest()[:12]
# Fields of the plan items that the board and the table show through mix/_field.html#display.
ITEM_FIELDS = "title|family|status|start_date|end_date|budget_planned|lead_partner|priority|segment"
_FIELD = re.compile(
    rf'<(?P<tag>button|span)[^>]*? id="(action|objective)-([0-9a-f-]{{36}})-({ITEM_FIELDS})"'
    r"[^>]*>(.*?)</(?P=tag)>",
    re.S,
)
# The columns of an action that the board and the table show, in the order of _check_action.
ACTION_COLUMNS = (
    "a.uuid, a.title, f.label_en, f.label_fr, a.status, a.start_date, a.end_date, "
    "a.budget_planned, lp.name"
)


def _digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text))


def _date(value: Any) -> dt.date | None:
    """SQLite may hand dates back as text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _date_parts(text: str) -> set[int]:
    """The numbers of a date as shown (day, month, year), whatever the locale's order."""
    return {int(n) for n in re.findall(r"\d+", text)}


def _expected_date_parts(value: Any) -> set[int]:
    date = _date(value)
    return set() if date is None else {date.day, date.month, date.year}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def _labels(choice: Any) -> set[str]:
    """A translatable label in every language the product ships."""
    labels = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.add(str(choice.label))
    return labels


def _fields(html: str) -> dict[tuple[str, str, str], str]:
    """(kind, uuid, field) -> the text shown by each inline-editable field; empty when unset."""
    shown = {}
    for _tag, kind, item, name, inner in _FIELD.findall(html):
        inner = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", inner)
        text = "" if 'class="placeholder"' in inner else unescape(inner).strip()
        shown[kind, item, name] = "" if text == "—" else text
    return shown


def _segments(html: str, pattern: str, end: str) -> dict[str, str]:
    """uuid -> the HTML from each match of ``pattern`` (one group: the uuid) to ``end``."""
    return {
        m.group(1): html[m.start() : html.find(end, m.end())] for m in re.finditer(pattern, html)
    }


def _counters(project_id: int) -> dict[str, int]:
    """The plan's totals every plan page shows in its header, and the undated actions."""
    a, o = _t(Action), _t(Objective)
    statuses = [str(s) for s in ActionStatus.values]
    by_status = ", ".join("SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)" for _ in statuses)
    row = fetch(
        f"""
        SELECT COUNT(*), SUM(budget_planned), SUM(budget_spent),
               SUM(CASE WHEN start_date IS NULL THEN 1 ELSE 0 END), {by_status},
               (SELECT COUNT(*) FROM {o} WHERE project_id = %s)
        FROM {a} WHERE project_id = %s
        """,
        [*statuses, project_id, project_id],
    )[0]
    figures = {
        "actions": row[0],
        "planned": int(_money(row[1])),
        "spent": int(_money(row[2])),
        "undated": int(row[3] or 0),
        "objectives": row[-1],
    }
    figures |= {f"status:{s}": int(n or 0) for s, n in zip(statuses, row[4:-1], strict=True)}
    return figures


class _PlanPage(Endpoint):
    """A page of one project's action plan: /w/<slug>/projects/<project>/plan/..."""

    in_workspace = True
    suffix = ""  # tells two measurements of one URL apart

    @property
    def label(self) -> str:
        path = reverse(self.url_name, args=["SLUG", ZERO_UUID])
        return path.replace("SLUG", "<slug>").replace(str(ZERO_UUID), "<project>") + self.suffix

    def path(self, target: Target | None) -> str:
        assert target is not None
        return reverse(self.url_name, args=[target.workspace.slug, target.project.uuid])

    def _check_counters(self, html: str, figures: dict[str, int]) -> None:
        match = re.search(r'<ul id="plan-counters".*?</ul>', html, re.S)
        if match is None:
            raise self._fail("the plan's totals are not shown")
        items = re.findall(
            r'<li(?: class="status-([a-z_]+)")?>\s*<strong>(.*?)</strong>', match.group(0)
        )
        plain = [_digits(value) for status, value in items if not status]
        wanted = [str(figures[k]) for k in ("objectives", "actions", "planned", "spent")]
        if plain != wanted:
            raise self._fail(f"the plan's totals {plain} differ from the baseline's {wanted}")
        statuses = {status: int(value) for status, value in items if status}
        expected = {
            key.removeprefix("status:"): n
            for key, n in figures.items()
            if key.startswith("status:") and n
        }
        if statuses != expected:
            raise self._fail(f"the status counts {statuses} differ from the baseline's {expected}")

    def _check_action(self, fields: dict[tuple[str, str, str], str], row: tuple[Any, ...]) -> None:
        """``row`` starts with ACTION_COLUMNS."""
        item = _uuid(row[0])
        wanted: dict[str, set[str]] = {
            "title": {row[1]},
            "family": {row[2], row[3]},
            "status": _labels(ActionStatus(row[4])),
            "lead_partner": {row[8] or ""},
        }
        for name, allowed in wanted.items():
            text = fields.get(("action", item, name))
            if text not in allowed:
                raise self._fail(f"action {item} shows {name} {text!r}, not one of {allowed}")
        for name, value in (("start_date", row[5]), ("end_date", row[6])):
            text = fields.get(("action", item, name))
            if text is None or _date_parts(text) != _expected_date_parts(value):
                raise self._fail(f"action {item} shows {name} {text!r}, not {value}")
        text = fields.get(("action", item, "budget_planned"))
        if text is None or _digits(text) != _digits(f"{_money(row[7]):.2f}"):
            raise self._fail(f"action {item} shows a budget of {text!r}, not {row[7]}")


class PlanBoard(_PlanPage):
    """Objectives in six TRACER columns, each with all its actions as cards."""

    url_name = "plan_board"

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        a, o, s, f = _t(Action), _t(Objective), _t(TracerStage), _t(MixFamily)
        lp = _t(PartnerOrganisation)
        rows = fetch(
            f"""
            SELECT o.uuid, o.title, s.code, {ACTION_COLUMNS}
            FROM {o} o JOIN {s} s ON s.id = o.stage_id
            LEFT JOIN {a} a ON a.objective_id = o.id AND a.project_id = o.project_id
            LEFT JOIN {f} f ON f.id = a.family_id
            LEFT JOIN {lp} lp ON lp.id = a.lead_partner_id
            WHERE o.project_id = %s
            ORDER BY s.position, o.priority, o.id, a.priority, a.id
            """,
            [target.project.pk],
        )
        return Fetched(rows, _counters(target.project.pk))

    def shown(self, content: bytes, fetched: Fetched) -> int:
        html = content.decode()
        self._check_counters(html, fetched.figures)
        objectives = list(dict.fromkeys(_uuid(row[0]) for row in fetched.rows))
        if re.findall(r'<article id="objective-([0-9a-f-]{36})-card"', html) != objectives:
            raise self._fail("the objectives differ from the baseline's")
        actions = [row[3:] for row in fetched.rows if row[3] is not None]
        shown = re.findall(r'<article id="action-([0-9a-f-]{36})-card"', html)
        if shown != [_uuid(row[0]) for row in actions]:
            raise self._fail("the action cards differ from the baseline's")
        fields = _fields(html)
        for row in fetched.rows:
            if fields.get(("objective", _uuid(row[0]), "title")) != row[1]:
                raise self._fail(f"objective {row[1]!r} is not shown")
        for row in actions:
            self._check_action(fields, row)
        return len(shown)


class PlanTablePartial(_PlanPage):
    """The table's results, as HTMX asks for them: the first 50 actions in the default order."""

    url_name = "plan_table"
    suffix = " [HX-Request]"
    headers: ClassVar[dict[str, str]] = {"HX-Request": "true"}

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        a, o, s, f = _t(Action), _t(Objective), _t(TracerStage), _t(MixFamily)
        lp = _t(PartnerOrganisation)
        pk = target.project.pk
        total = fetch(f"SELECT COUNT(*) FROM {a} WHERE project_id = %s", [pk])[0][0]
        rows = fetch(
            f"""
            SELECT {ACTION_COLUMNS}, s.letter, s.label_en, s.label_fr
            FROM {a} a JOIN {o} o ON o.id = a.objective_id
            JOIN {s} s ON s.id = o.stage_id
            JOIN {f} f ON f.id = a.family_id
            LEFT JOIN {lp} lp ON lp.id = a.lead_partner_id
            WHERE a.project_id = %s
            ORDER BY s.position, f.position, a.id
            LIMIT %s
            """,
            [pk, TABLE_PAGE_SIZE],
        )
        return Fetched(rows, {"total": total})

    def shown(self, content: bytes, fetched: Fetched) -> int:
        html = content.decode()
        if "<html" in html or 'id="plan-counters"' in html:
            raise self._fail("answered the whole page, not the results partial")
        total = re.search(r'<p class="muted">\s*(\d+)\s', html)
        if total is None or int(total.group(1)) != fetched.figures["total"]:
            raise self._fail("the number of actions differs from the baseline's")
        rows = _segments(html, r'<tr id="action-([0-9a-f-]{36})-row"', "</tr>")
        if list(rows) != [_uuid(row[0]) for row in fetched.rows]:
            raise self._fail("the listed rows differ from the baseline's")
        fields = _fields(html)
        for row in fetched.rows:
            self._check_action(fields, row)
            letter, stage_labels = row[9], row[10:12]
            if not any(
                f'title="{escape(label)}">{letter}</span> {escape(label)}' in rows[_uuid(row[0])]
                for label in stage_labels
            ):
                raise self._fail(f"action {_uuid(row[0])}: its stage is not shown")
        return len(rows)


class PlanMatrix(_PlanPage):
    """TRACER stages x mix families: actions (dropped ones aside) and planned budget per cell."""

    url_name = "plan_matrix"

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        a, o, s, f = _t(Action), _t(Objective), _t(TracerStage), _t(MixFamily)
        rows = fetch(
            f"""
            SELECT s.code, f.code, COALESCE(c.n, 0), COALESCE(c.budget, 0)
            FROM {s} s CROSS JOIN {f} f
            LEFT JOIN (
              SELECT o.stage_id, a.family_id, COUNT(*) AS n, SUM(a.budget_planned) AS budget
              FROM {a} a JOIN {o} o ON o.id = a.objective_id
              WHERE a.project_id = %s AND a.status <> %s
              GROUP BY o.stage_id, a.family_id
            ) c ON c.stage_id = s.id AND c.family_id = f.id
            ORDER BY s.position, f.position
            """,
            [target.project.pk, ActionStatus.DROPPED.value],
        )
        return Fetched(rows, _counters(target.project.pk))

    def shown(self, content: bytes, fetched: Fetched) -> int:
        html = content.decode()
        self._check_counters(html, fetched.figures)
        cells = []
        for kind, stage, family, inner in re.findall(
            r'<td class="(gap|filled)" data-stage="([^"]+)" data-family="([^"]+)">(.*?)</td>',
            html,
            re.S,
        ):
            count = re.search(r"<strong>(\d+)</strong>", inner)
            budget = re.search(r"<small>(.*?) €</small>", inner)
            if kind == "gap":
                cells.append((stage, family, 0, 0))
            elif count and budget:
                cells.append((stage, family, int(count.group(1)), int(_digits(budget.group(1)))))
            else:
                raise self._fail(f"the cell {stage} x {family} shows no count or budget")
        wanted = [(s, f, int(n), int(_money(b))) for s, f, n, b in fetched.rows]
        if cells != wanted:
            raise self._fail("the matrix differs from the baseline's")
        return len(cells)


class PlanTimeline(_PlanPage):
    """Bars of the dated actions, grouped by TRACER stage; how many have no date."""

    url_name = "plan_timeline"

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        a, o, s = _t(Action), _t(Objective), _t(TracerStage)
        rows = fetch(
            f"""
            SELECT a.uuid, a.title, a.status, a.start_date, a.end_date
            FROM {a} a JOIN {o} o ON o.id = a.objective_id
            JOIN {s} s ON s.id = o.stage_id
            WHERE a.project_id = %s AND a.start_date IS NOT NULL
            ORDER BY s.position, a.start_date, a.id
            """,
            [target.project.pk],
        )
        return Fetched(rows, _counters(target.project.pk))

    def shown(self, content: bytes, fetched: Fetched) -> int:
        html = content.decode()
        self._check_counters(html, fetched.figures)
        # Each bar is a link holding the title; its tooltip holds the title and the dates.
        bars = re.findall(
            r'<a class="tl-item" href="[^"]*/actions/([0-9a-f-]{36})/"[^>]*>'
            r'<span class="tl-bar status-([a-z_]+)">(.*?)</span></a>\s*'
            r'<span class="tl-tip" role="tooltip" id="[^"]*"><strong>.*?</strong><br>'
            r"<time[^>]*>(.*?)</time> → <time[^>]*>(.*?)</time>",
            html,
            re.S,
        )
        shown = [(item, unescape(title), status) for item, status, title, _start, _end in bars]
        if shown != [(_uuid(r[0]), r[1], r[2]) for r in fetched.rows]:
            raise self._fail("the bars differ from the baseline's")
        for (_item, _status, _title, start, end), row in zip(bars, fetched.rows, strict=True):
            if _date_parts(unescape(start)) != _expected_date_parts(row[3]) or _date_parts(
                unescape(end)
            ) != _expected_date_parts(row[4] or row[3]):
                raise self._fail(f"the bar of {row[1]!r} shows {start!r} → {end!r}")
        undated = re.search(r"(\d+) actions? ha(?:s|ve) no start date", html)
        if (int(undated.group(1)) if undated else 0) != fetched.figures["undated"]:
            raise self._fail("the number of undated actions differs from the baseline's")
        return len(shown)


class PlanPoll(_PlanPage):
    """The co-editors' poll when nothing changed: 204, no body."""

    url_name = "plan_changes"
    suffix = " [204]"
    status = 204

    def path(self, target: Target | None) -> str:
        assert target is not None
        revision = fetch(
            f"SELECT plan_revision FROM {_t(Project)} WHERE id = %s", [target.project.pk]
        )[0][0]
        query = urlencode({"view": "board", "rev": revision, "p": NO_PRESENCE})
        return f"{super().path(target)}?{query}"

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        sql = f"SELECT plan_revision FROM {_t(Project)} WHERE id = %s"
        return Fetched(fetch(sql, [target.project.pk]))

    def shown(self, content: bytes, fetched: Fetched) -> int:
        if content:
            raise self._fail("answered a body while nothing changed")
        return 0


# --- The workspace API ---------------------------------------------------------------------

API_PAGE_SIZE = 100  # the page size the API allows at most (core.apiauth.Pagination)
API_HOST = "http://testserver"  # django.test.Client's host: the API's links start with it


def _api_prefix(route: str, slug: str) -> str:
    """The address of the API's ``route`` objects in workspace ``slug``, up to the object's id."""
    path = reverse(f"api:{route}-detail", kwargs={"workspace_slug": slug, "uuid": ZERO_UUID})
    return API_HOST + path.removesuffix(f"{ZERO_UUID}/")


@lru_cache(maxsize=16)
def _api_prefixes(slug: str) -> tuple[str, str, str, str]:
    """Where actions, projects, objectives and partner organisations are, in workspace ``slug``:
    an implementation needs to work this out once, not once per row."""
    routes = ("action", "project", "objective", "partner-organisation")
    actions, projects, objectives, partners = (_api_prefix(route, slug) for route in routes)
    return actions, projects, objectives, partners


def _uuid_text(column: str) -> str:
    """``column`` (a uuid) as the text the API shows; SQLite stores 32 hex digits."""
    if connection.vendor == "postgresql":
        return f"{column}::text"
    parts = "||'-'||".join(
        f"substr({column}, {start}, {length})"
        for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    )
    return f"lower({parts})"


def _money_text(column: str) -> str:
    """``column`` (a decimal with 2 places) as the API's string, e.g. "18000.00"."""
    if connection.vendor == "postgresql":
        return f"{column}::text"
    return f"printf('%.2f', {column})"


def _array(column: str, rows: str, order: str) -> str:
    """``column`` of ``rows`` (FROM ... WHERE ...) in ``order``: a list on PostgreSQL, JSON text
    on SQLite."""
    if connection.vendor == "postgresql":
        return f"ARRAY(SELECT {column} FROM {rows} ORDER BY {order})"
    return f"(SELECT json_group_array(v) FROM (SELECT {column} AS v FROM {rows} ORDER BY {order}))"


def _api_datetime(value: Any) -> str:
    """A timestamp as DRF shows it: ISO 8601 in the current time zone, "Z" for UTC."""
    if isinstance(value, str):  # SQLite
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _api_date(value: Any) -> str | None:
    return None if value is None else str(value)[:10]


class ApiActionList(Endpoint):
    """``GET /api/v1/w/<slug>/actions/?page_size=100`` with a personal API token, against one SQL
    query that fetches the same 100 actions with what the API shows of them (codes, related ids,
    audiences, contributors, the total), shaped into the same JSON in Python (links by string
    formatting) and serialised with ``json.dumps``: the least the API's answer can cost.
    """

    url_name = "api:action-list"
    in_workspace = True
    bearer = True
    query = f"?page_size={API_PAGE_SIZE}"

    @property
    def label(self) -> str:
        return (
            reverse(self.url_name, kwargs={"workspace_slug": "SLUG"}).replace("SLUG", "<slug>")
            + self.query
        )

    def path(self, target: Target | None) -> str:
        assert target is not None
        return reverse(self.url_name, kwargs={"workspace_slug": target.workspace.slug}) + self.query

    @staticmethod
    @lru_cache(maxsize=2)
    def _sql(vendor: str) -> str:
        a, p, o, s, f = _t(Action), _t(Project), _t(Objective), _t(TracerStage), _t(MixFamily)
        po, au, u = _t(PartnerOrganisation), _t(Audience), _t(User)
        audiences, contributors = Action.audiences.through, Action.contributors.through
        audience_codes = _array(
            "x.code",
            f"{_t(audiences)} aa JOIN {au} x ON x.id = aa.audience_id WHERE aa.action_id = a.id",
            "x.position",
        )
        contributor_ids = _array(
            _uuid_text("x.uuid"),
            f"{_t(contributors)} ac JOIN {po} x ON x.id = ac.partnerorganisation_id "
            "WHERE ac.action_id = a.id",
            "x.name",
        )
        order = "a.project_id, a.objective_id, a.priority, a.id"
        return f"""
            WITH a AS (
              SELECT a.*, COUNT(*) OVER () AS total FROM {a} a
              WHERE a.workspace_id = %s ORDER BY {order} LIMIT %s
            )
            SELECT {_uuid_text("a.uuid")}, {_uuid_text("p.uuid")}, {_uuid_text("o.uuid")},
                   s.code, f.code, a.title, a.description, {audience_codes},
                   {_uuid_text("lp.uuid")}, {contributor_ids}, a.status, a.priority,
                   a.start_date, a.end_date, {_money_text("a.budget_planned")},
                   {_money_text("a.budget_spent")}, a.version, a.created_at, a.updated_at,
                   {_uuid_text("cb.uuid")}, {_uuid_text("ub.uuid")}, a.total
            FROM a JOIN {p} p ON p.id = a.project_id
            JOIN {o} o ON o.id = a.objective_id
            JOIN {s} s ON s.id = o.stage_id
            JOIN {f} f ON f.id = a.family_id
            LEFT JOIN {po} lp ON lp.id = a.lead_partner_id
            LEFT JOIN {u} cb ON cb.id = a.created_by_id
            LEFT JOIN {u} ub ON ub.id = a.updated_by_id
            ORDER BY {order}
            """

    def baseline(self, target: Target | None) -> Fetched:
        assert target is not None
        slug = target.workspace.slug
        rows = fetch(self._sql(connection.vendor), [target.workspace.pk, API_PAGE_SIZE])
        actions, projects, objectives, partners = _api_prefixes(slug)
        lists = connection.vendor != "postgresql"  # SQLite hands the lists over as JSON
        results = []
        for (
            item, project, objective, stage, family, title, description, audiences, lead,
            contributors, status, priority, start, end, planned, spent, version, created,
            updated, created_by, updated_by, _total,
        ) in rows:  # fmt: skip
            results.append(
                {
                    "id": item,
                    "url": f"{actions}{item}/",
                    "project": project,
                    "project_url": f"{projects}{project}/",
                    "objective": objective,
                    "objective_url": f"{objectives}{objective}/",
                    "stage": stage,
                    "family": family,
                    "title": title,
                    "description": description,
                    "audiences": json.loads(audiences) if lists else audiences,
                    "lead_partner": lead,
                    "lead_partner_url": None if lead is None else f"{partners}{lead}/",
                    "contributors": json.loads(contributors) if lists else contributors,
                    "status": status,
                    "priority": priority,
                    "start_date": _api_date(start),
                    "end_date": _api_date(end),
                    "budget_planned": planned,
                    "budget_spent": spent,
                    "version": version,
                    "created_at": _api_datetime(created),
                    "updated_at": _api_datetime(updated),
                    "created_by": created_by,
                    "updated_by": updated_by,
                }
            )
        total = rows[0][-1] if rows else 0
        page = {
            "count": total,
            "next": f"{actions}?page=2&page_size={API_PAGE_SIZE}" if total > len(rows) else None,
            "previous": None,
            "results": results,
        }
        body = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
        return Fetched(rows, {"total": total}, body)

    def shown(self, content: bytes, fetched: Fetched) -> int:
        page, wanted = json.loads(content), json.loads(fetched.body)
        if page != wanted:
            raise self._fail(_difference(page, wanted))
        return len(page["results"])


def _difference(page: dict[str, Any], wanted: dict[str, Any]) -> str:
    """Where the API's page first differs from the baseline's."""
    for key in sorted(set(page) | set(wanted)):
        if key != "results" and page.get(key) != wanted.get(key):
            return f"the API shows {key}={page.get(key)!r}, the baseline {wanted.get(key)!r}"
    shown, built = page.get("results", []), wanted.get("results", [])
    if len(shown) != len(built):
        return f"the API shows {len(shown)} actions, the baseline {len(built)}"
    for i, (item, expected) in enumerate(zip(shown, built, strict=True)):
        if list(item) != list(expected):
            return (
                f"action {i}: the API shows the fields {list(item)}, the baseline {list(expected)}"
            )
        for key, value in item.items():
            if value != expected[key]:
                return f"action {i}: the API shows {key}={value!r}, the baseline {expected[key]!r}"
    return "the API's page differs from the baseline's"


# --- Reference API ---------------------------------------------------------------------------


def _flat_keys(item: dict[str, Any]) -> set[str]:
    keys = set()
    for key, value in item.items():
        if isinstance(value, dict):
            keys |= {f"{key}.{sub}" for sub in value}
        else:
            keys.add(key)
    return keys


def _pick(item: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        item = item[part]
    return item


class ReferenceApi(Endpoint):
    """A reference list. ``columns`` name the JSON fields, in the order the SQL selects them.

    With ``children``, the SQL is a LEFT JOIN whose trailing columns are the nested items of
    the JSON list field ``children[0]``, whose fields ``children[1]`` names.
    """

    in_workspace = False

    def __init__(
        self,
        url_name: str,
        sql: str,
        columns: Sequence[str],
        *,
        computed: Sequence[str] = (),
        children: tuple[str, Sequence[str]] | None = None,
    ) -> None:
        self.url_name = url_name
        self.sql = sql
        self.columns = list(columns)
        self.computed = set(computed)  # fields the serializer computes, not from the database
        self.children = children

    def baseline(self, target: Target | None) -> Fetched:
        return Fetched(fetch(self.sql))

    def _expected(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        n = len(self.columns)
        grouped: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for row in rows:
            children = grouped.setdefault(tuple(row[:n]), [])
            if self.children and row[n] is not None:
                children.append(tuple(row[n:]))
        return [(*parent, tuple(children)) for parent, children in grouped.items()]

    def _item(self, item: dict[str, Any]) -> tuple[Any, ...]:
        children: tuple[Any, ...] = ()
        if self.children:
            key, fields = self.children
            children = tuple(tuple(child[f] for f in fields) for child in item[key])
        return (*(_pick(item, c) for c in self.columns), children)

    def shown(self, content: bytes, fetched: Fetched) -> int:
        items = json.loads(content)
        wanted = set(self.columns) | ({self.children[0]} if self.children else set())
        for item in items[:1]:
            keys = _flat_keys(item) - self.computed
            if keys != wanted:
                raise self._fail(
                    f"the API shows {sorted(keys - wanted)} that the baseline does not fetch, "
                    f"the baseline fetches {sorted(wanted - keys)} that the API does not show"
                )
        if [self._item(item) for item in items] != self._expected(fetched.rows):
            raise self._fail("the API's rows differ from the baseline's")
        return len(items)


_REFERENCE = ["code", "label_en", "label_fr", "description_en", "description_fr", "is_proposal"]


def _reference_apis() -> list[ReferenceApi]:
    stage, family, audience = _t(TracerStage), _t(MixFamily), _t(Audience)
    element, component = _t(Element), _t(ElementComponent)
    sequence, step, indicator = _t(MethodSequence), _t(MethodStep), _t(CatalogueIndicator)
    return [
        ReferenceApi(
            "api_reference_tracer_stages",
            f"SELECT code, label_en, label_fr, description_en, description_fr, is_proposal, "
            f"letter, alias_en, alias_fr, position FROM {stage} ORDER BY position",
            [*_REFERENCE, "letter", "alias_en", "alias_fr", "position"],
        ),
        ReferenceApi(
            "api_reference_mix_families",
            f"SELECT code, label_en, label_fr, description_en, description_fr, is_proposal, "
            f"position FROM {family} ORDER BY position",
            [*_REFERENCE, "position"],
        ),
        ReferenceApi(
            "api_reference_elements",
            f"""
            SELECT e.code, e.label_en, e.label_fr, e.description_en, e.description_fr,
                   e.is_proposal, e.number, c.code, c.label_en, c.label_fr
            FROM {element} e LEFT JOIN {component} c ON c.element_id = e.id
            ORDER BY e.number, c.position
            """,
            [*_REFERENCE, "number"],
            children=("components", ["code", "label_en", "label_fr"]),
        ),
        ReferenceApi(
            "api_reference_method_sequences",
            f"SELECT code, label_en, label_fr, number FROM {sequence} ORDER BY number",
            ["code", "label_en", "label_fr", "number"],
        ),
        ReferenceApi(
            "api_reference_method_steps",
            f"""
            SELECT s.code, s.label_en, s.label_fr, s.number,
                   q.code, q.label_en, q.label_fr, q.number,
                   s.is_proposal, s.deliverables_en, s.deliverables_fr
            FROM {step} s JOIN {sequence} q ON q.id = s.sequence_id
            ORDER BY s.number
            """,
            [
                "code",
                "label_en",
                "label_fr",
                "number",
                "sequence.code",
                "sequence.label_en",
                "sequence.label_fr",
                "sequence.number",
                "is_proposal",
                "deliverables_en",
                "deliverables_fr",
            ],
            computed=["deliverables_are_proposal"],
        ),
        ReferenceApi(
            "api_reference_audiences",
            f"SELECT code, label_en, label_fr, description_en, description_fr, is_proposal, "
            f"sphere, is_internal, position FROM {audience} ORDER BY position",
            [*_REFERENCE, "sphere", "is_internal", "position"],
        ),
        ReferenceApi(
            "api_reference_indicators",
            f"""
            SELECT i.code, i.label_en, i.label_fr, i.domain, i.unit_en, i.unit_fr,
                   i.unit_kind, i.level, s.code, i.is_proposal
            FROM {indicator} i JOIN {stage} s ON s.id = i.tracer_stage_id
            ORDER BY i.position
            """,
            [
                "code",
                "label_en",
                "label_fr",
                "domain",
                "unit_en",
                "unit_fr",
                "unit_kind",
                "level",
                "tracer_stage",
                "is_proposal",
            ],
        ),
    ]


def endpoints() -> list[Endpoint]:
    """Every measured endpoint, in the order of the printed table."""
    return [
        WorkspaceHome(),
        TerritoryList(),
        ProjectList(),
        PlanBoard(),
        PlanTablePartial(),
        PlanMatrix(),
        PlanTimeline(),
        PlanPoll(),
        *_reference_apis(),
        ApiActionList(),
    ]


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name


def reference_url_names() -> set[str]:
    """The name of every URL under /api/v1/reference/ (each must be measured)."""
    return {
        name or route for route, name in _walk(get_resolver()) if route.startswith(REFERENCE_PREFIX)
    }
