"""What the use-case feature adds to a use case's journey and to the overview."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Action, Headline, Module, Notice, Step, StepState
from startklar.organisations.tenancy import Tenant

from .content import load_criteria
from .models import CriterionScore, UseCase, Vote, Workshop
from .queries import active_portfolio, focus_use_cases


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"usecases:{name}", args=[tenant.organisation.slug, *args])


def steps(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, list[Step]]:
    """A measurable goal, then the potential analysis."""
    criteria = {c.id for c in load_criteria()}
    scored: defaultdict[int, int] = defaultdict(int)
    for use_case_id in (
        CriterionScore.objects.filter(use_case__in=use_cases, criterion_id__in=criteria)
        .exclude(source__in=CriterionScore.SUGGESTED)
        .values_list("use_case_id", flat=True)
    ):
        scored[use_case_id] += 1
    found: dict[int, list[Step]] = {}
    for uc in use_cases:
        edit = _url(tenant, "edit", uc.pk)
        has_goal = uc.has_numeric_goal
        if has_goal:
            summary = uc.goal_sentence
        elif uc.goal_unparsed:
            summary = _("Enter the goal as numbers: so far ›%(text)s‹") % {"text": uc.goal_unparsed}
        else:
            summary = _("No measurable goal yet.")
        goal = Step(
            key="goal",
            title=_("Measurable goal"),
            state=StepState.DONE if has_goal else StepState.OPEN,
            summary=summary,
            url=edit + "#goal",
            action=None
            if has_goal
            else Action(
                _("Enter the goal as numbers") if uc.goal_unparsed else _("Set a measurable goal"),
                edit + "#goal",
            ),
        )
        count = scored[uc.pk]
        complete = count >= len(criteria)
        analysis = Step(
            key="scores",
            title=_("Potential analysis"),
            state=StepState.DONE if complete else StepState.OPEN,
            summary=_("All %(count)d criteria scored.") % {"count": len(criteria)}
            if complete
            else _("%(done)d of %(count)d criteria scored.")
            % {"done": count, "count": len(criteria)},
            url=_url(tenant, "detail", uc.pk) + "#scores",
            action=None
            if complete
            else Action(_("Score the potential"), _url(tenant, "detail", uc.pk) + "#scores"),
        )
        found[uc.pk] = [goal, analysis]
    return found


def headline(tenant: Tenant) -> Headline | None:
    """The focus set: the two or three use cases to start with."""
    portfolio = active_portfolio(tenant)
    if not portfolio.rows:
        return None
    focus = [row.use_case.title for row in portfolio.focus]
    return Headline(
        title=_("Use cases"),
        value=ngettext(
            "%(count)d active use case", "%(count)d active use cases", len(portfolio.rows)
        )
        % {"count": len(portfolio.rows)},
        detail=_("Focus: %(titles)s") % {"titles": ", ".join(focus)}
        if focus
        else _("No focus set yet: score the potential of your use cases."),
        url=_url(tenant, "list"),
    )


def notices(tenant: Tenant) -> list[Notice]:
    """Open workshops the member has not finished scoring."""
    needed = len(load_criteria())
    found = []
    for workshop in tenant.scoped(Workshop.objects).filter(phase=Workshop.Phase.SCORING):
        expected = workshop.use_cases.count() * needed
        given = Vote.objects.filter(workshop=workshop, user=tenant.membership.user).count()
        if given < expected:
            found.append(
                Notice(
                    _('Workshop "%(title)s" awaits your scores.') % {"title": workshop.title},
                    _url(tenant, "workshop", workshop.pk),
                    "info",
                )
            )
    return found


def focus(tenant: Tenant) -> list[UseCase]:
    """The focus set, or while nothing is scored the active use cases (at most five)."""
    portfolio = active_portfolio(tenant)
    return focus_use_cases(tenant, list(portfolio.focus) or portfolio.rows[:5])


def start(tenant: Tenant) -> Action | None:
    if tenant.scoped(UseCase.objects).exists():
        return None
    return Action(_("Find use cases in the catalogue"), _url(tenant, "catalogue"))


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    from . import excel

    return Module(
        key="usecases",
        label=gettext_lazy("Use cases"),
        description=gettext_lazy(
            "What should we do? Catalogue, own use cases with measurable goals, "
            "workshop scoring and the best selection under budget."
        ),
        url_name="usecases:list",
        icon="lightbulb",
        order=20,
        notices=notices,
        headline=headline,
        use_case_steps=steps,
        focus=focus,
        start=start,
        exports=lambda tenant: [("use-cases.xlsx", excel.export(tenant))],
    )
