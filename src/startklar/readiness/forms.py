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


def _perspective_choices(bank: Bank) -> list[tuple[str, str]]:
    language = get_language() or "de"
    return [(p.id, p.name.get(language)) for p in bank.perspectives]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    answer_myself = forms.BooleanField(
        label=_("I will answer the questions myself"),
        required=False,
        initial=True,
        help_text=_("Untick this if you only organise the round, e.g. as a consultant."),
    )
    perspective = forms.ChoiceField(label=_("My perspective"), required=False)

    def __init__(self, *args: Any, bank: Bank, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["perspective"].choices = _perspective_choices(bank)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("perspective") or "perspective" in self.errors
        if data.get("answer_myself") and not chosen:
            self.add_error("perspective", _("Please choose the perspective you will answer from."))
        return data

    def own_perspective(self) -> str | None:
        """The creator's perspective if they answer themselves (after validation)."""
        if not self.cleaned_data["answer_myself"]:
            return None
        return str(self.cleaned_data["perspective"])


class MemberField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.display_name


class RespondentForm(forms.Form):
    member = MemberField(label=_("Member"), queryset=Membership.objects.none(), empty_label=None)
    perspective = forms.ChoiceField(
        label=_("Perspective"),
        help_text=_("Suggested from the member's last round, otherwise from their role."),
    )

    def __init__(
        self, *args: Any, tenant: Tenant, bank: Bank, suggest_url: str = "", **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        assert isinstance(member_field, MemberField)
        member_field.queryset = (
            tenant.scoped(Membership.objects)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        if suggest_url:  # choosing a member fetches the perspective suggested for them
            member_field.widget.attrs.update(
                {
                    "hx-get": suggest_url,
                    "hx-target": "#perspective-field",
                    "hx-swap": "outerHTML",
                }
            )
        self.fields["perspective"].choices = _perspective_choices(bank)  # type: ignore[attr-defined]


class SuggestForm(forms.Form):
    """``?member=<id>`` of the round page: which member to suggest a perspective for."""

    member = forms.ModelChoiceField(queryset=Membership.objects.none())

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = tenant.scoped(  # type: ignore[attr-defined]
            Membership.objects
        ).select_related("user")


class AnswerForm(forms.Form):
    question = forms.ChoiceField()
    level = forms.ChoiceField(choices=[(str(n), str(n)) for n in range(1, 6)] + [(UNKNOWN, "?")])

    def __init__(self, *args: Any, bank: Bank, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q, q) for q in bank.questions]  # type: ignore[attr-defined]

    def clean_level(self) -> int | None:
        value = self.cleaned_data["level"]
        return None if value == UNKNOWN else int(value)
