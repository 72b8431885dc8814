"""Forms of the works council's record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from startklar.compliance.models import AISystem
from startklar.core.forms import ModelChoiceField
from startklar.organisations.tenancy import Tenant

from .council_queries import checklist_choices
from .models import MAX_EVENT_TITLE, MAX_NOTES, EventKind, Monitoring


class SystemForm(forms.Form):
    """How an AI system concerns the works council."""

    monitoring = forms.ChoiceField(
        label=_("Can the system monitor the behaviour or performance of employees?"),
        choices=Monitoring.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "What counts is whether it could, not whether it is meant to: logs or evaluations "
            "that show who did what and when are often enough."
        ),
    )
    personnel = forms.BooleanField(
        label=_("The system helps select or assess people (hiring, transfers, dismissals)"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you assessed it so, e.g. which data the system logs."),
    )


class EventForm(forms.Form):
    """An entry of the log."""

    kind = forms.ChoiceField(label=_("What happened"), choices=EventKind.choices)
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Title"), max_length=MAX_EVENT_TITLE)
    ai_system = ModelChoiceField(
        label=_("AI system"),
        queryset=AISystem.objects.none(),
        required=False,
        empty_label=_("AI in general (no single system)"),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed, agreed or asked for; who took part."),
    )
    covered = forms.MultipleChoiceField(
        label=_("What the agreement covers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only for a works agreement or a regulation agreement: tick the points it settles. "
            "The points left open are shown with the entry."
        ),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        system = self.fields["ai_system"]
        assert isinstance(system, forms.ModelChoiceField)
        system.queryset = tenant.scoped(AISystem.objects).order_by("name", "pk")
        covered = self.fields["covered"]
        assert isinstance(covered, forms.MultipleChoiceField)
        covered.choices = checklist_choices()


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, OpenDocument, Excel or an image (PNG, JPEG)."),
    )
