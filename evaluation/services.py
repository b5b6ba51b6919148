"""Writes for evaluation: indicators, measurements, lessons, and the dashboards' snapshots."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import webhooks
from core.models import User, Workspace
from core.tenancy import assert_same_workspace, workspace_scope
from evaluation import dashboard
from evaluation.models import (
    DashboardSnapshot,
    Direction,
    Indicator,
    Lesson,
    Measurement,
    MeasurementChange,
    SnapshotStatus,
    UnitKind,
)
from governance.selectors import brand_counts
from territories import revisions
from territories.models import Cycle, CycleStatus, Project
from territories.selectors import cycles_current_of
from tracer.selectors import current_cycle

# The author is null once their account is deleted; that must not block later edits.
AUTHOR = ["created_by"]
INDICATOR_FIELDS = (
    "name", "unit", "unit_kind", "direction", "level", "stage", "objective", "catalogue",
    "baseline_value", "baseline_date", "target_value", "target_date", "frequency", "source",
)  # fmt: skip


# --- Plausible values ------------------------------------------------------------------------

_BOUNDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    UnitKind.COUNT: (Decimal(0), None),
    UnitKind.PERCENT: (Decimal(0), Decimal(100)),
    UnitKind.SCORE_10: (Decimal(0), Decimal(10)),
    UnitKind.SCORE_7: (Decimal(1), Decimal(7)),
    UnitKind.RANK: (Decimal(1), None),
    UnitKind.AMOUNT: (Decimal(0), None),
}


def check_plausible(unit_kind: str, value: Decimal) -> None:
    """Refuse values a unit cannot take: a percentage above 100, a negative count..."""
    low, high = _BOUNDS.get(unit_kind, (None, None))
    if not value.is_finite():  # NaN would pass every bound below (or make them raise)
        raise ValidationError({"value": _("%(value)s is not a number.") % {"value": value}})
    if (
        unit_kind in {UnitKind.COUNT, UnitKind.SIGNED_COUNT, UnitKind.RANK}
        and value != value.to_integral_value()
    ):
        raise ValidationError(
            {
                "value": _("This indicator counts whole units: %(value)s is not a whole number.")
                % {"value": value}
            }
        )
    if low is not None and value < low:
        raise ValidationError(
            {
                "value": _(
                    "%(value)s is below the smallest plausible value (%(low)s) for this unit."
                )
                % {"value": value, "low": low}
            }
        )
    if high is not None and value > high:
        raise ValidationError(
            {
                "value": _(
                    "%(value)s is above the largest plausible value (%(high)s) for this unit."
                )
                % {"value": value, "high": high}
            }
        )


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period that contains ``day``."""
    if frequency == "monthly":
        return day.replace(day=1)
    if frequency == "quarterly":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


# --- Indicators --------------------------------------------------------------------------------


def _check_indicator(indicator: Indicator, actions: Any) -> None:
    """The objective and the actions are the project's own; baseline and target are values
    the unit can take (a percentage of 140 is refused here as it is for a measurement)."""
    errors: dict[str, Any] = {}
    objective = indicator.objective
    if objective is not None and objective.project_id != indicator.project_id:
        errors["objective"] = _("Choose an objective of this project.")
    if any(action.project_id != indicator.project_id for action in actions):
        errors["actions"] = _("Choose actions of this project.")
    baseline_date, target_date = indicator.baseline_date, indicator.target_date
    if baseline_date and target_date and target_date < baseline_date:
        errors["target_date"] = _("The target date cannot be before the baseline date.")
    for field in ("baseline_value", "target_value"):
        value = getattr(indicator, field)
        if value is not None:
            try:
                check_plausible(indicator.unit_kind, value)
            except ValidationError as exc:
                errors[field] = exc.message_dict["value"]
    baseline, target = indicator.baseline_value, indicator.target_value
    if baseline is not None and target is not None and "target_value" not in errors:
        if indicator.direction == Direction.HIGHER and target < baseline:
            errors["target_value"] = _(
                "Higher is better for this indicator: the target cannot be below the baseline."
            )
        elif indicator.direction == Direction.LOWER and target > baseline:
            errors["target_value"] = _(
                "Lower is better for this indicator: the target cannot be above the baseline."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(
    *, actor: User, workspace: Workspace, project: Project, actions: Any = (), **data: Any
) -> Indicator:
    assert_same_workspace(workspace, project, data.get("objective"), *actions)
    indicator = Indicator(workspace=workspace, project=project, created_by=actor)
    for field in INDICATOR_FIELDS:
        if field in data:
            setattr(indicator, field, data[field])
    _check_indicator(indicator, actions)
    indicator.full_clean(exclude=AUTHOR)
    indicator.save()
    indicator.actions.set(actions)
    revisions.evaluation_changed(project)
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: User, workspace: Workspace, indicator: Indicator, actions: Any = None, **data: Any
) -> Indicator:
    assert_same_workspace(workspace, indicator, data.get("objective"), *(actions or ()))
    for field in INDICATOR_FIELDS:
        if field in data:
            setattr(indicator, field, data[field])
    _check_indicator(indicator, actions or ())
    indicator.version += 1
    indicator.full_clean(exclude=AUTHOR)
    indicator.save()
    if actions is not None:
        indicator.actions.set(actions)
    revisions.evaluation_changed(indicator.project)
    return indicator


@transaction.atomic
def indicator_delete(*, actor: User, workspace: Workspace, indicator: Indicator) -> None:
    assert_same_workspace(workspace, indicator)
    project = indicator.project
    indicator.delete()
    revisions.evaluation_changed(project)


# --- Measurements ------------------------------------------------------------------------------


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    workspace: Workspace,
    indicator: Indicator,
    period: dt.date,
    value: Decimal,
    source: str = "",
    note: str = "",
) -> Measurement:
    """The value of ``indicator`` for the period containing ``period``: entering a period
    again updates its value and keeps the old one in the history."""
    assert_same_workspace(workspace, indicator)
    check_plausible(indicator.unit_kind, value)
    start = period_start(period, indicator.frequency)
    current = (
        Measurement.objects.select_for_update().filter(indicator=indicator, period=start).first()
    )
    if current is None:
        current = Measurement.objects.create(
            workspace=workspace, indicator=indicator, period=start, value=value,
            source=source, note=note, entered_by=actor,
        )  # fmt: skip
        old = None
        webhooks.emit(workspace=workspace, event="measurement.created", obj=current)
    else:
        old = current.value
        current.value, current.source, current.note, current.entered_by = value, source, note, actor
        current.save()
    if old != value:
        MeasurementChange.objects.create(
            workspace=workspace, measurement=current, old_value=old, new_value=value, actor=actor
        )
    revisions.evaluation_changed(indicator.project)
    return current


MEASUREMENT_FIELDS = ("value", "source", "note")


@transaction.atomic
def measurement_create(
    *,
    actor: User,
    workspace: Workspace,
    indicator: Indicator,
    period: dt.date,
    value: Decimal,
    source: str = "",
    note: str = "",
) -> Measurement:
    """A value for a period that has none yet (the API's POST). Unlike the pages and the import,
    which correct a period by entering it again, a client that did not read the current value
    must not overwrite it unseen: it changes it with :func:`measurement_update`."""
    assert_same_workspace(workspace, indicator)
    start = period_start(period, indicator.frequency)
    taken = ValidationError(
        {
            "period": _(
                "This indicator already has a value for the period starting %(start)s: "
                "change that measurement instead."
            )
            % {"start": start.isoformat()}
        }
    )
    if Measurement.objects.filter(indicator=indicator, period=start).exists():
        raise taken
    try:
        return measurement_record(
            actor=actor, workspace=workspace, indicator=indicator, period=start,
            value=value, source=source, note=note,
        )  # fmt: skip
    except IntegrityError as exc:  # another request recorded the same period meanwhile
        if "measurement_one_per_period" in str(exc):
            raise taken from exc
        raise


@transaction.atomic
def measurement_update(
    *, actor: User, workspace: Workspace, measurement: Measurement, **data: Any
) -> Measurement:
    """Correct a measurement's value, source or note. As with :func:`measurement_record`, the
    old value stays in the history and the dashboards are recomputed. The period stays: the
    indicator's frequency may have changed since, so it is not normalised again."""
    assert_same_workspace(workspace, measurement)
    unknown = [name for name in data if name not in MEASUREMENT_FIELDS]
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    indicator = measurement.indicator
    current = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if "value" in data:
        check_plausible(indicator.unit_kind, data["value"])
    old = current.value
    for field in MEASUREMENT_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.entered_by = actor
    current.save()
    if old != current.value:
        MeasurementChange.objects.create(
            workspace=workspace, measurement=current, old_value=old, new_value=current.value,
            actor=actor,
        )  # fmt: skip
    revisions.evaluation_changed(indicator.project)
    return current


@dataclass
class ImportRow:
    line: int
    indicator: Indicator | None
    period: dt.date | None
    value: Decimal | None
    source: str
    note: str
    errors: list[str]


@transaction.atomic
def measurements_import(*, actor: User, workspace: Workspace, rows: list[ImportRow]) -> int:
    """All or nothing: every row is valid, or nothing is saved."""
    if not rows:
        raise ValidationError(_("The file has no data rows."))
    if any(row.errors for row in rows):
        raise ValidationError(_("Some rows have errors: nothing was saved."))
    for row in rows:
        assert row.indicator is not None and row.period is not None and row.value is not None
        measurement_record(
            actor=actor, workspace=workspace, indicator=row.indicator, period=row.period,
            value=row.value, source=row.source, note=row.note,
        )  # fmt: skip
    return len(rows)


# --- Lessons (the feedback loop) ---------------------------------------------------------------

LESSON_FIELDS = ("learned", "source", "indicator", "action", "policy", "status", "sent_to", "cycle")


@transaction.atomic
def lesson_save(
    *,
    actor: User,
    workspace: Workspace,
    project: Project,
    lesson: Lesson | None = None,
    **data: Any,
) -> Lesson:
    assert_same_workspace(workspace, project, lesson, data.get("indicator"), data.get("action"))
    lesson = lesson or Lesson(workspace=workspace, project=project, created_by=actor)
    for field in LESSON_FIELDS:
        if field in data:
            setattr(lesson, field, data[field])
    if lesson.cycle_id is None:  # not named: the lesson is learned in the current cycle
        lesson.cycle = current_cycle(project=project)
    for related in ("indicator", "action", "cycle"):
        obj = getattr(lesson, related, None)
        if obj is not None and obj.project_id != project.pk:
            raise ValidationError({related: _("Choose one from this project.")})
    lesson.full_clean(exclude=AUTHOR)
    lesson.save()
    return lesson


@transaction.atomic
def lesson_delete(*, actor: User, workspace: Workspace, lesson: Lesson) -> None:
    assert_same_workspace(workspace, lesson)
    lesson.delete()


# --- Dashboard snapshots -----------------------------------------------------------------------


def inputs_version(
    project: Project | None, workspace: Workspace, cycle: Cycle | None = None
) -> str:
    """What the numbers depend on; a new version means a new snapshot. A project's dashboard
    is of ``cycle`` (its current one by default). A closed cycle's plan is read-only and its
    numbers are those of its closing day: its one version never changes."""
    if project is not None:
        cycle = cycle or current_cycle(project=project)
        if cycle.status == CycleStatus.CLOSED:
            return _closed_version(cycle)
    day = timezone.localdate().isoformat()  # "late" and "on track" depend on the date
    if project is None:
        return _workspace_version(day, _active_revisions())
    counters = Project.objects.values_list("plan_revision", "evaluation_revision").get(
        pk=project.pk
    )
    return _project_version(day, *counters)


def _active_revisions() -> list[tuple[int, int, int]]:
    """(pk, plan revision, evaluation revision) of the scope's active projects."""
    return list(
        Project.objects.filter(archived_at__isnull=True).values_list(
            "pk", "plan_revision", "evaluation_revision"
        )
    )


def _workspace_version(day: str, projects: list[tuple[int, int, int]]) -> str:
    """The workspace's dashboard adds up its active projects: their revisions are its inputs."""
    signature = ";".join(f"{pk}:{p}:{e}" for pk, p, e in sorted(projects))
    return f"w-{day}-" + hashlib.sha1(signature.encode(), usedforsecurity=False).hexdigest()[:16]


def _project_version(day: str, plan_revision: int, evaluation_revision: int) -> str:
    return f"p-{day}-{plan_revision}-{evaluation_revision}"


def _closed_version(cycle: Cycle) -> str:
    return f"c-{cycle.number}-{cycle.closed_on.isoformat() if cycle.closed_on else 'closed'}"


def is_closed_version(version: str) -> bool:
    """The version of a closed cycle's numbers (they never change)."""
    return version.startswith("c-")


def _cycle_of(project: Project | None, cycle: Cycle | None) -> Cycle | None:
    """The cycle of a project's snapshot (its current one unless told); None for the
    workspace's, which adds up every project's current cycle."""
    if project is None:
        return None
    if cycle is None:
        return current_cycle(project=project)
    assert cycle.project_id == project.pk, "a cycle of another project"
    return cycle


def _dashboards_key(workspace_id: int, project_id: int | None) -> str:
    return f"dashboards-scheduled:{workspace_id}:{project_id}"


# The fields of plan items whose edit moves a dashboard figure (evaluation.dashboard reads
# them): an edit of anything else (a title, a description, a priority, the audiences, the lead
# partner) moves none and computes nothing. Creations, deletions and imports always count.
DASHBOARD_PLAN_FIELDS = frozenset(
    {"status", "budget_planned", "budget_spent", "start_date", "end_date"}
    | {"family", "objective", "stage"}
)


def schedule_dashboards(project: Project, fields: frozenset[str] | None = None) -> None:
    """After commit, recompute the project's and the workspace's dashboards, debounced: a burst
    of saves within ``DASHBOARD_DEBOUNCE_SECONDS`` causes one computation. ``fields``: the plan
    fields an edit changed (None: anything may have); an edit of none of
    :data:`DASHBOARD_PLAN_FIELDS` moves no figure and schedules nothing.

    The first save of a burst sends the refresh at once, with no countdown (a worker holds a
    countdown task unacknowledged: were it killed, Redis would keep the message until the
    visibility timeout), carrying the time it is due at: the end of the burst's window. The
    task waits until then and reads the inputs as they are. The saves within the window send
    nothing (the key below, which expires with the window, says one is on its way): each of
    them committed before the task reads. A save after the window sends the next refresh. So a
    worker that dies holding the refresh blocks nothing for longer than the window; its
    dashboards are brought up to date by the next save, the page that shows them, or the beat
    sweep (:func:`dashboards_sweep`).
    """
    if fields is not None and not fields & DASHBOARD_PLAN_FIELDS:
        return
    workspace_id, project_id = project.workspace_id, project.pk
    key = _dashboards_key(workspace_id, project_id)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(callback, "dashboards_key", None) == key and not getattr(callback, "ran", False)
        for _savepoints, callback, _robust in connection.run_on_commit
    ):
        return  # one refresh per project and transaction (a library import changes 30 items)

    def enqueue() -> None:
        from evaluation.tasks import refresh_dashboards

        enqueue.ran = True  # type: ignore[attr-defined]
        kwargs: dict[str, Any] = {"workspace_id": workspace_id, "project_id": project_id}
        if settings.CELERY_TASK_ALWAYS_EAGER:  # in-process: no worker to spare the work
            refresh_dashboards.apply_async(kwargs=kwargs)
            return
        delay = settings.DASHBOARD_DEBOUNCE_SECONDS
        if delay <= 0 or cache.add(key, 1, timeout=delay):
            kwargs["not_before"] = time.time() + max(delay, 0)
            refresh_dashboards.apply_async(kwargs=kwargs, queue=settings.DASHBOARD_QUEUE)

    enqueue.dashboards_key = key  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


def wait_until(not_before: float | None) -> None:
    """Sleep until ``not_before`` (a Unix time), at most the debounce window: a refresh that
    comes late (a busy queue) starts at once, and a clock ahead of the sender's waits no more
    than the window."""
    if not not_before:
        return
    wait = min(not_before - time.time(), float(settings.DASHBOARD_DEBOUNCE_SECONDS))
    if wait > 0:
        time.sleep(wait)


def schedule_closed_cycle(cycle: Cycle) -> None:
    """After the commit of a cycle's close, compute its dashboard: the numbers it closed with,
    which never change afterwards (its plan is read-only, its measurements end that day)."""
    assert cycle.status == CycleStatus.CLOSED, "an open cycle's numbers still change"
    kwargs = {
        "workspace_id": cycle.workspace_id,
        "project_id": cycle.project_id,
        "cycle_id": cycle.pk,
        "version": _closed_version(cycle),
    }

    def enqueue() -> None:
        from evaluation.tasks import compute_snapshot

        compute_snapshot.apply_async(kwargs=kwargs, queue=settings.DASHBOARD_QUEUE)

    transaction.on_commit(enqueue)


def snapshot_request(
    *, workspace: Workspace, project: Project | None, cycle: Cycle | None = None
) -> DashboardSnapshot:
    """The snapshot of the current inputs of a project's dashboard in ``cycle`` (its current
    one by default) or of the workspace's, created pending if it does not exist yet."""
    assert_same_workspace(workspace, project, cycle)
    cycle = _cycle_of(project, cycle)
    version = inputs_version(project, workspace, cycle)
    snapshot, _created = DashboardSnapshot.objects.get_or_create(
        workspace=workspace, project=project, cycle=cycle, inputs_version=version
    )
    return snapshot


def snapshot_compute(
    *,
    workspace: Workspace,
    project: Project | None,
    version: str,
    claim: str,
    cycle: Cycle | None = None,
) -> DashboardSnapshot | None:
    """Compute the snapshot of ``version`` (of ``cycle``, the project's current one by default)
    once. ``claim`` (the task id) lets a redelivered task take over its own unfinished claim;
    any other run of the same version does nothing."""
    assert_same_workspace(workspace, project, cycle)
    cycle = _cycle_of(project, cycle)
    snapshot, _created = DashboardSnapshot.objects.get_or_create(
        workspace=workspace, project=project, cycle=cycle, inputs_version=version
    )
    # A claim older than the computation's time limit is dead (the pool kills a task at its
    # limit): another run takes it over. Younger ones only the same task (a redelivery) takes.
    stale = timezone.now() - dt.timedelta(seconds=settings.DASHBOARD_STALE_SECONDS)
    claimed = (
        DashboardSnapshot.objects.filter(pk=snapshot.pk)
        .filter(
            Q(status__in=[SnapshotStatus.PENDING, SnapshotStatus.FAILED])
            | Q(status=SnapshotStatus.RUNNING, started_at__lt=stale)
            | Q(status=SnapshotStatus.RUNNING, error=f"claim:{claim}")
        )
        .update(
            status=SnapshotStatus.RUNNING,
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
            error=f"claim:{claim}",
        )
    )
    if not claimed:
        return None  # done already, or another run is on it
    started = time.monotonic()
    test_delay = getattr(settings, "DASHBOARD_TEST_DELAY_SECONDS", 0)
    if test_delay:  # lets the tests kill a worker in the middle of a computation
        time.sleep(test_delay)
    try:
        data = (
            dashboard.compute_project(project, cycle=cycle)
            if project is not None and cycle is not None
            else dashboard.compute_workspace()
        )
    except Exception as exc:
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        done = DashboardSnapshot.objects.filter(pk=snapshot.pk, error=f"claim:{claim}").update(
            status=SnapshotStatus.DONE,
            data=data,
            error="",
            computed_at=timezone.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        snapshot.refresh_from_db()
        if done:  # the numbers are in: the clients fetch them from the snapshot's url
            webhooks.emit(workspace=workspace, event="snapshot.ready", obj=snapshot, omit=["data"])
    return snapshot


# --- Dashboard pages ---------------------------------------------------------------------------


def _send_pending(snapshots: list[DashboardSnapshot]) -> bool:
    """Send the computation of each pending snapshot after commit; True if any was sent.

    With a worker, a page that asks again within the task's time limit sends nothing more (the
    first request is on its way; a lost one is sent again after that). In the embedded default
    the computation runs in-process, at once, as :func:`schedule_dashboards` does.
    """
    from evaluation.tasks import compute_snapshot

    eager = settings.CELERY_TASK_ALWAYS_EAGER
    sent = False
    for snapshot in snapshots:
        # A closed cycle has one version: a failed computation of it is sent again (with a
        # worker, at most once per time limit), or its dashboard would stay empty for good.
        retry = snapshot.status == SnapshotStatus.FAILED and is_closed_version(
            snapshot.inputs_version
        )
        if snapshot.status != SnapshotStatus.PENDING and not retry:
            continue
        key = f"dashboard-requested:{snapshot.uuid}"
        if not eager and not cache.add(key, 1, timeout=settings.CELERY_TASK_TIME_LIMIT):
            continue
        kwargs = {
            "workspace_id": snapshot.workspace_id,
            "project_id": snapshot.project_id,
            "cycle_id": snapshot.cycle_id,
            "version": snapshot.inputs_version,
        }
        transaction.on_commit(
            partial(compute_snapshot.apply_async, kwargs=kwargs, queue=settings.DASHBOARD_QUEUE)
        )
        sent = True
    return sent


def dashboard_request(
    *, workspace: Workspace, project: Project | None, cycle: Cycle | None = None
) -> DashboardSnapshot:
    """The snapshot of a dashboard's current inputs, for the page (or the poll) that shows it:
    created pending and its computation sent when it is new. A closed cycle's is computed on
    its first view (if its close did not compute it already) and is then never computed again."""
    snapshot = snapshot_request(workspace=workspace, project=project, cycle=cycle)
    if _send_pending([snapshot]) and settings.CELERY_TASK_ALWAYS_EAGER:
        snapshot.refresh_from_db()  # computed in-process, unless a test holds the commit
    return snapshot


def dashboards_request(*, workspace: Workspace, projects: list[Project]) -> list[DashboardSnapshot]:
    """:func:`dashboard_request` for the current cycle of several projects, in three queries
    whatever their number (four when some snapshots are new). ``projects`` carry their
    revisions, freshly read."""
    if not projects:
        return []
    assert_same_workspace(workspace, *projects)
    day = timezone.localdate().isoformat()
    current = cycles_current_of(project_ids=[p.pk for p in projects])
    wanted: dict[int, tuple[Cycle, str]] = {}
    for p in projects:
        cycle = current[p.pk]
        wanted[p.pk] = (
            cycle,
            _closed_version(cycle)
            if cycle.status == CycleStatus.CLOSED
            else _project_version(day, p.plan_revision, p.evaluation_revision),
        )
    match = Q()
    for project_id, (cycle, version) in wanted.items():
        match |= Q(project_id=project_id, cycle=cycle, inputs_version=version)
    snapshots = list(DashboardSnapshot.objects.filter(match))
    if len(snapshots) < len(wanted):
        have = {s.project_id for s in snapshots}
        DashboardSnapshot.objects.bulk_create(
            [
                DashboardSnapshot(
                    workspace=workspace, project_id=pk, cycle=cycle, inputs_version=version
                )
                for pk, (cycle, version) in wanted.items()
                if pk not in have
            ],
            ignore_conflicts=True,  # another request created it meanwhile
        )
        snapshots = list(DashboardSnapshot.objects.filter(match))
    if _send_pending(snapshots) and settings.CELERY_TASK_ALWAYS_EAGER:
        snapshots = list(DashboardSnapshot.objects.filter(match))
    return snapshots


# --- The beat sweep: dashboards whose computation was lost -----------------------------------------


@dataclass
class SweepOutcome:
    refreshed: int = 0  # refreshes sent: no snapshot of the current inputs, nothing recent
    computations: int = 0  # computations sent again: pending, or running past the time limit

    @property
    def sent(self) -> int:
        return self.refreshed + self.computations


def dashboards_sweep() -> SweepOutcome:
    """Celery beat, every minute, across every workspace: send again the dashboard work that was
    lost (a worker killed with the message, Redis flushed, a deploy mid-burst).

    For each active project's current cycle and for each workspace, the snapshot of the current
    inputs is looked up (four queries per workspace whatever its size):

    * none, and the dashboard's latest snapshot is older than ``DASHBOARD_SWEEP_AFTER_SECONDS``
      (the inputs changed since and the debounced refresh never came): a refresh is sent;
    * pending for longer than that (its computation never started): it is sent again;
    * running for longer than ``DASHBOARD_STALE_SECONDS`` (the computation's time limit plus a
      margin: the pool kills a task at its limit, so its claim is dead): it is sent again, and
      the new run takes the dead claim over.

    Everything sent is idempotent (a snapshot is claimed by one run), so a sweep that crosses
    the normal path's work costs one task that does nothing.
    """
    from evaluation.tasks import compute_snapshot, refresh_dashboards

    now = timezone.now()
    quiet = now - dt.timedelta(seconds=settings.DASHBOARD_SWEEP_AFTER_SECONDS)
    stale = now - dt.timedelta(seconds=settings.DASHBOARD_STALE_SECONDS)
    outcome = SweepOutcome()
    # Unscoped on purpose: the beat task looks after every workspace, each then in its scope.
    workspace_ids = (
        Project.unscoped_objects.filter(archived_at__isnull=True)
        .order_by()
        .values_list("workspace_id", flat=True)
        .distinct()
    )
    for workspace in Workspace.objects.filter(pk__in=workspace_ids).order_by("pk"):
        with workspace_scope(workspace):
            refresh, compute = _lost_dashboard_work(workspace, quiet=quiet, stale=stale)
        for project_id in refresh:
            refresh_dashboards.apply_async(
                kwargs={"workspace_id": workspace.pk, "project_id": project_id},
                queue=settings.DASHBOARD_QUEUE,
            )
        for snapshot in compute:
            compute_snapshot.apply_async(
                kwargs={
                    "workspace_id": snapshot.workspace_id,
                    "project_id": snapshot.project_id,
                    "cycle_id": snapshot.cycle_id,
                    "version": snapshot.inputs_version,
                },
                queue=settings.DASHBOARD_QUEUE,
            )
        outcome.refreshed += len(refresh)
        outcome.computations += len(compute)
    return outcome


def _lost(snapshot: DashboardSnapshot, *, quiet: dt.datetime, stale: dt.datetime) -> bool:
    """Pending since before ``quiet`` (never started), or running since before ``stale``."""
    if snapshot.status == SnapshotStatus.PENDING:
        return snapshot.created_at < quiet
    if snapshot.status == SnapshotStatus.RUNNING:
        return snapshot.started_at is None or snapshot.started_at < stale
    return False


def _lost_dashboard_work(
    workspace: Workspace, *, quiet: dt.datetime, stale: dt.datetime
) -> tuple[list[int | None], list[DashboardSnapshot]]:
    """The dashboards of ``workspace`` (in its scope) to refresh (project ids, None for the
    workspace's) and the snapshots to compute again; see :func:`dashboards_sweep`."""
    projects = _active_revisions()
    day = timezone.localdate().isoformat()
    current = cycles_current_of(project_ids=[pk for pk, _p, _e in projects])
    wanted: dict[int | None, tuple[Cycle | None, str]] = {
        None: (None, _workspace_version(day, projects))
    }
    for pk, plan_revision, evaluation_revision in projects:
        cycle = current.get(pk)
        if cycle is None:
            continue
        wanted[pk] = (
            cycle,
            _closed_version(cycle)
            if cycle.status == CycleStatus.CLOSED
            else _project_version(day, plan_revision, evaluation_revision),
        )
    match = Q()
    for project_id, (cycle, version) in wanted.items():
        match |= Q(project_id=project_id, cycle=cycle, inputs_version=version)
    found = {s.project_id: s for s in DashboardSnapshot.objects.filter(match)}
    ids = [pk for pk in wanted if pk is not None]
    latest = dict(
        DashboardSnapshot.objects.filter(Q(project_id__in=ids) | Q(project__isnull=True))
        .order_by()
        .values("project_id")
        .annotate(last=Max("created_at"))
        .values_list("project_id", "last")
    )
    refresh: list[int | None] = []
    compute: list[DashboardSnapshot] = []
    for project_id in wanted:
        snapshot = found.get(project_id)
        if snapshot is None:
            last = latest.get(project_id)
            if last is None or last < quiet:
                refresh.append(project_id)
        elif _lost(snapshot, quiet=quiet, stale=stale):
            compute.append(snapshot)
    if None in refresh and len(refresh) > 1:
        refresh.remove(None)  # a project's refresh brings the workspace's up to date too
    return refresh, compute


# --- Brand counts as indicators ------------------------------------------------------------------

# Catalogue indicators the brand registers can feed, and the count each one takes.
BRAND_INDICATORS = {"kpi.brand.ambassadors": "ambassadors", "kpi.brand.mark_users": "licensees"}


@transaction.atomic
def brand_indicators_record(
    *, actor: User, workspace: Workspace, project: Project, on: dt.date | None = None
) -> list[Measurement]:
    """Record the brand registers' counts (active ambassadors, partners using the mark) as
    values of the project's indicators taken from the catalogue, for the period holding ``on``.

    Recording again in the same period updates the value (the history keeps the old one).
    """
    assert_same_workspace(workspace, project)
    on = on or timezone.localdate()
    indicators = list(
        Indicator.objects.filter(project=project, catalogue__code__in=BRAND_INDICATORS)
        .select_related("catalogue")
        .order_by("id")
    )
    if not indicators:
        raise ValidationError(
            _(
                "This project has no indicator for the brand yet: add “Ambassadors” or “Users "
                "of the brand marks” from the indicator catalogue first."
            )
        )
    counts = brand_counts(project=project, on=on)
    return [
        measurement_record(
            actor=actor,
            workspace=workspace,
            indicator=indicator,
            period=on,
            value=Decimal(counts[BRAND_INDICATORS[indicator.catalogue.code]]),
            source=_("Brand registers"),
        )
        for indicator in indicators
    ]
