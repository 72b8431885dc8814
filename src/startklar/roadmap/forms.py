"""Forms of the roadmap: the planning settings, an item, a move, done, an owner, proposals."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from startklar.core.forms import ModelChoiceField, ModelMultipleChoiceField, localized_formfield
from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant

from .models import Item, Settings

MAX_PROPOSALS = 500  # keys one accept may carry
LATEST = datetime.date(2100, 12, 31)
EARLIEST = datetime.date(2000, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _in_range(value: datetime.date | None) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(
            _("Please give a date between 2000 and 2100."), code="out_of_range"
        )


def _members(tenant: Tenant) -> Any:
    return (
        tenant.scoped(Membership.objects)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


class SettingsForm(forms.ModelForm[Settings]):
    """What the proposal plans with."""

    class Meta:
        model = Settings
        fields = ["start", "capacity", "budget"]
        formfield_callback = localized_formfield
        widgets = {"start": DateInput()}
        help_texts = {"start": _("The proposal places nothing before this day.")}

    def clean_start(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["start"]
        _in_range(value)
        return value


class ItemForm(forms.ModelForm[Item]):
    """An item added by hand or edited: what, why, who, when, how much, after what."""

    owner = ModelChoiceField(
        label=_("Responsible"), queryset=Membership.objects.none(), required=False, empty_label="–"
    )
    depends_on = ModelMultipleChoiceField(
        label=_("Depends on"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It starts once these are done. Moving one of them moves it along."),
    )

    class Meta:
        model = Item
        fields = [
            "title",
            "kind",
            "why",
            "owner",
            "start",
            "end",
            "effort",
            "cost",
            "milestone",
            "deadline",
            "depends_on",
        ]
        formfield_callback = localized_formfield
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "start": DateInput(),
            "end": DateInput(),
            "deadline": DateInput(),
        }
        labels = {"end": _("End (last day)")}
        help_texts = {
            "deadline": _("A date the law sets, e.g. for a transparency notice; else empty."),
            "milestone": _("A point in time, e.g. a decision: shown as a diamond."),
        }

    def __init__(self, tenant: Tenant, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = self.fields["owner"]
        members.queryset = _members(tenant)  # type: ignore[attr-defined]
        members.label_from_instance = lambda m: m.user.display_name  # type: ignore[attr-defined]
        others = tenant.scoped(Item.objects).order_by("start", "title")
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others  # type: ignore[attr-defined]
        self.fields["depends_on"].label_from_instance = (  # type: ignore[attr-defined]
            lambda i: f"{i.title} ({i.start:%d.%m.%Y} – {i.end:%d.%m.%Y})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end", "deadline"):
            try:
                _in_range(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
                data.pop(name, None)
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end lies before the start."))
        if isinstance(data.get("why"), str):  # a browser sends line ends as \r\n
            data["why"] = data["why"].replace("\r\n", "\n")
        return data


class MoveForm(forms.Form):
    """A new start (and end) for the preview of what moves along."""

    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End (last day)"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            try:
                _in_range(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
                data.pop(name, None)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end lies before the start."))
        return data


class DoneForm(forms.Form):
    done = forms.BooleanField(required=False)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            _in_range(data.get("done_on"))
        except forms.ValidationError as error:
            self.add_error("done_on", error)
        return data


class AssignForm(forms.Form):
    owner = ModelChoiceField(
        label=_("Responsible"), queryset=Membership.objects.none(), required=False, empty_label="–"
    )

    def __init__(self, tenant: Tenant, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = self.fields["owner"]
        members.queryset = _members(tenant)  # type: ignore[attr-defined]
        members.label_from_instance = lambda m: m.user.display_name  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    """The proposals to accept, by key (checked against the proposal afresh by the service)."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.chosen: list[str] = []
        if data is not None:
            self.chosen = [k for k in data.getlist("key") if isinstance(k, str)][:MAX_PROPOSALS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.chosen:
            raise forms.ValidationError(_("Please choose at least one proposal."))
        if any(len(k) > 120 for k in self.chosen):
            raise forms.ValidationError(_("This proposal does not exist (any more)."))
        return data
