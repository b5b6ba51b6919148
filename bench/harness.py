"""The measurements: query counts at 1 and at 200 rows, then wall times against the baselines.

Then, on the timed action plan: the bytes of the table's HTMX partial against the full table
page, and the wall time and queries of one inline save (a new title, posted with the version it
started from). Then the dashboard snapshot at each measurement level of the timed project,
against a Python reference over the same rows, and the project dashboard page's queries
(:mod:`bench.snapshots`). The API's actions list, requested with a personal token, is timed like
the pages, against one SQL query whose rows are turned into the same JSON. Targets are reported,
not enforced.

Used by ``python -m bench`` (on the benchmark's own database) and by ``tests/ops/test_bench.py``
(on the test database, size XS). Nothing here asserts on speed; a result is "ok" when every
endpoint issues the same number of queries at 1 row as at 200 rows.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from time import perf_counter
from typing import Any

import django
from django.apps import apps
from django.db import connection, transaction
from django.db.models import ForeignKey, Max, Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from bench.dataset import build_dataset, build_probe
from bench.endpoints import (
    ApiActionList,
    BenchError,
    Endpoint,
    PlanTablePartial,
    Target,
    endpoints,
    fetch,
    reference_url_names,
)
from bench.sizes import (
    API_LIST_MAX_RATIO,
    PARTIAL_MAX_BYTES_SHARE,
    PROBE_ROWS,
    SNAPSHOT_MAX_MS,
    SNAPSHOT_MAX_RATIO,
    TABLE_PARTIAL_MAX_RATIO,
    Size,
)
from bench.snapshots import measure_dashboard_page, measure_levels
from bench.timing import budgeted, time_calls, time_pair
from core.models import TokenScope, User, Workspace
from core.reference import ReferenceItem
from core.tenancy import workspace_scope
from core.tokens import token_create
from evaluation.models import Indicator, Measurement
from mix.models import Action
from territories.models import Project
from tracer.models import Objective


def _quiet(message: str) -> None:
    pass


@dataclass
class EndpointResult:
    label: str
    path: str
    rows: int  # rows the endpoint shows in the timed run
    total_rows: int | None  # rows behind a paginated list
    median_ms: float
    baseline_ms: float
    queries: dict[int, int] = field(default_factory=dict)  # probe rows -> queries per request
    probe_rows: dict[int, int] = field(default_factory=dict)  # probe rows -> rows shown
    runs: int = 0  # timed runs (fewer than the size's repeat for a slow endpoint)
    status: int = 200

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_ms

    @property
    def n_plus_one_free(self) -> bool:
        return len(set(self.queries.values())) == 1

    def as_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.label,
            "path": self.path,
            "rows": self.rows,
            "total_rows": self.total_rows,
            "status": self.status,
            "runs": self.runs,
            "median_ms": round(self.median_ms, 4),
            "baseline_ms": round(self.baseline_ms, 4),
            "ratio": round(self.ratio, 2),
            "queries": {str(n): q for n, q in self.queries.items()},
            "probe_rows": {str(n): r for n, r in self.probe_rows.items()},
            "n_plus_one_free": self.n_plus_one_free,
        }


@dataclass
class BenchResult:
    size: str
    seed: int
    warmup: int
    repeat: int
    database: dict[str, str]
    dataset: dict[str, int]
    measured_workspace: dict[str, Any]
    endpoints: list[EndpointResult]
    table_bytes: dict[str, Any] = field(default_factory=dict)
    inline_save: dict[str, Any] = field(default_factory=dict)
    snapshots: list[dict[str, Any]] = field(default_factory=list)  # one per measurement level
    dashboard_page: dict[str, Any] = field(default_factory=dict)
    api_list: dict[str, Any] = field(default_factory=dict)  # the API's actions list, 100 a page
    targets: list[dict[str, Any]] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return all(e.n_plus_one_free for e in self.endpoints)

    def as_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "seed": self.seed,
            "warmup": self.warmup,
            "repeat": self.repeat,
            "probe_rows": list(PROBE_ROWS),
            "database": self.database,
            "dataset": self.dataset,
            "measured_workspace": self.measured_workspace,
            "endpoints": [e.as_json() for e in self.endpoints],
            "table_bytes": self.table_bytes,
            "inline_save": self.inline_save,
            "snapshots": self.snapshots,
            "dashboard_page": self.dashboard_page,
            "api_list": self.api_list,
            "targets": self.targets,
            "ok": self.ok,
            "duration_s": round(self.duration_s, 1),
            "python": platform.python_version(),
            "django": django.get_version(),
            "machine": {"cpus": os.cpu_count(), "arch": platform.machine()},
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }


# --- Reference data at 1 and at 200 rows -----------------------------------------------------


def _reference_models() -> list[type[ReferenceItem]]:
    """Every reference model, those pointing at another reference model first."""
    models = [m for m in apps.get_models() if issubclass(m, ReferenceItem)]

    def parents(model: type[Model]) -> list[type[Model]]:
        return [
            f.related_model
            for f in model._meta.concrete_fields
            if isinstance(f, ForeignKey)
            and isinstance(f.related_model, type)
            and f.related_model in models
        ]

    def depth(model: type[Model]) -> int:
        return 1 + max((depth(p) for p in parents(model)), default=-1)

    return sorted(models, key=depth, reverse=True)


def _resize(model: type[ReferenceItem], rows: int) -> None:
    """Leave ``rows`` rows in ``model``'s table: delete the last ones, or copy the first one."""
    manager = model._default_manager
    ordered = manager.order_by("position", "pk")  # ReferenceItem's ordering
    count = ordered.count()
    if count > rows:
        # Rows that the (already resized) models pointing here still need are kept first.
        keep: set[int] = set()
        for rel in model._meta.related_objects:
            if issubclass(rel.related_model, ReferenceItem):
                related = rel.related_model._default_manager
                keep |= set(related.values_list(rel.field.attname, flat=True))
        for pk in ordered.values_list("pk", flat=True):
            if len(keep) >= rows:
                break
            keep.add(pk)
        manager.exclude(pk__in=keep).delete()
    elif count < rows:
        template = ordered.first()
        assert template is not None, f"{model.__name__} has no row to copy"
        numbered = [
            f.name
            for f in model._meta.concrete_fields
            if (f.unique and f.get_internal_type().endswith("IntegerField")) or f.name == "position"
        ]
        start = {name: (manager.aggregate(top=Max(name))["top"] or 0) + 1 for name in numbered}
        copies = []
        for i in range(rows - count):
            values = {
                f.attname: getattr(template, f.attname)
                for f in model._meta.concrete_fields
                if not f.primary_key
            }
            values["code"] = f"{template.code}.bench{i}"
            values.update({name: first + i for name, first in start.items()})
            copies.append(model(**values))
        manager.bulk_create(copies)


@contextmanager
def reference_rows(rows: int) -> Iterator[None]:
    """Every reference table with ``rows`` rows for the block, then rolled back."""
    with transaction.atomic():
        for model in _reference_models():
            _resize(model, rows)
        yield
        transaction.set_rollback(True)


# --- Requests, queries, timings ---------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_token(user: User, workspace: Workspace) -> Client:
    """A client that sends a new read-only personal API token of ``user`` in ``workspace``."""
    with workspace_scope(workspace):
        _token, secret = token_create(
            actor=user, workspace=workspace, name="make bench", scope=TokenScope.READ
        )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _client_for(endpoint: Endpoint, session: Client, token: Client) -> Client:
    return token if endpoint.bearer else session


def _get(
    client: Client, path: str, *, headers: dict[str, str] | None = None, status: int = 200
) -> bytes:
    response = client.get(path, headers=headers)
    if response.status_code != status:
        raise BenchError(f"{path} answered {response.status_code}, not {status}")
    return response.content


def _request(endpoint: Endpoint, client: Client, path: str) -> bytes:
    return _get(client, path, headers=endpoint.headers, status=endpoint.status)


def count_queries(endpoint: Endpoint, client: Client, path: str) -> tuple[int, bytes]:
    """Queries of one request, once the session and caches are warm."""
    _request(endpoint, client, path)
    with CaptureQueriesContext(connection) as captured:
        content = _request(endpoint, client, path)
    return len(captured.captured_queries), content


def _database() -> dict[str, str]:
    if connection.vendor == "postgresql":
        version = " ".join(fetch("SELECT version()")[0][0].split()[:2])
    else:
        version = f"SQLite {fetch('SELECT sqlite_version()')[0][0]}"
    return {"vendor": connection.vendor, "version": version}


def _probe(endpoint: Endpoint, client: Client, target: Target | None) -> tuple[int, int]:
    """Queries per request, and the rows shown (checked against the baseline)."""
    queries, content = count_queries(endpoint, client, endpoint.path(target))
    return queries, endpoint.shown(content, endpoint.baseline(target))


# endpoint label -> probe rows -> (queries per request, rows shown)
Probes = dict[str, dict[int, tuple[int, int]]]


def probe_reference_api(apis: list[Endpoint]) -> Probes:
    """Query counts of the reference API with every reference table at 1 and at 200 rows.

    Run it before the dataset exists: later kinds may point at reference rows, which then could
    not be deleted.
    """
    client = Client()
    probes: Probes = {e.label: {} for e in apis}
    for rows in PROBE_ROWS:
        with reference_rows(rows):
            for endpoint in apis:
                queries, shown = _probe(endpoint, client, None)
                if shown != rows:
                    raise BenchError(f"{endpoint.label} shows {shown} rows, not {rows}")
                probes[endpoint.label][rows] = (queries, shown)
    return probes


def probe_pages(pages: list[Endpoint], seed: int) -> Probes:
    """Query counts of the pages in a workspace with 1, then 200, territories and projects,
    whose plan has as many actions."""
    probes: Probes = {e.label: {} for e in pages}
    for rows in PROBE_ROWS:
        probe = build_probe(rows, seed)
        slug = probe.plans[0].slug
        owner, workspace = probe.owners[slug], probe.workspaces[slug]
        session, token = logged_in(owner), with_token(owner, workspace)
        target = Target(workspace, probe.plan_projects[slug])
        for endpoint in pages:
            client = _client_for(endpoint, session, token)
            probes[endpoint.label][rows] = _probe(endpoint, client, target)
    return probes


# --- The action plan: bytes of the table partial, inline saves --------------------------------


def measure_table_bytes(client: Client, target: Target) -> dict[str, Any]:
    """Bytes of the table's results partial (an HTMX request) and of the whole table page."""
    path = PlanTablePartial().path(target)
    partial_page = _get(client, path, headers=PlanTablePartial.headers)
    full_page = _get(client, path)
    return {
        "path": path,
        "partial_bytes": len(partial_page),
        "full_page_bytes": len(full_page),
        "share": round(len(partial_page) / len(full_page), 3),
    }


def measure_inline_save(
    client: Client, target: Target, *, warmup: int, repeat: int, seconds: float
) -> dict[str, Any]:
    """POST a new title to the first action's title field, each time with its current version.

    The client sends ``HX-Request`` as the inline editor does, and gets the saved field back.
    """
    table = Action._meta.db_table
    found = fetch(
        f"SELECT uuid, version, title FROM {table} WHERE project_id = %s ORDER BY id LIMIT 1",
        [target.project.pk],
    )
    if not found:
        raise BenchError("the timed plan has no action to save")
    item, version, title = found[0]
    item = str(uuid.UUID(str(item)))
    path = reverse("action_field", args=[target.workspace.slug, item, "title"])
    state = {"version": version, "saves": 0}

    def save() -> None:
        state["saves"] += 1
        new = f"{title[:150]} (v{state['saves']})"
        response = client.post(
            path, {"title": new, "version": state["version"]}, headers={"HX-Request": "true"}
        )
        if response.status_code != 200 or escape(new) not in response.content.decode():
            raise BenchError(f"saving {path} answered {response.status_code}")
        state["version"] += 1

    start = perf_counter()
    save()
    warmup, repeat = budgeted(perf_counter() - start, warmup, repeat, seconds)
    with CaptureQueriesContext(connection) as captured:
        save()
    # Counted now: the next request empties the connection's query log (reset_queries).
    queries = len(captured.captured_queries)
    seconds_per_save = time_calls(save, warmup=warmup, repeat=repeat)
    stored = fetch(
        f"SELECT version FROM {table} WHERE project_id = %s ORDER BY id LIMIT 1",
        [target.project.pk],
    )[0][0]
    if stored != state["version"]:
        raise BenchError(f"{state['saves']} saves left version {stored}, not {state['version']}")
    return {
        "path": path,
        "field": "title",
        "runs": repeat,
        "median_ms": round(statistics.median(seconds_per_save) * 1000, 4),
        "queries": queries,
    }


def measure_api_list(result: EndpointResult, client: Client, target: Target) -> dict[str, Any]:
    """The timed API list's queries and bytes, in the timed workspace, next to its timings."""
    endpoint = ApiActionList()
    queries, content = count_queries(endpoint, client, result.path)
    baseline = endpoint.baseline(target)
    endpoint.shown(content, baseline)
    return {
        "path": result.path,
        "auth": "Bearer (personal API token, read only)",
        "rows": result.rows,
        "total_rows": result.total_rows,
        "runs": result.runs,
        "median_ms": round(result.median_ms, 4),
        "baseline_ms": round(result.baseline_ms, 4),
        "ratio": round(result.ratio, 2),
        "queries": queries,
        "baseline_queries": 1,
        "bytes": len(content),
        "baseline_bytes": len(baseline.body),
    }


def check_targets(
    results: list[EndpointResult],
    table_bytes: dict[str, Any],
    snapshots: list[dict[str, Any]],
    api_list: dict[str, Any],
) -> list[dict[str, Any]]:
    partial_result = next(e for e in results if e.label == PlanTablePartial().label)
    top = snapshots[-1]
    return [
        {
            "what": "table partial time / raw-SQL baseline",
            "value": round(partial_result.ratio, 2),
            "max": TABLE_PARTIAL_MAX_RATIO,
            "met": partial_result.ratio <= TABLE_PARTIAL_MAX_RATIO,
        },
        {
            "what": "table partial bytes / full table page bytes",
            "value": table_bytes["share"],
            "max": PARTIAL_MAX_BYTES_SHARE,
            "met": table_bytes["share"] <= PARTIAL_MAX_BYTES_SHARE,
        },
        {
            "what": f"snapshot at {top['measurements']:,} measurements / Python reference",
            "value": top["ratio"],
            "max": SNAPSHOT_MAX_RATIO,
            "met": top["ratio"] <= SNAPSHOT_MAX_RATIO,
        },
        {
            "what": f"snapshot at {top['measurements']:,} measurements, ms",
            "value": top["median_ms"],
            "max": SNAPSHOT_MAX_MS,
            "met": top["median_ms"] <= SNAPSHOT_MAX_MS,
        },
        {
            "what": "API actions list time / raw SQL + JSON baseline",
            "value": api_list["ratio"],
            "max": API_LIST_MAX_RATIO,
            "met": api_list["ratio"] <= API_LIST_MAX_RATIO,
        },
    ]


def analyze(*models: type[Model]) -> None:
    """Fresh planner statistics for the tables just filled, and on PostgreSQL their visibility
    map too (VACUUM, outside a transaction): autovacuum would do both later, in the middle of
    the timings."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {table}")


def run_benchmark(
    size: Size,
    seed: int,
    *,
    warmup: int | None = None,
    repeat: int | None = None,
    progress: Callable[[str], None] = _quiet,
) -> BenchResult:
    started = perf_counter()
    warmup = size.warmup if warmup is None else warmup
    repeat = size.repeat if repeat is None else repeat
    measured = endpoints()
    pages = [e for e in measured if e.in_workspace]
    apis = [e for e in measured if not e.in_workspace]
    missing = reference_url_names() - {e.url_name for e in apis}
    if missing:
        raise BenchError(f"Reference API endpoints with no benchmark: {sorted(missing)}")

    rows_text = " and ".join(map(str, PROBE_ROWS))
    progress(f"Counting the reference API's queries at {rows_text} rows")
    probes = probe_reference_api(apis)
    progress(f"Building dataset {size.name} (seed {seed})")
    data = build_dataset(size, seed)
    # The tables the API's actions list reads too: it is timed against one SQL query.
    audiences, contributors = Action.audiences.through, Action.contributors.through
    analyze(Indicator, Measurement, Action, audiences, contributors, Objective, Project)
    progress(f"Counting the pages' queries in workspaces with {rows_text} rows")
    probes |= probe_pages(pages, seed)

    plan = data.plans[0]
    timed = Target(data.workspaces[plan.slug], data.plan_projects[plan.slug])
    owner = logged_in(data.owners[plan.slug])
    owner_token = with_token(data.owners[plan.slug], timed.workspace)
    anonymous = Client()
    results = []
    for endpoint in measured:
        target = timed if endpoint.in_workspace else None
        client = _client_for(endpoint, owner, owner_token) if endpoint.in_workspace else anonymous
        path = endpoint.path(target)
        start = perf_counter()
        content = _request(endpoint, client, path)
        fetched = endpoint.baseline(target)
        one_call_s = perf_counter() - start
        shown = endpoint.shown(content, fetched)
        runs = budgeted(one_call_s, warmup, repeat, size.seconds_per_endpoint)
        progress(f"Timing {endpoint.label} ({runs[0]} warm-up + {runs[1]} runs)")
        page_s, baseline_s = time_pair(
            partial(_request, endpoint, client, path),
            partial(endpoint.baseline, target),
            warmup=runs[0],
            repeat=runs[1],
        )
        results.append(
            EndpointResult(
                label=endpoint.label,
                path=path,
                rows=shown,
                total_rows=fetched.figures.get("total"),
                median_ms=statistics.median(page_s) * 1000,
                baseline_ms=statistics.median(baseline_s) * 1000,
                queries={n: q for n, (q, _shown) in probes[endpoint.label].items()},
                probe_rows={n: r for n, (_q, r) in probes[endpoint.label].items()},
                runs=runs[1],
                status=endpoint.status,
            )
        )

    progress("Measuring the table partial's bytes and inline saves")
    table_bytes = measure_table_bytes(owner, timed)
    inline_save = measure_inline_save(
        owner, timed, warmup=warmup, repeat=repeat, seconds=size.seconds_per_endpoint
    )
    snapshots = measure_levels(data, timed, size, warmup=warmup, repeat=repeat, progress=progress)
    api_result = next(e for e in results if e.label == ApiActionList().label)
    api_list = measure_api_list(api_result, owner_token, timed)
    progress("Measuring the project dashboard page")
    dashboard_page = measure_dashboard_page(
        owner, timed, warmup=warmup, repeat=repeat, seconds=size.seconds_per_endpoint
    )

    return BenchResult(
        size=size.name,
        seed=seed,
        warmup=warmup,
        repeat=repeat,
        database=_database(),
        dataset=data.counts(),
        measured_workspace={
            "slug": plan.slug,
            "name": plan.name,
            **asdict(plan.shape),
            "plan_project": {"uuid": str(timed.project.uuid), "name": timed.project.name},
        },
        endpoints=results,
        table_bytes=table_bytes,
        inline_save=inline_save,
        snapshots=snapshots,
        dashboard_page=dashboard_page,
        api_list=api_list,
        targets=check_targets(results, table_bytes, snapshots, api_list),
        duration_s=perf_counter() - started,
    )
