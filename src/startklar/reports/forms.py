"""The request form of the management report: its language."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Language


class RequestForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose German or English.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault(
            "initial",
            {"language": Language.ENGLISH if get_language() == "en" else Language.GERMAN},
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
