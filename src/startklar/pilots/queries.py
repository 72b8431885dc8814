"""Every read the pilots' pages show: one page query per screen, each a frozen dataclass."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from startklar.businesscase.models import BusinessCase
from startklar.businesscase.queries import plan_vs_actual
from startklar.compliance.engine import DpiaVerdict, RiskLabel
from startklar.compliance.models import AISystem, Assessment, DpaStatus, DpiaStatus, Person
from startklar.core.deletion import Confirmation, preview
from startklar.core.templatetags.startklar import money, percent
from startklar.organisations.tenancy import Tenant
from startklar.people import council_queries
from startklar.people import queries as people_queries
from startklar.reviews.queries import PlanSummary, plan_summaries
from startklar.usecases.models import Status, UseCase

from . import dashboard, engine
from .labels import GATE_REASONS
from .models import (
    DEFAULT_WEEKS,
    GateItem,
    GateNote,
    Kpi,
    Measurement,
    Pilot,
    PilotStatus,
    ScaleDecision,
)

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
    gate: engine.Gate  # the scale decision as the evidence stands
    reviews: tuple[PlanSummary, ...]  # the review plans of the pilot's AI systems

    @property
    def gate_met(self) -> int:
        return sum(1 for item in self.gate.items if item.passes)


def pilot_page(tenant: Tenant, pilot: Pilot) -> PilotPage:
    """The pilot's header: use case, owner, dates, AI systems, hypotheses and decisions."""
    use_case = pilot.use_case
    owner = pilot.owner
    found = evidence(tenant, pilot)
    return PilotPage(
        pilot=pilot,
        use_case=use_case,
        use_case_url=reverse("usecases:detail", args=[tenant.organisation.slug, use_case.pk]),
        owner_name=owner.user.display_name if owner else "",
        weeks=weeks(pilot),
        systems=tuple(pilot.ai_systems.order_by("name")),
        hypotheses=tuple(line.strip() for line in pilot.hypotheses.splitlines() if line.strip()),
        decisions=tuple(pilot.decisions.select_related("decided_by")),
        gate=engine.gate(found.facts),
        reviews=found.reviews,
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


# The scale decision ----------------------------------------------------------------------------

# Items a person's note counts for: a documented reason (KPIs, business case), a confirmation
# Startklar cannot check itself (AI Act duties addressed, usage policy acknowledged).
NOTE_ITEMS = (
    engine.GateItem.KPIS,
    engine.GateItem.BUSINESS_CASE,
    engine.GateItem.AI_ACT,
    engine.GateItem.USAGE_POLICY,
)
DPIA_DONE = {DpiaStatus.DONE}
DPIA_SETTLED = {DpiaStatus.DONE, DpiaStatus.NOT_NEEDED}
DPA_SETTLED = {DpaStatus.SIGNED, DpaStatus.NOT_NEEDED}


def _missed_kpis(pilot: Pilot) -> tuple[tuple[str, ...], int]:
    """Names of the KPIs whose latest measurement misses the target (a KPI with a waiver of
    its own counts as met), and the number of KPIs."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-period")
    kpis = list(
        pilot.kpis.annotate(latest=Subquery(latest.values("value")[:1])).order_by("position")
    )
    missed = tuple(
        kpi.name
        for kpi in kpis
        if not kpi.waiver
        and (
            kpi.latest is None
            or not engine.meets(
                engine.Direction(kpi.direction), float(kpi.latest), float(kpi.target_value)
            )
        )
    )
    return missed, len(kpis)


def _dpia(verdict: DpiaVerdict | None, systems: Sequence[AISystem]) -> engine.Dpia:
    if verdict is None or verdict is DpiaVerdict.UNCLEAR:
        return engine.Dpia.UNKNOWN
    if verdict is DpiaVerdict.NOT_REQUIRED:
        return engine.Dpia.NOT_NEEDED
    # Needed (or, for one criterion, a documented threshold assessment): every system's
    # assessment done (the threshold assessment may also conclude none is needed).
    settled = DPIA_DONE if verdict.needs_dpia else DPIA_SETTLED
    if systems and all(s.dpia_status in settled for s in systems):
        return engine.Dpia.DONE
    return engine.Dpia.OPEN


@dataclass(frozen=True)
class Evidence:
    """The facts behind the gate, and what the page says and links for each item."""

    facts: engine.Evidence
    reviews: tuple[PlanSummary, ...]
    business_case: BusinessCase | None
    assessment: Assessment | None
    systems: tuple[AISystem, ...]
    notes: dict[str, GateNote]


def evidence(tenant: Tenant, pilot: Pilot) -> Evidence:
    use_case = pilot.use_case
    systems = tuple(pilot.ai_systems.order_by("name"))
    ids = [s.pk for s in systems]
    reviews = tuple(plan_summaries(tenant, ids)) if ids else ()
    notes = {note.item: note for note in pilot.gate_notes.all()}
    case = BusinessCase.objects.filter(use_case=use_case).first()
    planned = actual = None
    if case is not None:
        rows = [row for row in plan_vs_actual(case) if row.actual is not None]
        if rows:
            planned = sum(row.plan for row in rows)
            actual = float(sum(row.actual for row in rows if row.actual is not None))
    assessment = Assessment.objects.filter(use_case=use_case).first()
    labels = set(assessment.risk_labels) if assessment else set()
    users = Person.objects.filter(organisation=tenant.organisation, ai_systems__in=ids).distinct()
    untrained = tuple(
        users.annotate(record_count=Count("records"))
        .filter(record_count=0)
        .values_list("name", flat=True)
    )
    missed, kpi_count = _missed_kpis(pilot)
    facts = engine.Evidence(
        kpis_missed=missed,
        kpi_count=kpi_count,
        reviews=tuple(
            engine.ReviewFacts(
                name=r.title,
                enough=r.enough,
                rate=r.rate,
                threshold=r.threshold,
                open_alerts=r.open_alerts,
            )
            for r in reviews
            if r.active
        ),
        has_business_case=case is not None,
        planned=planned,
        actual=actual,
        classified=bool(
            assessment
            and assessment.answered
            and not labels & {RiskLabel.CONTRADICTION, RiskLabel.UNCLEAR}
        ),
        prohibited=RiskLabel.PROHIBITED in labels,
        duties=bool(labels & {RiskLabel.HIGH_RISK, RiskLabel.TRANSPARENCY}),
        dpia=_dpia(assessment.verdict if assessment else None, systems),
        systems=tuple(s.name for s in systems),
        dpa_missing=tuple(s.name for s in systems if s.dpa_status not in DPA_SETTLED),
        users=users.count(),
        untrained=untrained,
        operation_owner=bool(pilot.operation_owner.strip()),
        notes=frozenset(engine.GateItem(item) for item in notes),
    )
    return Evidence(facts, reviews, case, assessment, systems, notes)


@dataclass(frozen=True)
class GateRow:
    item: engine.GateItem
    label: str
    result: engine.GateResult
    detail: str  # the reason in words with what it is about (names, figures)
    source_url: str  # where the evidence is, or where to fix it
    source_label: str
    note: GateNote | None
    takes_note: bool


@dataclass(frozen=True)
class DecisionRow:
    decision: ScaleDecision
    open_items: str  # the items open when an owner decided anyway, in words


def _item_label(value: str) -> str:
    try:
        return str(GateItem(value).label)
    except ValueError:  # an item of an earlier release, no longer asked for
        return value


@dataclass(frozen=True)
class PulseHeadline:
    """The latest staff pulse in a line: how many answered, the share concerned and the
    acceptance score (None where too few answered to show them)."""

    title: str
    respondents: int
    shown: bool
    concerned: float | None
    acceptance: int | None
    url: str


@dataclass(frozen=True)
class Staff:
    """The people side of the scale decision: the works council's consent for the AI systems
    of the pilot and its use case, and the latest staff pulse."""

    systems: tuple[council_queries.GateSystem, ...]
    council_url: str
    missing: int  # systems that need the works council's consent and lack it
    pulse: PulseHeadline | None
    pulses_url: str


@dataclass(frozen=True)
class GatePage:
    pilot: Pilot
    use_case: UseCase
    rows: tuple[GateRow, ...]
    gate: engine.Gate
    met: int  # items that pass
    decisions: tuple[DecisionRow, ...]
    reviews: tuple[PlanSummary, ...]
    staff: Staff


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


def _detail(result: engine.GateResult, evidence: Evidence, pilot: Pilot) -> str:
    sentence = str(GATE_REASONS[result.reason])
    note = evidence.notes.get(result.item)
    if result.reason in (engine.GateReason.WAIVED, engine.GateReason.DUTIES_ADDRESSED) or (
        result.reason is engine.GateReason.POLICY_ACKNOWLEDGED
    ):
        return f"{sentence} {note.text}" if note else sentence
    if result.reason is engine.GateReason.OWNER_NAMED:
        return f"{sentence} {pilot.operation_owner}"
    if result.item is engine.GateItem.ERROR_RATE and evidence.reviews:
        figures = "; ".join(
            gettext(
                "%(plan)s: error rate %(rate)s (95 %% interval %(low)s–%(high)s), %(n)d items "
                "judged of %(required)d needed, threshold %(threshold)s"
            )
            % {
                "plan": r.title,
                "rate": percent(r.rate) if r.rate is not None else "–",
                "low": percent(r.low),
                "high": percent(r.high),
                "n": r.items_judged,
                "required": r.required,
                "threshold": percent(r.threshold),
            }
            for r in evidence.reviews
            if r.active
        )
        return f"{sentence} {figures}" if figures else sentence
    if result.item is engine.GateItem.BUSINESS_CASE and evidence.facts.planned is not None:
        figures = gettext("realised %(actual)s of %(planned)s planned") % {
            "actual": money(evidence.facts.actual, 0),
            "planned": money(evidence.facts.planned, 0),
        }
        return f"{sentence} ({figures})"
    if result.names:
        return f"{sentence} {_names(result.names)}"
    return sentence


def _source(
    tenant: Tenant, item: engine.GateItem, evidence: Evidence, pilot: Pilot
) -> tuple[str, str]:
    slug = tenant.organisation.slug
    G = engine.GateItem
    if item is G.KPIS:
        return url(tenant, "detail", pilot.pk) + "#kpis", gettext("KPIs of the pilot")
    if item is G.ERROR_RATE:
        if len(evidence.reviews) == 1:
            return evidence.reviews[0].url, gettext("Review plan")
        return reverse("reviews:list", args=[slug]), gettext("Quality reviews")
    if item is G.BUSINESS_CASE:
        case = evidence.business_case
        if case is None:
            return reverse("businesscase:list", args=[slug]), gettext("Business cases")
        return reverse("businesscase:actuals", args=[slug, case.pk]), gettext("Plan against actual")
    if item in (G.AI_ACT, G.DPIA) and evidence.assessment is not None:
        return (
            reverse("compliance:assessment", args=[slug, evidence.assessment.pk]),
            gettext("AI Act and GDPR classification"),
        )
    if item in (G.AI_ACT, G.DPIA):
        return (
            reverse("compliance:start_use_case", args=[slug, pilot.use_case_id]),
            gettext("AI Act and GDPR classification"),
        )
    if item is G.DPA:
        return reverse("compliance:systems", args=[slug]), gettext("AI register")
    if item is G.LITERACY:
        return reverse("compliance:literacy", args=[slug]), gettext("AI literacy")
    if item is G.OPERATION_OWNER:
        return url(tenant, "edit", pilot.pk), gettext("Edit pilot")
    return url(tenant, "gate", pilot.pk) + f"#note-{item}", gettext("Note")


def staff(tenant: Tenant, pilot: Pilot) -> Staff:
    systems = tuple(
        tenant.scoped(AISystem.objects)
        .filter(Q(use_cases=pilot.use_case_id) | Q(pilots=pilot))
        .distinct()
        .order_by("name", "pk")
    )
    found = council_queries.gate_systems(tenant, systems)
    results = people_queries.latest_results(tenant)
    pulse = (
        PulseHeadline(
            title=results.pulse.title,
            respondents=results.respondents,
            shown=results.shown,
            concerned=results.concerned,
            acceptance=results.acceptance.score if results.acceptance is not None else None,
            url=people_queries.url(tenant, "results", results.pulse.pk),
        )
        if results is not None
        else None
    )
    return Staff(
        systems=found,
        council_url=council_queries.url(tenant, "council"),
        missing=sum(1 for s in found if s.needs_agreement and not s.has_agreement),
        pulse=pulse,
        pulses_url=people_queries.url(tenant, "list"),
    )


def gate_page(tenant: Tenant, pilot: Pilot) -> GatePage:
    found = evidence(tenant, pilot)
    result = engine.gate(found.facts)
    rows = []
    for item in result.items:
        link, label = _source(tenant, item.item, found, pilot)
        rows.append(
            GateRow(
                item=item.item,
                label=_item_label(item.item),
                result=item,
                detail=_detail(item, found, pilot),
                source_url=link,
                source_label=label,
                note=found.notes.get(item.item),
                takes_note=item.item in NOTE_ITEMS,
            )
        )
    return GatePage(
        pilot=pilot,
        use_case=pilot.use_case,
        rows=tuple(rows),
        gate=result,
        met=sum(1 for item in result.items if item.passes),
        decisions=tuple(
            DecisionRow(d, ", ".join(_item_label(i) for i in d.open_items))
            for d in pilot.decisions.select_related("decided_by")
        ),
        reviews=found.reviews,
        staff=staff(tenant, pilot),
    )
