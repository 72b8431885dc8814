"""Forms of the staff pulses: a new pulse, codes to print, the check of a comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .content import CURRENT_VERSION, load_bank
from .engine.anonymity import MIN_K
from .models import MAX_GROUPS, MAX_K, MAX_TITLE, CommentReview, Pulse
from .services import MAX_CODES, MAX_OWN, MAX_OWN_TEXT

SCALES = (("agreement", _("agree or disagree")), ("frequency", _("how often")))


def _language() -> str:
    return "en" if (get_language() or "de").startswith("en") else "de"


class PulseForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        help_text=_("Staff see it above the questions, e.g. “AI pulse spring 2027”."),
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "About two minutes with all of them. Keep them the same from pulse to pulse, so that "
            "changes show."
        ),
    )
    own_questions = forms.CharField(
        label=_("Questions of your own"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    own_scale = forms.ChoiceField(
        label=_("Scale of your own questions"),
        choices=SCALES,
        initial="agreement",
        help_text=_(
            "Agree or disagree: from “not at all true” to “completely true”. How often: from "
            "“never” to “almost every day”."
        ),
    )
    groups = forms.CharField(
        label=_("Groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    k = forms.IntegerField(
        label=_("Answers a group needs before its results are shown"),
        min_value=MIN_K,
        max_value=MAX_K,
        initial=MIN_K,
    )
    ask_comment = forms.BooleanField(
        label=_("Ask for a comment (free text)"), required=False, initial=True
    )
    codes_required = forms.BooleanField(
        label=_("Answers only with a single-use code"),
        required=False,
        help_text=_(
            "Everybody answers once: print codes on slips of paper and hand them out at random. "
            "A code says nothing about who used it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Texts with figures are made here, in the request's language (not at import).
        self.fields["own_questions"].help_text = gettext(
            "Optional: up to %(count)d, one per line, at most %(chars)d characters each. They are "
            "shown in the words you write and count for no score."
        ) % {"count": MAX_OWN, "chars": MAX_OWN_TEXT}
        self.fields["groups"].help_text = gettext(
            "Optional: departments or sites, one per line (up to %(count)d). Each gets a link of "
            "its own; its results are shown only where enough people of it answered."
        ) % {"count": MAX_GROUPS}
        self.fields["k"].help_text = gettext(
            "At least %(k)d, so that nobody can be recognised."
        ) % {"k": MIN_K}
        language = _language()
        bank = load_bank(CURRENT_VERSION)
        field = self.fields["questions"]
        field.choices = [(q.key, q.text.get(language)) for q in bank.questions]  # type: ignore[attr-defined]
        field.initial = [q.key for q in bank.questions]

    def own(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(line, data["own_scale"]) for line in data["own_questions"].splitlines()]

    def group_names(self) -> list[str]:
        return self.cleaned_data["groups"].splitlines()


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=MAX_CODES,
        initial=20,
        help_text=_("One per person asked, and a few to spare."),
    )
    group = forms.TypedChoiceField(label=_("For"), coerce=int, required=False, empty_value=None)

    def __init__(self, pulse: Pulse, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[object, str]] = [("", str(_("everybody")))]
        choices += [(g.pk, g.name) for g in pulse.groups.all()]
        self.fields["group"].choices = choices  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    answer = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    review = forms.ChoiceField(
        choices=[(CommentReview.SHOWN, _("show")), (CommentReview.HIDDEN, _("hide"))]
    )
