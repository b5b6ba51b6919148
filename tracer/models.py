"""TRACER: the six operational stages (reference data). Objectives come in a later issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.reference import ReferenceItem, pick


class TracerStage(ReferenceItem):
    letter = models.CharField(_("letter"), max_length=1)
    alias_en = models.CharField(_("alias (English)"), max_length=100, blank=True)
    alias_fr = models.CharField(_("alias (French)"), max_length=100, blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("TRACER stage")
        verbose_name_plural = _("TRACER stages")

    @property
    def alias(self) -> str:
        return pick(self, "alias")
