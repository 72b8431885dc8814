"""Forms of the pilots: the pilot itself, its KPIs, measurements and the scale decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from startklar.compliance.models import AISystem
from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant

from .models import Pilot


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PilotForm(forms.ModelForm[Pilot]):
    """Goal, scope, dates, owner, team, AI systems and hypotheses of a pilot."""

    ai_systems = forms.ModelMultipleChoiceField(
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
        start, end = data.get("start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end lies before the start."))
        return data
