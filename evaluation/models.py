"""Evaluation: the indicator catalogue (reference data). Indicators and dashboards come later."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.reference import ReferenceItem, pick
from tracer.models import TracerStage


class IndicatorLevel(models.TextChoices):
    MEANS = "means", _("Means")
    OUTPUT = "output", _("Output")
    RESULT = "result", _("Result")
    IMPACT = "impact", _("Impact")


class UnitKind(models.TextChoices):
    COUNT = "count", _("Count")
    SIGNED_COUNT = "signed_count", _("Count (may be negative)")
    PERCENT = "percent", _("Percentage")
    SCORE_10 = "score_10", _("Score out of 10")
    SCORE_7 = "score_7", _("Score from 1 to 7")
    RANK = "rank", _("Rank")


class CatalogueIndicator(ReferenceItem):
    """An indicator of the reference catalogue, which projects can pick from."""

    domain = models.CharField(_("domain"), max_length=20)
    unit_en = models.CharField(_("unit (English)"), max_length=60)
    unit_fr = models.CharField(_("unit (French)"), max_length=60)
    unit_kind = models.CharField(_("kind of unit"), max_length=16, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=8, choices=IndicatorLevel.choices)
    tracer_stage = models.ForeignKey(
        TracerStage, on_delete=models.PROTECT, related_name="catalogue_indicators"
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("catalogue indicator")
        verbose_name_plural = _("catalogue indicators")

    @property
    def unit(self) -> str:
        return pick(self, "unit")
