"""The filtered action table as CSV or XLSX, with headers in French or English."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from mix.models import Action


def columns() -> list[tuple[str, Any]]:
    """(header, value getter) in the active language."""
    return [
        (_("Title"), lambda a: a.title),
        (_("TRACER stage"), lambda a: a.objective.stage.label),
        (_("Objective"), lambda a: a.objective.title),
        (_("Cycle"), lambda a: a.objective.cycle.number),
        (_("Mix family"), lambda a: a.family.label),
        (_("Status"), lambda a: a.get_status_display()),
        (_("Priority"), lambda a: a.get_priority_display()),
        (_("Target audiences"), lambda a: ", ".join(x.label for x in a.audiences.all())),
        (_("Lead partner"), lambda a: a.lead_partner.name if a.lead_partner else ""),
        (_("Contributing partners"), lambda a: ", ".join(p.name for p in a.contributors.all())),
        (_("Start date"), lambda a: a.start_date),
        (_("End date"), lambda a: a.end_date),
        (_("Planned budget (€)"), lambda a: a.budget_planned),
        (_("Spent (€)"), lambda a: a.budget_spent),
        (_("Description"), lambda a: a.description),
        (_("Last change"), lambda a: a.updated_at.replace(tzinfo=None)),
    ]


def _rows(actions: Iterable[Action]) -> tuple[list[str], Iterable[list[Any]]]:
    cols = columns()
    headers = [str(h) for h, _get in cols]
    return headers, ([get(a) for _h, get in cols] for a in actions)


def _safe(value: Any) -> Any:
    """Cells that a spreadsheet would run as a formula are prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def csv_bytes(headers: list[str], rows: Iterable[list[Any]], *, language: str) -> bytes:
    """One table as CSV: ";" for French readers, a BOM so that Excel reads UTF-8, formulas
    neutralised. Shared by every export of the product."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if language == "fr" else ",")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def xlsx_bytes(sheets: Iterable[tuple[str, list[str], Iterable[list[Any]], list[int]]]) -> bytes:
    """A workbook of (title, headers, rows, column widths) sheets, bold frozen headers,
    formulas neutralised. Shared by every export of the product."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, headers, rows, widths in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_csv(actions: Iterable[Action], *, language: str) -> bytes:
    with override(language):
        headers, rows = _rows(actions)
        return csv_bytes(headers, rows, language=language)


def to_xlsx(actions: Iterable[Action], *, language: str) -> bytes:
    with override(language):
        headers, rows = _rows(actions)
        widths = [40, 16, 30, 8, 24, 12, 10, 30, 24, 30, 12, 12, 14, 12, 50, 18]
        return xlsx_bytes([(_("Actions"), headers, rows, widths)])
