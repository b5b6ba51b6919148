"""Reading a CSV file of measurements into rows the import service accepts, with a message for
every problem, file-wide or per row. Nothing here writes: ``services.measurements_import`` saves
all the rows, or none.

The file: a header row naming the columns ``indicator`` (an indicator's identifier or its exact
name), ``period`` (YYYY-MM-DD), ``value``, and optionally ``source`` and ``note``, or their
French names (``indicateur``, ``période``, ``valeur``, ``source``, ``note``), in any case, with
or without accents; separated by commas or semicolons; UTF-8 with or without a byte-order mark;
decimals with a point or a comma.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from evaluation import selectors
from evaluation.models import Indicator, Measurement
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
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


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


def decode(content: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, the reason the bytes are not a UTF-8 CSV file)."""
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        return None, _("The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return None, _(
            "This is a spreadsheet workbook, not a CSV file. In your spreadsheet, choose "
            "“Save as” and the format “CSV UTF-8”."
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _("The file is in UTF-16. Save it as “CSV UTF-8” and upload it again.")
    if b"\x00" in content[:8192]:
        return None, _("This is not a CSV file: it holds binary data.")
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, _(
            "The file is not in UTF-8. Save it as “CSV UTF-8” (Excel, LibreOffice) and "
            "upload it again."
        )


def parse(*, project: Project, content: bytes) -> tuple[ParsedImport, str | None]:
    """Parse uploaded bytes; also returns the decoded text, which the preview keeps."""
    text, error = decode(content)
    if text is None:
        return ParsedImport(errors=[error or ""]), None
    return parse_text(project=project, text=text), text


def parse_text(*, project: Project, text: str) -> ParsedImport:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    result = ParsedImport(delimiter=delimiter)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        result.errors.append(_("The file could not be read as CSV (%(error)s).") % {"error": exc})
        return result
    lines = [
        (n, cells) for n, cells in enumerate(records, start=1) if any(c.strip() for c in cells)
    ]
    if not lines:
        result.errors.append(_("The file is empty."))
        return result
    columns, error = _columns(lines[0][1])
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
    indicators = selectors.project_indicators_by_key(project=project)
    by_uuid = {str(i.uuid): i for i in indicators}
    by_name: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_name.setdefault(indicator.name.strip(), []).append(indicator)
    seen: dict[tuple[int, dt.date], int] = {}
    for number, cells in data:
        line = _parse_line(number, cells, columns, delimiter, by_uuid, by_name)
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


def column_names() -> list[str]:
    """The five column names in the active language (indicator, period... or indicateur...)."""
    return [str(COLUMN_NAMES[code]) for code in COLUMNS]


def column_key(cell: str) -> str:
    """A header cell's column: English or French name, any case, with or without accents."""
    name = cell.strip().strip('"').strip()
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
    return ALIASES.get(bare, bare)


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
    delimiter: str,
    by_uuid: dict[str, Indicator],
    by_name: dict[str, list[Indicator]],
) -> PreviewRow:
    errors: list[str] = []
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        hint = (
            _("With commas between columns, write decimals with a point (12.5) or in quotes.")
            if delimiter == ","
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
    period = _period(raw_period, errors)
    skipped = not raw_value and not errors and indicator is not None
    value = None
    if not skipped:
        value = _value(raw_value, errors)
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


def _period(raw: str, errors: list[str]) -> dt.date | None:
    if not raw:
        errors.append(_("The period is missing."))
        return None
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01.")
            % {"value": raw}
        )
        return None


def parse_number(raw: str) -> Decimal | None:
    """A number written with a decimal point or a decimal comma, spaces as thousands
    separators allowed: "1 234,5", "1234.5", "1,234.5", "-3". None if it is not a number."""
    text = _SPACES.sub("", raw)
    if "," in text and "." in text:
        # The last separator is the decimal one; the other groups thousands.
        thousands = "," if text.rfind(".") > text.rfind(",") else "."
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above already refused it
        return None


def _value(raw: str, errors: list[str]) -> Decimal | None:
    if not raw:
        errors.append(_("The value is missing."))
        return None
    value = parse_number(raw)
    if value is None:
        errors.append(_("“%(value)s” is not a number.") % {"value": raw})
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
