"""Reading a CSV file of measurements into rows the import service accepts, with a message for
every problem, file-wide or per row. Nothing here writes: ``services.measurements_import`` saves
all the rows, or none.

The file: a header row naming the columns ``indicator`` (an indicator's identifier or its exact
name), ``period`` (a date), ``value``, and optionally ``source`` and ``note``, or their French
names (``indicateur``, ``période``, ``valeur``, ``source``, ``note``), in any case, with or
without accents. ``core.csvread`` reads the file as French teams' spreadsheets write it and
says what it found: separated by semicolons, commas or tabs; UTF-8 with or without a BOM,
Windows-1252 or Latin-1; decimal commas or points, spaces between thousands; dates as
31/12/2026, 31/12/26, 31 décembre 2026 or 2026-12-31 (day first unless the file shows
otherwise).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from core import csvread
from evaluation import selectors
from evaluation.models import Frequency, Indicator, Measurement, UnitKind
from evaluation.services import ImportRow, check_plausible, period_start
from territories.models import Project

COLUMNS = ("indicator", "period", "value", "source", "note")
REQUIRED = ("indicator", "period", "value")
# The columns' names as the page and the template file show them, in the reader's language.
COLUMN_NAMES = {
    "indicator": pgettext_lazy("CSV column", "indicator"),
    "period": pgettext_lazy("CSV column", "period"),
    "value": pgettext_lazy("CSV column", "value"),
    "source": pgettext_lazy("CSV column", "source"),
    "note": pgettext_lazy("CSV column", "note"),
}
# A header cell is read without case or accents ("Période", "PERIODE", "période" are one name),
# so the French names work whatever the language of the page that imports the file.
ALIASES = {
    "indicateur": "indicator",
    "periode": "period",
    "valeur": "value",
    "remarque": "note",
    "commentaire": "note",
}
MAX_ROWS = 5000
MAX_VALUE = Decimal(10) ** 12
# The signs a spreadsheet writes after a formatted cell ("31,5 %", "1 200,00 €") that a unit
# takes: 31,5 % of a percentage is 31.5.
UNIT_SIGNS: dict[str, tuple[str, ...]] = {UnitKind.PERCENT: ("%",), UnitKind.AMOUNT: ("€",)}


@dataclass
class PreviewRow:
    """One data row of the file, as the preview shows it."""

    row: ImportRow
    raw_indicator: str
    raw_period: str
    raw_value: str
    period_start: dt.date | None = None
    current: Decimal | None = None  # the value this row replaces, if the period has one
    skipped: bool = False  # no value: the line is left out (the template's empty lines)


@dataclass
class ParsedImport:
    errors: list[str] = field(default_factory=list)  # about the whole file: no preview
    lines: list[PreviewRow] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = csvread.UTF8
    sniffed: bool = False  # the file was cut into cells: its separator and encoding are known
    numbers: csvread.NumberFormat | None = None
    dates: csvread.DateFormat | None = None

    @property
    def detection(self) -> csvread.Detection:
        """What the reader found in the file: separator, encoding, decimal mark, dates."""
        return csvread.describe(
            encoding=self.encoding, delimiter=self.delimiter, numbers=self.numbers, dates=self.dates
        )

    @property
    def rows(self) -> list[ImportRow]:
        """What the import service saves: every line that has a value."""
        return [line.row for line in self.lines if not line.skipped]

    @property
    def error_count(self) -> int:
        return sum(1 for line in self.lines if line.row.errors)

    @property
    def skipped_count(self) -> int:
        return sum(1 for line in self.lines if line.skipped)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and not self.error_count


def parse(*, project: Project, content: bytes) -> tuple[ParsedImport, str | None, str]:
    """Parse uploaded bytes; also returns the decoded text and its encoding, which the preview
    keeps until the confirmation."""
    try:
        text, encoding = csvread.decode(content)
    except csvread.CSVFileError as exc:
        return ParsedImport(errors=[exc.message]), None, ""
    return parse_text(project=project, text=text, encoding=encoding), text, encoding


def parse_text(*, project: Project, text: str, encoding: str = csvread.UTF8) -> ParsedImport:
    try:
        table = csvread.read_text(text, encoding)
    except csvread.CSVFileError as exc:
        return ParsedImport(errors=[exc.message], encoding=encoding)
    result = ParsedImport(delimiter=table.delimiter, encoding=encoding, sniffed=True)
    lines = table.records
    if not lines:
        result.errors.append(_("The file is empty."))
        return result
    header = lines[0][1]
    columns, error = _columns(header[: csvread.width(header)] or header)  # Excel's trailing ;;
    if error:
        result.errors.append(error)
        return result
    data = lines[1:]
    if not data:
        result.errors.append(_("The file has a header but no data rows."))
        return result
    if len(data) > MAX_ROWS:
        result.errors.append(
            ngettext(
                "The file has %(count)d row: the limit is %(max)d. Split it in several files.",
                "The file has %(count)d rows: the limit is %(max)d. Split it in several files.",
                len(data),
            )
            % {"count": len(data), "max": MAX_ROWS}
        )
        return result
    result.numbers = csvread.NumberFormat.detect(_column(data, columns, "value"))
    result.dates = csvread.DateFormat.detect(_column(data, columns, "period"))
    indicators = selectors.project_indicators_by_key(project=project)
    by_uuid = {str(i.uuid): i for i in indicators}
    by_name: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_name.setdefault(indicator.name.strip(), []).append(indicator)
    seen: dict[tuple[int, dt.date], int] = {}
    for number, cells in data:
        line = _parse_line(number, cells, columns, result, by_uuid, by_name)
        row = line.row
        if row.indicator is not None and row.period is not None and not line.skipped:
            key = (row.indicator.pk, period_start(row.period, row.indicator.frequency))
            line.period_start = key[1]
            if key in seen:
                row.errors.append(
                    _("Line %(line)d already gives a value for this indicator and period.")
                    % {"line": seen[key]}
                )
            else:
                seen[key] = number
        result.lines.append(line)
    _mark_replaced(result, seen)
    if not result.rows and not result.error_count:
        result.errors.append(_("No line of the file has a value: there is nothing to import."))
    return result


def _column(data: list[tuple[int, list[str]]], columns: list[str], name: str) -> list[str]:
    """The cells of one column (for the detection of the file's decimal mark and dates)."""
    index = columns.index(name)
    return [cells[index] for _number, cells in data if index < len(cells)]


def column_names() -> list[str]:
    """The five column names in the active language (indicator, period... or indicateur...)."""
    return [str(COLUMN_NAMES[code]) for code in COLUMNS]


def column_key(cell: str) -> str:
    """A header cell's column: English or French name, any case, with or without accents."""
    name = csvread.bare(cell.strip().strip('"'))
    return ALIASES.get(name, name)


def _columns(header: list[str]) -> tuple[list[str], str | None]:
    names = [column_key(cell) for cell in header]
    expected = ", ".join(column_names())
    unknown = [
        cell.strip() or "?" for cell, name in zip(header, names, strict=True) if name not in COLUMNS
    ]
    missing = [str(COLUMN_NAMES[name]) for name in REQUIRED if name not in names]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(_("missing: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown: %(names)s") % {"names": ", ".join(unknown)})
        return names, _(
            "The first line must name the columns %(expected)s (%(problems)s). Download the "
            "template to start from the right columns."
        ) % {"expected": expected, "problems": "; ".join(problems)}
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        return names, _("The column %(name)s appears twice.") % {
            "name": COLUMN_NAMES[duplicated[0]]
        }
    return names, None


def _parse_line(
    number: int,
    cells: list[str],
    columns: list[str],
    parsed: ParsedImport,
    by_uuid: dict[str, Indicator],
    by_name: dict[str, list[Indicator]],
) -> PreviewRow:
    errors: list[str] = []
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        hint = (
            _("With commas between columns, write decimals with a point (12.5) or in quotes.")
            if parsed.delimiter == ","
            else ""
        )
        errors.append(
            (
                ngettext(
                    "This line has %(found)d value but the header names %(expected)d columns.",
                    "This line has %(found)d values but the header names %(expected)d columns.",
                    len(cells),
                )
                % {"found": len(cells), "expected": len(columns)}
                + " "
                + hint
            ).strip()
        )
    values = dict(zip(columns, (c.strip() for c in cells), strict=False))
    raw_indicator = values.get("indicator", "")
    raw_period = values.get("period", "")
    raw_value = values.get("value", "")
    source = values.get("source", "")
    note = values.get("note", "")

    indicator = _indicator(raw_indicator, by_uuid, by_name, errors)
    period = _period(raw_period, parsed.dates or csvread.DateFormat(), indicator, errors)
    skipped = not raw_value and not errors and indicator is not None
    value = None
    if not skipped:
        units = UNIT_SIGNS.get(indicator.unit_kind, ()) if indicator is not None else ("%", "€")
        value = _value(raw_value, parsed.numbers or csvread.NumberFormat(), units, errors)
        if value is not None and indicator is not None:
            try:
                check_plausible(indicator.unit_kind, value)
            except ValidationError as exc:
                errors.extend(exc.messages)
    if len(source) > 200:
        errors.append(_("The source is longer than 200 characters."))
    row = ImportRow(
        line=number, indicator=indicator, period=period, value=value,
        source=source, note=note, errors=errors,
    )  # fmt: skip
    return PreviewRow(
        row=row,
        raw_indicator=raw_indicator,
        raw_period=raw_period,
        raw_value=raw_value,
        skipped=skipped,
    )


def _indicator(
    key: str,
    by_uuid: dict[str, Indicator],
    by_name: dict[str, list[Indicator]],
    errors: list[str],
) -> Indicator | None:
    if not key:
        errors.append(_("The indicator is missing."))
        return None
    try:
        found = by_uuid.get(str(uuid.UUID(key)))
    except ValueError:
        named = by_name.get(key, [])
        if len(named) > 1:
            errors.append(
                _("Several indicators of this project are named “%(name)s”: use its identifier.")
                % {"name": key}
            )
            return None
        found = named[0] if named else None
    if found is None:
        # The same words for another project's indicator, another workspace's and a typo.
        errors.append(_("There is no indicator “%(key)s” in this project.") % {"key": key})
    return found


# The longest span a cell may name for an indicator measured so often: a month for a monthly
# indicator ("mars 2025"), a quarter for a quarterly one ("T1 2025"), a year for a yearly one.
LONGEST_SPAN: dict[str, str] = {
    Frequency.MONTHLY: csvread.MONTH,
    Frequency.QUARTERLY: csvread.QUARTER,
    Frequency.YEARLY: csvread.YEAR,
}


def _period(
    raw: str, dates: csvread.DateFormat, indicator: Indicator | None, errors: list[str]
) -> dt.date | None:
    if not raw:
        errors.append(_("The period is missing."))
        return None
    try:
        day = dates.read(raw)
    except csvread.CellError as exc:
        errors.append(exc.message)
        return None
    if indicator is not None:
        longest = LONGEST_SPAN.get(indicator.frequency, csvread.YEAR)
        if csvread.SPANS.index(csvread.date_span(raw)) > csvread.SPANS.index(longest):
            errors.append(
                _(
                    "“%(value)s” is longer than a period of this indicator (%(frequency)s): "
                    "write a day of the period, e.g. 31/03/2025."
                )
                % {"value": raw, "frequency": indicator.get_frequency_display().lower()}
            )
            return None
    return day


def _value(
    raw: str, numbers: csvread.NumberFormat, units: tuple[str, ...], errors: list[str]
) -> Decimal | None:
    if not raw:
        errors.append(_("The value is missing."))
        return None
    try:
        value = numbers.read(raw, units)
    except csvread.CellError as exc:
        errors.append(exc.message)
        return None
    if abs(value) >= MAX_VALUE:
        errors.append(_("%(value)s is too large.") % {"value": raw})
        return None
    if value != value.quantize(Decimal("0.0001")):
        errors.append(_("%(value)s has more than 4 decimal places.") % {"value": raw})
        return None
    return value


def _mark_replaced(result: ParsedImport, seen: dict[tuple[int, dt.date], int]) -> None:
    """Tell which lines replace a value already saved (the history will keep the old one)."""
    if not seen:
        return
    indicator_ids = {key[0] for key in seen}
    periods = {key[1] for key in seen}
    current = {
        (indicator_id, period): value
        for indicator_id, period, value in Measurement.objects.filter(
            indicator_id__in=indicator_ids, period__in=periods
        ).values_list("indicator_id", "period", "value")
    }
    for line in result.lines:
        row = line.row
        if row.indicator is not None and line.period_start is not None:
            line.current = current.get((row.indicator.pk, line.period_start))
