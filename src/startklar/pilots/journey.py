"""What the pilots add to a use case's journey (the pilot, the scale decision), to the overview
(pilots past their planned end without a decision) and to the navigation."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Action, Headline, Module, Notice, Step, StepState
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import Status, UseCase

from .models import Outcome, Pilot, PilotStatus
from .queries import ACTIVE, url, weeks


def _day(day: datetime.date | datetime.datetime) -> str:
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# Before a use case is selected, a pilot is not the next thing to do.
BEFORE_SELECTION = {Status.IDEA, Status.ASSESSED}
SET_ASIDE = {Status.POSTPONED, Status.DISCARDED}


def _latest_pilots(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, Pilot]:
    """Each use case's latest pilot, with its latest decision as ``latest_decision``."""
    found: dict[int, Pilot] = {}
    pilots = (
        tenant.scoped(Pilot.objects)
        .filter(use_case__in=[uc.pk for uc in use_cases])
        .prefetch_related("decisions")
        .order_by("use_case_id", "-start", "-pk")
    )
    for pilot in pilots:
        found.setdefault(pilot.use_case_id, pilot)
    return found


def _steps_for(tenant: Tenant, use_case: UseCase, pilot: Pilot | None) -> list[Step]:
    status = Status(use_case.status)
    if pilot is None:
        if status in BEFORE_SELECTION or status in SET_ASIDE:
            summary = (
                _("Once the use case is selected.")
                if status in BEFORE_SELECTION
                else _("The use case is set aside.")
            )
            return [
                Step("pilot", _("Pilot"), StepState.NOT_APPLICABLE, summary),
                Step("scale_decision", _("Scale decision"), StepState.NOT_APPLICABLE, summary),
            ]
        plan = Action(_("Plan a pilot"), url(tenant, "create", use_case.pk))
        return [
            Step(
                "pilot",
                _("Pilot"),
                StepState.OPEN,
                _("Try it for four to six weeks and measure whether it works."),
                action=plan,
            ),
            Step(
                "scale_decision",
                _("Scale decision"),
                StepState.OPEN,
                _("Taken on the evidence once the pilot has run."),
            ),
        ]
    link = url(tenant, "detail", pilot.pk)
    gate = url(tenant, "gate", pilot.pk)
    progress = weeks(pilot)
    if pilot.status == PilotStatus.PLANNED:
        pilot_step = Step(
            "pilot",
            _("Pilot"),
            StepState.OPEN,
            _("Planned from %(start)s.") % {"start": _day(pilot.start)},
            url=link,
            action=Action(_("Open the pilot"), link),
        )
    else:
        summary = (
            _("Week %(current)d of %(total)d.")
            % {"current": progress.current, "total": progress.total}
            if pilot.status in ACTIVE
            else _("Closed.")
        )
        pilot_step = Step("pilot", _("Pilot"), StepState.DONE, summary, url=link)
    decisions = sorted(pilot.decisions.all(), key=lambda d: d.decided_at, reverse=True)
    latest = decisions[0] if decisions else None
    if pilot.status in (PilotStatus.RUNNING, PilotStatus.EXTENDED):
        due = progress.overdue_days > 0
        decision_step = Step(
            "scale_decision",
            _("Scale decision"),
            StepState.OPEN,
            _("The planned end has passed: decide on the evidence.")
            if due
            else _("Due at the planned end, %(end)s.") % {"end": _day(pilot.planned_end)},
            url=gate,
            action=Action(_("Review the evidence"), gate),
        )
    elif latest is not None:
        decision_step = Step(
            "scale_decision",
            _("Scale decision"),
            StepState.ATTENTION if latest.override else StepState.DONE,
            _("%(outcome)s, %(date)s; decided although items were open.")
            % {"outcome": latest.get_outcome_display(), "date": _day(latest.decided_at)}
            if latest.override
            else f"{latest.get_outcome_display()}, {_day(latest.decided_at)}",
            url=gate,
            value=str(latest.get_outcome_display()) if latest.outcome == Outcome.GO else "",
        )
    else:
        decision_step = Step(
            "scale_decision",
            _("Scale decision"),
            StepState.OPEN,
            _("Taken on the evidence once the pilot has run."),
            url=gate,
        )
    return [pilot_step, decision_step]


def steps(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, list[Step]]:
    latest = _latest_pilots(tenant, use_cases)
    return {uc.pk: _steps_for(tenant, uc, latest.get(uc.pk)) for uc in use_cases}


def notices(tenant: Tenant) -> list[Notice]:
    """Pilots past their planned end without a decision, and planned ones whose start passed."""
    today = timezone.localdate()
    found: list[Notice] = []
    for pilot in tenant.scoped(Pilot.objects).filter(status__in=ACTIVE).select_related("use_case"):
        if pilot.status == PilotStatus.PLANNED and pilot.start < today:
            found.append(
                Notice(
                    _("Pilot “%(title)s” was planned to start on %(date)s and has not started.")
                    % {"title": pilot.use_case.title, "date": _day(pilot.start)},
                    url(tenant, "detail", pilot.pk),
                    "info",
                )
            )
        elif pilot.status != PilotStatus.PLANNED and pilot.planned_end < today:
            days = (today - pilot.planned_end).days
            found.append(
                Notice(
                    ngettext(
                        "Pilot “%(title)s” ended %(days)d day ago: take the scale decision.",
                        "Pilot “%(title)s” ended %(days)d days ago: take the scale decision.",
                        days,
                    )
                    % {"title": pilot.use_case.title, "days": days},
                    url(tenant, "gate", pilot.pk),
                    "warning",
                )
            )
    return found


def headline(tenant: Tenant) -> Headline | None:
    pilots = list(tenant.scoped(Pilot.objects).values_list("status", flat=True))
    if not pilots:
        return None
    running = sum(1 for status in pilots if status in (PilotStatus.RUNNING, PilotStatus.EXTENDED))
    closed = sum(1 for status in pilots if status == PilotStatus.CLOSED)
    return Headline(
        title=_("Pilots"),
        value=ngettext("%(count)d pilot running", "%(count)d pilots running", running)
        % {"count": running},
        detail=ngettext("%(count)d closed", "%(count)d closed", closed) % {"count": closed},
        url=url(tenant, "list"),
    )


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="pilots",
        label=gettext_lazy("Pilots"),
        description=gettext_lazy(
            "Does it work? KPIs against baseline and target, human review of the AI's output, "
            "and the decision to scale on the evidence."
        ),
        url_name="pilots:list",
        icon="flag",
        order=50,
        use_case_steps=steps,
        notices=notices,
        headline=headline,
    )
