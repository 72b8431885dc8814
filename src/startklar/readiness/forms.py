"""Forms of the readiness check. Choices come from the round's question bank."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant

from .engine import Bank

UNKNOWN = "unknown"


def default_title() -> str:
    return str(_("Readiness check %(month)s")) % {"month": date_format(timezone.localdate(), "F Y")}


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)


class MemberField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class RespondentForm(forms.Form):
    member = MemberField(label=_("Member"), queryset=Membership.objects.none(), empty_label=None)
    perspective = forms.ChoiceField(label=_("Perspective"))

    def __init__(self, *args: Any, tenant: Tenant, bank: Bank, **kwargs: Any):
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        assert isinstance(member_field, MemberField)
        member_field.queryset = tenant.scoped(Membership.objects).select_related("user")
        language = get_language() or "de"
        self.fields["perspective"].choices = [  # type: ignore[attr-defined]
            (p.id, p.name.get(language)) for p in bank.perspectives
        ]


class AnswerForm(forms.Form):
    question = forms.ChoiceField()
    level = forms.ChoiceField(choices=[(str(n), str(n)) for n in range(1, 6)] + [(UNKNOWN, "?")])

    def __init__(self, *args: Any, bank: Bank, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q, q) for q in bank.questions]  # type: ignore[attr-defined]

    def clean_level(self) -> int | None:
        value = self.cleaned_data["level"]
        return None if value == UNKNOWN else int(value)
