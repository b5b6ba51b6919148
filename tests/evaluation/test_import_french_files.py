"""The measurement import reads the files French teams really have, byte for byte as Excel for
Windows and LibreOffice in French save them (Windows-1252 or UTF-8 with a BOM, semicolons, CRLF,
decimal commas, non-breaking spaces between thousands, dates as shown, quoted cells with a
semicolon inside), through the page: the HTMX preview says what it detected, the confirmation
saves exactly what the file says."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from core.tenancy import scopes_disabled
from evaluation.models import Indicator, Measurement
from tests.conftest import Personas
from tests.evaluation.test_measurement_import import HTMX, Import, counts, imp, token_of, upload
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

__all__ = ["imp"]  # the fixture, shared with the import's own tests

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def visitors(imp: Import) -> Indicator:
    """A count with an accented name, yearly: the tourism office's visitors."""
    return IndicatorFactory(
        workspace=imp.workspace, project=imp.project, name="Fréquentation de l'office",
        unit="visiteurs", unit_kind="count", frequency="yearly",
    )  # fmt: skip


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def detected(response: Any) -> str:
    """The text of the preview's "Detected: ..." block, spaces collapsed."""
    found = re.search(r'<div id="import-detected"[^>]*>(.*?)</div>', page_text(response), re.S)
    assert found, "the preview does not say what it detected"
    text = re.sub(r"<[^>]+>", " ", found.group(1))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()  # ASCII spaces: no-break ones are kept


def lines_of(response: Any) -> dict[int, str]:
    body = page_text(response)
    body = body[body.index("<tbody>") :]
    return {
        int(n): cells
        for n, cells in re.findall(r'<th scope="row" class="num">(\d+)</th>(.*?)</tr>', body, re.S)
    }


def saved() -> set[tuple[str, dt.date, Decimal, str, str]]:
    with scopes_disabled():
        return {
            (m.indicator.name, m.period, m.value, m.source, m.note)
            for m in Measurement.objects.select_related("indicator")
        }


def confirm(client: Any, imp: Import, response: Any) -> None:
    assert response.status_code == 200, page_text(response)[:3000]
    done = client.post(imp.url, {"token": token_of(response)}, **HTMX)
    assert done.status_code == 200 and done["HX-Redirect"], page_text(done)[:3000]


def excel_windows_semicolon(rows: list[str]) -> bytes:
    """Excel for Windows in French, "CSV (séparateur: point-virgule)": Windows-1252, CRLF."""
    return "".join(row + "\r\n" for row in rows).encode("cp1252")


def test_an_excel_for_windows_file_in_windows_1252_is_read_and_saved(
    personas: Personas, imp: Import, visitors: Indicator, client_for: Any
) -> None:
    client = client_for(imp.editor)
    content = excel_windows_semicolon(
        [
            "Indicateur;Période;Valeur;Source;Note;;",  # Excel's used range: two empty columns
            f"Fréquentation de l'office;31/12/2025;12{NBSP}345;Comptage été;;;",
            'Aided awareness;15/01/2025;31,5;Baromètre;"Enquête ; vague 1, « grand public »";;',
            'Aided awareness;01/04/2025;33,25;Baromètre;"Dit ""bien"" ; vague 2";;',
            ";;;;;;",  # an empty row as Excel writes it
        ]
    )
    assert b"\xe9" in content and b"\xa0" in content and b"\r\n" in content  # real cp1252 bytes
    before = counts()
    response = upload(client, imp, content, name="valeurs.csv")
    assert response.status_code == 200, page_text(response)[:3000]
    assert detected(response) == (
        "Detected: semicolon-separated, Windows-1252, decimal comma, dates DD/MM/YYYY."
    )
    assert "3 values are ready to be saved." in page_text(response)
    assert "Fréquentation de l'office" in page_text(response)
    assert counts() == before
    confirm(client, imp, response)
    assert saved() == {
        ("Fréquentation de l'office", dt.date(2025, 1, 1), Decimal("12345"), "Comptage été", ""),
        ("Aided awareness", dt.date(2025, 1, 1), Decimal("31.5"), "Baromètre",
         "Enquête ; vague 1, « grand public »"),
        ("Aided awareness", dt.date(2025, 4, 1), Decimal("33.25"), "Baromètre",
         'Dit "bien" ; vague 2'),
    }  # fmt: skip


def test_the_preview_says_what_it_detected_in_french(
    personas: Personas, imp: Import, visitors: Indicator, client_for: Any
) -> None:
    client = client_for(imp.editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    content = excel_windows_semicolon(
        [
            "indicateur;période;valeur",
            f"Fréquentation de l'office;31/12/2025;1{NBSP}234",
            "Aided awareness;15/01/2025;31,5",
        ]
    )
    response = upload(client, imp, content)
    assert detected(response) == (
        f"Détecté{NBSP}: séparateur point-virgule, Windows-1252, virgule décimale, "
        "dates JJ/MM/AAAA."
    )


def test_an_excel_csv_utf8_file_with_a_bom_and_two_digit_years(
    personas: Personas, imp: Import, visitors: Indicator, client_for: Any
) -> None:
    """Excel's "CSV UTF-8": a BOM, semicolons, CRLF; a narrow no-break space between thousands
    (Windows' French number format) and a date column formatted JJ/MM/AA."""
    client = client_for(imp.editor)
    text = (
        "\ufeffIndicateur;Période;Valeur;Source;Note\r\n"
        f"Fréquentation de l'office;31/12/24;1{NNBSP}234{NNBSP}567;Comptage;Œuvre d'été\r\n"
        "Aided awareness;30/06/25;12,5;;\r\n"
    )
    response = upload(client, imp, text.encode("utf-8"))
    assert detected(response) == (
        "Detected: semicolon-separated, UTF-8 with BOM, decimal comma, dates DD/MM/YY."
    )
    confirm(client, imp, response)
    assert saved() == {
        ("Fréquentation de l'office", dt.date(2024, 1, 1), Decimal("1234567"), "Comptage",
         "Œuvre d'été"),
        ("Aided awareness", dt.date(2025, 4, 1), Decimal("12.5"), "", ""),
    }  # fmt: skip


def test_a_libreoffice_file_with_commas_quoted_decimals_and_dates_in_words(
    personas: Personas, imp: Import, visitors: Indicator, client_for: Any
) -> None:
    """LibreOffice in French with its default comma separator: UTF-8, LF, the cells that hold a
    comma quoted ("33,25"), dates typed as text in words."""
    client = client_for(imp.editor)
    text = (
        "indicateur,période,valeur,source,note\n"
        'Aided awareness,15 janvier 2025,"33,25",Baromètre,"Vague 1; cible: actifs"\n'
        "Aided awareness,1er avril 2025,34,Baromètre,\n"
        'Fréquentation de l\'office,déc. 2025,"1 200",Comptage,\n'
    )
    response = upload(client, imp, text.encode("utf-8"))
    assert detected(response) == (
        "Detected: comma-separated, UTF-8, decimal comma, dates “31 December 2026” / "
        "“December 2026”."
    )
    confirm(client, imp, response)
    assert saved() == {
        ("Aided awareness", dt.date(2025, 1, 1), Decimal("33.25"), "Baromètre",
         "Vague 1; cible: actifs"),
        ("Aided awareness", dt.date(2025, 4, 1), Decimal("34"), "Baromètre", ""),
        ("Fréquentation de l'office", dt.date(2025, 1, 1), Decimal("1200"), "Comptage", ""),
    }  # fmt: skip


def test_excel_unicode_text_and_tabs_and_a_sep_line(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    tabbed = "indicateur\tpériode\tvaleur\r\nAided awareness\t2025-02-01\t40,5\r\n"
    response = upload(client, imp, tabbed.encode("utf-16"))  # Excel's "Texte Unicode"
    assert detected(response) == (
        "Detected: tab-separated, UTF-16, decimal comma, dates YYYY-MM-DD."
    )
    # Excel's hint line "sep=;" names the separator; the header follows it.
    hinted = "sep=;\r\nindicator;period;value\r\nAided awareness;2025-02-01;41\r\n"
    response = upload(client, imp, hinted.encode("cp1252"))
    assert detected(response).startswith("Detected: semicolon-separated, ")
    confirm(client, imp, response)
    assert saved() == {("Aided awareness", dt.date(2025, 1, 1), Decimal("41"), "", "")}


def test_dates_that_read_both_ways_are_day_first_and_the_preview_says_so(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    """03/04/2025 is 3 April (the second quarter) for a French team, not 4 March."""
    client = client_for(imp.editor)
    content = excel_windows_semicolon(
        ["indicateur;période;valeur", "Aided awareness;03/04/2025;31", "Jobs created;01/02/2025;7"]
    )
    response = upload(client, imp, content)
    assert detected(response) == (
        "Detected: semicolon-separated, Windows-1252, dates DD/MM/YYYY. Every date of the file "
        "can be read day first or month first: they are read day first, as French teams write "
        "them (03/04/2025 is 3 April 2025)."
    )
    assert "Q2 2025" in lines_of(response)[2]
    confirm(client, imp, response)
    with scopes_disabled():
        assert Measurement.objects.get(indicator=imp.awareness).period == dt.date(2025, 4, 1)


def test_a_file_whose_dates_are_month_first_is_read_month_first(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    text = "indicator,period,value\nJobs created,12/31/2024,7\nAided awareness,04/03/2025,31\n"
    response = upload(client, imp, text.encode())
    assert detected(response) == (
        "Detected: comma-separated, UTF-8, dates MM/DD/YYYY. Dates are read month first "
        "(MM/DD/YYYY): 12/31/2024 cannot be day first."
    )
    confirm(client, imp, response)
    with scopes_disabled():
        assert Measurement.objects.get(indicator=imp.awareness).period == dt.date(2025, 4, 1)


def test_a_thousands_or_decimal_separator_is_settled_by_the_rest_of_the_file(
    personas: Personas, imp: Import, visitors: Indicator, client_for: Any
) -> None:
    client = client_for(imp.editor)
    content = excel_windows_semicolon(
        [
            "indicateur;période;valeur",
            "Aided awareness;15/01/2025;12,5",
            "Aided awareness;15/04/2025;1,234",  # a decimal comma, as on the line before
        ]
    )
    response = upload(client, imp, content)
    assert detected(response) == (
        "Detected: semicolon-separated, Windows-1252, decimal comma, dates DD/MM/YYYY. "
        "“1,234” is read as 1.234 (not 1234), with the decimal mark of the other values of "
        "the file."
    )
    confirm(client, imp, response)
    with scopes_disabled():
        values = set(Measurement.objects.values_list("value", flat=True))
    assert values == {Decimal("12.5"), Decimal("1.234")}


def test_bad_rows_of_a_french_file_keep_their_own_messages(
    personas: Personas, imp: Import, visitors: Indicator, client_for: Any
) -> None:
    client = client_for(imp.editor)
    content = excel_windows_semicolon(
        [
            "Indicateur;Période;Valeur;Source;Note",
            "Aided awareness;31/12/2025;31,5;;",  # 2: fine
            'Aided awareness;15/01/2025;32;;"Deux lignes :\nla note continue"',  # 3: fine
            "Fréquentation de l'office;31/12/2025;douze;;",  # 4 (Excel's row 4): not a number
            "Fréquentation de l'office;45658;12;;",  # 5: a date left as a serial number
            "Fréquentation de l'office;12/31/2024;12;;",  # 6: month first among day-first dates
            "Fréquentation de l'office;1 234;12;;",  # 7: not a date
            "Aided awareness;01/07/2025;12,5,3;;",  # 8: not a number
            "Aided awareness;15/05/2025;1,234;;",  # 9: 1.234 (the file's decimal comma)
        ]
    )
    response = upload(client, imp, content)
    assert response.status_code == 422
    lines = lines_of(response)
    assert "5 lines have errors: nothing was saved." in page_text(response)
    assert "errorlist" not in lines[2] and "errorlist" not in lines[3]
    assert "errorlist" not in lines[9]
    assert "“douze” is not a number." in lines[4]
    assert "“45658” is a spreadsheet's date number: format the column as a date" in lines[5]
    assert (
        "“12/31/2024” would be month first, but the file's other dates are day first "
        "(DD/MM/YYYY): write it 31/12/2024." in lines[6]
    )
    assert "“1 234” is not a date: write it as 31/12/2025 or 2025-12-31." in lines[7]
    assert "“12,5,3” is not a number." in lines[8]
    assert "Some dates can only be day first (31/12/2025), others only month first " in (
        detected(response)
    )
    assert counts() == (0, 0)


def test_a_file_with_both_decimal_marks_refuses_the_values_that_read_both_ways(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    text = (
        "indicateur;période;valeur\n"
        "Aided awareness;2025-01-01;12,5\n"
        "Aided awareness;2025-04-01;12.5\n"
        "Aided awareness;2025-07-01;1,234\n"
    )
    response = upload(client, imp, text.encode())
    assert response.status_code == 422
    assert "decimal commas and points" in detected(response)
    lines = lines_of(response)
    assert "errorlist" not in lines[2] and "errorlist" not in lines[3]
    assert (
        "“1,234” could be read as 1.234 or 1234, and the file writes decimals both with commas "
        "and with points: write it without a thousands separator." in lines[4]
    )
    assert counts() == (0, 0)


def test_a_latin_1_file_is_read(personas: Personas, imp: Import, client_for: Any) -> None:
    """An old export in ISO-8859-1 with a control byte that Windows-1252 does not define."""
    client = client_for(imp.editor)
    content = "indicateur;période;valeur;note\nAided awareness;2025-01-01;3;été\x81\n".encode(
        "latin-1"
    )
    response = upload(client, imp, content)
    assert detected(response).startswith("Detected: semicolon-separated, Latin-1 (ISO-8859-1)")
    confirm(client, imp, response)
    with scopes_disabled():
        assert Measurement.objects.get().note == "été\x81"


def test_a_wrong_header_still_says_how_the_file_was_read(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    response = upload(client, imp, excel_windows_semicolon(["Nom;Année;Montant", "x;y;z"]))
    assert response.status_code == 422
    assert detected(response) == "Detected: semicolon-separated, Windows-1252."
    assert "unknown: Nom, Année, Montant" in page_text(response)


def test_formatted_percentages_and_amounts_keep_their_sign_only_where_it_fits(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    """Excel saves a cell formatted as a percentage or in euros as shown: "31,50 %"."""
    budget = IndicatorFactory(
        workspace=imp.workspace, project=imp.project, name="Budget engagé", unit="€",
        unit_kind="amount", frequency="yearly",
    )  # fmt: skip
    client = client_for(imp.editor)
    good = excel_windows_semicolon(
        [
            "indicateur;période;valeur",
            f"Aided awareness;15/01/2025;31,50{NBSP}%",
            f"Budget engagé;31/12/2025;12{NBSP}500,00{NBSP}€",
        ]
    )
    response = upload(client, imp, good)
    assert "decimal comma" in detected(response)
    confirm(client, imp, response)
    assert saved() == {
        ("Aided awareness", dt.date(2025, 1, 1), Decimal("31.5"), "", ""),
        (budget.name, dt.date(2025, 1, 1), Decimal("12500"), "", ""),
    }
    bad = excel_windows_semicolon(
        [
            "indicateur;période;valeur",
            "Jobs created;31/12/2025;12 %",
            "Budget engagé;31/12/2026;5 %",
        ]
    )
    response = upload(client, imp, bad)
    assert response.status_code == 422
    lines = lines_of(response)
    assert (
        "“12 %” ends with “%”, which this value cannot take: write the number alone." in (lines[2])
    )
    assert "“5 %” ends with “%”" in lines[3]


def test_a_year_or_a_quarter_names_a_period_that_long_or_longer(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    """ "2025" for a yearly indicator, "T2 2025" for a quarterly one; not "2025" for a quarter."""
    client = client_for(imp.editor)
    content = excel_windows_semicolon(
        ["indicateur;période;valeur", "Jobs created;2025;7", "Aided awareness;T2 2025;31,5"]
    )
    response = upload(client, imp, content)
    assert "dates YYYY / “Q4 2026”" in detected(response)
    confirm(client, imp, response)
    assert saved() == {
        ("Jobs created", dt.date(2025, 1, 1), Decimal("7"), "", ""),
        ("Aided awareness", dt.date(2025, 4, 1), Decimal("31.5"), "", ""),
    }
    response = upload(
        client,
        imp,
        excel_windows_semicolon(["indicateur;période;valeur", "Aided awareness;2025;3"]),
    )
    assert response.status_code == 422
    assert (
        "“2025” is longer than a period of this indicator (quarterly): write a day of the "
        "period, e.g. 31/03/2025." in lines_of(response)[2]
    )
