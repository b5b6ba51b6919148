"""The territorial marketing mix: its 12 families, the plan's actions and their comments."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.models import User
from core.reference import ReferenceItem
from core.tenancy import WorkspaceOwned
from governance.models import PartnerOrganisation
from territories.models import Audience, Cycle, Project
from tracer.models import Objective, PlanItem, Priority, TracerStage


class MixFamily(ReferenceItem):
    """A family of actions. ``description`` holds example actions."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("mix family")
        verbose_name_plural = _("mix families")


class ActionStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# A count of actions in each status, with its plural forms ("6 ideas", "1 done"): the French
# adjective agrees with the number (1 réalisée, 2 réalisées).
ACTION_STATUS_COUNTS: dict[str, Any] = {
    ActionStatus.IDEA: ngettext_lazy(
        "<strong>%(count)s</strong> idea", "<strong>%(count)s</strong> ideas", "count"
    ),
    ActionStatus.PLANNED: ngettext_lazy(
        "<strong>%(count)s</strong> planned", "<strong>%(count)s</strong> planned", "count"
    ),
    ActionStatus.IN_PROGRESS: ngettext_lazy(
        "<strong>%(count)s</strong> in progress", "<strong>%(count)s</strong> in progress", "count"
    ),
    ActionStatus.DONE: ngettext_lazy(
        "<strong>%(count)s</strong> done", "<strong>%(count)s</strong> done", "count"
    ),
    ActionStatus.DROPPED: ngettext_lazy(
        "<strong>%(count)s</strong> dropped", "<strong>%(count)s</strong> dropped", "count"
    ),
}


class Action(PlanItem):
    """An action of the plan: one family of the mix, serving one objective."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="actions"
    )
    family = models.ForeignKey(
        MixFamily, verbose_name=_("mix family"), on_delete=models.PROTECT, related_name="+"
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("target audiences"), blank=True, related_name="+"
    )
    lead_partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("lead partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    contributors = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("contributing partners"),
        blank=True,
        related_name="contributed_actions",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.IDEA
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_planned = models.DecimalField(
        _("planned budget (€)"), max_digits=12, decimal_places=2, default=0
    )
    budget_spent = models.DecimalField(_("spent (€)"), max_digits=12, decimal_places=2, default=0)

    def choice_label(self) -> str:
        """How pickers that span cycles name it (select ``objective__stage`` and
        ``objective__cycle`` with it)."""
        return f"{self.objective.stage.letter} · {self.title} · {self.objective.cycle}"

    class Meta(PlanItem.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["objective_id", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="action_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="action_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0),
                name="action_budget_planned_not_negative",
                violation_error_message=_("The planned budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget_spent__gte=0),
                name="action_budget_spent_not_negative",
                violation_error_message=_("The amount spent cannot be negative."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="action_version_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "family"]),
            models.Index(fields=["project", "revision"]),
        ]


class Comment(WorkspaceOwned):
    """A comment on an objective or an action. Markdown, stored with its sanitised HTML."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    mentions = models.ManyToManyField(User, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        base_manager_name = "unscoped_objects"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(objective__isnull=False) & Q(action__isnull=True))
                | (Q(objective__isnull=True) & Q(action__isnull=False)),
                name="comment_on_exactly_one_target",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class IrrelevantCell(WorkspaceOwned):
    """A cell of the TRACER x mix matrix marked "not relevant for this project" in one cycle,
    with the reason: the matrix then shows it apart from the real gaps. A closing cycle copies
    its marks into the next one (they are decisions about the project, not unfinished work)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="irrelevant_cells")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="irrelevant_cells")
    stage = models.ForeignKey(
        TracerStage, verbose_name=_("TRACER stage"), on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        MixFamily, verbose_name=_("mix family"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cell marked not relevant")
        verbose_name_plural = _("cells marked not relevant")
        base_manager_name = "unscoped_objects"
        ordering = ["cycle_id", "stage__position", "family__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "stage", "family"], name="irrelevant_cell_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="irrelevant_cell_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} \N{MULTIPLICATION SIGN} {self.family}"
