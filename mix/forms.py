from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Membership, Workspace
from governance.models import PartnerOrganisation
from mix.models import Action, ActionStatus, MixFamily
from territories.models import Audience, Cycle, Project
from tracer.models import Objective, Priority, TracerStage
from tracer.reference_data import PLAN_LIBRARY
from tracer.selectors import plan_objectives


def _members(workspace: Workspace) -> Any:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


class ObjectiveCreateForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("TRACER stage"), queryset=TracerStage.objects.none(), to_field_name="code"
    )
    title = forms.CharField(label=_("Objective"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Target audiences"),
        queryset=Audience.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    segment = forms.CharField(
        label=_("Segment"),
        max_length=120,
        required=False,
        help_text=_("A finer segment of the targets, e.g. 'DINKs' (dual income, no kids)."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    owner = forms.ModelChoiceField(
        label=_("Person in charge"),
        queryset=Membership.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = TracerStage.objects.order_by("position")  # type: ignore[attr-defined]
        self.fields["audiences"].queryset = Audience.objects.order_by("position")  # type: ignore[attr-defined]
        owner = self.fields["owner"]
        owner.queryset = _members(workspace)  # type: ignore[attr-defined]
        owner.label_from_instance = lambda m: m.user.display_name  # type: ignore[attr-defined]


class ActionCreateForm(forms.Form):
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.unscoped_objects.none(), to_field_name="uuid"
    )
    family = forms.ModelChoiceField(
        label=_("Mix family"), queryset=MixFamily.objects.none(), to_field_name="code"
    )
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Target audiences"),
        queryset=Audience.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lead_partner = forms.ModelChoiceField(
        label=_("Lead partner"),
        queryset=PartnerOrganisation.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
    )
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributing partners"),
        queryset=PartnerOrganisation.unscoped_objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    budget_planned = forms.DecimalField(
        label=_("Planned budget (€)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    budget_spent = forms.DecimalField(
        label=_("Spent (€)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )

    def __init__(
        self, *args: Any, workspace: Workspace, project: Project, cycle: Cycle, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the objectives of the cycle the action goes into (the open one) can be chosen.
        objectives = (
            plan_objectives(project=project, cycle=cycle)
            .select_related("stage")
            .order_by("stage__position", "priority", "id")
        )
        stage = self.initial.get("stage")
        if stage and not self.initial.get("objective"):
            first = objectives.filter(stage__code=stage).first()
            if first is not None:
                self.initial["objective"] = first.uuid
        objective = self.fields["objective"]
        objective.queryset = objectives  # type: ignore[attr-defined]
        objective.label_from_instance = lambda o: f"{o.stage.letter} · {o.stage.label} — {o.title}"  # type: ignore[attr-defined]
        self.fields["family"].queryset = MixFamily.objects.order_by("position")  # type: ignore[attr-defined]
        self.fields["audiences"].queryset = Audience.objects.order_by("position")  # type: ignore[attr-defined]
        partners = PartnerOrganisation.objects.order_by("name")
        self.fields["lead_partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["contributors"].queryset = partners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class ActionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ModelChoiceField(
        label=_("TRACER stage"),
        queryset=TracerStage.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All stages"),
    )
    family = forms.ModelChoiceField(
        label=_("Mix family"),
        queryset=MixFamily.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All families"),
    )
    audience = forms.ModelChoiceField(
        label=_("Audience"),
        queryset=Audience.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All audiences"),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=PartnerOrganisation.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("All partners"),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_after = forms.DateField(
        label=_("From"),
        help_text=_("Actions still running on or after this date."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_before = forms.DateField(
        label=_("Until"),
        help_text=_("Actions starting on or before this date."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = TracerStage.objects.order_by("position")  # type: ignore[attr-defined]
        self.fields["family"].queryset = MixFamily.objects.order_by("position")  # type: ignore[attr-defined]
        self.fields["audience"].queryset = Audience.objects.order_by("position")  # type: ignore[attr-defined]
        self.fields["partner"].queryset = PartnerOrganisation.objects.order_by("name")  # type: ignore[attr-defined]


class LibraryImportForm(forms.Form):
    """The TRACER stages whose library examples are imported into the plan."""

    stages = forms.MultipleChoiceField(
        label=_("TRACER stages"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one TRACER stage to import.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = cast(forms.MultipleChoiceField, self.fields["stages"])
        stages.choices = [(row[0], row[0]) for row in PLAN_LIBRARY]


__all__ = ["Action", "ActionCreateForm", "ActionFilterForm", "ObjectiveCreateForm"]


class CommentForm(forms.Form):
    """A new comment, a reply (``parent``) or an edit. The template draws the textarea itself."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=10_000,
        widget=forms.Textarea,
        error_messages={"required": _("Write something first.")},
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)


class IrrelevantCellForm(forms.Form):
    """Why a cell of the TRACER x mix matrix is not relevant for this project."""

    reason = forms.CharField(
        label=_("Why is this cell not relevant for this project?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
        error_messages={
            "required": _(
                "Say why this cell is not relevant for this project: the reason is required."
            )
        },
    )
