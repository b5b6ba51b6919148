"""An indicator's own chart: its values over time against the straight line from its baseline
to its target, and the rows of the data table drawn under it.

The line starts at the baseline date (or, without one, at the first period measured) and ends
at the target date (or, without one, at the last period measured). Time is a real axis: the
points sit at their dates, so the line is straight in time, not per measurement.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluation.models import Indicator, Measurement
from evaluation.templatetags.evaluation import period_label

EPOCH = dt.date(1970, 1, 1)


@dataclass
class ChartRow:
    """One row of the data table: a date, what happened then, the value and the line's."""

    on: dt.date
    label: str
    value: Decimal | None  # measured
    expected: Decimal | None  # on the baseline-to-target line at that date


def _ms(day: dt.date) -> int:
    """Milliseconds since the epoch at midnight UTC: what a Chart.js linear axis plots."""
    return (day - EPOCH).days * 86_400_000


def _line(indicator: Indicator, periods: list[dt.date]) -> tuple[dt.date, dt.date] | None:
    if indicator.baseline_value is None or indicator.target_value is None or not periods:
        return None
    start = indicator.baseline_date or periods[0]
    end = indicator.target_date or periods[-1]
    return (start, end) if end > start else None


def _on_line(indicator: Indicator, line: tuple[dt.date, dt.date], day: dt.date) -> Decimal | None:
    start, end = line
    if not start <= day <= end:
        return None
    assert indicator.baseline_value is not None and indicator.target_value is not None
    share = Decimal((day - start).days) / Decimal((end - start).days)
    return indicator.baseline_value + (indicator.target_value - indicator.baseline_value) * share


def indicator_chart(
    *, indicator: Indicator, measurements: list[Measurement]
) -> dict[str, Any] | None:
    """The chart's specification (``spec``, JSON) and its table's ``rows``, oldest first;
    ``None`` when nothing is measured yet."""
    values = sorted(measurements, key=lambda m: m.period)
    if not values:
        return None
    line = _line(indicator, [m.period for m in values])
    rows = [
        ChartRow(
            on=m.period,
            label=period_label(m.period, indicator.frequency),
            value=m.value,
            expected=_on_line(indicator, line, m.period) if line else None,
        )
        for m in values
    ]
    points: list[dict[str, Any]] = []
    if line:
        assert indicator.baseline_value is not None and indicator.target_value is not None
        ends = (
            (line[0], _("Baseline"), indicator.baseline_value),
            (line[1], _("Target"), indicator.target_value),
        )
        for day, name, value in ends:
            label = f"{name} · {date_format(day, 'SHORT_DATE_FORMAT')}"
            points.append({"x": _ms(day), "y": float(value), "label": label})
            rows.append(ChartRow(on=day, label=label, value=None, expected=value))
        rows.sort(key=lambda r: (r.on, r.value is not None))
    unit = f" ({indicator.unit})" if indicator.unit else ""
    spec = {
        "unit": indicator.unit,
        "kind": indicator.unit_kind,
        "values": {
            "label": _("Measured values") + unit,
            "points": [
                {"x": _ms(r.on), "y": float(r.value), "label": r.label}
                for r in rows
                if r.value is not None
            ],
        },
        "line": {"label": _("From the baseline to the target") + unit, "points": points},
    }
    # In an attribute, not json_script: htmx drops <script> elements from the fragments it
    # swaps in (allowScriptTags is off), and the measurements are swapped in after each save.
    return {"spec": json.dumps(spec), "rows": rows, "has_line": bool(line)}
