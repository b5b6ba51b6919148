"""The dashboard snapshot: :func:`evaluation.dashboard.compute_project` against plain Python.

At each measurement level of the size, the timed project holds that many measurements: the
indicators of the later levels are moved to another project of the workspace, in a transaction
rolled back afterwards. The snapshot is computed by the SQL aggregates of ``compute_project`` and
by :func:`python_dashboard`, which fetches the same rows with ``values_list`` and computes the
same dict in Python. Both must give the same numbers before either is timed. Reported per level:
both medians and their ratio, the queries of one computation, and the peak Python memory of
each (tracemalloc, in runs of their own: it slows what it traces; memory the database driver
allocates in C is not counted).

Then the project dashboard page: its queries per request (it reads the stored snapshot, so they
must not grow with the measurements) and its median time.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import math
import statistics
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from time import perf_counter
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.dataset import ANCHOR, Dataset
from bench.endpoints import BenchError, Target
from bench.sizes import Size
from bench.timing import budgeted, time_calls, time_pair
from core.tenancy import workspace_scope
from evaluation.dashboard import (
    TREND_POINTS,
    as_of,
    compute_project,
    cycle_info,
    reference_attainment,
    status_of,
)
from evaluation.models import Indicator, Measurement
from mix.models import Action, ActionStatus, MixFamily
from territories.models import Cycle, Project
from territories.selectors import cycle_current
from tracer.models import Objective, TracerStage

TODAY = ANCHOR.date()  # "late" and "on track" depend on the day: a fixed one
DASHBOARD_URL = "project_dashboard"
ZERO = Decimal(0)
OPEN = (ActionStatus.IDEA, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


# --- The Python reference ------------------------------------------------------------------------


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def python_dashboard(project: Project, *, cycle: Cycle, today: dt.date) -> dict[str, Any]:
    """What ``compute_project`` returns, from rows fetched with ``values_list``: every
    measurement of the project's indicators, every action and objective of the cycle, grouped
    in Python."""
    until = as_of(cycle)
    series: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    measurements = (
        Measurement.objects.filter(indicator__project=project)
        .values_list("indicator_id", "period", "value")
        .order_by()  # no ORDER BY: the grouping is Python's work here
    )
    for indicator_id, period, value in measurements:
        if until is None or period <= until:
            series[indicator_id].append((period, value))
    fields = (
        "pk", "uuid", "name", "unit", "level", "direction", "stage__code", "stage__position",
        "project_id", "baseline_value", "baseline_date", "target_value", "target_date",
    )  # fmt: skip
    indicators = []
    rows = sorted(
        Indicator.objects.filter(project=project).values_list(*fields).order_by(),
        key=lambda r: (r[7], r[2], r[0]),  # stage, name, id
    )
    for pk, uuid, name, unit, level, direction, stage, _pos, project_id, *targets in rows:
        baseline, baseline_date, target, target_date = targets
        points = series.get(pk, [])
        latest_period, latest = max(points) if points else (None, None)  # periods are unique
        attainment = reference_attainment(
            baseline=baseline, target=target, latest=latest, direction=direction
        )
        indicators.append(
            {
                "id": pk,
                "uuid": str(uuid),
                "name": name,
                "unit": unit,
                "level": level,
                "direction": direction,
                "stage": stage,
                "project_id": project_id,
                "baseline": _num(baseline),
                "baseline_date": baseline_date.isoformat() if baseline_date else None,
                "target": _num(target),
                "target_date": target_date.isoformat() if target_date else None,
                "latest": _num(latest),
                "latest_period": latest_period.isoformat() if latest_period else None,
                "measurements": len(points),
                "attainment": None if attainment is None else round(attainment, 1),
                "status": status_of(
                    attainment=attainment,
                    baseline_date=baseline_date,
                    target_date=target_date,
                    latest_period=latest_period,
                    today=today,
                ),
                "trend": [
                    [p.isoformat(), float(v)]
                    for p, v in reversed(heapq.nlargest(TREND_POINTS, points))
                ],
            }
        )
    objectives = Counter(
        Objective.objects.filter(project=project, cycle=cycle)
        .values_list("stage__code", flat=True)
        .order_by()
    )
    actions = list(
        Action.objects.filter(project=project, objective__cycle=cycle)
        .values_list(
            "objective__stage__code", "family_id", "status", "end_date", "budget_planned",
            "budget_spent",
        )
        .order_by()
    )  # fmt: skip
    funnel = []
    for code, letter in TracerStage.objects.order_by("position").values_list("code", "letter"):
        own = [a for a in actions if a[0] == code]
        of_stage = [i for i in indicators if i["stage"] == code]
        reached = [i["attainment"] for i in of_stage if i["attainment"] is not None]
        funnel.append(
            {
                "stage": code,
                "letter": letter,
                "objectives": objectives.get(code, 0),
                "actions": len(own),
                "by_status": {s: sum(a[2] == s for a in own) for s in ActionStatus.values},
                "planned": float(sum((a[4] for a in own), ZERO)),
                "spent": float(sum((a[5] for a in own), ZERO)),
                "indicators": len(of_stage),
                "attainment": round(sum(reached) / len(reached), 1) if reached else None,
            }
        )
    budget_by_family = []  # every action of the cycle, dropped ones too
    for family_id, code in MixFamily.objects.order_by("position").values_list("pk", "code"):
        own = [a for a in actions if a[1] == family_id]
        budget_by_family.append(
            {
                "family": code,
                "actions": len(own),
                "planned": float(sum((a[4] for a in own), ZERO)),
                "spent": float(sum((a[5] for a in own), ZERO)),
            }
        )
    opened = [a for a in actions if a[2] in OPEN]
    statuses = dict.fromkeys(("reached", "on_track", "late", "no_target", "no_data"), 0)
    for row in indicators:
        statuses[row["status"]] += 1
    # Output indicators linked to an action of the cycle, or to no action at all.
    links = list(
        Indicator.actions.through.objects.filter(indicator__project=project)
        .values_list("indicator_id", "action__objective__cycle_id")
        .order_by()
    )
    linked = {indicator_id for indicator_id, _cycle in links}
    of_cycle = {indicator_id for indicator_id, cycle_id in links if cycle_id == cycle.pk}
    return {
        "today": today.isoformat(),
        "cycle": cycle_info(cycle),
        "indicators": indicators,
        "funnel": funnel,
        "budget_by_family": budget_by_family,
        "schedule": {
            "done": sum(a[2] == ActionStatus.DONE for a in actions),
            "late": sum(a[3] is not None and a[3] < today for a in opened),
            "on_schedule": sum(a[3] is None or a[3] >= today for a in opened),
            "dropped": sum(a[2] == ActionStatus.DROPPED for a in actions),
        },
        "outputs": [
            i
            for i in indicators
            if i["level"] == "output" and (i["id"] in of_cycle or i["id"] not in linked)
        ],
        "statuses": statuses,
    }


def differences(sql: Any, reference: Any, where: str = "") -> Iterator[str]:
    """Where two snapshots differ (sums of money may differ by a rounding on SQLite)."""
    if isinstance(sql, dict) and isinstance(reference, dict):
        if sql.keys() != reference.keys():
            yield f"{where}: keys {sorted(sql.keys() ^ reference.keys())}"
            return
        for key in sql:
            yield from differences(sql[key], reference[key], f"{where}.{key}")
    elif isinstance(sql, list) and isinstance(reference, list):
        if len(sql) != len(reference):
            yield f"{where}: {len(sql)} items, not {len(reference)}"
            return
        for i, (a, b) in enumerate(zip(sql, reference, strict=True)):
            yield from differences(a, b, f"{where}[{i}]")
    elif isinstance(sql, float) and isinstance(reference, float):
        if not math.isclose(sql, reference, rel_tol=1e-12, abs_tol=0.01):
            yield f"{where}: {sql!r} != {reference!r}"
    elif sql != reference:
        yield f"{where}: {sql!r} != {reference!r}"


# --- Measuring ---------------------------------------------------------------------------------


def peak_kib(call: Callable[[], object]) -> float:
    """The peak of Python allocations during ``call``, in KiB."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024


@contextmanager
def at_level(data: Dataset, target: Target, level: int) -> Iterator[None]:
    """The timed project with only the indicators of the first ``level + 1`` levels, for the
    block; the others are parked in another project of the workspace, then rolled back."""
    slug = target.workspace.slug
    later = [pk for pks in data.level_indicators[slug][level + 1 :] for pk in pks]
    parking = next(
        (
            p
            for p in data.projects
            if p.workspace_id == target.workspace.pk and p.pk != target.project.pk
        ),
        None,
    )
    if later and parking is None:
        raise BenchError("the timed workspace has no other project to park indicators in")
    with transaction.atomic():
        Indicator.unscoped_objects.filter(pk__in=later).update(project=parking)
        yield
        transaction.set_rollback(True)


def measure_levels(
    data: Dataset,
    target: Target,
    size: Size,
    *,
    warmup: int,
    repeat: int,
    progress: Callable[[str], None],
) -> list[dict[str, Any]]:
    project = target.project
    with workspace_scope(target.workspace):
        cycle = cycle_current(project=project)  # the dashboard's default cycle
    compute = partial(compute_project, project, cycle=cycle, today=TODAY)
    reference = partial(python_dashboard, project, cycle=cycle, today=TODAY)
    results = []
    for index, level in enumerate(size.measurement_levels):
        with at_level(data, target, index), workspace_scope(target.workspace):
            count = Measurement.objects.filter(indicator__project=project).count()
            indicators = Indicator.objects.filter(project=project).count()
            if count != level:
                raise BenchError(f"the timed project has {count} measurements, not {level}")
            start = perf_counter()
            sql = compute()
            expected = reference()
            pair_s = perf_counter() - start
            wrong = list(differences(sql, expected))
            if wrong:
                raise BenchError(
                    f"compute_project and the Python reference differ at {level} measurements: "
                    + "; ".join(wrong[:5])
                )
            runs = budgeted(pair_s, warmup, repeat, size.seconds_per_endpoint)
            progress(f"Timing the dashboard snapshot at {level:,} measurements ({runs[1]} runs)")
            sql_s, reference_s = time_pair(compute, reference, warmup=runs[0], repeat=runs[1])
            with CaptureQueriesContext(connection) as captured:
                compute()
            results.append(
                {
                    "measurements": level,
                    "indicators": indicators,
                    "runs": runs[1],
                    "median_ms": round(statistics.median(sql_s) * 1000, 3),
                    "reference_ms": round(statistics.median(reference_s) * 1000, 3),
                    "ratio": round(statistics.median(sql_s) / statistics.median(reference_s), 3),
                    "queries": len(captured.captured_queries),
                    "peak_kib": round(peak_kib(compute), 1),
                    "reference_peak_kib": round(peak_kib(reference), 1),
                }
            )
    return results


def measure_dashboard_page(
    client: Client, target: Target, *, warmup: int, repeat: int, seconds: float
) -> dict[str, Any]:
    """Queries and median time of the project dashboard page, once its snapshot is computed."""
    try:
        path = reverse(DASHBOARD_URL, args=[target.workspace.slug, target.project.uuid])
    except NoReverseMatch:
        return {"skipped": f"no URL named {DASHBOARD_URL!r}"}

    def get() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{path} answered {response.status_code}")

    try:
        start = perf_counter()
        get()  # in-process (eager) Celery: this request computes the snapshot
        get()
        one_call_s = perf_counter() - start
        with CaptureQueriesContext(connection) as captured:
            get()
        queries = len(captured.captured_queries)
        runs = budgeted(one_call_s / 2, warmup, repeat, seconds)
        page_s = time_calls(get, warmup=runs[0], repeat=runs[1])
    except Exception as error:  # the page is another piece of work: report, do not stop
        return {"path": path, "skipped": f"{type(error).__name__}: {error}"[:300]}
    return {
        "path": path,
        "queries": queries,
        "runs": runs[1],
        "median_ms": round(statistics.median(page_s) * 1000, 3),
    }
