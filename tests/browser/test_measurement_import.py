"""Importing the file a French team's Excel for Windows saves, in Chromium: the HTMX preview
says what it detected (semicolons, Windows-1252, decimal comma, day-first dates), in French,
and the confirmation saves the values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from core.roles import Role
from core.tenancy import scopes_disabled
from evaluation.models import Measurement
from tests.browser.csp import RECORD_VIOLATIONS
from tests.conftest import Personas
from tests.factories import IndicatorFactory, ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

NBSP = "\u00a0"


def test_the_preview_of_an_excel_file_says_what_was_detected(
    page: Page, personas: Personas, login_with_cookie: Any, live_server: Any, screenshot: Any
) -> None:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Cœur de ville")
    IndicatorFactory(
        workspace=ws, project=project, name="Fréquentation de l'office", unit="visiteurs",
        unit_kind="count", frequency="yearly",
    )  # fmt: skip
    IndicatorFactory(
        workspace=ws, project=project, name="Notoriété assistée", unit="%",
        unit_kind="percent", frequency="quarterly",
    )  # fmt: skip
    content = (
        "Indicateur;Période;Valeur;Source;Note\r\n"
        f"Fréquentation de l'office;31/12/2025;12{NBSP}345;Comptage été;\r\n"
        'Notoriété assistée;03/04/2025;31,5;Baromètre;"Enquête ; vague 2"\r\n'
    ).encode("cp1252")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    login_with_cookie(page, personas.user(Role.EDITOR))
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
    )
    page.goto(f"/w/{ws.slug}/projects/{project.uuid}/measurements/import/")
    page.locator("#import-form input[type=file]").set_input_files(
        {"name": "valeurs-2025.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    detected = page.locator("#import-detected")
    expect(detected).to_contain_text(
        f"Détecté{NBSP}: séparateur point-virgule, Windows-1252, virgule décimale, "
        "dates JJ/MM/AAAA."
    )
    # Every date reads both ways but one: 31/12 settles it, so no assumption to report.
    expect(detected.locator("li")).to_have_count(0)
    preview = page.locator("table.import-preview tbody tr")
    expect(preview).to_have_count(2)
    expect(preview.nth(0)).to_contain_text("Fréquentation de l'office")
    expect(preview.nth(0)).to_contain_text(f"12{NBSP}345")
    expect(preview.nth(1)).to_contain_text("T2 2025")  # 3 April, not 4 March
    expect(preview.nth(1)).to_contain_text("31,5")
    expect(preview.nth(1)).to_contain_text("Enquête ; vague 2")
    screenshot("1-preview")

    page.get_by_role("button", name="Enregistrer 2 valeurs").click()
    page.wait_for_url(f"**/w/{ws.slug}/projects/{project.uuid}/indicators/")
    screenshot("2-saved")
    with scopes_disabled():
        saved = {
            (m.indicator.name, m.period, m.value, m.note)
            for m in Measurement.objects.select_related("indicator")
        }
    assert saved == {
        ("Fréquentation de l'office", dt.date(2025, 1, 1), Decimal("12345"), ""),
        ("Notoriété assistée", dt.date(2025, 4, 1), Decimal("31.5"), "Enquête ; vague 2"),
    }
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
