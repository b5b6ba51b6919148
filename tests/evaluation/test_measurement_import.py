"""The CSV import of measurements: malformed files, per-row errors, nothing saved until the
confirmation, and then everything or nothing; the preview kept server side."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.csvread import parse_number
from core.models import User, Workspace
from core.roles import Role
from core.tenancy import scopes_disabled
from evaluation.models import Indicator, Measurement, MeasurementChange
from evaluation.views_indicators import IMPORT_SESSION_KEY, _cache_key
from territories.models import Project
from tests.conftest import Personas
from tests.factories import IndicatorFactory, MeasurementFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Import:
    workspace: Workspace
    project: Project
    awareness: Indicator  # percent, quarterly
    jobs: Indicator  # count, yearly
    elsewhere: Indicator  # another project of the same workspace
    foreign: Indicator  # another workspace
    editor: User

    @property
    def url(self) -> str:
        return reverse("measurements_import", args=[self.workspace.slug, self.project.uuid])


@pytest.fixture
def imp(personas: Personas) -> Import:
    ws = personas.workspace
    project = ProjectFactory(workspace=ws, name="Import project")
    return Import(
        workspace=ws,
        project=project,
        awareness=IndicatorFactory(workspace=ws, project=project, name="Aided awareness"),
        jobs=IndicatorFactory(
            workspace=ws,
            project=project,
            name="Jobs created",
            unit="jobs",
            unit_kind="count",
            frequency="yearly",
        ),
        elsewhere=IndicatorFactory(workspace=ws, name="Elsewhere"),
        foreign=IndicatorFactory(workspace=personas.other_workspace, name="Foreign"),
        editor=personas.user(Role.EDITOR),
    )


def upload(client: Any, imp: Import, content: bytes | str, name: str = "values.csv") -> Any:
    data = content.encode() if isinstance(content, str) else content
    return client.post(imp.url, {"file": SimpleUploadedFile(name, data, "text/csv")}, **HTMX)


def counts() -> tuple[int, int]:
    with scopes_disabled():
        return Measurement.objects.count(), MeasurementChange.objects.count()


def token_of(response: Any) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found, "no confirmation form"
    return found.group(1)


def test_preview_then_confirm_saves_every_row(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    csv_text = (
        "\ufeffindicator,period,value,source,note\r\n"
        f"{imp.awareness.uuid},2025-02-14,31.5,Barometer,First wave\r\n"
        "Jobs created,2025-06-30,120,CCI,\r\n"
        'Aided awareness,2025-04-01,"33,25",Barometer,"A note, with a comma"\r\n'
    )
    before = counts()
    response = upload(client, imp, csv_text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 values are ready to be saved." in html
    assert (
        "Q1 2025" in html and "31.5" in html and "33.25" in html and "A note, with a comma" in html
    )
    assert counts() == before  # nothing saved by the preview
    response = client.post(imp.url, {"token": token_of(response)}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse(
        "indicator_list", args=[imp.workspace.slug, imp.project.uuid]
    )
    with scopes_disabled():
        saved = {
            (m.indicator.name, m.period, m.value, m.source, m.note, m.entered_by)
            for m in Measurement.objects.select_related("indicator")
        }
    assert saved == {
        ("Aided awareness", dt.date(2025, 1, 1), Decimal("31.5"), "Barometer", "First wave", imp.editor),
        ("Jobs created", dt.date(2025, 1, 1), Decimal("120"), "CCI", "", imp.editor),
        ("Aided awareness", dt.date(2025, 4, 1), Decimal("33.25"), "Barometer", "A note, with a comma", imp.editor),
    }  # fmt: skip
    # The token is spent: confirming again imports nothing more.
    again = client.post(imp.url, {"token": token_of(upload(client, imp, csv_text))}, **HTMX)
    assert again.status_code == 200
    stale = client.post(imp.url, {"token": "made-up-token"}, **HTMX)
    assert stale.status_code == 422 and "expired" in stale.content.decode()


def test_semicolons_decimal_commas_and_french_headers_are_read(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    csv_text = "indicateur;période;valeur;source;note\nAided awareness;2025-01-15;42,5;;\n"
    response = upload(client, imp, csv_text.encode("utf-8"))
    assert response.status_code == 200, response.content.decode()
    client.post(imp.url, {"token": token_of(response)}, **HTMX)
    with scopes_disabled():
        assert Measurement.objects.get(indicator=imp.awareness).value == Decimal("42.5")


def test_re_importing_a_period_corrects_it_and_keeps_the_history(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    response = upload(client, imp, "indicator,period,value\nAided awareness,2025-01-01,30\n")
    client.post(imp.url, {"token": token_of(response)}, **HTMX)
    response = upload(client, imp, "indicator,period,value\nAided awareness,2025-03-31,35\n")
    assert "Corrects 30" in response.content.decode()
    client.post(imp.url, {"token": token_of(response)}, **HTMX)
    with scopes_disabled():
        measurement = Measurement.objects.get(indicator=imp.awareness)
        history = [(c.old_value, c.new_value) for c in measurement.changes.order_by("id")]
    assert measurement.value == Decimal("35")
    assert history == [(None, Decimal("30")), (Decimal("30"), Decimal("35"))]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\xef\xbb\xbf\r\n\r\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "This is not a CSV file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "spreadsheet workbook"),  # old .xls
        (b"\xef\xbb\xbfindicator,period,value\n\xc9t\xe9,2025-01-01,3\n", "starts as UTF-8"),
        (b"name,date,amount\nAided awareness,2025-01-01,3\n", "missing: indicator, period, value"),
        (b"indicator,period,value,colour\nAided awareness,2025-01-01,3,red\n", "unknown: colour"),
        (b"indicator,period,value,value\nAided awareness,2025-01-01,3,4\n", "appears twice"),
        (b"indicator,period,value\n", "no data rows"),
        (b"Dear team, here are the figures.\nRegards\n", "The first line must name the columns"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(
    content: bytes, message: str, personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    before = counts()
    response = upload(client, imp, content)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'name="token"' not in html
    assert counts() == before


def test_a_file_over_2_mb_is_refused(personas: Personas, imp: Import, client_for: Any) -> None:
    client = client_for(imp.editor)
    line = "Aided awareness,2025-01-01,3,,\n"
    big = "indicator,period,value,source,note\n" + line * (2 * 1024 * 1024 // len(line) + 10)
    response = upload(client, imp, big)
    assert response.status_code == 422
    assert "The file is too big (2.0 MB): the limit is 2 MB." in response.content.decode()
    assert counts() == (0, 0)


def test_row_errors_are_listed_per_line_and_nothing_is_saved(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    MeasurementFactory(workspace=imp.workspace, indicator=imp.jobs, period=dt.date(2024, 1, 1))
    client = client_for(imp.editor)
    rows = [
        "indicator,period,value,source,note",
        "Aided awareness,2024-10-01,31,,",  # 2: fine
        "Aided awareness,2025-02-01,140,,",  # 3: a percentage of 140
        "Aided awareness,2025-03-15,32,,",  # 4: the same quarter as line 3
        f"{imp.foreign.uuid},2025-01-01,3,,",  # 5: another workspace's indicator
        f"{imp.elsewhere.uuid},2025-01-01,3,,",  # 6: another project's indicator
        "Elsewhere,2025-01-01,3,,",  # 7: another project's, by name
        "Jobs created,2025-13-01,3,,",  # 8: no such month
        "Jobs created,31/02/2025,3,,",  # 9: no such day
        "Jobs created,2026-01-01,abc,,",  # 10: not a number
        "Jobs created,2027-01-01,2.5,,",  # 11: jobs are whole
        "Jobs created,2028-01-01,12,5,,x",  # 12: more values than columns
        ",2029-01-01,3,,",  # 13: no indicator
        "Jobs created,2024-06-01,-4,,",  # 14: a negative count
    ]
    before = counts()
    response = upload(client, imp, "\n".join(rows) + "\n")
    assert response.status_code == 422
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert "12 lines have errors: nothing was saved." in html
    assert 'name="token"' not in html
    expected = {
        3: "140 is above the largest plausible value (100) for this unit.",
        4: "Line 3 already gives a value for this indicator and period.",
        5: f"There is no indicator “{imp.foreign.uuid}” in this project.",
        6: f"There is no indicator “{imp.elsewhere.uuid}” in this project.",
        7: "There is no indicator “Elsewhere” in this project.",
        8: "“2025-13-01” is not a date: write it as 31/12/2025 or 2025-12-31.",
        9: "“31/02/2025” is not a date",
        10: "“abc” is not a number.",
        11: "2.5 is not a whole number",
        12: "This line has 6 values but the header names 5 columns.",
        13: "The indicator is missing.",
        14: "is below the smallest plausible value (0)",
    }
    body = html[html.index("<tbody>") :]
    lines = {
        int(n): cells
        for n, cells in re.findall(r'<th scope="row" class="num">(\d+)</th>(.*?)</tr>', body, re.S)
    }
    assert "errorlist" not in lines[2] and "New value" in lines[2]
    for number, message in expected.items():
        assert message in lines[number], (number, lines[number])
    assert "Foreign" not in html  # the other workspace's indicator is never named
    assert counts() == before


def test_a_decimal_comma_in_a_comma_file_gets_a_hint(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    response = upload(client, imp, "indicator,period,value\nJobs created,2025-01-01,12,5\n")
    assert response.status_code == 422
    html = response.content.decode()
    assert "This line has 4 values but the header names 3 columns." in html
    assert "write decimals with a point (12.5) or in quotes" in html


def test_the_confirmation_checks_again_and_saves_nothing_if_a_row_went_bad(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    response = upload(
        client,
        imp,
        "indicator,period,value\nAided awareness,2025-01-01,31\nJobs created,2025-01-01,4\n",
    )
    token = token_of(response)
    with scopes_disabled():
        Indicator.objects.filter(pk=imp.jobs.pk).delete()  # deleted between preview and confirm
    response = client.post(imp.url, {"token": token}, **HTMX)
    assert response.status_code == 422
    assert "There is no indicator “Jobs created” in this project." in response.content.decode()
    assert counts() == (0, 0)


def test_a_token_is_bound_to_its_project_and_its_user(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    token = token_of(upload(client, imp, "indicator,period,value\nAided awareness,2025-01-01,3\n"))
    other = ProjectFactory(workspace=imp.workspace)
    other_url = reverse("measurements_import", args=[imp.workspace.slug, other.uuid])
    response = client.post(other_url, {"token": token}, **HTMX)
    assert response.status_code == 422 and "expired" in response.content.decode()
    # Another member (another session) cannot confirm it either.
    admin = client_for(personas.user(Role.ADMIN))
    assert admin.post(imp.url, {"token": token}, **HTMX).status_code == 422
    assert counts() == (0, 0)


def test_the_file_waits_in_the_cache_and_the_session_only_lists_its_token(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    token = token_of(upload(client, imp, "indicator,period,value\nAided awareness,2025-01-01,3\n"))
    assert client.session[IMPORT_SESSION_KEY] == {str(imp.project.uuid): token}
    assert "Aided awareness" in cache.get(_cache_key(token))["text"]
    # A newer upload for the same project replaces the pending one.
    newer = token_of(upload(client, imp, "indicator,period,value\nAided awareness,2025-04-01,4\n"))
    assert cache.get(_cache_key(token)) is None
    assert client.post(imp.url, {"token": token}, **HTMX).status_code == 422
    # Evicted from the cache (an hour later): the preview has expired, nothing is saved.
    cache.delete(_cache_key(newer))
    response = client.post(imp.url, {"token": newer}, **HTMX)
    assert response.status_code == 422 and "expired" in response.content.decode()
    assert counts() == (0, 0)


def test_lines_without_a_value_are_left_out(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    client = client_for(imp.editor)
    response = upload(
        client,
        imp,
        "indicator,period,value\nAided awareness,2025-01-01,\nJobs created,2025-01-01,7\n",
    )
    html = response.content.decode()
    assert "1 value is ready to be saved." in html and "1 line without a value is left out." in html
    client.post(imp.url, {"token": token_of(response)}, **HTMX)
    with scopes_disabled():
        assert list(Measurement.objects.values_list("indicator__name", "value")) == [
            ("Jobs created", Decimal("7"))
        ]


def test_the_template_lists_the_projects_indicators_and_imports_back(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    IndicatorFactory(workspace=imp.workspace, project=imp.project, name="Jobs created")  # twin
    client = client_for(imp.editor)
    url = reverse("measurements_template", args=[imp.workspace.slug, imp.project.uuid])
    response = client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffindicator,period,value,source,note\r\n")
    assert "Aided awareness," in text and "Elsewhere" not in text and "Foreign" not in text
    assert "Jobs created," not in text  # two indicators share the name: their uuids instead
    assert str(imp.jobs.uuid) in text
    filled = re.sub(r",,(\S*),\r\n", r",5,\1,\r\n", text)  # a value on every line
    response = upload(client, imp, filled.encode("utf-8"))
    assert response.status_code == 200, response.content.decode()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode("utf-8")
    assert french.startswith("\ufeffindicateur;période;valeur;source;note\r\n")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", "12"),
        ("12.5", "12.5"),
        ("12,5", "12.5"),
        ("-3", "-3"),
        ("1 234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        (".5", "0.5"),
        ("abc", None),
        ("1e5", None),
        ("12,5,3", None),
        ("", None),
    ],
)
def test_parse_number(raw: str, value: str | None) -> None:
    assert parse_number(raw) == (Decimal(value) if value is not None else None)


def test_partners_and_viewers_cannot_import(
    personas: Personas, imp: Import, client_for: Any
) -> None:
    for role in (Role.PARTNER, Role.VIEWER):
        client = client_for(personas.user(role))
        response = upload(client, imp, "indicator,period,value\nAided awareness,2025-01-01,3\n")
        assert response.status_code == 403
    assert counts() == (0, 0)
