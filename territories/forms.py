from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Membership
from territories import selectors
from territories.models import MICRO_KINDS, Project, Territory, TerritoryKind


def grouped_kind_choices() -> list[Any]:
    strategic = [(v, label) for v, label in TerritoryKind.choices if v not in MICRO_KINDS]
    micro = [(v, label) for v, label in TerritoryKind.choices if v in MICRO_KINDS]
    return [
        ("", "---------"),
        (_("Strategic scale"), strategic),
        (_("Micro-territories (tactical scale)"), micro),
    ]


class TerritoryForm(forms.ModelForm):
    # Declared here, empty, so the form class never builds a query outside a workspace scope;
    # __init__ fills it from the scoped selector.
    parent = forms.ModelChoiceField(
        label=_("Parent territory"),
        queryset=Territory.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=_("For a micro-territory, the city or area it belongs to."),
    )

    class Meta:
        model = Territory
        fields = ["name", "kind", "parent", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = grouped_kind_choices()
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = selectors.territory_choices(
            membership=membership, exclude=self.instance
        )


class ProjectForm(forms.ModelForm):
    territory = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.unscoped_objects.none(), to_field_name="uuid"
    )

    class Meta:
        model = Project
        fields = ["territory", "name", "ambition", "status", "start_date"]
        widgets = {
            "ambition": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["territory"]
        ).queryset = selectors.territory_choices(membership=membership)
        cast(forms.ModelChoiceField, self.fields["territory"]).empty_label = _("Choose a territory")


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    archived = forms.BooleanField(label=_("Show archived"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class TerritoryFilterForm(ListFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = grouped_kind_choices()
        choices[0] = ("", _("All kinds"))
        cast(forms.ChoiceField, self.fields["kind"]).choices = choices


class ProjectFilterForm(ListFilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from territories.models import ProjectStatus

        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("All statuses")),
            *ProjectStatus.choices,
        ]
