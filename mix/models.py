"""The territorial marketing mix: its 12 families (reference data). Actions come later."""

from django.utils.translation import gettext_lazy as _

from core.reference import ReferenceItem


class MixFamily(ReferenceItem):
    """A family of actions. ``description`` holds example actions."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("mix family")
        verbose_name_plural = _("mix families")
