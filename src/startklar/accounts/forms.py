"""Forms of two-factor sign-in. Messages name the field and say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import engine
from .models import User

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "autocorrect": "off",
    "spellcheck": "false",
}


class SetupCodeForm(forms.Form):
    """The first code from the app, which confirms it is set up correctly."""

    code = forms.CharField(
        label=_("Six-digit code from the app"),
        max_length=20,
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
        error_messages={"required": _("Please enter the six-digit code the app shows.")},
    )

    def clean_code(self) -> str:
        code = engine.clean_totp(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("Please enter the six-digit code the app shows, e.g. 123 456."), code="format"
            )
        return code


class SignInCodeForm(forms.Form):
    """The second sign-in step: a code from the app or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={**CODE_ATTRS, "autofocus": True}),
        error_messages={"required": _("Please enter the code from your authenticator app.")},
    )

    def clean_code(self) -> engine.EnteredCode:
        entered = engine.read_code(self.cleaned_data["code"])
        if entered is None:
            raise forms.ValidationError(
                _(
                    "Please enter the six-digit code from your app (e.g. 123 456) or a recovery "
                    "code (e.g. abcd-efgh)."
                ),
                code="format",
            )
        return entered


class PasswordConfirmForm(forms.Form):
    """The current password, asked again before switching two-factor sign-in off or making new
    recovery codes: someone at an unlocked computer should not be able to do that."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password to confirm.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct. Nothing was changed."), code="wrong_password"
            )
        return password
