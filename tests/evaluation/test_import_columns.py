"""The CSV import reads English and French column names (any case, with or without accents), and
its page and its messages name the columns in the reader's language."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from core.tenancy import scopes_disabled
from evaluation.models import Measurement
from tests.conftest import Personas
from tests.evaluation.test_measurement_import import HTMX, Import, imp, token_of, upload

pytestmark = pytest.mark.django_db

__all__ = ["imp"]  # the fixture, shared with the import's own tests


@pytest.mark.parametrize(
    "header",
    [
        "indicator,period,value,source,note",
        "Indicator,Period,Value,Source,Note",
        "indicateur,période,valeur,source,note",
        "Indicateur,Période,Valeur,Source,Note",
        "INDICATEUR,PÉRIODE,VALEUR,SOURCE,NOTE",
        "indicateur,periode,valeur,source,note",  # typed without the accent
        unicodedata.normalize("NFD", "Indicateur,Période,Valeur,Source,Note"),  # decomposed é
        " Indicateur , période ,Valeur,source, NOTE ",
        "valeur,Indicateur,PERIODE,note,source",  # any order
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_french_and_english_column_names_are_read_on_either_page(
    personas: Personas, imp: Import, client_for: Any, header: str, language: str
) -> None:
    client = client_for(imp.editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    names = [
        unicodedata.normalize("NFKD", h).encode("ascii", "ignore").decode().strip().lower()
        for h in header.split(",")
    ]
    values = {
        "indicator": "Aided awareness",
        "indicateur": "Aided awareness",
        "period": "2025-02-14",
        "periode": "2025-02-14",
        "value": "31.5",
        "valeur": "31.5",
        "source": "Barometer",
        "note": "First wave",
    }
    line = ",".join(values[n] for n in names)
    response = upload(client, imp, f"{header}\n{line}\n")
    assert response.status_code == 200
    page = response.content.decode()
    ready = "1 value is ready to be saved." if language == "en" else "1 valeur est prête"
    assert ready in html.unescape(page), page[:3000]
    client.post(imp.url, {"token": token_of(response)}, **HTMX)
    with scopes_disabled():
        saved = Measurement.objects.get(indicator=imp.awareness)
    assert (saved.period, saved.value, saved.source, saved.note) == (
        dt.date(2025, 1, 1),
        Decimal("31.5"),
        "Barometer",
        "First wave",
    )


def test_the_import_page_names_the_columns_in_its_language(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)

    def columns(language: str) -> list[str]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(imp.url).content.decode()
        intro = re.search(r'<p id="import-columns">(.*?)</p>', page, re.S)
        assert intro, "no list of columns on the import page"
        return re.findall(r"<code>([^<]+)</code>", intro.group(1))

    assert columns("en") == ["indicator", "period", "value", "source", "note"]
    assert columns("fr") == ["indicateur", "période", "valeur", "source", "note"]


@pytest.mark.parametrize(
    ("language", "expected", "missing"),
    [
        ("en", "indicator, period, value, source, note", "missing: period, value"),
        ("fr", "indicateur, période, valeur, source, note", "manquantes\u00a0: période, valeur"),
    ],
)
def test_a_wrong_header_is_explained_with_the_columns_in_the_readers_language(
    personas: Personas,
    imp: Import,
    client_for: Any,
    language: str,
    expected: str,
    missing: str,
) -> None:
    client = client_for(imp.editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = upload(client, imp, "Indicateur,Couleur\nAided awareness,red\n")
    page = html.unescape(response.content.decode())
    assert expected in page
    assert missing in page
    assert "Couleur" in page  # the unknown column, as the file names it
