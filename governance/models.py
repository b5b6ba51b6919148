"""Governance and method: the 7 elements, the 10-step method, partner organisations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Membership
from core.reference import ReferenceItem, pick
from core.tenancy import WorkspaceOwned
from territories.models import Project


class Element(ReferenceItem):
    """One of the 7 elements to master."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("element")
        verbose_name_plural = _("elements")


class ElementComponent(ReferenceItem):
    """A sub-component of an element (the organisation element has six)."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="components")

    class Meta(ReferenceItem.Meta):
        verbose_name = _("element component")
        verbose_name_plural = _("element components")


class MethodSequence(ReferenceItem):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("method sequence")
        verbose_name_plural = _("method sequences")


class MethodStep(ReferenceItem):
    sequence = models.ForeignKey(MethodSequence, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    deliverables_en = models.TextField(_("deliverables (English)"), blank=True)
    deliverables_fr = models.TextField(_("deliverables (French)"), blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("method step")
        verbose_name_plural = _("method steps")

    @property
    def deliverables(self) -> str:
        return pick(self, "deliverables")


class PartnerOrganisation(WorkspaceOwned):
    """A partner of the project (tourism office, chamber of commerce, agency...).

    Partner members see only the projects shared with their organisation. The governance issue
    enriches this model (kind, role, contacts, logo...).
    """

    name = models.CharField(_("name"), max_length=150)
    members = models.ManyToManyField(
        Membership,
        verbose_name=_("members"),
        related_name="partner_organisations",
        blank=True,
        help_text=_("Workspace members who belong to this organisation."),
    )
    shared_projects = models.ManyToManyField(
        Project,
        verbose_name=_("shared projects"),
        related_name="partner_organisations",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        base_manager_name = "unscoped_objects"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="partner_org_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
