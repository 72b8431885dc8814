"""Forms of the pilots: the pilot itself, its KPIs, measurements and the scale decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from startklar.businesscase.models import LineItem
from startklar.compliance.models import AISystem
from startklar.core.forms import DecimalField, ModelMultipleChoiceField, localized_formfield
from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import Status

from .models import GateItem, Kpi, Outcome, Pilot


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PilotForm(forms.ModelForm[Pilot]):
    """Goal, scope, dates, owner, team, AI systems and hypotheses of a pilot."""

    ai_systems = ModelMultipleChoiceField(
        label=_("AI systems from the register"),
        queryset=AISystem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Pilot
        fields = [
            "goal",
            "scope",
            "start",
            "planned_end",
            "owner",
            "team",
            "hypotheses",
            "operation_owner",
        ]
        formfield_callback = localized_formfield
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "hypotheses": forms.Textarea(attrs={"rows": 3}),
            "start": DateInput(),
            "planned_end": DateInput(),
        }
        help_texts = {
            "planned_end": _("Four to six weeks are usually enough to see whether it works."),
            "team": _("Who takes part, e.g. “Buchhaltung: Frau Kaya, Herr Becker”."),
            "operation_owner": _("Who runs the system once it is scaled."),
        }

    def __init__(self, tenant: Tenant, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            tenant.scoped(Membership.objects)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda m: m.user.display_name
        )
        self.fields["ai_systems"].queryset = tenant.scoped(  # type: ignore[attr-defined]
            AISystem.objects
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("goal", "scope", "hypotheses"):  # a browser sends line ends as \r\n
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\r\n", "\n")
        start, end = data.get("start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end lies before the start."))
        return data


class GateNoteForm(forms.Form):
    item = forms.ChoiceField(choices=GateItem.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to take the note back."),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    to_status = forms.ChoiceField(
        label=_("If scaled: the use case moves to"),
        choices=[
            (Status.SCALING.value, Status.SCALING.label),
            (Status.IN_OPERATION.value, Status.IN_OPERATION.label),
        ],
        initial=Status.SCALING.value,
        required=False,
        widget=forms.RadioSelect,
    )
    new_end = forms.DateField(
        label=_("If extended: new planned end"), required=False, widget=DateInput()
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the decision rests on; with open items, why it is taken anyway."),
    )
    override = forms.BooleanField(
        label=_("Decide although items are open (owners only; recorded with the rationale)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == Outcome.GO and not data.get("to_status"):
            self.add_error("to_status", _("Choose scaling or operation."))
        if outcome == Outcome.EXTEND and not data.get("new_end"):
            self.add_error("new_end", _("Enter the new planned end."))
        return data


class KpiForm(forms.ModelForm[Kpi]):
    """A KPI: what is measured, how often, from which baseline to which target, and (for the
    business case) what an improvement is worth."""

    class Meta:
        model = Kpi
        fields = [
            "name",
            "category",
            "unit",
            "direction",
            "period",
            "baseline_value",
            "baseline_date",
            "baseline_method",
            "target_value",
            "target_date",
            "benefit_item",
            "benefit_volume",
            "benefit_rate",
            "waiver",
        ]
        formfield_callback = localized_formfield
        widgets = {
            "baseline_date": DateInput(),
            "target_date": DateInput(),
            "direction": forms.RadioSelect,
            "category": forms.RadioSelect,
        }
        help_texts = {
            "name": _("E.g. “Bearbeitungszeit je Rechnung”."),
            "unit": _("E.g. min, %, cases per day."),
            "period": _("A value per day, per week (from Monday) or per month."),
            "baseline_value": _("The value before the pilot."),
            "baseline_method": _(
                "E.g. “stopwatch, 40 invoices in week 12”, so the measurements can be "
                "compared with it."
            ),
            "benefit_item": _(
                "Optional: the KPI's improvement over the baseline turns into euros for this "
                "line of the business case's plan against actual."
            ),
            "benefit_volume": _("How many cases a month the improvement applies to."),
            "benefit_rate": _(
                "What one unit of improvement is worth, e.g. 0,75 € per minute. Minutes saved "
                "per invoice × invoices per month × € per minute = euros per month."
            ),
            "waiver": _("Only if the pilot should scale although this KPI misses its target."),
        }
        labels = {"benefit_rate": _("euros per unit of improvement (€)")}

    def __init__(self, pilot: Pilot, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from startklar.businesscase.engine import BENEFITS

        self.fields["benefit_item"].queryset = LineItem.objects.filter(  # type: ignore[attr-defined]
            organisation_id=pilot.organisation_id,
            business_case__use_case_id=pilot.use_case_id,
            kind__in=[str(kind) for kind in BENEFITS],
        ).order_by("position", "pk")
        self.fields["benefit_item"].empty_label = _("no benefit line")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        baseline, target = data.get("baseline_value"), data.get("target_value")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target_value", _("The target must differ from the baseline."))
        if data.get("benefit_item") is not None:
            for field in ("benefit_volume", "benefit_rate"):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, _("Needed to turn the improvement into euros."))
        return data


class MeasurementForm(forms.Form):
    """The quick entry under a KPI's chart."""

    period = forms.DateField(label=_("Date"), widget=DateInput())
    value = DecimalField(label=_("Measured value"), max_digits=18, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("Columns: KPI, Date, Value and optionally Note; one row per measurement."),
    )
