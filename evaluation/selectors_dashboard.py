"""Reads for the dashboards: which snapshot a page shows, and whether newer numbers are coming.

A page shows the latest *done* snapshot of its dashboard (a project's in one cycle, or the
workspace's) while the snapshot of the current inputs (requested by
:func:`evaluation.services.dashboard_request`) is computed. Partners do not see the workspace's
snapshot, which covers every project: their workspace dashboard is put together from the
snapshots of the current cycle of the projects shared with their organisation
(:func:`combine_projects`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from evaluation.models import DashboardSnapshot, SnapshotStatus
from mix.models import ActionStatus
from territories.models import Cycle, Project

WAITING = {SnapshotStatus.PENDING, SnapshotStatus.RUNNING}


@dataclass(frozen=True)
class DashboardState:
    """What a dashboard page shows, and what it waits for."""

    data: dict[str, Any] | None  # the numbers shown; None: nothing computed yet
    version: str  # names the numbers shown; the status endpoint compares it
    computed_at: dt.datetime | None
    duration_ms: int | None
    pending: bool  # newer numbers are being computed
    failed: bool  # the latest computation failed
    missing: int = 0  # partners: shared projects with no numbers yet


def snapshot_latest_done(
    *, project: Project | None, cycle: Cycle | None = None
) -> DashboardSnapshot | None:
    """The latest done snapshot of ``project`` in ``cycle`` (given with a project), or of the
    workspace (no project)."""
    return _latest_done(project, cycle.pk if cycle is not None else None)


def _latest_done(project: Project | None, cycle_id: int | None) -> DashboardSnapshot | None:
    qs = DashboardSnapshot.objects.filter(status=SnapshotStatus.DONE)
    if project is None:
        qs = qs.filter(project__isnull=True)
    else:
        assert cycle_id is not None, "a project's dashboard is of one cycle"
        qs = qs.filter(project=project, cycle_id=cycle_id)
    return qs.order_by("-computed_at", "-id").first()


def dashboard_state(*, current: DashboardSnapshot, project: Project | None) -> DashboardState:
    """The state of one dashboard, given the snapshot of its current inputs (which names the
    cycle, for a project's)."""
    if current.status == SnapshotStatus.DONE:
        shown: DashboardSnapshot | None = current
    else:
        shown = _latest_done(project, current.cycle_id)
    return DashboardState(
        data=shown.data if shown else None,
        version=shown.inputs_version if shown else "",
        computed_at=shown.computed_at if shown else None,
        duration_ms=shown.duration_ms if shown else None,
        pending=current.status in WAITING,
        failed=current.status == SnapshotStatus.FAILED,
    )


def snapshots_latest_done(*, cycle_ids: list[int]) -> list[DashboardSnapshot]:
    """The latest done snapshot of each of these cycles (of several projects): one query,
    whatever their number."""
    if not cycle_ids:
        return []
    latest = (
        DashboardSnapshot.objects.filter(
            project=OuterRef("project"), cycle=OuterRef("cycle"), status=SnapshotStatus.DONE
        )
        .order_by("-computed_at", "-id")
        .values("pk")[:1]
    )
    return list(
        DashboardSnapshot.objects.filter(
            cycle_id__in=cycle_ids,
            project__isnull=False,
            status=SnapshotStatus.DONE,
            pk=Subquery(latest),
        )
    )


def partner_state(*, projects: list[Project], current: list[DashboardSnapshot]) -> DashboardState:
    """A partner's workspace dashboard: the projects shared with them, from the snapshots of
    their current cycles (``current``: one per project, see ``services.dashboards_request``)."""
    shown = {s.project_id: s for s in current if s.status == SnapshotStatus.DONE}
    behind = [s.cycle_id for s in current if s.project_id not in shown and s.cycle_id]
    for snapshot in snapshots_latest_done(cycle_ids=behind):
        shown[snapshot.project_id] = snapshot
    ordered = [(p, shown[p.pk]) for p in projects if p.pk in shown]
    signature = ";".join(f"{s.pk}:{s.inputs_version}" for _p, s in ordered)
    return DashboardState(
        data=combine_projects(ordered) if ordered else None,
        version=(
            "s-" + hashlib.sha1(signature.encode(), usedforsecurity=False).hexdigest()[:16]
            if ordered
            else ""
        ),
        computed_at=min((s.computed_at for _p, s in ordered if s.computed_at), default=None),
        duration_ms=sum(s.duration_ms or 0 for _p, s in ordered) if ordered else None,
        pending=any(s.status in WAITING for s in current),
        failed=any(s.status == SnapshotStatus.FAILED for s in current),
        missing=len(projects) - len(ordered),
    )


def _add(total: dict[str, Any], row: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        total[key] = (total.get(key) or 0) + (row.get(key) or 0)


def combine_projects(items: list[tuple[Project, DashboardSnapshot]]) -> dict[str, Any]:
    """The workspace dashboard's shape (see :func:`evaluation.dashboard.compute_workspace`),
    summed from project snapshots (each of its project's current cycle): per project, the TRACER
    funnel, the budget by family, the schedule and the indicators' statuses. A stage's attainment is the mean over the indicators
    of every project, as the workspace computation does."""
    projects: list[dict[str, Any]] = []
    funnel: dict[str, dict[str, Any]] = {}
    budget: dict[str, dict[str, Any]] = {}
    schedule: dict[str, int] = {}
    statuses: dict[str, int] = {}
    attainments: dict[str, list[float]] = {}
    today = ""
    for project, snapshot in items:  # the shared projects, not rows of data
        data = snapshot.data
        today = max(today, data.get("today", ""))
        for row in data.get("funnel", []):
            total = funnel.setdefault(
                row["stage"],
                {"stage": row["stage"], "letter": row.get("letter", ""), "by_status": {}},
            )
            _add(total, row, ("objectives", "actions", "planned", "spent", "indicators"))
            _add(total["by_status"], row["by_status"], tuple(ActionStatus.values))
        for row in data.get("budget_by_family", []):
            total = budget.setdefault(row["family"], {"family": row["family"]})
            _add(total, row, ("actions", "planned", "spent"))
        _add(schedule, data.get("schedule", {}), ("done", "on_schedule", "late", "dropped"))
        own = data.get("statuses", {})
        _add(statuses, own, tuple(own))
        for ind in data.get("indicators", []):
            if ind.get("attainment") is not None:
                attainments.setdefault(ind["stage"], []).append(ind["attainment"])
        projects.append(
            {
                "project": str(project.uuid),
                "name": project.name,
                "cycle": (data.get("cycle") or {}).get("number"),
                "indicators": len(data.get("indicators", [])),
                "statuses": own,
                "actions": sum(r.get("actions", 0) for r in data.get("funnel", [])),
                "planned": sum(r.get("planned") or 0 for r in data.get("funnel", [])),
                "spent": sum(r.get("spent") or 0 for r in data.get("funnel", [])),
            }
        )
    for code, row in funnel.items():
        reached = attainments.get(code, [])
        row["attainment"] = round(sum(reached) / len(reached), 1) if reached else None
    return {
        "today": today,
        "projects": projects,
        "funnel": list(funnel.values()),
        "budget_by_family": list(budget.values()),
        "schedule": schedule,
        "statuses": statuses,
    }
