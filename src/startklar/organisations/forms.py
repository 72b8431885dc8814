"""Forms of the organisations feature. Field names match the model; messages are translated."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from startklar.accounts.models import User
from startklar.core import kept
from startklar.core.forms import DecimalField

from .models import MAX_AMOUNT_EUR, MAX_HEADCOUNT, NaceSection, Organisation, Role, TokenScope

# Part of the keys of kept unfilled forms: raise it when a form shows something new.
KEPT_FORMS_VERSION = 1


def unfilled_key(form: forms.BaseForm, name: str) -> str:
    """A key for ``form`` rendered unfilled (``core.kept``): its name, the language and what
    each field shows (its name, id, value and choices). "" for a filled-in (bound) form: it
    shows what was sent and its errors, so it is rendered every time."""
    if form.is_bound:
        return ""
    shown = [
        (
            field.html_name,
            field.auto_id,
            field.value(),
            [(value, str(label)) for value, label in getattr(field.field, "choices", ())],
        )
        for field in form
    ]
    return kept.content_key("form", name, KEPT_FORMS_VERSION, get_language(), shown)


AMOUNT_ERRORS = {
    "invalid": _("Please enter an amount in euros, e.g. 12,500,000."),
    "max_value": _("Please enter an amount of at most one trillion euros."),
    "min_value": _("The amount cannot be negative."),
    "max_digits": _("Please enter an amount of at most one trillion euros."),
    "max_whole_digits": _("Please enter an amount of at most one trillion euros."),
    "max_decimal_places": _("Please use at most two decimal places (cents)."),
}


def amount_field(label: StrOrPromise, help_text: StrOrPromise) -> DecimalField:
    return DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT_EUR,
        max_digits=15,
        decimal_places=2,
        error_messages=AMOUNT_ERRORS,
    )


class OrganisationForm(forms.ModelForm[Organisation]):
    headcount = forms.IntegerField(
        label=_("Staff headcount"),
        help_text=_(
            "Employees incl. managing directors; count part-time staff proportionally and round."
        ),
        min_value=0,
        max_value=MAX_HEADCOUNT,
        error_messages={
            "invalid": _("Please enter a whole number of people."),
            "min_value": _("The headcount cannot be negative."),
            "max_value": _("Please enter at most one million people."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    annual_turnover = amount_field(_("Annual turnover (EUR)"), _("Last completed financial year."))
    balance_sheet_total = amount_field(
        _("Balance-sheet total (EUR)"), _("Total assets on the last balance sheet.")
    )
    industry = forms.ChoiceField(label=_("Industry (WZ 2008 section)"), choices=NaceSection)

    class Meta:
        model = Organisation
        fields = ("name", "industry", "headcount", "annual_turnover", "balance_sheet_total")
        labels = {"name": _("Company name")}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role, initial=Role.EDITOR)

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “DATEV export” or “ticket system”."),
        error_messages={
            "required": _("Please say what the token is for."),
            "max_length": _("Please use at most 100 characters."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Rights"),
        choices=TokenScope,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Give write rights only to a program that sends data, e.g. measurements."),
        error_messages={"invalid_choice": _("Please choose read or read and write.")},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please say what the token is for."))
        return name

    def clean_scope(self) -> TokenScope:
        return TokenScope(self.cleaned_data["scope"])


class TwoFactorRequirementForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor sign-in for all members"),
        required=False,
        help_text=_(
            "Members must then confirm every sign-in with a code from an authenticator app. "
            "Whoever has not set it up yet is asked to do so the next time they open this "
            "organisation; their other organisations are not affected."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role)

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])


class SignupForm(forms.Form):
    """Create an account with the invited e-mail address."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AuditFilterForm(forms.Form):
    """The filters of the audit log (GET parameters); every field may stay empty."""

    action = forms.ChoiceField(label=_("What"), required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    kind = forms.ChoiceField(label=_("Object"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date, e.g. 2026-11-01.")},
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date, e.g. 2026-11-30.")},
    )

    def __init__(
        self,
        data: Any,
        *,
        actions: list[tuple[str, str]],
        actors: list[tuple[str, str]],
        kinds: list[tuple[str, str]],
    ):
        super().__init__(data)
        everything = ("", _("All"))
        self.fields["action"].choices = [everything, *actions]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [everything, *actors]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [everything, *kinds]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return cleaned


class DeletionForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ArchiveForm(forms.Form):
    file = forms.FileField(
        label=_("Startklar archive (.zip)"),
        help_text=_("Exported on the Data page of an organisation in any Startklar installation."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={"required": _("Please choose the archive file.")},
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any):
        """``too_large``: the upload was cut off on arrival (``core.uploads``)."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False  # it is missing for that reason, say so

    def clean_file(self) -> Any:
        if self.too_large:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; nothing was imported.")
                % {"mb": settings.STARTKLAR_MAX_UPLOAD_BYTES // 2**20},
                code="too_large",
            )
        return self.cleaned_data["file"]


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
