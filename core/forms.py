from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TokenScope, User
from core.roles import Role


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    workspace_name = forms.CharField(
        label=_("Workspace name"),
        max_length=120,
        help_text=_("Your team or organisation, e.g. 'Attractiveness agency of the Loire valley'."),
    )

    def __init__(self, *args: Any, fixed_email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_email:
            self.fields["email"].initial = fixed_email
            self.fields["email"].disabled = True
            # Someone joining through an invitation does not start a workspace of their own.
            del self.fields["workspace_name"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this address. Sign in instead, or reset the password.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=120)


def role_choices(grantor_role: str) -> list[tuple[str, str]]:
    """Roles a member may hand out: only owners make owners."""
    return [
        (v, str(label))
        for v, label in Role.choices
        if v != Role.OWNER or grantor_role == Role.OWNER
    ]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args: Any, grantor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices(grantor_role)
        self.fields["role"].help_text = _("What each role may do is described below.")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, grantor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices(grantor_role)


class WebhookEndpointForm(forms.Form):
    """An endpoint's address, events and state; :mod:`core.webhooks` checks them."""

    url = forms.CharField(
        label=_("Payload address"),
        widget=forms.URLInput(
            attrs={"placeholder": "https://example.org/territoria-events", "maxlength": 500}
        ),
        help_text=_(
            "An http:// or https:// address. Territoria POSTs each event there as JSON, signed "
            "with the endpoint's secret; redirects are not followed."
        ),
        error_messages={"required": _("Enter the address that will receive the events.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives the events, e.g. 'The region's data warehouse'."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("state of a token or an endpoint", "Active"),
        required=False,
        initial=True,
        help_text=_("An inactive endpoint receives nothing; its log stays."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from core.webhooks import EVENTS

        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["events"]).choices = [
            (name, format_lazy("{name} — {help}", name=name, help=help))
            for name, help in EVENTS.items()
        ]


class _RadioSelectWithDisabled(forms.RadioSelect):
    """Radio buttons some of which are shown but cannot be chosen (``disabled_values``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if option["value"] in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class ApiTokenForm(forms.Form):
    """A new personal API token. The service (core.tokens.token_create) has the last word."""

    EXPIRY_CHOICES = [
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        ("date", _("On a date I choose")),
        ("never", _("Never")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What will use it, e.g. 'Regional data warehouse' or 'My Python script'."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=_RadioSelectWithDisabled,
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"),
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only with 'On a date I choose'. The token stops working that day."),
    )

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if read_only:
            widget = cast(_RadioSelectWithDisabled, self.fields["scope"].widget)
            widget.disabled_values = {TokenScope.WRITE}
            self.fields["scope"].help_text = _(
                "Viewers change nothing, so their tokens can only read."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice = cleaned.get("expires_in")
        if choice == "date":
            if not cleaned.get("expires_on") and "expires_on" not in self.errors:
                self.add_error("expires_on", _("Choose the day the token expires."))
        elif choice:
            # A date typed and then not chosen is ignored, even a malformed one.
            self.errors.pop("expires_on", None)
            cleaned["expires_on"] = (
                None if choice == "never" else timezone.localdate() + dt.timedelta(days=int(choice))
            )
        return cleaned


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET): an event kind and a range of days."""

    event = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events"))],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from core.models import AuditEventKind

        field = cast(forms.ChoiceField, self.fields["event"])
        field.choices = [("", _("All events")), *AuditEventKind.choices]

    def filters(self) -> dict[str, Any]:
        """The valid filters, for ``selectors.audit_event_list`` (invalid ones are dropped:
        ``cleaned_data`` holds only the fields that validated)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
