from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Membership, Workspace
from governance import selectors
from governance.models import (
    MATURITY_MAX,
    ActorProposal,
    Ambassador,
    BrandLicensee,
    BrandPlatform,
    ContactPerson,
    Contribution,
    Decision,
    DecisionStatus,
    DeliverableKind,
    GovernanceBody,
    Meeting,
    OwnershipEvent,
    PartnerKind,
    PartnerOrganisation,
    PartnerRole,
    StepProgress,
)
from territories.models import Audience


class PartnerOrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("E.g. 'Loire Valley tourism office', 'Chamber of commerce'."),
    )
    # Declared empty so the form class never queries outside a workspace scope; __init__ fills
    # the choices from the scoped selector (a posted uuid of another workspace is not a choice).
    members = forms.ModelMultipleChoiceField(
        label=_("Members of the organisation"),
        queryset=Membership.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Usually the members with the partner role. A partner sees the projects shared with "
            "their organisation and edits the actions it leads or contributes to."
        ),
    )

    kind = forms.ChoiceField(
        label=_("Kind"), choices=PartnerKind.choices, initial=PartnerKind.OTHER, required=False
    )
    role = forms.ChoiceField(
        label=_("Role in the project"),
        choices=PartnerRole.choices,
        initial=PartnerRole.OPERATOR,
        required=False,
        help_text=_("Steers, funds, runs actions (operator) or relays the project."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, 1 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["members"])
        field.queryset = selectors.member_choices(workspace=workspace)
        field.label_from_instance = lambda m: f"{m.user.display_name} · {m.get_role_display()}"  # type: ignore[assignment]


class ContactPersonForm(forms.ModelForm):
    membership = forms.ModelChoiceField(
        label=_("Account in the workspace"),
        queryset=Membership.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=_("If this person is a member of the workspace."),
    )

    class Meta:
        model = ContactPerson
        fields = ["full_name", "job_title", "email", "phone", "membership"]

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["membership"])
        field.queryset = selectors.member_choices(workspace=workspace)
        field.label_from_instance = lambda m: f"{m.user.display_name} · {m.get_role_display()}"  # type: ignore[assignment]


class ProjectSharingForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=PartnerOrganisation.unscoped_objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        field.queryset = selectors.partner_organisation_choices(workspace=workspace)
        field.label_from_instance = _organisation_label  # type: ignore[assignment]


def _organisation_label(organisation: Any) -> str:
    return ngettext(
        "%(name)s (%(count)d member)", "%(name)s (%(count)d members)", organisation.member_count
    ) % {"name": organisation.name, "count": organisation.member_count}


def initial_from(instance: Any, names: Any) -> dict[str, Any]:
    """A form's ``initial`` from a row: related objects themselves (the fields post uuids)."""
    initial: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        initial[name] = list(value.all()) if field.many_to_many else value
    return initial


def scoped_choice(label: Any, *, multiple: bool = False, required: bool = False) -> Any:
    """A related-object field whose choices the form's ``__init__`` fills from a scoped
    selector (declared empty: a form class never queries outside a workspace scope)."""
    field_class = forms.ModelMultipleChoiceField if multiple else forms.ModelChoiceField
    widget = forms.CheckboxSelectMultiple if multiple else None
    return field_class(
        label=label, queryset=None, to_field_name="uuid", required=required, widget=widget
    )


def _member_label(m: Membership) -> str:
    return f"{m.user.display_name} · {m.get_role_display()}"


class ScopedModelForm(forms.ModelForm):
    """A ModelForm for the fields; the related fields' choices come in ``choices``. Its
    ``save()`` is never called: views pass ``cleaned_data`` to a service."""

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = queryset
            if queryset.model is Membership:
                field.label_from_instance = _member_label  # type: ignore[assignment,method-assign]
            elif hasattr(queryset.model, "choice_label"):  # plan items: named with their cycle
                field.label_from_instance = queryset.model.choice_label  # type: ignore[method-assign]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GovernanceBodyForm(ScopedModelForm):
    members = scoped_choice(_("Members"), multiple=True)
    organisations = scoped_choice(_("Organisations represented"), multiple=True)

    class Meta:
        model = GovernanceBody
        fields = ["name", "kind", "mandate", "members", "organisations"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 3})}


class MeetingForm(ScopedModelForm):
    attendees = scoped_choice(_("Attendees"), multiple=True)

    class Meta:
        model = Meeting
        fields = ["held_on", "title", "agenda", "attendees", "other_attendees", "minutes"]
        widgets = {
            "held_on": DATE,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class DecisionForm(ScopedModelForm):
    owner = scoped_choice(_("Person in charge"))
    objectives = scoped_choice(_("Objectives"), multiple=True)
    actions = scoped_choice(_("Actions"), multiple=True)

    class Meta:
        model = Decision
        fields = ["text", "owner", "due_date", "status", "objectives", "actions"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_date": DATE}


class DecisionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *DecisionStatus.choices], required=False
    )


class StepProgressForm(ScopedModelForm):
    owner = scoped_choice(_("Person in charge"))

    class Meta:
        model = StepProgress
        fields = ["status", "owner", "due_date", "notes"]
        widgets = {"due_date": DATE, "notes": forms.Textarea(attrs={"rows": 4})}


class DeliverableForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=DeliverableKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image, office document, CSV or text; 10 MB at most."),
    )


SCORE_CHOICES = [("", _("Not assessed")), *[(str(n), str(n)) for n in range(MATURITY_MAX + 1)]]


class MaturityForm(forms.Form):
    """One score, justification and evidence per element and organisation sub-component."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        initial = {}
        for row in rows:
            if row.score is not None:
                initial[f"{row.key}-score"] = str(row.score.score)
                initial[f"{row.key}-justification"] = row.score.justification
                initial[f"{row.key}-evidence"] = row.score.evidence
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            label = row.item.label
            self.fields[f"{row.key}-score"] = forms.ChoiceField(
                label=_("Score of “%(item)s” (0 to 4)") % {"item": label},
                choices=SCORE_CHOICES,
                required=False,
            )
            self.fields[f"{row.key}-justification"] = forms.CharField(
                label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{row.key}-evidence"] = forms.CharField(
                label=_("Evidence links"),
                required=False,
                help_text=_("One link a line."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def bound_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (
                row,
                self[f"{row.key}-score"],
                self[f"{row.key}-justification"],
                self[f"{row.key}-evidence"],
            )
            for row in self.rows
        ]

    def scores(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "item": row.item,
                "score": int(data[f"{row.key}-score"]) if data[f"{row.key}-score"] else None,
                "justification": data[f"{row.key}-justification"],
                "evidence": data[f"{row.key}-evidence"],
            }
            for row in self.rows
        ]


class ContributionForm(ScopedModelForm):
    partner = scoped_choice(_("Partner organisation"), required=True)

    class Meta:
        model = Contribution
        fields = ["partner", "amount", "days", "note"]


class OwnershipEventForm(forms.ModelForm):
    class Meta:
        model = OwnershipEvent
        fields = ["kind", "held_on", "title", "audience", "participants", "outcomes"]
        widgets = {"held_on": DATE, "outcomes": forms.Textarea(attrs={"rows": 4})}


class BrandPlatformForm(forms.ModelForm):
    audiences = forms.ModelMultipleChoiceField(
        label=_("Target audiences"),
        queryset=Audience.objects.order_by("position"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = BrandPlatform
        fields = ["name", "promise", "values", "personality", "audiences", "proof_points"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("promise", "values", "personality", "proof_points")
        }


class BrandLicenseeForm(ScopedModelForm):
    partner = scoped_choice(_("Partner organisation"), required=True)

    class Meta:
        model = BrandLicensee
        fields = ["partner", "since", "note"]
        widgets = {"since": DATE}


class AmbassadorForm(forms.ModelForm):
    class Meta:
        model = Ambassador
        fields = ["name", "kind", "segment", "is_active", "joined_on"]
        widgets = {"joined_on": DATE}


class AmbassadorFilterForm(forms.Form):
    active = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Not active"))],
        required=False,
    )


class ActorProposalForm(forms.ModelForm):
    class Meta:
        model = ActorProposal
        fields = ["name", "kind", "reason", "contact", "status"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
