"""Forms of the quality reviews: the plan with its sample-size calculator, the rubric, an item
entered by hand or a CSV file of items, a verdict, a settlement and an alert's measure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from startklar.accounts.models import User
from startklar.compliance.models import AISystem
from startklar.core.forms import DecimalField, ModelMultipleChoiceField, localized_formfield
from startklar.organisations.tenancy import Tenant

from . import engine
from .models import MAX_CONTEXT, MAX_OUTPUT, ReviewPlan, Severity

MAX_CSV_BYTES = 2 * 1024 * 1024
CRITERION_LEVELS = [(s.value, s.label) for s in Severity]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PeopleChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _members(tenant: Tenant) -> Any:
    return User.objects.filter(memberships__organisation=tenant.organisation).order_by(
        "full_name", "email"
    )


class PlanForm(forms.ModelForm[ReviewPlan]):
    reviewers = PeopleChoice(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members who judge the items."),
    )

    class Meta:
        model = ReviewPlan
        formfield_callback = localized_formfield
        fields = (
            "title",
            "ai_system",
            "sampled",
            "source",
            "cadence",
            "items_per_period",
            "double_share",
            "margin",
            "confidence",
            "expected_rate",
            "threshold",
            "baseline_errors",
            "baseline_items",
            "baseline_note",
            "owner",
            "active",
        )
        widgets = {"sampled": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "sampled": _("E.g. every 20th incoming invoice the AI has read."),
            "source": _("E.g. the accounting system's document list."),
            "double_share": _(
                "These items get a second, independent verdict: it shows how far reviewers agree."
            ),
            "margin": _("How exactly the error rate should be known, e.g. ± 5 points."),
            "expected_rate": _(
                "Leave empty if unknown: then the sample is sized for the worst case."
            ),
            "threshold": _("The highest error rate the company accepts."),
            "baseline_errors": _(
                "Optional: errors and items of an earlier sample (the manual process or the "
                "first weeks), to see whether the AI got worse."
            ),
            "owner": _("Settles disagreements and receives alerts by e-mail."),
        }

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        systems = self.fields["ai_system"]
        assert isinstance(systems, forms.ModelChoiceField)
        systems.queryset = tenant.scoped(AISystem.objects).order_by("name", "pk")
        reviewers = self.fields["reviewers"]
        assert isinstance(reviewers, forms.ModelMultipleChoiceField)
        reviewers.queryset = _members(tenant)
        owner = PersonChoice(label=_("Owner"), queryset=_members(tenant), required=False)
        owner.help_text = self.fields["owner"].help_text
        self.fields["owner"] = owner
        if self.instance.pk and not self.is_bound:
            self.initial["reviewers"] = list(
                self.instance.reviewers.values_list("user_id", flat=True)
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors, items = data.get("baseline_errors"), data.get("baseline_items")
        if (errors is None) != (items is None):
            self.add_error(
                "baseline_items", _("Give both the errors and the items of the baseline.")
            )
        elif errors is not None and items is not None:
            if items == 0:
                self.add_error("baseline_items", _("A baseline needs at least one item."))
            elif errors > items:
                self.add_error(
                    "baseline_errors", _("A baseline cannot have more errors than items.")
                )
        return data


class SampleSizeForm(forms.Form):
    """The calculator beside the plan form: precision and confidence in, items out."""

    margin = DecimalField(min_value=Decimal(1), max_value=Decimal(25), decimal_places=1)
    confidence = DecimalField(min_value=Decimal(80), max_value=Decimal("99.9"), decimal_places=1)
    expected_rate = DecimalField(
        min_value=Decimal(0), max_value=Decimal(100), decimal_places=1, required=False
    )

    def size(self) -> int | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        expected = data["expected_rate"]
        return engine.sample_size(
            float(data["margin"]) / 100,
            float(data["confidence"]) / 100,
            0.5 if expected is None else float(expected) / 100,
        )


class RubricForm(forms.Form):
    """Rename criteria and levels, change severities, add a level or a criterion."""

    def __init__(self, *args: Any, rubric: engine.Rubric, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        language = get_language() or "de"
        for i, criterion in enumerate(rubric.criteria):
            self.fields[f"c{i}"] = forms.CharField(
                label=_("Criterion"), max_length=engine.MAX_NAME, initial=criterion.name(language)
            )
            for j, level in enumerate(criterion.levels):
                self.fields[f"c{i}_l{j}"] = forms.CharField(
                    label=_("Level"), max_length=engine.MAX_NAME, initial=level.name(language)
                )
                self.fields[f"c{i}_l{j}_severity"] = forms.ChoiceField(
                    label=_("Severity"), choices=CRITERION_LEVELS, initial=str(level.severity)
                )
            if len(criterion.levels) < engine.MAX_LEVELS:
                self.fields[f"c{i}_new"] = forms.CharField(
                    label=_("New level"), max_length=engine.MAX_NAME, required=False
                )
                self.fields[f"c{i}_new_severity"] = forms.ChoiceField(
                    label=_("Severity"), choices=CRITERION_LEVELS, initial=Severity.MINOR
                )
        if len(rubric.criteria) < engine.MAX_CRITERIA:
            self.fields["new_criterion"] = forms.CharField(
                label=_("New criterion"),
                max_length=engine.MAX_NAME,
                required=False,
                help_text=_("It gets the levels right, minor flaws, wrong and dangerous."),
            )

    def criteria_rows(self) -> list[dict[str, Any]]:
        rows = []
        for i, criterion in enumerate(self.rubric.criteria):
            rows.append(
                {
                    "name": self[f"c{i}"],
                    "levels": [
                        (self[f"c{i}_l{j}"], self[f"c{i}_l{j}_severity"])
                        for j in range(len(criterion.levels))
                    ],
                    "new": (self[f"c{i}_new"], self[f"c{i}_new_severity"])
                    if f"c{i}_new" in self.fields
                    else None,
                }
            )
        return rows

    def rubric_data(self, default: engine.Rubric) -> dict[str, object]:
        """The edited rubric as data: a changed name holds for both languages (a name a
        person typed has no translation)."""
        data = self.cleaned_data
        language = "en" if (get_language() or "de").startswith("en") else "de"
        criteria = []

        def names(old_de: str, old_en: str, typed: str) -> dict[str, str]:
            current = old_en if language == "en" else old_de
            return {"de": old_de, "en": old_en} if typed == current else {"de": typed, "en": typed}

        for i, criterion in enumerate(self.rubric.criteria):
            levels = [
                {
                    "key": level.key,
                    "name": names(level.de, level.en, data[f"c{i}_l{j}"].strip()),
                    "severity": data[f"c{i}_l{j}_severity"],
                }
                for j, level in enumerate(criterion.levels)
            ]
            new = (data.get(f"c{i}_new") or "").strip()
            if new:
                taken = {level.key for level in criterion.levels}
                key = next(f"level_{n}" for n in range(1, 100) if f"level_{n}" not in taken)
                levels.append(
                    {
                        "key": key,
                        "name": {"de": new, "en": new},
                        "severity": data[f"c{i}_new_severity"],
                    }
                )
            criteria.append(
                {
                    "key": criterion.key,
                    "name": names(criterion.de, criterion.en, data[f"c{i}"].strip()),
                    "levels": levels,
                }
            )
        new_criterion = (data.get("new_criterion") or "").strip()
        if new_criterion:
            taken = {c.key for c in self.rubric.criteria}
            key = next(f"criterion_{n}" for n in range(1, 100) if f"criterion_{n}" not in taken)
            scale = default.criteria[0].levels
            criteria.append(
                {
                    "key": key,
                    "name": {"de": new_criterion, "en": new_criterion},
                    "levels": [
                        {
                            "key": v.key,
                            "name": {"de": v.de, "en": v.en},
                            "severity": str(v.severity),
                        }
                        for v in scale
                    ],
                }
            )
        return {"criteria": criteria}


class ItemForm(forms.Form):
    output = forms.CharField(
        label=_("AI output or link"),
        max_length=MAX_OUTPUT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    context = forms.CharField(
        label=_("Input or context"),
        max_length=MAX_CONTEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=120,
        required=False,
        help_text=_("E.g. the document number; unique within the plan."),
    )
    sampled_on = forms.DateField(
        label=_("Sampled on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_sampled_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["sampled_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date lies in the future."), code="future")
        if day.year < 2000:
            raise forms.ValidationError(_("The date lies before 2000."), code="past")
        return day


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: output (required), reference, context, sampled_on (e.g. 2026-03-02 or "
            "02.03.2026); German column names work too. Separated by comma or semicolon."
        ),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        if self.too_large:
            raise forms.ValidationError(_("The file is larger than 2 MB."), code="too_large")
        file = self.cleaned_data["file"]
        if file is not None and file.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."), code="too_large")
        return file


class VerdictForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, rubric: engine.Rubric, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = get_language() or "de"
        self.rubric = rubric
        fields = {}
        for criterion in rubric.criteria:
            fields[f"level_{criterion.key}"] = forms.ChoiceField(
                label=criterion.name(language),
                choices=[(v.key, v.name(language)) for v in criterion.levels],
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose a level.")},
            )
        self.fields = {**fields, "comment": self.fields["comment"]}

    def criteria(self) -> list[tuple[engine.Criterion, forms.BoundField]]:
        return [(c, self[f"level_{c.key}"]) for c in self.rubric.criteria]

    def levels(self) -> dict[str, str]:
        return {c.key: self.cleaned_data[f"level_{c.key}"] for c in self.rubric.criteria}


class SettleForm(forms.Form):
    error = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("1", _("error")), ("0", _("no error"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Why"), max_length=1000)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Measure taken"),
        max_length=1000,
        help_text=_("E.g. the vendor was told, the template corrected, reviews doubled."),
    )
