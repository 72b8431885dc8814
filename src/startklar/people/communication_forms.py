"""Forms of the communication plan and the staff FAQ: the checks the services repeat, here with
a message at the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, CommunicationItem, CommunicationKind, FaqEntry


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ItemForm(forms.ModelForm[CommunicationItem]):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CommunicationKind.choices,
        error_messages={"invalid_choice": _("Please choose what kind of step this is.")},
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=Channel.choices,
        error_messages={"invalid_choice": _("Please choose how staff are told.")},
    )

    class Meta:
        model = CommunicationItem
        fields = ["kind", "audience", "message", "channel", "due_on"]
        labels = {
            "audience": _("Who is told"),
            "message": _("What they are told"),
            "due_on": _("By when"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4}), "due_on": DateInput()}
        help_texts = {
            "audience": _("E.g. “all staff”, “the shop floor”, “the works council”."),
            "message": _(
                "In plain words. Say what changes and what does not – e.g. that AI is not used "
                "to monitor anyone's performance."
            ),
        }
        error_messages = {
            "audience": {"required": _("Please say who is told.")},
            "message": {"required": _("Please say what they are told.")},
            "due_on": {
                "required": _("Please enter the date by which they are told."),
                "invalid": _("Please enter a date, e.g. 31.03.2027."),
            },
        }


class FaqForm(forms.ModelForm[FaqEntry]):
    class Meta:
        model = FaqEntry
        fields = ["question", "answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "question": _("As staff would ask it, e.g. “Will AI monitor my work?”"),
            "answer": _("Honest and concrete. Say what is not done with AI, too."),
        }
        error_messages = {
            "question": {"required": _("Please write the question.")},
            "answer": {"required": _("Please write the answer.")},
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")],
        error_messages={
            "required": _("Please choose up or down."),
            "invalid_choice": _("Please choose up or down."),
        },
    )
