"""Evaluation (elements 5 and 6): the indicator catalogue, a project's indicators and their
measurements, the dashboards' snapshots and the register of lessons (the feedback loop)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.reference import ReferenceItem, pick
from core.tenancy import WorkspaceOwned
from mix.models import Action
from territories.models import Cycle, Project
from tracer.models import Objective, TracerStage


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
    AMOUNT = "amount", _("Amount (€)")
    OTHER = "other", _("Other")


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


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Indicator(WorkspaceOwned):
    """What a project measures to evaluate its actions and their effect on attractiveness."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    unit_kind = models.CharField(
        _("kind of unit"),
        max_length=16,
        choices=UnitKind.choices,
        default=UnitKind.COUNT,
        help_text=_("Decides which values are plausible: a percentage stays between 0 and 100."),
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    level = models.CharField(
        _("level"), max_length=8, choices=IndicatorLevel.choices, default=IndicatorLevel.RESULT
    )
    stage = models.ForeignKey(
        TracerStage, verbose_name=_("TRACER stage"), on_delete=models.PROTECT, related_name="+"
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    actions = models.ManyToManyField(
        Action, verbose_name=_("actions"), blank=True, related_name="indicators"
    )
    catalogue = models.ForeignKey(
        CatalogueIndicator,
        verbose_name=_("from the catalogue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        base_manager_name = "unscoped_objects"
        ordering = ["stage__position", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_kind__in=UnitKind.values), name="indicator_unit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(level__in=IndicatorLevel.values), name="indicator_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="indicator_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(baseline_date__isnull=True)
                | Q(target_date__gte=F("baseline_date")),
                name="indicator_target_after_baseline",
                violation_error_message=_("The target date cannot be before the baseline date."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="indicator_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(WorkspaceOwned):
    """One value of an indicator for one period (the period's first day)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(_("period"), help_text=_("The first day of the period measured."))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        base_manager_name = "unscoped_objects"
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="measurement_one_per_period",
                violation_error_message=_("This indicator already has a value for this period."),
            ),
        ]
        indexes = [models.Index(fields=["workspace", "indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}: {self.value}"


class MeasurementChange(WorkspaceOwned):
    """The history of a measurement: entering a period again updates it and keeps the old value."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="changes")
    old_value = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    new_value = models.DecimalField(max_digits=16, decimal_places=4)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        base_manager_name = "unscoped_objects"
        ordering = ["-at", "-id"]


class SnapshotStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DashboardSnapshot(WorkspaceOwned):
    """The dashboard's numbers for one state of its inputs, computed by a Celery task: a
    project's in one cycle, or the workspace's (no project, no cycle: every active project's
    current cycle). A closed cycle's inputs no longer change, so it has one snapshot."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="snapshots"
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, null=True, blank=True, related_name="snapshots"
    )
    inputs_version = models.CharField(max_length=64)
    status = models.CharField(
        max_length=8, choices=SnapshotStatus.choices, default=SnapshotStatus.PENDING
    )
    data = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        base_manager_name = "unscoped_objects"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "project", "cycle", "inputs_version"],
                condition=Q(project__isnull=False),
                name="snapshot_one_per_cycle_inputs",
            ),
            models.UniqueConstraint(
                fields=["workspace", "inputs_version"],
                condition=Q(project__isnull=True),
                name="snapshot_one_per_workspace_inputs",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SnapshotStatus.values), name="snapshot_status_valid"
            ),
        ]


class LessonSource(models.TextChoices):
    EVALUATION = "evaluation", _("An evaluation")
    WORKSHOP = "workshop", _("A workshop")
    ACTION = "action", _("An action")
    OTHER = "other", _("Other")


class Policy(models.TextChoices):
    URBANISM = "urbanism", _("Urbanism")
    PLANNING = "planning", _("Planning")
    ECONOMIC = "economic", _("Economic development")
    TOURISM = "tourism", _("Tourism")
    DIGITAL = "digital", _("Digital")
    HOUSING = "housing", _("Housing")
    MOBILITY = "mobility", _("Mobility")
    MARKETING = "marketing", _("The marketing project itself")
    OTHER = "other", _("Other")


class LessonStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    ACTED_ON = "acted_on", _("Acted on")


class Lesson(WorkspaceOwned):
    """The feedback loop (element 6): what was learned and which policy it should feed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lessons")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="lessons")
    learned = models.TextField(_("what was learned"))
    source = models.CharField(
        _("learned from"),
        max_length=12,
        choices=LessonSource.choices,
        default=LessonSource.EVALUATION,
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("evidence: indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("evidence: action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    policy = models.CharField(_("feeds the policy"), max_length=12, choices=Policy.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=LessonStatus.choices, default=LessonStatus.PROPOSED
    )
    sent_to = models.CharField(
        _("sent to"), max_length=200, blank=True, help_text=_("The partner or service it went to.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        base_manager_name = "unscoped_objects"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(learned=""), name="lesson_learned_not_empty"),
            models.CheckConstraint(
                condition=Q(policy__in=Policy.values), name="lesson_policy_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=LessonStatus.values), name="lesson_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.learned[:60]
