"""Template filters of the evaluation pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from evaluation.models import Frequency

register = template.Library()


@register.filter
def plural_count(value: Any) -> int:
    """The whole number that picks a plural form for a quantity ("1.5 days"): gettext takes
    integers only. A fractional quantity takes the plural form (English requires it; French
    usage accepts it), so it counts as 2."""
    number = Decimal(value or 0)
    return int(number) if number == number.to_integral_value() else 2


@register.filter
def measure(value: Any) -> str:
    """A stored value as people write it: no trailing zeros, localised ("12,5" in French)."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return number_format(number, force_grouping=True)


@register.filter
def period_label(start: dt.date | None, frequency: str) -> str:
    """The period that starts on ``start``: "March 2025", "Q1 2025" or "2025"."""
    if start is None:
        return "—"
    if frequency == Frequency.MONTHLY:
        return date_format(start, "YEAR_MONTH_FORMAT")
    if frequency == Frequency.QUARTERLY:
        return _("Q%(quarter)d %(year)d") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return str(start.year)
