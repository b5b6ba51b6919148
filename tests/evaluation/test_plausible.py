"""Plausible values per kind of unit, and the period a day belongs to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluation.models import UnitKind
from evaluation.services import check_plausible, period_start

ACCEPTED = [
    (UnitKind.PERCENT, "0"),
    (UnitKind.PERCENT, "100"),
    (UnitKind.PERCENT, "42.5"),
    (UnitKind.COUNT, "0"),
    (UnitKind.COUNT, "12000"),
    (UnitKind.COUNT, "7.0000"),  # a whole number written with decimals
    (UnitKind.SIGNED_COUNT, "-350"),
    (UnitKind.SIGNED_COUNT, "0"),
    (UnitKind.SIGNED_COUNT, "1200"),
    (UnitKind.SCORE_7, "1"),
    (UnitKind.SCORE_7, "7"),
    (UnitKind.SCORE_7, "4.6"),
    (UnitKind.SCORE_10, "0"),
    (UnitKind.SCORE_10, "10"),
    (UnitKind.RANK, "1"),
    (UnitKind.RANK, "250"),
    (UnitKind.AMOUNT, "0"),
    (UnitKind.AMOUNT, "1500000.50"),
    (UnitKind.OTHER, "-99999999.9999"),
    (UnitKind.OTHER, "0.0001"),
    (UnitKind.OTHER, "99999999.9999"),
]

REFUSED = [
    (UnitKind.PERCENT, "-0.01", "below"),
    (UnitKind.PERCENT, "100.01", "above"),
    (UnitKind.PERCENT, "140", "above"),
    (UnitKind.COUNT, "-1", "below"),
    (UnitKind.COUNT, "2.5", "whole"),
    (UnitKind.SIGNED_COUNT, "-2.5", "whole"),
    (UnitKind.SCORE_7, "0", "below"),
    (UnitKind.SCORE_7, "0.99", "below"),
    (UnitKind.SCORE_7, "7.01", "above"),
    (UnitKind.SCORE_10, "-1", "below"),
    (UnitKind.SCORE_10, "10.5", "above"),
    (UnitKind.RANK, "0", "below"),
    (UnitKind.RANK, "1.5", "whole"),
    (UnitKind.AMOUNT, "-0.01", "below"),
]

WORDS = {"below": "below the smallest", "above": "above the largest", "whole": "whole number"}


@pytest.mark.parametrize(("kind", "value"), ACCEPTED)
def test_plausible_values_pass(kind: str, value: str) -> None:
    check_plausible(kind, Decimal(value))  # raises if refused


@pytest.mark.parametrize(("kind", "value", "why"), REFUSED)
def test_implausible_values_are_refused_on_the_value_field(kind: str, value: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_plausible(kind, Decimal(value))
    messages = caught.value.message_dict["value"]
    assert len(messages) == 1
    assert WORDS[why] in messages[0]
    assert value in messages[0]  # the message names the value it refuses


@pytest.mark.parametrize("kind", UnitKind.values)
@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_not_a_number_is_refused_for_every_unit(kind: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_plausible(kind, Decimal(value))
    assert "value" in caught.value.message_dict


@pytest.mark.parametrize(
    ("day", "frequency", "start"),
    [
        (dt.date(2026, 5, 17), "monthly", dt.date(2026, 5, 1)),
        (dt.date(2026, 5, 1), "monthly", dt.date(2026, 5, 1)),
        (dt.date(2024, 2, 29), "monthly", dt.date(2024, 2, 1)),
        (dt.date(2026, 1, 1), "quarterly", dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 31), "quarterly", dt.date(2026, 1, 1)),
        (dt.date(2026, 4, 1), "quarterly", dt.date(2026, 4, 1)),
        (dt.date(2026, 8, 15), "quarterly", dt.date(2026, 7, 1)),
        (dt.date(2026, 12, 31), "quarterly", dt.date(2026, 10, 1)),
        (dt.date(2026, 12, 31), "yearly", dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 1), "yearly", dt.date(2026, 1, 1)),
    ],
)
def test_period_start_is_the_first_day_of_the_period(
    day: dt.date, frequency: str, start: dt.date
) -> None:
    assert period_start(day, frequency) == start


@pytest.mark.parametrize("frequency", ["monthly", "quarterly", "yearly"])
def test_every_day_of_a_period_starts_it_and_the_start_is_a_fixed_point(frequency: str) -> None:
    day = dt.date(2025, 1, 1)
    starts = set()
    while day.year == 2025:
        start = period_start(day, frequency)
        assert start <= day and start.day == 1
        assert period_start(start, frequency) == start
        starts.add(start)
        day += dt.timedelta(days=1)
    assert len(starts) == {"monthly": 12, "quarterly": 4, "yearly": 1}[frequency]
