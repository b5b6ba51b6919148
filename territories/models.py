"""Territories (including micro-territories), projects (the démarche) and their cycles."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.reference import ReferenceItem
from core.tenancy import WorkspaceOwned


class Sphere(models.TextChoices):
    PRODUCTIVE = "productive", _("Productive")
    RESIDENTIAL = "residential", _("Residential")
    RELAY = "relay", _("Relay")


class Audience(ReferenceItem):
    """A target audience (cible), e.g. companies, tourists, students."""

    sphere = models.CharField(_("sphere"), max_length=16, choices=Sphere.choices)
    is_internal = models.BooleanField(
        _("internal audience"), default=False, help_text=_("Already on the territory.")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("target audience")
        verbose_name_plural = _("target audiences")


class TerritoryKind(models.TextChoices):
    REGION = "region", _("Region")
    DEPARTMENT = "department", _("Department")
    INTERCOMMUNALITY = "intercommunality", _("Intercommunality")
    CITY = "city", _("City")
    TOWN_CENTRE = "town_centre", _("Town centre")
    VILLAGE = "village", _("Village")
    SHOPPING_STREET = "shopping_street", _("Shopping street")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    BUSINESS_PARK = "business_park", _("Business park")
    CAMPUS = "campus", _("Campus")
    MAJOR_FACILITY = "major_facility", _("Major facility")


MICRO_KINDS = frozenset(
    {
        TerritoryKind.TOWN_CENTRE,
        TerritoryKind.VILLAGE,
        TerritoryKind.SHOPPING_STREET,
        TerritoryKind.NEIGHBOURHOOD,
        TerritoryKind.BUSINESS_PARK,
        TerritoryKind.CAMPUS,
        TerritoryKind.MAJOR_FACILITY,
    }
)


class Territory(WorkspaceOwned):
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=TerritoryKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent territory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For a micro-territory, the city or area it belongs to."),
    )
    description = models.TextField(_("description"), blank=True)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        base_manager_name = "unscoped_objects"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TerritoryKind.values), name="territory_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="territory_not_own_parent"),
            models.UniqueConstraint(
                fields=["workspace", "name"],
                condition=Q(archived_at__isnull=True),
                name="territory_active_name_unique",
                violation_error_message=_("An active territory already has this name."),
            ),
        ]
        indexes = [models.Index(fields=["workspace", "archived_at", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_micro(self) -> bool:
        return self.kind in MICRO_KINDS

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")


class Project(WorkspaceOwned):
    """A territorial marketing project (la démarche), run in numbered cycles."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=150)
    ambition = models.TextField(
        _("ambition"), blank=True, help_text=_("The vision and what the project wants to achieve.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    start_date = models.DateField(_("start date"))
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True, editable=False)
    # Bumped by every change to the plan (objectives, actions): co-editors poll it.
    plan_revision = models.BigIntegerField(default=0, editable=False)
    # Bumped by every change to the evaluation's inputs (indicators, measurements).
    evaluation_revision = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        base_manager_name = "unscoped_objects"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values), name="project_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "archived_at", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Cycle(WorkspaceOwned):
    """One turn of the project's loop (diagnosis to evaluation to new actors)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        base_manager_name = "unscoped_objects"
        ordering = ["project_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="cycle_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cycle_number_positive"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("started_on")),
                name="cycle_closed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("Cycle %(number)s") % {"number": self.number}
