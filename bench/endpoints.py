"""The measured endpoints, each with its raw-SQL baseline.

A baseline is the hand-written SQL that fetches what the endpoint shows (rows and columns), run
through ``connection.cursor()``: the least any implementation has to do. Before an endpoint is
timed, :meth:`Endpoint.shown` checks that the response shows exactly the rows its baseline
fetched, so the ratio compares like with like.
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from core.models import Workspace
from evaluation.models import CatalogueIndicator
from governance.models import Element, ElementComponent, MethodSequence, MethodStep
from mix.models import MixFamily
from territories.models import MICRO_KINDS, Audience, Cycle, Project, Territory
from territories.views import PAGE_SIZE
from tracer.models import TracerStage

RECENT_PROJECTS = 5  # the workspace home shows the 5 most recently updated projects
REFERENCE_PREFIX = "api/v1/reference/"


class BenchError(RuntimeError):
    """The benchmark cannot trust what it would measure (a wrong page, a baseline that differs)."""


@dataclass(frozen=True)
class Fetched:
    """What a baseline fetched: the rows the endpoint lists, and the figures it shows."""

    rows: list[tuple[Any, ...]]
    figures: dict[str, int] = field(default_factory=dict)


def _t(model: type[Model]) -> str:
    return model._meta.db_table


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _uuid(value: Any) -> str:
    """SQLite hands UUIDs back as 32 hex digits, PostgreSQL as ``uuid.UUID``."""
    return str(uuid.UUID(str(value)))


class Endpoint(ABC):
    url_name: str
    in_workspace: bool  # a page under /w/<slug>/, requested by the workspace's owner

    @property
    def label(self) -> str:
        if self.in_workspace:
            return reverse(self.url_name, args=["SLUG"]).replace("SLUG", "<slug>")
        return reverse(self.url_name)

    def path(self, workspace: Workspace | None) -> str:
        if self.in_workspace:
            assert workspace is not None
            return reverse(self.url_name, args=[workspace.slug])
        return reverse(self.url_name)

    @abstractmethod
    def baseline(self, workspace: Workspace | None) -> Fetched:
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

    def baseline(self, workspace: Workspace | None) -> Fetched:
        assert workspace is not None
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

    def baseline(self, workspace: Workspace | None) -> Fetched:
        assert workspace is not None
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

    def baseline(self, workspace: Workspace | None) -> Fetched:
        assert workspace is not None
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

    def baseline(self, workspace: Workspace | None) -> Fetched:
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
        import json

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
    return [WorkspaceHome(), TerritoryList(), ProjectList(), *_reference_apis()]


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
