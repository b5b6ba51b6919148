from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Membership, Workspace
from governance import selectors
from governance.models import PartnerOrganisation


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

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["members"])
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
