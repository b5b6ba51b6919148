"""A dashboard snapshot's numbers, shaped for reading: labels in the active language, the rows
of the data tables (on the page and in the exports) and the specifications of the charts.

A snapshot stores codes (TRACER stages, mix families, statuses); the labels come from the
reference data and the choices at reading time, so a French and an English reader see the same
snapshot in their own language. Nothing here queries per indicator: the two reference lists are
read once per page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

from evaluation.models import IndicatorLevel
from mix.models import ActionStatus, MixFamily
from tracer.models import TracerStage

STATUS_LABELS = {
    "reached": gettext_lazy("Reached"),
    "on_track": gettext_lazy("On track"),
    "late": gettext_lazy("Late"),
    "no_target": gettext_lazy("No target"),
    "no_data": gettext_lazy("No data"),
}
# The counters above the charts: a number of indicators in each status, with its plural forms.
STATUS_COUNTS = {
    "reached": ngettext_lazy(
        "<strong>%(count)s</strong> reached", "<strong>%(count)s</strong> reached", "count"
    ),
    "on_track": ngettext_lazy(
        "<strong>%(count)s</strong> on track", "<strong>%(count)s</strong> on track", "count"
    ),
    "late": ngettext_lazy(
        "<strong>%(count)s</strong> late", "<strong>%(count)s</strong> late", "count"
    ),
    "no_target": ngettext_lazy(
        "<strong>%(count)s</strong> without a target",
        "<strong>%(count)s</strong> without a target",
        "count",
    ),
    "no_data": ngettext_lazy(
        "<strong>%(count)s</strong> without data",
        "<strong>%(count)s</strong> without data",
        "count",
    ),
}
SCHEDULE_LABELS = {  # of the actions, counted
    "done": pgettext_lazy("actions", "Done"),
    "on_schedule": pgettext_lazy("actions", "On schedule"),
    "late": pgettext_lazy("actions", "Late"),
    "dropped": pgettext_lazy("actions", "Dropped"),
}
LEVEL_LABELS = dict(IndicatorLevel.choices)
ACTION_STATUS_LABELS = dict(ActionStatus.choices)

# The tables a dashboard offers for export, by kind of dashboard.
EXPORT_TABLES = {
    "project": ("indicators", "funnel", "budget"),
    "workspace": ("projects", "funnel", "budget"),
}


@dataclass(frozen=True)
class Reference:
    """Labels of the codes a snapshot stores, in the active language at reading time."""

    stages: dict[str, TracerStage]
    families: dict[str, MixFamily]

    def stage_label(self, code: str) -> str:
        stage = self.stages.get(code)
        return stage.label if stage else code

    def stage_letter(self, code: str) -> str:
        stage = self.stages.get(code)
        return stage.letter if stage else "?"

    def family_label(self, code: str) -> str:
        family = self.families.get(code)
        return family.label if family else code


def reference() -> Reference:
    """Two small queries, whatever the size of the dashboard."""
    return Reference(
        stages={s.code: s for s in TracerStage.objects.order_by("position")},
        families={f.code: f for f in MixFamily.objects.order_by("position")},
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def period_labels(periods: list[str]) -> list[str]:
    """ "2025" when every period starts a year, else "Mar 2025" (months, quarters)."""
    dates = [dt.date.fromisoformat(p) for p in periods]
    yearly = all(d.month == 1 and d.day == 1 for d in dates)
    return [date_format(d, "Y" if yearly else "M Y") for d in dates]


# --- Table rows ----------------------------------------------------------------------------


def indicator_rows(data: dict[str, Any], ref: Reference) -> list[dict[str, Any]]:
    rows = []
    for ind in data.get("indicators", []):  # the snapshot's rows, no query
        points = ind.get("trend", [])
        rows.append(
            {
                **ind,
                "stage_label": ref.stage_label(ind["stage"]),
                "letter": ref.stage_letter(ind["stage"]),
                "level_label": LEVEL_LABELS.get(ind["level"], ind["level"]),
                "status_label": STATUS_LABELS.get(ind["status"], ind["status"]),
                "target_day": _date(ind.get("target_date")),
                "latest_day": _date(ind.get("latest_period")),
                "trend_rows": list(
                    zip(
                        period_labels([p for p, _v in points]), [v for _p, v in points], strict=True
                    )
                ),
            }
        )
    return rows


def funnel_rows(data: dict[str, Any], ref: Reference) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "stage_label": ref.stage_label(row["stage"]),
            "letter": row.get("letter") or ref.stage_letter(row["stage"]),
            "statuses": [row["by_status"].get(code, 0) for code in ACTION_STATUS_LABELS],
        }
        for row in data.get("funnel", [])
    ]


def budget_rows(data: dict[str, Any], ref: Reference) -> list[dict[str, Any]]:
    return [
        {**row, "family_label": ref.family_label(row["family"])}
        for row in data.get("budget_by_family", [])
    ]


def count_rows(
    counts: dict[str, int], labels: dict[str, Any], texts: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """One row per code; with ``texts`` (plural forms), ``text`` says "3 reached" as HTML."""
    rows = []
    for code, label in labels.items():
        row = {"code": code, "label": label, "count": counts.get(code, 0)}
        if texts is not None:
            # Our own catalogue's text around an integer.
            row["text"] = mark_safe(texts[code] % {"count": int(row["count"])})  # noqa: S308
        rows.append(row)
    return rows


def project_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**row, "counts": [row["statuses"].get(code, 0) for code in STATUS_LABELS]}
        for row in data.get("projects", [])
    ]


# --- Charts ----------------------------------------------------------------------------------
# A small, generic specification that static/js/dashboard.js turns into a Chart.js chart:
# colours are named, the JavaScript maps them onto the palette of the stylesheet.


def _attainment_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "bar",
        "horizontal": True,
        "unit": "percent",
        "axis": _("Attainment of the target (%)"),
        "reference": 100,
        # The status is in the label too: the colour is never the only sign of it.
        "labels": [[r["name"], str(r["status_label"])] for r in rows],
        "datasets": [
            {
                "label": _("Attainment"),
                "data": [r["attainment"] for r in rows],
                "color": [f"status-{r['status']}" for r in rows],
                "notes": [str(r["status_label"]) for r in rows],
            }
        ],
    }


def _trend_charts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    charts = {}
    for r in rows:
        datasets: list[dict[str, Any]] = [
            {
                "label": f"{r['name']} ({r['unit']})" if r["unit"] else r["name"],
                "data": [v for _p, v in r["trend_rows"]],
                "color": "series-1",
            }
        ]
        if r["target"] is not None and r["trend_rows"]:
            datasets.append(
                {
                    "label": _("Target"),
                    "data": [r["target"]] * len(r["trend_rows"]),
                    "color": "target",
                    "dashed": True,
                }
            )
        charts[r["uuid"]] = {
            "kind": "line",
            "unit": "",
            "axis": r["unit"],
            "labels": [p for p, _v in r["trend_rows"]],
            "datasets": datasets,
        }
    return charts


def _funnel_charts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labels = [f"{r['letter']} · {r['stage_label']}" for r in rows]
    return {
        "funnel-actions": {
            "kind": "bar",
            "stacked": True,
            "unit": "count",
            "axis": _("Actions"),
            "labels": labels,
            "datasets": [
                {
                    "label": str(label),
                    "data": [r["by_status"].get(code, 0) for r in rows],
                    "color": f"action-{code}",
                }
                for code, label in ACTION_STATUS_LABELS.items()
            ],
        },
        "funnel-budget": _money_chart(labels, rows),
        "funnel-attainment": {
            "kind": "bar",
            "unit": "percent",
            "axis": _("Attainment (%)"),
            "reference": 100,
            "labels": labels,
            "datasets": [
                {
                    "label": _("Attainment"),
                    "data": [r["attainment"] for r in rows],
                    "color": "series-1",
                }
            ],
        },
    }


def _money_chart(
    labels: list[str], rows: list[dict[str, Any]], *, horizontal: bool = False
) -> dict[str, Any]:
    return {
        "kind": "bar",
        "horizontal": horizontal,
        "unit": "money",
        "axis": _("Budget (€)"),
        "labels": labels,
        "datasets": [
            {
                "label": _("Planned budget"),
                "data": [r["planned"] for r in rows],
                "color": "planned",
            },
            {"label": _("Budget spent"), "data": [r["spent"] for r in rows], "color": "spent"},
        ],
    }


def _count_chart(rows: list[dict[str, Any]], prefix: str, axis: str) -> dict[str, Any]:
    return {
        "kind": "doughnut",
        "unit": "count",
        "axis": axis,
        # Each slice says its name and its count: the legend does not rely on colour.
        "labels": [_("%(label)s: %(count)s") % r for r in rows],
        "datasets": [
            {
                "label": axis,
                "data": [r["count"] for r in rows],
                "color": [f"{prefix}-{r['code']}" for r in rows],
            }
        ],
    }


def _projects_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "bar",
        "horizontal": True,
        "stacked": True,
        "unit": "count",
        "axis": _("Indicators"),
        "labels": [r["name"] for r in rows],
        "datasets": [
            {
                "label": str(label),
                "data": [r["statuses"].get(code, 0) for r in rows],
                "color": f"status-{code}",
            }
            for code, label in STATUS_LABELS.items()
        ],
    }


# --- The whole dashboard ------------------------------------------------------------------------


def display(data: dict[str, Any], ref: Reference, *, kind: str) -> dict[str, Any]:
    """Everything the dashboard page draws from one snapshot (``kind``: project or workspace)."""
    funnel = funnel_rows(data, ref)
    budget = budget_rows(data, ref)
    schedule = count_rows(data.get("schedule", {}), SCHEDULE_LABELS)
    statuses = count_rows(data.get("statuses", {}), STATUS_LABELS, STATUS_COUNTS)
    charts: dict[str, Any] = {
        **_funnel_charts(funnel),
        "budget": _money_chart([r["family_label"] for r in budget], budget, horizontal=True),
        "schedule": _count_chart(schedule, "schedule", _("Actions")),
    }
    result: dict[str, Any] = {
        "funnel": funnel,
        "budget": budget,
        "schedule": schedule,
        "statuses": statuses,
        "action_statuses": list(ACTION_STATUS_LABELS.values()),
        "status_labels": list(STATUS_LABELS.values()),
        "charts": charts,
    }
    if kind == "project":
        indicators = indicator_rows(data, ref)
        # The output indicators that evaluate the cycle's actions, as the snapshot lists them.
        evaluating = {o["uuid"] for o in data.get("outputs", [])}
        outputs = [
            r for r in indicators if r["level"] == IndicatorLevel.OUTPUT and r["uuid"] in evaluating
        ]
        charts["attainment"] = _attainment_chart(indicators)
        charts["outputs"] = _attainment_chart(outputs)
        charts["trends"] = _trend_charts(indicators)
        trends = [r for r in indicators if r["trend_rows"]]
        result.update(indicators=indicators, outputs=outputs, trends=trends)
    else:
        projects = project_rows(data)
        charts["projects"] = _projects_chart(projects)
        result["projects"] = projects
    return result


# --- Exports ---------------------------------------------------------------------------------


def table_titles() -> dict[str, str]:
    return {
        "indicators": _("Indicators"),
        "funnel": _("TRACER funnel"),
        "budget": _("Budget by mix family"),
        "projects": _("Projects"),
    }


def _cell(value: Any) -> Any:
    """Lazy translations become text; numbers and dates stay typed for the spreadsheet."""
    return value if value is None or isinstance(value, int | float | dt.date) else str(value)


def export_table(
    name: str, data: dict[str, Any], ref: Reference, *, kind: str = "project"
) -> tuple[list[str], list[list[Any]]]:
    """(headers, rows) of one of the dashboard's tables, in the active language, with the cycle
    in the last column: the number of a project's cycle; for the workspace's tables, each
    project's current cycle (the projects) or "current cycles" (the sums)."""
    headers, rows = _table(name, data, ref)
    if kind == "project":
        number = (data.get("cycle") or {}).get("number")
        return [*headers, _("Cycle")], [[*row, number] for row in rows]
    if name == "projects":
        cycles = [r.get("cycle") for r in project_rows(data)]
        return [*headers, _("Cycle")], [[*row, c] for row, c in zip(rows, cycles, strict=True)]
    return [*headers, _("Cycle")], [[*row, _("current cycles")] for row in rows]


def _table(name: str, data: dict[str, Any], ref: Reference) -> tuple[list[str], list[list[Any]]]:
    if name == "indicators":
        headers = [
            _("Indicator"), _("TRACER stage"), _("Level"), _("Unit"), _("Baseline"),
            _("Target"), _("Target date"), _("Latest value"), _("Latest period"),
            _("Attainment (%)"), _("Status"),
        ]  # fmt: skip
        keys = ("name", "stage_label", "level_label", "unit", "baseline", "target", "target_day",
                "latest", "latest_day", "attainment", "status_label")  # fmt: skip
        return headers, [[_cell(r[k]) for k in keys] for r in indicator_rows(data, ref)]
    if name == "funnel":
        headers = [
            _("TRACER stage"),
            _("Objectives"),
            _("Actions"),
            *[str(label) for label in ACTION_STATUS_LABELS.values()],
            _("Planned budget (€)"),
            _("Spent (€)"),
            _("Indicators"),
            _("Attainment (%)"),
        ]
        tail = ("planned", "spent", "indicators", "attainment")
        return headers, [
            [r["stage_label"], r["objectives"], r["actions"], *r["statuses"], *(r[k] for k in tail)]
            for r in funnel_rows(data, ref)
        ]
    if name == "budget":
        headers = [_("Mix family"), _("Actions"), _("Planned budget (€)"), _("Spent (€)")]
        return headers, [
            [r["family_label"], r["actions"], r["planned"], r["spent"]]
            for r in budget_rows(data, ref)
        ]
    if name == "projects":
        headers = [
            _("Project"),
            _("Indicators"),
            *[str(label) for label in STATUS_LABELS.values()],
            _("Actions"),
            _("Planned budget (€)"),
            _("Spent (€)"),
        ]
        return headers, [
            [r["name"], r["indicators"], *r["counts"], r["actions"], r["planned"], r["spent"]]
            for r in project_rows(data)
        ]
    raise KeyError(name)
