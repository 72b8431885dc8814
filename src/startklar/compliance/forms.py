"""Forms of the compliance feature."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from startklar.core.forms import localized_formfield
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from .engine import NO, UNKNOWN, YES, Question, QuestionType
from .models import AISystem, DpoKind, Person, PrivacyFacts, TrainingRecord


def not_in_the_future(day: datetime.date, message: StrOrPromise) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(message, code="future")
    return day


# The field each object shows as an option: what its ``str()`` gives.
LABEL_FIELDS: dict[type[models.Model], str] = {UseCase: "title", AISystem: "name", Person: "name"}


class NamedChoices(ModelChoiceIterator):
    """The options of a choice over many objects read as (id, name) rows: the same options as
    Django's iterator gives, without making a model instance for each of them."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.rows()

    def rows(self) -> Iterable[tuple[int, str]]:
        label = LABEL_FIELDS[self.queryset.model]
        return self.queryset.values_list("pk", label)


class ReadChoices(NamedChoices):
    """The options of a :class:`NamedChoices` field from (id, name) rows that a page query has
    read already from the field's queryset, in its order, instead of reading them again."""

    def __init__(self, field: forms.ModelChoiceField, rows: list[tuple[int, str]]):
        super().__init__(field)
        self.read = rows

    def rows(self) -> Iterable[tuple[int, str]]:
        return self.read


def _named(
    field: forms.Field, queryset: models.QuerySet[Any], rows: list[tuple[int, str]] | None = None
) -> forms.ModelChoiceField:
    """Offer the objects of ``queryset`` in ``field``, as :class:`NamedChoices`; ``rows``: the
    objects' (id, name) rows if the page has read them already (the widget shows them, the
    field still checks an answer against ``queryset``)."""
    assert isinstance(field, forms.ModelChoiceField)
    field.iterator = NamedChoices
    field.queryset = queryset  # sets the widget's choices, from the iterator
    if rows is not None:
        field.widget.choices = ReadChoices(field, rows)
    return field


class AnswerForm(forms.Form):
    """One answer; the choices are those of the question (plus "weiß nicht")."""

    question = forms.CharField(max_length=60, widget=forms.HiddenInput)
    answer = forms.ChoiceField(widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    def __init__(self, *args: Any, question: Question, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = get_language() or "de"
        choices: list[tuple[str, object]]
        if question.type is QuestionType.YES_NO:
            choices = [(YES, _("Yes")), (NO, _("No"))]
        else:
            choices = [(o.id, o.label.get(language)) for o in question.options]
        self.fields["answer"].choices = [*choices, (UNKNOWN, _("Don't know"))]  # type: ignore[attr-defined]
        self.fields["answer"].label = question.text.get(language)
        self.fields["question"].initial = question.id

    def clean_question(self) -> str:
        return str(self.cleaned_data["question"])


class SystemForm(forms.ModelForm[AISystem]):
    class Meta:
        model = AISystem
        formfield_callback = localized_formfield
        fields = (
            "name",
            "owner",
            "purpose",
            "vendor",
            "capability",
            "hosting",
            "data_location",
            "personal_data",
            "use_cases",
            "status",
            "dpia_status",
            "dpa_status",
            "next_review",
        )
        widgets = {
            "next_review": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "use_cases": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self,
        *args: Any,
        tenant: Tenant,
        use_cases: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ):
        """``use_cases``: the organisation's use cases as (id, title) by title, if read
        already (``queries.use_case_choices``)."""
        super().__init__(*args, **kwargs)
        offered = tenant.scoped(UseCase.objects).order_by("title", "pk")
        field = _named(self.fields["use_cases"], offered, use_cases)
        field.required = False


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        formfield_callback = localized_formfield
        fields = ("name", "role_level", "department", "ai_systems")
        widgets = {"ai_systems": forms.CheckboxSelectMultiple}

    def __init__(
        self,
        *args: Any,
        tenant: Tenant,
        systems: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ):
        """``systems``: the organisation's AI systems as (id, name) by name, if read already."""
        super().__init__(*args, **kwargs)
        field = _named(self.fields["ai_systems"], tenant.scoped(AISystem.objects), systems)
        field.required = False


class TrainingForm(forms.ModelForm[TrainingRecord]):
    class Meta:
        model = TrainingRecord
        fields = ("person", "measure", "date", "evidence", "ai_system")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(
        self,
        *args: Any,
        tenant: Tenant,
        people: list[tuple[int, str]] | None = None,
        systems: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ):
        """``people``, ``systems``: the organisation's people and AI systems as (id, name) by
        name, if read already."""
        super().__init__(*args, **kwargs)
        _named(self.fields["person"], tenant.scoped(Person.objects), people)
        system = _named(self.fields["ai_system"], tenant.scoped(AISystem.objects), systems)
        system.required = False
        system.empty_label = _("none – general AI basics")

    def clean_date(self) -> datetime.date:
        return not_in_the_future(
            self.cleaned_data["date"], _("A training in the future cannot be recorded yet.")
        )


class PrivacyForm(forms.ModelForm[PrivacyFacts]):
    class Meta:
        model = PrivacyFacts
        fields = (
            "people_processing",
            "commercial_transfer",
            "core_monitoring",
            "core_special_categories",
            "works_council",
        )


class DpoForm(forms.ModelForm[PrivacyFacts]):
    """Who the data protection officer is. All fields empty: nobody is named."""

    dpo_kind = forms.ChoiceField(
        label=_("Internal or external"),
        choices=[
            (DpoKind.INTERNAL, _("Internal – an employee")),
            (DpoKind.EXTERNAL, _("External – a service provider under contract")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = PrivacyFacts
        fields = ("dpo_name", "dpo_kind", "dpo_email", "dpo_phone", "dpo_appointed")
        labels = {
            "dpo_name": _("Name"),
            "dpo_email": _("E-mail"),
            "dpo_phone": _("Phone"),
            "dpo_appointed": _("Appointed on"),
        }
        widgets = {
            "dpo_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "dpo_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "dpo_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "dpo_appointed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_dpo_appointed(self) -> datetime.date | None:
        day = self.cleaned_data.get("dpo_appointed")
        if day is None:
            return None
        return not_in_the_future(day, _("The date of appointment cannot be in the future."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("dpo_name") or "").strip()
        others = [data.get(f) for f in ("dpo_kind", "dpo_email", "dpo_phone", "dpo_appointed")]
        if not name and any(others) and "dpo_name" not in self.errors:
            self.add_error("dpo_name", _("Please enter the name of the data protection officer."))
        if name and not data.get("dpo_kind") and "dpo_kind" not in self.errors:
            self.add_error(
                "dpo_kind",
                _("Please choose whether the data protection officer is internal or external."),
            )
        no_contact = not data.get("dpo_email") and not data.get("dpo_phone")
        if name and no_contact and not {"dpo_email", "dpo_phone"} & set(self.errors):
            self.add_error(
                "dpo_email",
                _(
                    "Please give an e-mail address or a phone number, so that people can "
                    "reach the data protection officer."
                ),
            )
        return data
