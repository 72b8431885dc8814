"""Forms of the compliance feature."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from .engine import NO, UNKNOWN, YES, Question
from .models import AISystem, Person, PrivacyFacts, TrainingRecord


class AnswerForm(forms.Form):
    """One answer; the choices are those of the question (plus "weiß nicht")."""

    question = forms.CharField(max_length=60, widget=forms.HiddenInput)
    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args: Any, question: Question, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = get_language() or "de"
        choices: list[tuple[str, object]]
        if question.type == "yesno":
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

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["use_cases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = tenant.scoped(UseCase.objects).order_by("title")
        field.required = False


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ("name", "role_level", "department", "ai_systems")
        widgets = {"ai_systems": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["ai_systems"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = tenant.scoped(AISystem.objects)
        field.required = False


class TrainingForm(forms.ModelForm[TrainingRecord]):
    class Meta:
        model = TrainingRecord
        fields = ("person", "measure", "date", "evidence", "ai_system")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        system = self.fields["ai_system"]
        assert isinstance(person, forms.ModelChoiceField)
        assert isinstance(system, forms.ModelChoiceField)
        person.queryset = tenant.scoped(Person.objects)
        system.queryset = tenant.scoped(AISystem.objects)
        system.required = False


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
