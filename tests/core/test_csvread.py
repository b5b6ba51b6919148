"""The shared CSV reader: encodings, separators, numbers and dates as French spreadsheets write
them, and what it says it detected. The import page's own tests drive it with whole files."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from core import csvread
from core.csvread import CellError, CSVFileError, DateFormat, NumberFormat


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English, whatever language an earlier test's request left active."""
    with translation.override("en"):
        yield


ROWS = "indicateur;période;valeur\r\nÉté;31/12/2025;12,5\r\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("utf-16"), "utf-16"),  # a BOM, little-endian
        (ROWS.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        ((ROWS + "Œuvre € \u2019\r\n").encode("cp1252"), "cp1252"),
        (ROWS.encode("cp1252"), "cp1252"),  # é alone: Windows-1252 and Latin-1 agree
        ((ROWS + "\x81\r\n").encode("latin-1"), "latin-1"),  # 0x81 means nothing in cp1252
    ],
)
def test_the_encoding_is_detected(content: bytes, encoding: str) -> None:
    text, found = csvread.decode(content)
    assert found == encoding
    assert text.startswith("indicateur;période;valeur\r\nÉté;")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xef\xbb\xbf \r\n", "The file is empty."),
        (b"PK\x03\x04rest", "spreadsheet workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "spreadsheet workbook"),
        (b"GIF89a\x00\x00", "binary data"),
        (b"\xef\xbb\xbfa;b\n\xe9;1\n", "starts as UTF-8"),
    ],
)
def test_what_is_not_csv_text_is_refused(content: bytes, message: str) -> None:
    with pytest.raises(CSVFileError) as refused:
        csvread.decode(content)
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1;2,5;3\n", ";"),
        ('a,b,c\n1,"2,5",3\n', ","),
        ("a\tb\tc\n1\t2,5\t3\n", "\t"),
        ('a;b;c\n1;"x, y; z";3\n', ";"),  # a quoted cell with both inside
        ("a,b,c\nx,2025-01-01,12,5\n", ","),  # an unquoted decimal comma: still commas
        ("a;b;c;;\n1;2;3;;\n;;;;\n", ";"),  # Excel's empty trailing columns and rows
        ("single\nvalue\n", ","),
    ],
)
def test_the_separator_is_detected(text: str, delimiter: str) -> None:
    assert csvread.read_text(text).delimiter == delimiter


def test_records_are_numbered_as_a_spreadsheet_numbers_its_rows() -> None:
    table = csvread.read_text('a;b\r\n1;"two\nlines"\r\n\r\n3;4\r\n')
    assert table.records == [(1, ["a", "b"]), (2, ["1", "two\nlines"]), (4, ["3", "4"])]
    hinted = csvread.read_text("sep=,\r\na;b,c\r\n1;2,3\r\n")
    assert hinted.delimiter == "," and hinted.records == [(2, ["a;b", "c"]), (3, ["1;2", "3"])]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("-3,5", "-3.5"),
        ("\u22123,5", "-3.5"),  # the typographic minus
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234\u202f567,25", "1234567.25"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("0,125", "0.125"),
        (",5", "0.5"),
        ("12 5", None),  # not groups of three
        ("1 2345", None),
        ("1 234.567,5", None),  # two kinds of separator between thousands
        ("12,5,3", None),
        ("12,5 €", None),
        ("", None),
    ],
)
def test_numbers_read_on_their_own(raw: str, value: str | None) -> None:
    assert csvread.parse_number(raw) == (Decimal(value) if value is not None else None)


def test_a_value_that_reads_both_ways_follows_the_file() -> None:
    assert NumberFormat.detect(["12,5", "1,234"]).read("1,234") == Decimal("1.234")
    assert NumberFormat.detect(["12,5", "1.234"]).read("1.234") == Decimal("1234")
    assert NumberFormat.detect(["12.5", "1,234"]).read("1,234") == Decimal("1234")
    alone = NumberFormat.detect(["1,234", "7"])
    assert alone.mark is None and alone.read("1,234") == Decimal("1.234")
    mixed = NumberFormat.detect(["12,5", "12.5", "1,234"])
    assert mixed.mixed and mixed.read("12.5") == Decimal("12.5")
    with pytest.raises(CellError, match=re.escape("could be read as 1.234 or 1234")):
        mixed.read("1,234")


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("31/12/2026", dt.date(2026, 12, 31)),
        ("31/12/26", dt.date(2026, 12, 31)),
        ("31/12/95", dt.date(1995, 12, 31)),
        ("31.12.2026", dt.date(2026, 12, 31)),
        ("31-12-2026", dt.date(2026, 12, 31)),
        ("1/3/2026", dt.date(2026, 3, 1)),
        ("03/04/2026", dt.date(2026, 4, 3)),  # day first
        ("31/12/2026 00:00", dt.date(2026, 12, 31)),
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("2026-12-31T10:30:00+01:00", dt.date(2026, 12, 31)),
        ("2026/12/31", dt.date(2026, 12, 31)),
        ("31 décembre 2026", dt.date(2026, 12, 31)),
        ("31 DÉCEMBRE 2026", dt.date(2026, 12, 31)),
        ("1er janvier 2026", dt.date(2026, 1, 1)),
        ("3 févr. 2026", dt.date(2026, 2, 3)),
        ("15 aout 2026", dt.date(2026, 8, 15)),
        ("31 December 2026", dt.date(2026, 12, 31)),
        ("décembre 2026", dt.date(2026, 12, 1)),
        ("janv.-26", dt.date(2026, 1, 1)),  # Excel's mmm-yy in French
    ],
)
def test_dates_as_french_teams_write_them(raw: str, day: dt.date) -> None:
    assert DateFormat.detect([raw]).read(raw) == day


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/2026", "is not a date: write it as 31/12/2025 or 2025-12-31."),
        ("2026-13-01", "is not a date"),
        ("32 décembre 2026", "is not a date"),
        ("brumaire 2026", "is not a date"),
        ("46022", "a spreadsheet's date number"),
    ],
)
def test_what_is_not_a_date_says_how_to_write_it(raw: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        DateFormat().read(raw)


def test_the_order_of_day_and_month_comes_from_the_file() -> None:
    assert DateFormat.detect(["03/04/2026", "05/06/2026"]).read("03/04/2026").month == 4
    us = DateFormat.detect(["03/04/2026", "12/31/2026"])
    assert us.labels == ["MM/DD/YYYY"] and us.read("03/04/2026") == dt.date(2026, 3, 4)
    both = DateFormat.detect(["31/12/2026", "12/31/2026"])
    assert both.conflict and both.read("31/12/2026") == dt.date(2026, 12, 31)
    with pytest.raises(CellError, match="would be month first"):
        both.read("12/31/2026")


def test_the_detection_is_told_in_the_readers_language() -> None:
    numbers = NumberFormat.detect(["12,5"])
    dates = DateFormat.detect(["31/12/2026", "2026-01-01", "01/02/2026"])
    with translation.override("en"):
        detection = csvread.describe(encoding="cp1252", delimiter=";", numbers=numbers, dates=dates)
    assert detection.summary == (
        "semicolon-separated, Windows-1252, decimal comma, dates DD/MM/YYYY / YYYY-MM-DD"
    )
    assert detection.notes == []
    with translation.override("fr"):
        detection = csvread.describe(
            encoding="utf-8-sig", delimiter="\t", numbers=NumberFormat.detect(["1,234"]),
            dates=DateFormat.detect(["03/04/2026"]),
        )  # fmt: skip
    assert detection.summary == ("séparateur tabulation, UTF-8 avec BOM, dates JJ/MM/AAAA")
    assert detection.notes == [
        "«\u00a01,234\u00a0» est lu 1,234 (et non 1234)\u00a0: aucune autre valeur du fichier "
        "ne montre son séparateur décimal. S'il s'agit de 1234, écrivez-le sans séparateur.",
        "Chaque date du fichier peut se lire le jour ou le mois en premier\u00a0: elles sont "
        "lues le jour en premier, comme les écrivent les équipes françaises (03/04/2026 est le "
        "3 avril 2026).",
    ]


def test_a_sign_after_a_number_is_read_only_where_it_is_allowed() -> None:
    numbers = NumberFormat.detect(["31,5 %", "12\u00a0500,00\u00a0€"])
    assert numbers.mark == ","
    assert numbers.read("31,5\u00a0%", units=("%",)) == Decimal("31.5")
    assert numbers.read("12\u00a0500,00 €", units=("€",)) == Decimal("12500")
    with pytest.raises(CellError, match="ends with “%”"):
        numbers.read("31,5 %")
    with pytest.raises(CellError, match=re.escape("“abc %” is not a number.")):
        numbers.read("abc %", units=("%",))


def test_libreoffice_quoting_every_text_cell_and_old_mac_line_ends() -> None:
    quoted = csvread.read_text('"indicateur";"période";"valeur"\n"Été";"31/12/2025";12,5\n')
    assert quoted.delimiter == ";"
    assert quoted.records[1] == (2, ["Été", "31/12/2025", "12,5"])
    mac = csvread.read_text("a;b;c\r1;2;3\r4;5;6\r")
    assert mac.delimiter == ";" and [n for n, _cells in mac.records] == [1, 2, 3]


@pytest.mark.parametrize(
    ("raw", "day", "span"),
    [
        ("2026", dt.date(2026, 1, 1), csvread.YEAR),
        ("T1 2026", dt.date(2026, 1, 1), csvread.QUARTER),
        ("t4 2026", dt.date(2026, 10, 1), csvread.QUARTER),
        ("Q3 2026", dt.date(2026, 7, 1), csvread.QUARTER),
        ("T2-26", dt.date(2026, 4, 1), csvread.QUARTER),
        ("1er trimestre 2026", dt.date(2026, 1, 1), csvread.QUARTER),
        ("3e trimestre 2026", dt.date(2026, 7, 1), csvread.QUARTER),
        ("2ème trimestre 2026", dt.date(2026, 4, 1), csvread.QUARTER),
        ("mars 2026", dt.date(2026, 3, 1), csvread.MONTH),
        ("15 mars 2026", dt.date(2026, 3, 15), csvread.DAY),
        ("15/03/2026", dt.date(2026, 3, 15), csvread.DAY),
    ],
)
def test_whole_years_quarters_and_months(raw: str, day: dt.date, span: str) -> None:
    assert DateFormat().read(raw) == day
    assert csvread.date_span(raw) == span


def test_impossible_dates_do_not_decide_or_break_the_detection() -> None:
    dates = DateFormat.detect(["13/13/2026", "02/03/2026"])
    assert dates.assumed_example == "02/03/2026" and not dates.conflict
    detection = csvread.describe(encoding="utf-8", delimiter=";", numbers=None, dates=dates)
    assert "(02/03/2026 is 2 March 2026)" in detection.notes[0]
    with pytest.raises(CellError, match="is not a date"):
        dates.read("13/13/2026")
