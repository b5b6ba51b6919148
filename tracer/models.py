"""TRACER: the six operational stages (reference data), the plan's objectives and its history."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Membership, User
from core.reference import ReferenceItem, pick
from core.tenancy import WorkspaceOwned
from territories.models import Audience, Cycle, Project


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


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class PlanItem(WorkspaceOwned):
    """What objectives and actions share: versioned for co-editing, stamped for the poll."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    # Optimistic concurrency: every save carries the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The project's plan revision at this item's last change: the poll sends what is newer.
    revision = models.BigIntegerField(default=0, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    # The item of the previous cycle this one was carried over from (cycle review).
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_copies",
        editable=False,
    )

    class Meta:
        abstract = True
        base_manager_name = "unscoped_objects"

    def __str__(self) -> str:
        return self.title


class Objective(PlanItem):
    """An operational objective of the plan, under one TRACER stage, in one cycle."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives")
    stage = models.ForeignKey(
        TracerStage, verbose_name=_("TRACER stage"), on_delete=models.PROTECT, related_name="+"
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("target audiences"), blank=True, related_name="+"
    )
    segment = models.CharField(
        _("segment"),
        max_length=120,
        blank=True,
        help_text=_("A finer segment of the targets, e.g. 'DINKs' (dual income, no kids)."),
    )
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("person in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_draft = models.BooleanField(
        _("draft"), default=False, help_text=_("Imported from the library, still to be adapted.")
    )

    class Meta(PlanItem.Meta):
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["stage__position", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="objective_priority_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="objective_version_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="objective_title_not_empty"),
        ]
        indexes = [models.Index(fields=["project", "cycle", "stage"])]

    def choice_label(self) -> str:
        """How pickers that span cycles name it: stage letter, title and cycle (select the
        stage and the cycle with it)."""
        return f"{self.stage.letter} · {self.title} · {self.cycle}"


class ChangeKind(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("changed")
    DELETED = "deleted", _("deleted")
    IMPORTED = "imported", _("imported")


class PlanChange(WorkspaceOwned):
    """One recorded change to an objective or an action: who, when, which field, old, new.

    ``field`` is the field's name and ``old_value``/``new_value`` its raw values (codes, UUIDs,
    ISO dates: see :func:`tracer.coediting.raw`), so every reader sees them in their own
    language. ``old_label``/``new_label`` keep what a reference read as at the time, shown only
    when the row it names is gone since. Rows written before values were stored raw and that
    could not be converted hold the writer's text, shown as is.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_changes")
    # The cycle of the changed item: each cycle's activity feed shows its own changes.
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_changes"
    )
    target_type = models.CharField(max_length=12)  # "objective" or "action"
    target_uuid = models.UUIDField(db_index=True)
    target_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    field = models.CharField(max_length=40, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    old_label = models.TextField(blank=True)
    new_label = models.TextField(blank=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # The plan revision this change produced: the co-editing poll reads what is newer.
    revision = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        base_manager_name = "unscoped_objects"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["project", "-at"]),
            models.Index(fields=["project", "cycle", "-at"]),
            models.Index(fields=["project", "revision"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_type__in=["objective", "action"]),
                name="plan_change_target_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="plan_change_kind_valid"
            ),
        ]
