"""Forms of the evaluation pages. Choices come from scoped selectors, limited to the project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.csvread import parse_number
from evaluation import selectors
from evaluation.models import (
    CatalogueIndicator,
    Direction,
    Frequency,
    Indicator,
    IndicatorLevel,
    LessonSource,
    LessonStatus,
    Policy,
    UnitKind,
)
from mix.models import Action
from territories.models import Cycle, Project
from tracer.models import Objective, TracerStage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class MeasureField(forms.DecimalField):
    """A number typed with a decimal point or a decimal comma, whatever the page's language
    ("12,5", "12.5", "1 234,5"), as in the CSV import; shown in the reader's format."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            parsed = parse_number(value.strip())
            if parsed is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = str(parsed)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):  # 12.5000 as stored -> 12.5 as typed
            value = (
                value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
            )
        return super().prepare_value(value)


def _value_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DecimalField:
    return MeasureField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=4,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class IndicatorForm(forms.Form):
    catalogue = forms.ChoiceField(
        label=_("Start from the catalogue"),
        required=False,
        help_text=_(
            "Choosing an indicator of the catalogue fills in its name, unit, level and stage; "
            "you may adapt them. Leave empty for an indicator of your own."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    stage = forms.ModelChoiceField(
        label=_("TRACER stage"), queryset=TracerStage.objects.none(), to_field_name="code"
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=IndicatorLevel.choices,
        initial=IndicatorLevel.RESULT,
        help_text=_(
            "Means (what you put in), output (what the actions produce), result (the change "
            "among the targets), impact (the effect on the territory)."
        ),
    )
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("E.g. '%', 'jobs'."))
    unit_kind = forms.ChoiceField(
        label=_("Kind of unit"),
        choices=UnitKind.choices,
        initial=UnitKind.COUNT,
        help_text=_("Decides which values are plausible: a percentage stays between 0 and 100."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.HIGHER
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=Frequency.choices, initial=Frequency.YEARLY
    )
    baseline_value = _value_field(_("Baseline"), help_text=_("The value when the project starts."))
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    target_value = _value_field(_("Target"))
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the values come from, e.g. 'INSEE', 'our CRM', 'yearly survey'."),
    )
    objective = forms.ModelChoiceField(
        label=_("Objective"),
        queryset=Objective.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("No objective"),
        help_text=_("The objective of the plan this indicator evaluates."),
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions"),
        queryset=Action.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The actions whose effect it measures."),
    )

    def __init__(self, *args: Any, project: Project, prefill_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        stage = cast(forms.ModelChoiceField, self.fields["stage"])
        stage.queryset = TracerStage.objects.order_by("position")
        stage.label_from_instance = lambda s: f"{s.letter} · {s.label}"  # type: ignore[assignment]
        objective = cast(forms.ModelChoiceField, self.fields["objective"])
        objective.queryset = selectors.objective_choices(project=project)
        objective.label_from_instance = Objective.choice_label  # type: ignore[assignment,method-assign]
        actions = cast(forms.ModelMultipleChoiceField, self.fields["actions"])
        actions.queryset = selectors.action_choices(project=project)
        actions.label_from_instance = Action.choice_label  # type: ignore[assignment,method-assign]
        self.catalogue_items = {item.code: item for item in selectors.catalogue_list()}
        groups: dict[str, list[tuple[str, str]]] = {}
        for item in self.catalogue_items.values():
            stage_name = f"{item.tracer_stage.letter} · {item.tracer_stage.label}"
            groups.setdefault(stage_name, []).append((item.code, f"{item.label} ({item.unit})"))
        catalogue = cast(forms.ChoiceField, self.fields["catalogue"])
        catalogue.choices = [("", _("None: my own indicator")), *groups.items()]
        if prefill_url:
            # Picking an entry asks the server for the form again, filled in (an HTMX GET that
            # carries what was typed so far, but not the CSRF token: it would land in the URL).
            catalogue.widget.attrs.update(
                {
                    "hx-get": prefill_url,
                    "hx-trigger": "change",
                    "hx-target": "#indicator-form",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                    "hx-params": "not csrfmiddlewaretoken",
                }
            )

    def clean_catalogue(self) -> CatalogueIndicator | None:
        code = self.cleaned_data.get("catalogue") or ""
        return self.catalogue_items.get(code)

    @classmethod
    def prefill(cls, data: Any, catalogue: CatalogueIndicator | None) -> dict[str, Any]:
        """Initial values for the form: what the user typed so far (``data``, a QueryDict),
        with the name, unit, kind of unit, level and stage of ``catalogue``."""
        initial: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                values = data.getlist(name)
                if values:
                    initial[name] = values
            elif data.get(name):
                initial[name] = data.get(name)
        if catalogue is not None:
            initial.update(
                catalogue=catalogue.code,
                name=catalogue.label,
                unit=catalogue.unit,
                unit_kind=catalogue.unit_kind,
                level=catalogue.level,
                stage=catalogue.tracer_stage.code,
            )
        else:
            initial.pop("catalogue", None)
        return initial

    @staticmethod
    def initial_from(indicator: Indicator) -> dict[str, Any]:
        return {
            "catalogue": indicator.catalogue.code if indicator.catalogue else "",
            "name": indicator.name,
            "stage": indicator.stage.code,
            "level": indicator.level,
            "unit": indicator.unit,
            "unit_kind": indicator.unit_kind,
            "direction": indicator.direction,
            "frequency": indicator.frequency,
            "baseline_value": indicator.baseline_value,
            "baseline_date": indicator.baseline_date,
            "target_value": indicator.target_value,
            "target_date": indicator.target_date,
            "source": indicator.source,
            "objective": indicator.objective.uuid if indicator.objective else None,
            "actions": [a.uuid for a in indicator.actions.all()],
        }


class MeasurementForm(forms.Form):
    period = forms.DateField(
        label=_("Period"),
        widget=DATE,
        help_text=_(
            "Any day of the period: it is saved as the period's first day. Entering a period "
            "again corrects its value."
        ),
    )
    value = _value_field(_("Value"), required=True)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: indicator (its name or its identifier), period (a date), value, source, "
            "note. Separated by semicolons, commas or tabs; UTF-8, Windows-1252 or Latin-1; "
            "at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is too big (%(size)s MB): the limit is 2 MB. Split it in two.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}"}
            )
        return upload


class LessonForm(forms.Form):
    learned = forms.CharField(
        label=_("What was learned"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    source = forms.ChoiceField(
        label=_("Learned from"), choices=LessonSource.choices, initial=LessonSource.EVALUATION
    )
    indicator = forms.ModelChoiceField(
        label=_("Evidence: indicator"),
        queryset=Indicator.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("No indicator"),
    )
    action = forms.ModelChoiceField(
        label=_("Evidence: action"),
        queryset=Action.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("No action"),
    )
    policy = forms.ChoiceField(
        label=_("Feeds the policy"),
        choices=Policy.choices,
        help_text=_("The public policy this lesson should change."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=LessonStatus.choices, initial=LessonStatus.PROPOSED
    )
    sent_to = forms.CharField(
        label=_("Sent to"),
        max_length=200,
        required=False,
        help_text=_("The partner or service it went to."),
    )
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.unscoped_objects.none(), to_field_name="uuid"
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator = cast(forms.ModelChoiceField, self.fields["indicator"])
        indicator.queryset = selectors.indicator_choices(project=project)
        action = cast(forms.ModelChoiceField, self.fields["action"])
        action.queryset = selectors.action_choices(project=project)
        action.label_from_instance = Action.choice_label  # type: ignore[assignment,method-assign]
        cycle = cast(forms.ModelChoiceField, self.fields["cycle"])
        cycle.queryset = selectors.cycle_choices(project=project)
        cycle.empty_label = None


class LessonFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("All cycles"),
    )
    policy = forms.ChoiceField(
        label=_("Policy"), choices=[("", _("All policies")), *Policy.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *LessonStatus.choices], required=False
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cycle = cast(forms.ModelChoiceField, self.fields["cycle"])
        cycle.queryset = selectors.cycle_choices(project=project)


class LessonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=LessonStatus.choices)


class CycleCloseForm(forms.Form):
    """Close a cycle: when the next one starts, and what it carries over."""

    started_on = forms.DateField(
        label=_("The next cycle starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectives to carry over"),
        queryset=Objective.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Unfinished actions to carry over"),
        queryset=Action.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An action carried over brings its objective with it."),
    )
    # The page's dialog ticks it when its confirm button is pressed; without JavaScript the
    # person ticks it: a close is never one click away.
    confirm = forms.BooleanField(
        label=_("I understand that closing the cycle cannot be undone"),
        error_messages={
            "required": _(
                "Closing a cycle cannot be undone: tick “I understand that closing the cycle"
                " cannot be undone” to close it."
            )
        },
    )

    def __init__(self, *args: Any, objectives: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["objectives"]).queryset = objectives
        field = cast(forms.ModelMultipleChoiceField, self.fields["actions"])
        field.queryset = actions
        field.label_from_instance = lambda a: f"{a.title} · {a.get_status_display()}"  # type: ignore[assignment,method-assign]
