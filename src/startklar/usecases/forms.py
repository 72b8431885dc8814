"""Forms of the use-case feature."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django import forms
from django.forms import BoundField
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from startklar.core.forms import (
    DecimalField,
    ModelMultipleChoiceField,
    ScaleSelect,
    localized_formfield,
)
from startklar.organisations.tenancy import Tenant

from . import labels
from .content import load_catalogue, load_criteria
from .engine.catalogue import Effort, EntryKind, Technique
from .engine.pain import Frequency, PainPoint
from .models import GATED, NEEDS_REASON, USE_CASE_FIELDS, Status, UseCase, is_backward

TECHNIQUES = list(labels.TECHNIQUES.items())
EFFORTS = list(labels.EFFORTS.items())
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
            "kind": EntryKind.QUICK_WIN if data.get("quick_win") else None,
        }


class PainForm(forms.Form):
    """One recurring task. A row without description and hours counts as not filled in."""

    description = forms.CharField(
        label=_("Recurring task"),
        max_length=300,
        help_text=_('In your words, e.g. "We type incoming invoices into the ERP by hand".'),
    )
    hours_per_week = DecimalField(
        label=_("Hours per week"),
        min_value=Decimal(0),
        max_value=Decimal(168),
        max_digits=4,
        decimal_places=1,
        help_text=_("All people together."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=list(labels.FREQUENCIES.items()), initial=Frequency.WEEKLY
    )
    error_prone = forms.TypedChoiceField(
        label=_("How error-prone is it?"),
        choices=SCORES,
        coerce=int,
        initial="3",
        widget=ScaleSelect(low=_("1 = rarely wrong"), high=_("5 = often wrong")),
    )
    tedious = forms.TypedChoiceField(
        label=_("How tedious or overloading?"),
        choices=SCORES,
        coerce=int,
        initial="3",
        widget=ScaleSelect(low=_("1 = varied"), high=_("5 = monotonous")),
    )

    def has_changed(self) -> bool:
        return any(
            self[name].value() not in (None, "") for name in ("description", "hours_per_week")
        )


class BasePainFormSet(forms.BaseFormSet[PainForm]):
    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Describe at least one recurring task."), code="no_task")

    def tasks(self) -> list[PainPoint]:
        """The filled-in rows as pain points (call after ``is_valid()``)."""
        return [
            PainPoint(
                f.cleaned_data["description"],
                float(f.cleaned_data["hours_per_week"]),
                Frequency(f.cleaned_data["frequency"]),
                f.cleaned_data["error_prone"],
                f.cleaned_data["tedious"],
            )
            for f in self.forms
            if f.has_changed() and f.cleaned_data
        ]


MAX_TASKS = 5
PainFormSet: type[BasePainFormSet] = forms.formset_factory(  # type: ignore[assignment]
    PainForm,
    formset=BasePainFormSet,
    extra=MAX_TASKS,
    max_num=MAX_TASKS,
    absolute_max=MAX_TASKS,
    validate_max=True,
)


class UseCaseForm(forms.ModelForm[UseCase]):
    goal_date = forms.DateField(
        label=_("Goal: by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    # Shown only while a goal written as text waits to be entered as numbers.
    discard_unparsed = forms.BooleanField(
        label=_("Let the old text go without entering numbers"), required=False
    )

    class Meta:
        model = UseCase
        fields = USE_CASE_FIELDS
        widgets = {"problem": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = localized_formfield
        labels = {
            "goal_metric": _("Metric"),
            "goal_unit": _("Unit"),
            "goal_baseline_value": _("Baseline"),
            "goal_target_value": _("Target"),
        }
        help_texts = {
            "goal_metric": _('e.g. "processing time per invoice"'),
            "goal_unit": _('e.g. "min", "working days", "%", "€", "pieces"'),
            "goal_baseline_value": _("Today, as a number"),
            "goal_target_value": _("e.g. 4 (a reduction by 20 %: baseline × 0.8)"),
            "estimated_cost": _("One-off plus first year, for the budget optimiser."),
        }


class StatusForm(forms.Form):
    """The status a person may set by hand, each option saying what it needs.

    Scaling and operation come from a pilot's scale decision: an owner sees them with the
    override (a reason is required and recorded), anyone else does not see them (the page says
    where the decision is taken)."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Needed for postponing, discarding, a step back and an owner's override."),
    )
    override = forms.BooleanField(
        label=_("Set without a scale decision (owner's override; give the reason above)"),
        required=False,
    )

    def __init__(self, *args: Any, current: str, owner: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.current, self.owner = current, owner
        choices = []
        for value, name in Status.choices:
            if value in GATED and not owner and value != current:
                continue
            label = str(name)
            if value in GATED and value != current:
                label = _("%(status)s (owner only, with reason)") % {"status": name}
            elif value != current and (value in NEEDS_REASON or is_backward(current, value)):
                label = _("%(status)s (with reason)") % {"status": name}
            choices.append((value, label))
        self.fields["status"].choices = choices  # type: ignore[attr-defined]
        if not owner:
            del self.fields["override"]

    def clean_status(self) -> Status:
        return Status(self.cleaned_data["status"])


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


C = TypeVar("C", bound=_HasId)


class ScoresForm(forms.Form):
    """One 1–5 choice per criterion; each shows its help text. A criterion left open stays
    "noch nicht bewertet"; the use case counts as assessed once every criterion is scored."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in load_criteria():
            self.fields[criterion.id] = forms.TypedChoiceField(
                label=f"{criterion.name.get(_language())} ({labels.AXES[criterion.axis]})",
                help_text=criterion.help.get(_language()),
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=ScaleSelect,
            )

    def scores(self) -> dict[str, int]:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}

    def rows(self, criteria: Sequence[C]) -> list[tuple[C, BoundField]]:
        """Each criterion of a page (anything with an ``id``) with its field, for the template."""
        return [(c, self[c.id]) for c in criteria]


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for criterion in load_criteria():
            self.fields[criterion.id] = DecimalField(
                label=criterion.name.get(_language()),
                min_value=Decimal(0),
                max_value=Decimal(10),
                max_digits=3,
                decimal_places=1,
            )


class PlanForm(forms.Form):
    budget = DecimalField(
        label=_("Budget (EUR)"),
        min_value=Decimal(0),
        max_value=Decimal(10**9),
        max_digits=12,
        decimal_places=2,
    )
    capacity = DecimalField(
        label=_("Capacity (person-days)"),
        min_value=Decimal(0),
        max_value=Decimal(10**5),
        max_digits=7,
        decimal_places=1,
    )


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    use_cases = ModelMultipleChoiceField(
        label=_("Use cases to score"),
        queryset=UseCase.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["use_cases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # What the list shows and the service checks; the key of the kept list
        # (``queries.use_case_choices_key``) is read in the same order.
        field.queryset = (
            tenant.scoped(UseCase.objects)
            .order_by("title", "pk")
            .only("pk", "title", "organisation_id")
        )


class VoteForm(forms.Form):
    use_case = forms.IntegerField(min_value=1)
    criterion = forms.ChoiceField()
    score = forms.TypedChoiceField(choices=SCORES, coerce=int)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.id, c.id) for c in load_criteria()]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any):
        """``too_large``: the upload was cut off on arrival (``core.uploads``)."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False  # it is missing for that reason, say so

    def clean_file(self) -> Any:
        if self.too_large:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="too_large")
        return self.cleaned_data["file"]
