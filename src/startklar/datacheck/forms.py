"""Forms of the data check: a data source, a file to check, an answer on a use case's data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from startklar.core.forms import ModelMultipleChoiceField
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from .models import Answer, DataSource


class SourceForm(forms.ModelForm[DataSource]):
    use_cases = ModelMultipleChoiceField(
        label=_("Use cases it is meant for"),
        queryset=UseCase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The check says for each of them whether the data is enough."),
    )

    class Meta:
        model = DataSource
        fields = ["name", "description", "use_cases"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "name": _("Where the data comes from, e.g. “ERP sales export” or “maintenance log”."),
        }

    def __init__(self, tenant: Tenant, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["use_cases"]
        field.queryset = tenant.scoped(UseCase.objects).order_by("title")  # type: ignore[attr-defined]
        field.label_from_instance = lambda uc: uc.title  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (.csv, .txt, .tsv) or Excel (.xlsx), up to 200 MB."),
        error_messages={
            "required": _("Please choose a file."),
            "empty": _("The file is empty."),
        },
    )
    sheet = forms.CharField(
        label=_("Sheet (Excel only)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the first sheet with data. The result lists every sheet."),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("", "–"), *Answer.Choice.choices],
        required=False,
        error_messages={"invalid_choice": _("Please answer yes, no or don't know.")},
    )
