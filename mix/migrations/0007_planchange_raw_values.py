"""History rows written before tracer 0007 hold their values as the writer read them ("Planned"
or "Prévue", "17/05/2026", "12,000.00", a partner's name). Turn every value that can be read back
into its raw form (the choice's code, the reference's code or UUID, the ISO date, the decimal)
so it shows in each reader's language; for references keep the text as the label at the time.
A value that cannot be read back without doubt (an unknown label, a date such as 05/06/2026 that
reads differently in French and in English, two partners with the same name) stays as written
and is shown as is. The actions live here, in mix, so the conversion runs here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

LANGUAGES = ("en", "fr")
BATCH = 500


def _translations(text: str) -> set[str]:
    """``text`` (an English msgid) as it reads in each language."""
    found = {str(text)}
    for language in LANGUAGES:
        with translation.override(language):
            found.add(gettext(str(text)))
    return found


def _date(text: str) -> str | None:
    readings = set()
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y"):  # ISO, English, French
        try:
            readings.add(dt.datetime.strptime(text, pattern).date())  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return readings.pop().isoformat() if len(readings) == 1 else None


def _decimal(text: str, places: int) -> str | None:
    value = "".join(text.split()).replace("\u202f", "").replace("\xa0", "")
    if "," in value and "." in value:
        value = value.replace(",", "")  # English grouping: 12,000.50
    elif "," in value:
        head, _, tail = value.rpartition(",")
        # English grouping without decimals (12,000), else a French decimal comma (12000,50).
        value = head + tail if len(tail) == 3 and places != 3 else f"{head}.{tail}"
    try:
        return format(Decimal(value), f".{places}f")
    except InvalidOperation:
        return None


class Converter:
    """Reads back the values of one workspace's history (names are unique per workspace)."""

    def __init__(self, apps: Any) -> None:
        self.apps = apps
        self.models = {
            "objective": apps.get_model("tracer", "Objective"),
            "action": apps.get_model("mix", "Action"),
        }
        self.choices: dict[tuple[str, str], dict[str, str]] = {}
        self.references: dict[str, dict[str, str]] = {}
        self.scoped: dict[tuple[str, int], dict[str, str | None]] = {}

    def _choice_map(self, model: Any, field: Any) -> dict[str, str]:
        key = (model._meta.label_lower, field.name)
        if key not in self.choices:
            mapping: dict[str, str] = {}
            for code, label in field.flatchoices:
                for text in _translations(label):
                    mapping[text] = str(code)
            self.choices[key] = mapping
        return self.choices[key]

    def _reference_map(self, related: Any) -> dict[str, str]:
        key = related._meta.label_lower
        if key not in self.references:
            mapping: dict[str, str] = {}
            for code, label_en, label_fr in related.objects.values_list(
                "code", "label_en", "label_fr"
            ):
                mapping[label_en] = code
                mapping[label_fr] = code
            self.references[key] = mapping
        return self.references[key]

    def _scoped_map(self, related: Any, workspace_id: int) -> dict[str, str | None]:
        """Label -> UUID of a workspace's rows; None where two rows read the same."""
        key = (related._meta.label_lower, workspace_id)
        if key not in self.scoped:
            mapping: dict[str, str | None] = {}

            def add(label: str, uuid: Any) -> None:
                if label in mapping and mapping[label] != str(uuid):
                    mapping[label] = None
                else:
                    mapping[label] = str(uuid)

            rows = related.objects.filter(workspace_id=workspace_id)
            if key[0] == "core.membership":
                role = related._meta.get_field("role")
                for member in rows.select_related("user"):
                    name = member.user.full_name or member.user.email.split("@")[0]
                    for label in _translations(dict(role.flatchoices).get(member.role, "")):
                        add(f"{name} ({label})", member.uuid)  # str(membership)
            else:
                name = "name" if key[0] != "tracer.objective" else "title"
                for uuid, label in rows.values_list("uuid", name):
                    add(label, uuid)
            self.scoped[key] = mapping
        return self.scoped[key]

    def _one(self, related: Any, text: str, workspace_id: int) -> str | None:
        names = {f.name for f in related._meta.fields}
        if "code" in names:
            return self._reference_map(related).get(text)
        return self._scoped_map(related, workspace_id).get(text)

    def convert(self, change: Any, text: str) -> tuple[str, str] | None:
        """(raw value, label at the time) of ``text``, or None to leave it as written."""
        model = self.models.get(change.target_type)
        if model is None or not text:
            return None
        try:
            field = model._meta.get_field(change.field)
        except FieldDoesNotExist:  # a field that no longer exists
            return None
        internal = field.get_internal_type()
        if field.many_to_many:
            keys = [
                self._one(field.related_model, part, change.workspace_id)
                for part in text.split(", ")
            ]
            return None if None in keys else (",".join(keys), text)  # type: ignore[arg-type]
        if field.is_relation:
            key = self._one(field.related_model, text, change.workspace_id)
            return None if key is None else (key, text)
        if field.choices:
            code = self._choice_map(model, field).get(text)
            return None if code is None else (code, "")
        if internal == "BooleanField":
            truth = {"True": "true", "False": "false"}
            for word in ("Yes", "No"):
                for reading in _translations(word):
                    truth[reading] = "true" if word == "Yes" else "false"
            return (truth[text], "") if text in truth else None
        if internal == "DateField":
            iso = _date(text)
            return None if iso is None else (iso, "")
        if internal == "DecimalField":
            number = _decimal(text, field.decimal_places)
            return None if number is None else (number, "")
        return None  # free text stays as written


def convert(apps: Any, schema_editor: Any) -> None:
    PlanChange = apps.get_model("tracer", "PlanChange")
    converter = Converter(apps)
    pending = []
    rows = PlanChange.objects.exclude(field="").order_by("pk")
    for change in rows.iterator(chunk_size=BATCH):
        changed = False
        for side in ("old", "new"):
            result = converter.convert(change, getattr(change, f"{side}_value"))
            if result is not None:
                setattr(change, f"{side}_value", result[0])
                setattr(change, f"{side}_label", result[1])
                changed = True
        if changed:
            pending.append(change)
        if len(pending) >= BATCH:
            PlanChange.objects.bulk_update(
                pending, ["old_value", "new_value", "old_label", "new_label"]
            )
            pending = []
    if pending:
        PlanChange.objects.bulk_update(
            pending, ["old_value", "new_value", "old_label", "new_label"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mix", "0006_planchange_cycle_backfill"),
        ("tracer", "0007_planchange_raw_values"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
