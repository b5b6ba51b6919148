"""Reading the CSV files that French teams really have, for every CSV import.

Excel for Windows in French saves "CSV (séparateur: point-virgule)" in Windows-1252 with
semicolons, CRLF line ends, decimal commas, non-breaking spaces between thousands and dates as
shown (31/12/2026); its "CSV UTF-8" adds a byte-order mark. LibreOffice proposes Windows-1252 or
UTF-8, semicolons or commas. This module finds out which, once per file, so that every import
reads them the same way and can say what it found:

- ``read`` / ``decode``: the encoding (UTF-8 with or without a BOM, UTF-16 with a BOM, else
  Windows-1252, or Latin-1 when a byte has no meaning in Windows-1252) and the separator (an
  Excel ``sep=`` line, else the one of ``;``, ``,`` and tab that cuts the first lines into the
  same number of cells, more than one);
- ``NumberFormat``: the file's decimal mark, from the values that show it ("12,5", "1 234,5",
  "1,234.5"), which then settles the values that could be read both ways ("1,234");
- ``DateFormat``: the file's date forms (31/12/2026, 31/12/26, 31 décembre 2026, ISO...) and
  whether 03/04/2026 is day first (the default, as French teams write) or month first (when
  another date of the file can only be read so);
- ``describe``: "semicolon-separated, Windows-1252, decimal comma, dates DD/MM/YYYY", and a
  sentence for every ambiguity resolved.

Nothing here knows about columns: an import picks its cells and asks the formats to read them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, get_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

UTF8, UTF8_BOM, UTF16, CP1252, LATIN1 = "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"
ENCODING_LABELS: dict[str, str | Promise] = {
    UTF8: "UTF-8",
    UTF8_BOM: gettext_lazy("UTF-8 with BOM"),
    UTF16: "UTF-16",
    CP1252: "Windows-1252",
    LATIN1: "Latin-1 (ISO-8859-1)",
}
DELIMITERS = (";", ",", "\t")
DELIMITER_LABELS: dict[str, Promise] = {
    ";": gettext_lazy("semicolon-separated"),
    ",": gettext_lazy("comma-separated"),
    "\t": gettext_lazy("tab-separated"),
}
SNIFF_RECORDS = 50
_SEP_LINE = re.compile(r"^\ufeff?sep=([;,\t|])[ \t]*$", re.IGNORECASE)


class CSVFileError(Exception):
    """The bytes are not a CSV file this module can read; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A decoded file cut into records: ``records`` are (line number, cells), blank lines left
    out; the number is the record's rank in the file, as a spreadsheet numbers its rows."""

    encoding: str
    delimiter: str
    records: list[tuple[int, list[str]]]
    text: str


# --- Encoding and separator -------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding) of uploaded bytes; raises ``CSVFileError`` for what is not CSV text."""
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        raise CSVFileError(_("The file is empty."))
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx/.ods, old .xls
        raise CSVFileError(
            _(
                "This is a spreadsheet workbook, not a CSV file. In your spreadsheet, choose "
                "“Save as” and the format “CSV UTF-8”."
            )
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return content.decode(UTF16).lstrip("\ufeff"), UTF16
        except UnicodeDecodeError:
            raise CSVFileError(
                _("The file is in UTF-16. Save it as “CSV UTF-8” and upload it again.")
            ) from None
    if b"\x00" in content[:8192]:
        raise CSVFileError(_("This is not a CSV file: it holds binary data."))
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content.decode(UTF8_BOM), UTF8_BOM
        except UnicodeDecodeError:
            raise CSVFileError(
                _(
                    "The file starts as UTF-8 but holds characters in another encoding. Save "
                    "it again as “CSV UTF-8” and upload it again."
                )
            ) from None
    try:
        return content.decode(UTF8), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return content.decode(CP1252), CP1252
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: not Windows-1252
        return content.decode(LATIN1), LATIN1


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append(cells)
            if limit is not None and len(rows) >= limit:
                break
    return rows


def width(cells: list[str]) -> int:
    """The number of cells without the empty ones at the end (Excel pads rows with ``;;``)."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def sniff_delimiter(text: str) -> str:
    """The separator that cuts the header into more than one cell and the most following lines
    into as many cells (or fewer, Excel leaves trailing empty cells out); ``,`` if none does."""
    best, best_score = ",", (False, 0, 1)
    head = text[:65536]
    for delimiter in DELIMITERS:
        try:
            rows = _records(head, delimiter, SNIFF_RECORDS)
        except csv.Error:
            continue
        if not rows:
            continue
        header = width(rows[0])
        fitting = sum(1 for row in rows[1:] if 1 < width(row) <= header)
        score = (header > 1, fitting, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_text(text: str, encoding: str = UTF8) -> Table:
    """Cut decoded text into records; raises ``CSVFileError`` if the CSV is broken."""
    first, _newline, rest = text.partition("\n")
    sep_line = _SEP_LINE.match(first.rstrip("\r"))
    start = 1
    if sep_line:  # Excel's hint line: "sep=;"
        delimiter, body, start = sep_line.group(1), rest, 2
    else:
        delimiter, body = sniff_delimiter(text), text
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=start):
            if any(cell.strip() for cell in cells):
                records.append((number, cells))
    except csv.Error as exc:
        raise CSVFileError(
            _("The file could not be read as CSV (%(error)s).") % {"error": exc}
        ) from None
    return Table(encoding=encoding, delimiter=delimiter, records=records, text=text)


def read(content: bytes) -> Table:
    """Decode uploaded bytes and cut them into records (``CSVFileError`` if they cannot be)."""
    text, encoding = decode(content)
    return read_text(text, encoding)


# --- Numbers ----------------------------------------------------------------------------------

_GROUPS = " \u00a0\u202f\u2009'"  # space, no-break space, narrow no-break space, thin space, '
COMMA, POINT, WHOLE, AMBIGUOUS = ",", ".", "whole", "ambiguous"


def _number_pattern(mark: str) -> re.Pattern[str]:
    other = "." if mark == "," else ","
    group = "[" + re.escape(_GROUPS + other) + "]"
    # Grouped thousands: 1 to 3 digits (not a leading 0), then groups of 3 with one separator.
    integer = rf"(?:[1-9]\d{{0,2}}(?:(?P<sep>{group})\d{{3}})(?:(?P=sep)\d{{3}})*|\d*)"
    return re.compile(rf"(?P<int>{integer})(?:{re.escape(mark)}(?P<frac>\d*))?")


_PATTERNS = {COMMA: _number_pattern(COMMA), POINT: _number_pattern(POINT)}


def _read_with(body: str, mark: str) -> Decimal | None:
    found = _PATTERNS[mark].fullmatch(body)
    if found is None:
        return None
    integer = re.sub("[" + re.escape(_GROUPS + ".,") + "]", "", found.group("int"))
    fraction = found.group("frac") or ""
    if not integer and not fraction:
        return None
    return Decimal(f"{integer or '0'}.{fraction}" if fraction else integer)


def _sign_and_body(raw: str) -> tuple[int, str]:
    text = raw.strip().replace("\u2212", "-")  # the typographic minus sign
    sign = 1
    if text and text[0] in "+-":
        sign, text = (-1 if text[0] == "-" else 1), text[1:].lstrip()
    return sign, text


def number_kind(raw: str) -> tuple[str | None, Decimal | None, Decimal | None]:
    """(kind, read with a decimal comma, read with a decimal point): kind is ``","`` or ``"."``
    when the value shows its decimal mark, ``"whole"`` when both readings agree,
    ``"ambiguous"`` when they differ ("1,234"), ``None`` when it is not a number."""
    sign, body = _sign_and_body(raw)
    comma, point = _read_with(body, COMMA), _read_with(body, POINT)
    if comma is not None:
        comma *= sign
    if point is not None:
        point *= sign
    if comma is None and point is None:
        return None, None, None
    if comma is None:
        return POINT, None, point
    if point is None:
        return COMMA, comma, None
    if comma == point:
        return WHOLE, comma, point
    return AMBIGUOUS, comma, point


_UNIT = re.compile(r"(?P<number>.*?)[ \u00a0\u202f]*(?P<unit>%|€)")


def split_unit(raw: str) -> tuple[str, str]:
    """("31,5", "%") for "31,5 %": the sign a spreadsheet writes after a formatted number."""
    text = raw.strip()
    found = _UNIT.fullmatch(text)
    return (found.group("number"), found.group("unit")) if found else (text, "")


def parse_number(raw: str) -> Decimal | None:
    """One number on its own (a form field): a decimal point or a decimal comma, spaces (or the
    other mark) between thousands: "1 234,5", "1234.5", "1,234.5", "-3"; a single separator
    followed by three digits is the decimal mark ("1,234" is 1.234). None if not a number."""
    kind, comma, point = number_kind(raw)
    if kind == AMBIGUOUS:
        return comma if "," in raw else point
    return comma if comma is not None else point


class CellError(ValueError):
    """A cell that cannot be read; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class NumberFormat:
    """The decimal mark of a file's numbers, decided from the values that show it."""

    mark: str | None = None  # "," or "."; None when no value shows one
    mixed: bool = False  # values show both marks
    ambiguous: str = ""  # the first value that could be read both ways, if any

    @classmethod
    def detect(cls, values: Iterable[str]) -> NumberFormat:
        seen: Counter[str] = Counter()
        ambiguous = ""
        for raw in values:
            kind, _comma, _point = number_kind(split_unit(raw)[0])
            if kind in (COMMA, POINT):
                seen[kind] += 1
            elif kind == AMBIGUOUS and not ambiguous:
                ambiguous = split_unit(raw)[0]
        if not seen:
            return cls(mark=None, ambiguous=ambiguous)
        mark = COMMA if seen[COMMA] >= seen[POINT] else POINT
        return cls(mark=mark, mixed=len(seen) > 1, ambiguous=ambiguous)

    def read(self, raw: str, units: Collection[str] = ()) -> Decimal:
        """The value of a cell; raises ``CellError`` if it is not a number, if it could be read
        two ways in a file that writes decimals both ways, or if it ends with a sign ("%", "€",
        as spreadsheets save formatted cells) that is not one of ``units``."""
        number, unit = split_unit(raw)
        if unit and unit not in units:
            raise CellError(
                _(
                    "“%(value)s” ends with “%(unit)s”, which this value cannot take: write "
                    "the number alone."
                )
                % {"value": raw, "unit": unit}
            )
        kind, comma, point = number_kind(number)
        if kind is None:
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
        if kind == AMBIGUOUS:
            if self.mixed:
                raise CellError(
                    _(
                        "“%(value)s” could be read as %(comma)s or %(point)s, and the file "
                        "writes decimals both with commas and with points: write it without a "
                        "thousands separator."
                    )
                    % {"value": raw, "comma": _plain(comma), "point": _plain(point)}
                )
            if self.mark is None:
                value = comma if "," in number else point
            else:
                value = comma if self.mark == COMMA else point
        else:
            value = comma if comma is not None else point
        assert value is not None
        return value


def _plain(value: Decimal | None) -> str:
    """A number without thousands separators, with the reader's decimal mark (1.234, 1234)."""
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", str(get_format("DECIMAL_SEPARATOR")))


# --- Dates ------------------------------------------------------------------------------------

_MONTHS = {
    # French, then English; without accents, lower case, with the usual abbreviations.
    **dict.fromkeys(("janvier", "janv", "jan", "january"), 1),
    **dict.fromkeys(("fevrier", "fevr", "fev", "february", "feb"), 2),
    **dict.fromkeys(("mars", "mar", "march"), 3),
    **dict.fromkeys(("avril", "avr", "april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "juil", "july", "jul"), 7),
    **dict.fromkeys(("aout", "aou", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "sept", "sep", "september"), 9),
    **dict.fromkeys(("octobre", "oct", "october"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11),
    **dict.fromkeys(("decembre", "dec", "december"), 12),
}
# Matched on lower-cased text (see bare): "t" and "z" are ISO 8601's T and Z.
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"(?P<y>\d{{4}})(?P<s>[-/.])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){_TIME}")
_NUMERIC = re.compile(
    rf"(?P<a>\d{{1,2}})(?P<s>[/.-])(?P<b>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}}){_TIME}"
)
_WORDS = re.compile(r"(?:(?P<d>\d{1,2})(?:er)?\s+)?(?P<month>[a-z]+)\.?(?:\s+|-)(?P<y>\d{4}|\d{2})")
_YEAR = re.compile(r"(?P<y>\d{4})")
# "T1 2026" (trimestre), "Q1 2026", "1er trimestre 2026", "2e trimestre 26" (text without accents)
_QUARTER = re.compile(
    r"(?:[tq](?P<q>[1-4])|(?P<n>[1-4])(?:er|re|e|eme|nd|st|rd|th)?\s+trimestre)"
    r"(?:\s+|\s*[-/]\s*)(?P<y>\d{4}|\d{2})"
)
_SERIAL = re.compile(r"\d{5}")
ISO, DAY_FIRST, MONTH_FIRST, WORDS, QUARTER, YEAR = "iso", "dmy", "mdy", "words", "quarter", "year"
# How much time a cell names: a day, or a whole month, quarter or year ("décembre 2026", "T4 2026",
# "2026"); an import may refuse a span longer than the period it records.
DAY, MONTH = "day", "month"
SPANS = (DAY, MONTH, QUARTER, YEAR)


def bare(text: str) -> str:
    """Lower case without accents, spaces collapsed: "Période " and "periode" are one word."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(folded.split())


def _year(raw: str) -> int:
    """Two-digit years as spreadsheets read them: 00-29 are 2000-2029, 30-99 are 1930-1999."""
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 30 else 1900
    return year


@dataclass(frozen=True)
class _Shape:
    kind: str  # ISO, "numeric", WORDS, QUARTER or YEAR
    label: str  # numeric: the separator and the year's width ("/YYYY"); WORDS: "day" or "month"
    # The numbers as written: numeric dates a/b/year (order decided by the file), ISO month a
    # and day b, the others day a and month b.
    a: int = 0
    b: int = 0
    year: int = 0


def _shape(raw: str) -> _Shape | None:
    text = bare(raw)
    if found := _ISO.fullmatch(text):
        s = found.group("s")
        return _Shape(ISO, f"YYYY{s}MM{s}DD", int(found.group("m")), int(found.group("d")),
                      int(found.group("y")))  # fmt: skip
    if found := _NUMERIC.fullmatch(text):
        s, y = found.group("s"), found.group("y")
        return _Shape("numeric", f"{s}{'YYYY' if len(y) == 4 else 'YY'}",
                      int(found.group("a")), int(found.group("b")), _year(y))  # fmt: skip
    if (found := _WORDS.fullmatch(text)) and found.group("month") in _MONTHS:
        day = found.group("d")
        return _Shape(WORDS, "day" if day else "month", int(day or 1),
                      _MONTHS[found.group("month")], _year(found.group("y")))  # fmt: skip
    if found := _QUARTER.fullmatch(text):
        quarter = int(found.group("q") or found.group("n"))
        return _Shape(QUARTER, "quarter", 1, (quarter - 1) * 3 + 1, _year(found.group("y")))
    if found := _YEAR.fullmatch(text):
        return _Shape(YEAR, "YYYY", 1, 1, int(found.group("y")))
    return None


def date_span(raw: str) -> str:
    """DAY, MONTH, QUARTER or YEAR: how much time the cell names (DAY if it is not a date)."""
    shape = _shape(raw)
    if shape is None or shape.kind in (ISO, "numeric") or shape.label == "day":
        return DAY
    return MONTH if shape.kind == WORDS else shape.kind


@dataclass
class DateFormat:
    """How a file writes its dates: the forms seen, and day first or month first."""

    order: str = DAY_FIRST  # of the numeric dates
    labels: list[str] = field(default_factory=list)  # "DD/MM/YYYY", "YYYY-MM-DD"... most used first
    assumed_example: str = ""  # every numeric date read both ways: the first, read day first
    conflict: bool = False  # some dates only day first, others only month first
    day_first_example: str = ""
    month_first_example: str = ""

    @classmethod
    def detect(cls, values: Iterable[str]) -> DateFormat:
        shapes = [shape for raw in values if raw.strip() and (shape := _shape(raw))]
        day_first = next((s for s in shapes if s.kind == "numeric" and s.a > 12 >= s.b), None)
        month_first = next((s for s in shapes if s.kind == "numeric" and s.b > 12 >= s.a), None)
        order = MONTH_FIRST if month_first and not day_first else DAY_FIRST
        result = cls(order=order, conflict=bool(day_first and month_first))
        if day_first:
            result.day_first_example = _example(day_first)
        if month_first:
            result.month_first_example = _example(month_first)
        if not day_first and not month_first:
            both = next(
                (s for s in shapes if s.kind == "numeric" and s.a != s.b and max(s.a, s.b) <= 12),
                None,
            )
            result.assumed_example = _example(both) if both else ""
        counted = Counter(_label(shape, order) for shape in shapes)
        result.labels = [label for label, _count in counted.most_common()]
        return result

    def read(self, raw: str) -> dt.date:
        """The date of a cell; raises ``CellError`` with a message that says how to write it."""
        shape = _shape(raw)
        try:
            if shape is None:
                raise ValueError(raw)
            if shape.kind == ISO:
                return dt.date(shape.year, shape.a, shape.b)
            if shape.kind in (WORDS, QUARTER, YEAR):
                return dt.date(shape.year, shape.b, shape.a)
            day, month = (shape.a, shape.b) if self.order == DAY_FIRST else (shape.b, shape.a)
            if month > 12 and self.order == DAY_FIRST and shape.a <= 12:
                raise CellError(
                    _(
                        "“%(value)s” would be month first, but the file's other dates are day "
                        "first (DD/MM/YYYY): write it %(example)s."
                    )
                    % {"value": raw, "example": f"{shape.b:02d}/{shape.a:02d}/{shape.year}"}
                )
            return dt.date(shape.year, month, day)
        except ValueError as exc:
            if isinstance(exc, CellError):
                raise
            if _SERIAL.fullmatch(raw.strip()) and 20000 <= int(raw) <= 80000:
                raise CellError(
                    _(
                        "“%(value)s” is a spreadsheet's date number: format the column as a "
                        "date (31/12/2025) and save the file again."
                    )
                    % {"value": raw}
                ) from None
            raise CellError(
                _("“%(value)s” is not a date: write it as 31/12/2025 or 2025-12-31.")
                % {"value": raw}
            ) from None


def _example(shape: _Shape) -> str:
    return f"{shape.a:02d}/{shape.b:02d}/{shape.year}"


def _label(shape: _Shape, order: str) -> str:
    """A date form in neutral codes ("DD/MM/YYYY", "YYYY-MM-DD", "words-day", "words-month");
    ``describe`` translates them."""
    if shape.kind == "numeric":
        separator, year = shape.label[0], shape.label[1:]
        first, second = ("DD", "MM") if order == DAY_FIRST else ("MM", "DD")
        return f"{first}{separator}{second}{separator}{year}"
    if shape.kind == WORDS:
        return f"words-{shape.label}"
    return shape.label  # "YYYY-MM-DD", "quarter", "YYYY"


def _label_text(label: str) -> str:
    """A date form in the reader's language: "DD/MM/YYYY" is "JJ/MM/AAAA" in French."""
    if label == "words-day":
        return _("“31 December 2026”")
    if label == "words-month":
        return _("“December 2026”")
    if label == "quarter":
        return _("“Q4 2026”")
    codes = {"YYYY": _("YYYY"), "YY": _("YY"), "MM": _("MM"), "DD": _("DD")}
    return re.sub("YYYY|YY|MM|DD", lambda found: codes[found.group(0)], label)


# --- What was detected ------------------------------------------------------------------------


@dataclass
class Detection:
    summary: str  # "semicolon-separated, Windows-1252, decimal comma, dates DD/MM/YYYY"
    notes: list[str]  # one sentence per ambiguity resolved


def describe(
    *, encoding: str, delimiter: str, numbers: NumberFormat | None, dates: DateFormat | None
) -> Detection:
    """What the reader found in a file, in the reader's language."""
    parts = [str(DELIMITER_LABELS[delimiter]), str(ENCODING_LABELS.get(encoding, encoding))]
    notes: list[str] = []
    if numbers is not None:
        if numbers.mixed:
            parts.append(_("decimal commas and points"))
        elif numbers.mark == COMMA:
            parts.append(_("decimal comma"))
        elif numbers.mark == POINT:
            parts.append(_("decimal point"))
        if numbers.ambiguous and not numbers.mixed:
            _kind, comma, point = number_kind(numbers.ambiguous)
            value = numbers.read(numbers.ambiguous)
            other = point if value == comma else comma
            words = {"value": numbers.ambiguous, "reading": _plain(value), "other": _plain(other)}
            if numbers.mark is None:
                notes.append(
                    _(
                        "“%(value)s” is read as %(reading)s (not %(other)s): no other value of "
                        "the file shows its decimal mark. If it means %(other)s, write it "
                        "without a separator."
                    )
                    % words
                )
            else:
                notes.append(
                    _(
                        "“%(value)s” is read as %(reading)s (not %(other)s), with the decimal "
                        "mark of the other values of the file."
                    )
                    % words
                )
    if dates is not None and dates.labels:
        formats = " / ".join(_label_text(label) for label in dates.labels)
        parts.append(_("dates %(formats)s") % {"formats": formats})
        if dates.conflict:
            notes.append(
                _(
                    "Some dates can only be day first (%(day)s), others only month first "
                    "(%(month)s): dates are read day first, and the others are refused."
                )
                % {"day": dates.day_first_example, "month": dates.month_first_example}
            )
        elif dates.order == MONTH_FIRST:
            notes.append(
                _("Dates are read month first (MM/DD/YYYY): %(example)s cannot be day first.")
                % {"example": dates.month_first_example}
            )
        elif dates.assumed_example:
            day = dates.read(dates.assumed_example)
            notes.append(
                _(
                    "Every date of the file can be read day first or month first: they are "
                    "read day first, as French teams write them (%(example)s is %(reading)s)."
                )
                % {"example": dates.assumed_example, "reading": date_format(day, "j F Y")}
            )
    return Detection(summary=", ".join(parts), notes=notes)
