"""Shared shape of the frameworks' reference data.

Reference items are global (no workspace), read-only for users, carry a stable dotted ``code``
(never changed once published) and bilingual labels. Each framework lives in the app that owns
the concept; its rows are in that app's ``reference_data.py`` and are loaded by a data migration
through :func:`sync_rows`, so a later correction is one more data migration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick(obj: Any, field: str) -> str:
    """``obj.<field>_fr`` when the active language is French, else ``obj.<field>_en``."""
    lang = (get_language() or "en")[:2]
    value = getattr(obj, f"{field}_{lang}", None) if lang == "fr" else None
    return str(value or getattr(obj, f"{field}_en", ""))


class ReferenceItem(models.Model):
    code = models.CharField(_("code"), max_length=80, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_proposal = models.BooleanField(
        _("our proposal"),
        default=False,
        help_text=_("True where no public source gives this item: the product says 'based on'."),
    )

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self, "label")

    @property
    def description(self) -> str:
        return pick(self, "description")


def sync_rows(
    model: type[models.Model], rows: Iterable[Mapping[str, Any]], *, resolve: Any = None
) -> None:
    """Insert or update reference rows by ``code``; used by data migrations.

    ``resolve`` may map a row to the final field values (to turn a parent's code into a FK).
    """
    for position, row in enumerate(rows, start=1):
        values = dict(resolve(row) if resolve else row)
        values.setdefault("position", position)
        code = values.pop("code")
        model._default_manager.update_or_create(code=code, defaults=values)
