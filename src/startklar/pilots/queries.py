"""Every read the pilots' pages show: one page query per screen, each a frozen dataclass."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from startklar.compliance.models import AISystem
from startklar.core.deletion import Confirmation, preview
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import Status, UseCase

from . import dashboard
from .models import DEFAULT_WEEKS, Kpi, Pilot, PilotStatus, ScaleDecision

ACTIVE = (PilotStatus.PLANNED, PilotStatus.RUNNING, PilotStatus.EXTENDED)
# Use cases a pilot is started for: selected ones, or already in the pilot stage.
READY_FOR_PILOT = (Status.SELECTED, Status.PILOT)


def default_end(start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(weeks=DEFAULT_WEEKS)


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"pilots:{name}", args=[tenant.organisation.slug, *args])


@dataclass(frozen=True)
class Weeks:
    """How far a pilot is: week ``current`` of ``total`` (0 before the start)."""

    current: int
    total: int
    overdue_days: int  # days past the planned end of a pilot that still runs


def weeks(pilot: Pilot, today: datetime.date | None = None) -> Weeks:
    today = today or timezone.localdate()
    total = max(1, -(-((pilot.planned_end - pilot.start).days + 1) // 7))
    current = 0 if today < pilot.start else (today - pilot.start).days // 7 + 1
    overdue = 0
    if pilot.status in (PilotStatus.RUNNING, PilotStatus.EXTENDED) and today > pilot.planned_end:
        overdue = (today - pilot.planned_end).days
    return Weeks(min(current, total), total, overdue)


@dataclass(frozen=True)
class PilotRow:
    pilot: Pilot
    use_case_title: str
    owner_name: str
    weeks: Weeks
    kpi_count: int
    decision: ScaleDecision | None  # the latest
    url: str
    lights: dashboard.Lights | None = None  # how its KPIs stand (None: no KPIs)


@dataclass(frozen=True)
class PilotList:
    active: tuple[PilotRow, ...]
    closed: tuple[PilotRow, ...]
    # Use cases that could get a pilot (selected, or in the pilot stage without an active one).
    candidates: tuple[UseCase, ...]


def pilot_list(tenant: Tenant) -> PilotList:
    pilots = (
        tenant.scoped(Pilot.objects)
        .select_related("use_case", "owner__user")
        .annotate(kpi_count=Count("kpis"))
        .prefetch_related(
            Prefetch("decisions", queryset=ScaleDecision.objects.order_by("-decided_at", "-pk"))
        )
    )
    today = timezone.localdate()
    lights = dashboard.lights(tenant.scoped(Kpi.objects))
    active: list[PilotRow] = []
    closed: list[PilotRow] = []
    busy: set[int] = set()
    for pilot in pilots:
        decisions = list(pilot.decisions.all())
        row = PilotRow(
            pilot=pilot,
            use_case_title=pilot.use_case.title,
            owner_name=pilot.owner.user.display_name if pilot.owner else "",
            weeks=weeks(pilot, today),
            kpi_count=pilot.kpi_count,
            decision=decisions[0] if decisions else None,
            url=url(tenant, "detail", pilot.pk),
            lights=lights.get(pilot.pk),
        )
        if pilot.status in ACTIVE:
            active.append(row)
            busy.add(pilot.use_case_id)
        else:
            closed.append(row)
    candidates = tuple(
        tenant.scoped(UseCase.objects)
        .filter(status__in=READY_FOR_PILOT)
        .exclude(pk__in=busy)
        .order_by("title")
    )
    return PilotList(tuple(active), tuple(closed), candidates)


@dataclass(frozen=True)
class PilotPage:
    pilot: Pilot
    use_case: UseCase
    use_case_url: str
    owner_name: str
    weeks: Weeks
    systems: tuple[AISystem, ...]
    hypotheses: tuple[str, ...]
    decisions: tuple[ScaleDecision, ...]


def pilot_page(tenant: Tenant, pilot: Pilot) -> PilotPage:
    """The pilot's header: use case, owner, dates, AI systems, hypotheses and decisions."""
    use_case = pilot.use_case
    owner = pilot.owner
    return PilotPage(
        pilot=pilot,
        use_case=use_case,
        use_case_url=reverse("usecases:detail", args=[tenant.organisation.slug, use_case.pk]),
        owner_name=owner.user.display_name if owner else "",
        weeks=weeks(pilot),
        systems=tuple(pilot.ai_systems.order_by("name")),
        hypotheses=tuple(line.strip() for line in pilot.hypotheses.splitlines() if line.strip()),
        decisions=tuple(pilot.decisions.select_related("decided_by")),
    )


def initial_for(tenant: Tenant, use_case: UseCase) -> dict[str, object]:
    """A new pilot's starting values: the use case's goal, six weeks from today, the signed-in
    member as owner, the AI systems registered for the use case."""
    today = timezone.localdate()
    goal = use_case.goal_sentence or use_case.problem[:300]
    return {
        "goal": goal,
        "start": today,
        "planned_end": default_end(today),
        "owner": tenant.membership,
        "ai_systems": list(tenant.scoped(AISystem.objects).filter(use_cases=use_case)),
    }


def pilot_deletion(tenant: Tenant, pilot: Pilot) -> Confirmation:
    deleted, unlinked = preview(pilot)
    return Confirmation(
        title=gettext("Delete pilot"),
        name=str(pilot),
        consequences=deleted,
        unlinked=unlinked,
        kept=(
            gettext("The use case keeps its status and history; you can plan a new pilot for it."),
        ),
        action_url=url(tenant, "delete", pilot.pk),
        cancel_url=url(tenant, "detail", pilot.pk),
        button=gettext("Delete pilot for good"),
    )
