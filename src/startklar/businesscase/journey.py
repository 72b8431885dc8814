"""What the business case adds to a use case's journey: the figures, then make, buy or partner."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Action, Module, Step, StepState
from startklar.core.templatetags.startklar import money, percent
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from .models import LineItem
from .queries import summaries


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"businesscase:{name}", args=[tenant.organisation.slug, *args])


def steps(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, list[Step]]:
    found = summaries(tenant, [uc.pk for uc in use_cases])
    assumptions = dict.fromkeys(found, 0)
    for use_case_id in LineItem.objects.filter(
        business_case__use_case_id__in=list(found), assumption=True
    ).values_list("business_case__use_case_id", flat=True):
        assumptions[use_case_id] += 1
    result: dict[int, list[Step]] = {}
    for uc in use_cases:
        if uc.pk not in found:
            create = Action(_("Create the business case"), _url(tenant, "create", uc.pk), post=True)
            result[uc.pk] = [
                Step(
                    key="business_case",
                    title=_("Business case"),
                    state=StepState.OPEN,
                    summary=_("No business case yet: what does it cost, what does it bring?"),
                    action=create,
                ),
                Step(
                    key="decision",
                    title=_("Make, buy or partner"),
                    state=StepState.OPEN,
                    summary=_("Decided once the business case exists."),
                ),
            ]
            continue
        case, figures = found[uc.pk]
        editor = _url(tenant, "editor", case.pk)
        payback = (
            _("pays off by month %(month)d with 80%% probability") % {"month": figures.payback_80}
            if figures.payback_80 is not None
            else _("does not pay off within %(months)d months") % {"months": case.horizon}
        )
        open_assumptions = assumptions.get(uc.pk, 0)
        summary = _("NPV P50 %(npv)s, chance that it pays off %(chance)s; %(payback)s.") % {
            "npv": money(figures.npv_p50, 0),
            "chance": percent(figures.probability_positive),
            "payback": payback,
        }
        if open_assumptions:
            summary += " " + ngettext(
                "%(count)d catalogue starting value still to replace.",
                "%(count)d catalogue starting values still to replace.",
                open_assumptions,
            ) % {"count": open_assumptions}
        decided = bool(case.decision)
        result[uc.pk] = [
            Step(
                key="business_case",
                title=_("Business case"),
                state=StepState.ATTENTION if open_assumptions else StepState.DONE,
                summary=summary,
                url=editor,
                value=money(figures.npv_p50, 0),
            ),
            Step(
                key="decision",
                title=_("Make, buy or partner"),
                state=StepState.DONE if decided else StepState.OPEN,
                summary=_("Decision: %(decision)s") % {"decision": case.get_decision_display()}
                if decided
                else _("Not decided yet: build, buy or work with a partner?"),
                url=_url(tenant, "decision", case.pk),
                value=str(case.get_decision_display()) if decided else "",
                action=None
                if decided
                else Action(_("Decide: make, buy or partner"), _url(tenant, "decision", case.pk)),
            ),
        ]
    return result


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="businesscase",
        label=gettext_lazy("Business case"),
        description=gettext_lazy(
            "What does it cost, what does it bring? Ranges instead of false precision, "
            "the chance of paying off, and make, buy or partner."
        ),
        url_name="businesscase:list",
        icon="graph-up-arrow",
        order=30,
        use_case_steps=steps,
    )
