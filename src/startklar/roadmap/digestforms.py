"""The switch of the weekly roadmap e-mail (``digest.py``), shown on the calendar page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .digest import Choice


class DigestForm(forms.Form):
    wanted = forms.BooleanField(
        label=_("Weekly e-mail of my roadmap items"),
        required=False,
        help_text=_(
            "On Mondays, when one of your items is overdue or starts or ends within two "
            "weeks: the items with their dates and links."
        ),
    )
    # Left out: the language chosen before (at first the installation's).
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=settings.LANGUAGES, required=False
    )


def form_for(choice: Choice) -> DigestForm:
    """The form as the member's current choice fills it."""
    return DigestForm(initial={"wanted": choice.wanted, "language": choice.language})
