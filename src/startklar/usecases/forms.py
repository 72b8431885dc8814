"""Forms of the use-case feature."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from startklar.organisations.tenancy import Tenant

from .content import load_catalogue, load_criteria
from .engine.catalogue import Effort, Kind, Technique
from .engine.pain import Frequency
from .models import USE_CASE_FIELDS, Status, UseCase

TECHNIQUES = [
    (Technique.TEXT, _("Text & language")),
    (Technique.DOKUMENTE, _("Document analysis")),
    (Technique.BILD_TON, _("Image & sound")),
    (Technique.ZEITREIHEN, _("Time series & forecasting")),
    (Technique.CLUSTER, _("Clustering & analysis")),
    (Technique.ASSISTENZ, _("Assistants & generative AI")),
    (Technique.SENSORIK, _("Sensors")),
    (Technique.ROBOTIK, _("Robotics")),
]
EFFORTS = [(Effort.NIEDRIG, _("low")), (Effort.MITTEL, _("medium")), (Effort.HOCH, _("high"))]
SCORES = [(str(n), str(n)) for n in range(1, 6)]


def _language() -> str:
    return get_language() or "de"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    function = forms.ChoiceField(label=_("Function"), required=False)
    technique = forms.ChoiceField(
        label=_("Technique"), required=False, choices=[("", _("all")), *TECHNIQUES]
    )
    effort = forms.ChoiceField(
        label=_("Effort"), required=False, choices=[("", _("all")), *EFFORTS]
    )
    quick_win = forms.BooleanField(label=_("Quick wins only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *((f.id, f.name.get(_language())) for f in load_catalogue().functions),
        ]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "function": data.get("function") or None,
            "technique": Technique(data["technique"]) if data.get("technique") else None,
            "effort": Effort(data["effort"]) if data.get("effort") else None,
            "kind": Kind.QUICK_WIN if data.get("quick_win") else None,
        }


class PainForm(forms.Form):
    description = forms.CharField(
        label=_("Recurring task"),
        max_length=300,
        help_text=_('In your words, e.g. "We type incoming invoices into the ERP by hand".'),
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), min_value=Decimal(0), max_value=Decimal(168), decimal_places=1
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[
            (Frequency.DAILY, _("daily")),
            (Frequency.WEEKLY, _("weekly")),
            (Frequency.MONTHLY, _("monthly")),
        ],
    )
    error_prone = forms.TypedChoiceField(
        label=_("Error-prone (1–5)"), choices=SCORES, coerce=int, initial="3"
    )
    tedious = forms.TypedChoiceField(
        label=_("Tedious or overloading (1–5)"), choices=SCORES, coerce=int, initial="3"
    )


PainFormSet = forms.formset_factory(PainForm, extra=0, min_num=1, max_num=5, validate_max=True)


class UseCaseForm(forms.ModelForm[UseCase]):
    goal_date = forms.DateField(
        label=_("Goal: by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    class Meta:
        model = UseCase
        fields = USE_CASE_FIELDS
        widgets = {"problem": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "goal_metric": _('e.g. "support requests per month"'),
            "goal_target": _('e.g. "−20 %" or "400"'),
            "estimated_cost": _("One-off plus first year, for the budget optimiser."),
        }

    def __init__(self, *args: Any, localized: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("estimated_cost", "person_days"):
            self.fields[name].localize = localized
            self.fields[name].widget.is_localized = localized


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean_status(self) -> Status:
        return Status(self.cleaned_data["status"])


class ScoresForm(forms.Form):
    """One 1–5 choice per criterion; each shows its help text."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in load_criteria():
            self.fields[criterion.id] = forms.TypedChoiceField(
                label=criterion.name.get(_language()),
                help_text=criterion.help.get(_language()),
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in load_criteria():
            self.fields[criterion.id] = forms.DecimalField(
                label=criterion.name.get(_language()),
                min_value=Decimal(0),
                max_value=Decimal(10),
                decimal_places=1,
                localize=True,
            )


class PlanForm(forms.Form):
    budget = forms.DecimalField(
        label=_("Budget (EUR)"), min_value=Decimal(0), max_value=Decimal(10**9), localize=True
    )
    capacity = forms.DecimalField(
        label=_("Capacity (person-days)"),
        min_value=Decimal(0),
        max_value=Decimal(10**5),
        localize=True,
    )


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    use_cases = forms.ModelMultipleChoiceField(
        label=_("Use cases to score"),
        queryset=UseCase.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["use_cases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = tenant.scoped(UseCase.objects).order_by("title")


class VoteForm(forms.Form):
    use_case = forms.IntegerField(min_value=1)
    criterion = forms.ChoiceField()
    score = forms.TypedChoiceField(choices=SCORES, coerce=int)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.id, c.id) for c in load_criteria()]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
