"""Forms of the business case: settings, line items with three-point estimates, actual values,
the make/buy/partner questionnaire and the decision."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from startklar.core.forms import DecimalField, ScaleSelect

from . import engine, queries
from .content import load_questionnaire
from .labels import FACTOR_LABELS
from .models import FIRST_START, LAST_START, MAX_VALUE, Kind, LineItem, Option

POINTS = (("low", _("min")), ("likely", _("most likely")), ("high", _("max")))
NUMBER_ERRORS = {
    "invalid": _("Please enter a number."),
    "min_value": _("Must not be negative."),
    "max_value": _("Please enter at most one trillion."),
    "max_digits": _("Please enter at most one trillion."),
    "max_whole_digits": _("Please enter at most one trillion."),
    "max_decimal_places": _("At most four decimal places."),
}


def number_field(label: StrOrPromise, max_value: Decimal = MAX_VALUE) -> DecimalField:
    return DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=max_value,
        max_digits=18,
        decimal_places=4,
        error_messages=NUMBER_ERRORS,
    )


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (``<input type="month">``)."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, str) and len(value) == 7:
            value = f"{value}-01"
        return super().to_python(value)


class SettingsForm(forms.Form):
    horizon = forms.IntegerField(label=_("Horizon (months)"), min_value=1, max_value=240)
    discount_rate = DecimalField(
        label=_("Discount rate (% per year)"),
        min_value=Decimal(0),
        max_value=Decimal(50),
        max_digits=4,
        decimal_places=2,
        error_messages=NUMBER_ERRORS,
    )
    start = MonthField(
        label=_("Start month"),
        input_formats=["%Y-%m-%d"],
        validators=[
            MinValueValidator(FIRST_START, _("The start month cannot be before January 2000.")),
            MaxValueValidator(LAST_START, _("The start month cannot be after December 2099.")),
        ],
    )
    go_live = forms.IntegerField(
        label=_("Go-live (months after the start)"),
        min_value=0,
        max_value=239,
        help_text=_("Costs run from the start; benefits begin after the go-live."),
        error_messages={"invalid": _("Please enter a whole number of months.")},
    )
    ramp_low = number_field(_("Ramp: min months"), Decimal(120))
    ramp_likely = number_field(_("Ramp: most likely"), Decimal(120))
    ramp_high = number_field(_("Ramp: max months"), Decimal(120))

    @property
    def ramp_fields(self) -> list[tuple[forms.BoundField, StrOrPromise]]:
        """The three ramp boxes with their short names (the legend names the ramp)."""
        return [
            (self["ramp_low"], _("min")),
            (self["ramp_likely"], _("most likely")),
            (self["ramp_high"], _("max")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = [data.get(k) for k in ("ramp_low", "ramp_likely", "ramp_high")]
        if None not in values and not values[0] <= values[1] <= values[2]:  # type: ignore[operator]
            self.add_error("ramp_likely", _("Min ≤ most likely ≤ max is required."))
        horizon, go_live = data.get("horizon"), data.get("go_live")
        if horizon is not None and go_live is not None and go_live >= horizon:
            self.add_error(
                "go_live", _("The go-live must lie within the horizon (before its last month).")
            )
        return data


class NewItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind)
    name = forms.CharField(label=_("Name"), max_length=120)

    def clean_kind(self) -> engine.ItemKind:
        return engine.ItemKind(self.cleaned_data["kind"])


class ItemForm(forms.Form):
    """Name, note and min/most likely/max of every factor of one line item."""

    name = forms.CharField(label=_("Name"), max_length=120)
    note = forms.CharField(label=_("Source or note"), max_length=300, required=False)

    def __init__(self, *args: Any, item: LineItem, **kwargs: Any):
        kwargs.setdefault("prefix", f"item{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        self.kind = engine.ItemKind(item.kind)
        factors = {f.key: f for f in item.factors.all()}
        self.display_name = queries.item_name(item)
        if not self.is_bound:
            self.initial = {"name": self.display_name, "note": item.note}
        for key in self.kind.factors:
            max_value = Decimal(1) if key in engine.SHARES else MAX_VALUE
            for point, point_label in POINTS:
                name = f"{key}_{point}"
                label = f"{FACTOR_LABELS[key]}: {point_label}"
                self.fields[name] = number_field(label, max_value)
                if not self.is_bound and key in factors:
                    self.initial[name] = getattr(factors[key], point).normalize()

    @property
    def factor_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(FACTOR_LABELS[key]), [self[f"{key}_{point}"] for point, _label in POINTS])
            for key in self.kind.factors
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in self.kind.factors:
            low, likely, high = (data.get(f"{key}_{p}") for p, _label in POINTS)
            if None not in (low, likely, high) and not low <= likely <= high:  # type: ignore[operator]
                self.add_error(
                    f"{key}_likely",
                    _("%(factor)s: min ≤ most likely ≤ max is required.")
                    % {"factor": FACTOR_LABELS[key]},
                )
        return data

    def factors(self) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
        data = self.cleaned_data
        return {
            key: (data[f"{key}_low"], data[f"{key}_likely"], data[f"{key}_high"])
            for key in self.kind.factors
        }


class ActualForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Benefit item"), queryset=LineItem.objects.none())
    month = MonthField(label=_("Month"), input_formats=["%Y-%m-%d"])
    value = DecimalField(
        label=_("Realised value (EUR)"),
        max_value=MAX_VALUE,
        min_value=-MAX_VALUE,
        decimal_places=2,
        error_messages=NUMBER_ERRORS,
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = items


class QuestionnaireForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = get_language() or "de"
        for criterion in load_questionnaire().criteria:
            self.fields[criterion.id] = forms.TypedChoiceField(
                label=criterion.question.get(language),
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                empty_value=None,  # an open question stays open (counts as neutral)
                widget=ScaleSelect(
                    low=f"1 = {criterion.low.get(language)}",
                    high=f"5 = {criterion.high.get(language)}",
                ),
                required=False,
            )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Option)
    rationale = forms.CharField(
        label=_("Rationale"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    apply_template = forms.BooleanField(
        label=_("Add the typical cost items of this path to the business case"), required=False
    )

    def clean_decision(self) -> Option:
        return Option(self.cleaned_data["decision"])
