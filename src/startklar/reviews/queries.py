"""Every read of the quality reviews that pages, the API and other features show.

The outcome of each item (error or not) is kept on the item by the services, so a plan's
figures are one grouped count in the database (per plan and period: items judged, errors),
whatever the number of verdicts; the statistics are the engine's.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from startklar.accounts.models import User
from startklar.core import links
from startklar.core.deletion import Confirmation, preview
from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant

from . import charts, engine
from .labels import reason_texts
from .models import ReviewAlert, ReviewItem, ReviewPlan, Verdict

Counts = dict[int, list[tuple[datetime.date, int, int]]]  # plan → (period, errors, items)


@dataclass(frozen=True)
class PeriodRow:
    start: datetime.date
    end: datetime.date
    n: int
    errors: int
    rate: float | None
    low: float
    high: float
    reasons: tuple[engine.AlertReason, ...]

    @property
    def alert(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_texts(self) -> list[str]:
        return reason_texts(self.reasons, short=True)


@dataclass(frozen=True)
class PlanSummary:
    """A plan's figures: per period and over all items judged (Wilson 95 % intervals)."""

    plan_id: int
    title: str
    ai_system_id: int
    ai_system_name: str
    cadence: str
    active: bool
    threshold: float  # the agreed maximum error rate, 0–1
    required: int  # items needed for the wanted precision
    items_per_period: int
    items_judged: int
    errors: int
    rate: float | None
    low: float
    high: float
    open_alerts: int
    periods: tuple[PeriodRow, ...]
    trend: engine.Trend
    url: str

    @property
    def enough(self) -> bool:
        return self.items_judged >= self.required

    @property
    def below_threshold_with_confidence(self) -> bool:
        return self.items_judged > 0 and self.high < self.threshold

    @property
    def above_threshold_with_confidence(self) -> bool:
        return self.items_judged > 0 and self.low > self.threshold

    @property
    def last(self) -> PeriodRow | None:
        return self.periods[-1] if self.periods else None


def _counts(plan_ids: Iterable[int]) -> Counts:
    """Items judged and errors per plan and period: one grouped query."""
    rows = (
        ReviewItem.objects.filter(plan_id__in=list(plan_ids), error__isnull=False)
        .order_by()
        .values_list("plan_id", "period")
        .annotate(items=Count("pk"), errors=Count("pk", filter=Q(error=True)))
    )
    found: Counts = defaultdict(list)
    for plan_id, period, items, errors in rows:
        found[plan_id].append((period, errors, items))
    return found


def _summary(
    plan: ReviewPlan, system_name: str, open_alerts: int, counts: Counts, url: str
) -> PlanSummary:
    cadence = plan.engine_cadence
    judged = engine.periods(counts.get(plan.pk, []), plan.threshold_share, plan.baseline)
    rows = tuple(
        PeriodRow(
            start=p.start,
            end=engine.period_end(p.start, cadence),
            n=p.result.items,
            errors=p.result.errors,
            rate=p.result.rate,
            low=p.result.interval.low,
            high=p.result.interval.high,
            reasons=p.result.reasons,
        )
        for p in judged
    )
    items = sum(r.n for r in rows)
    errors = sum(r.errors for r in rows)
    overall = engine.wilson_interval(errors, items)
    return PlanSummary(
        plan_id=plan.pk,
        title=plan.title,
        ai_system_id=plan.ai_system_id,
        ai_system_name=system_name,
        cadence=plan.cadence,
        active=plan.active,
        threshold=plan.threshold_share,
        required=plan.required,
        items_per_period=plan.items_per_period,
        items_judged=items,
        errors=errors,
        rate=errors / items if items else None,
        low=overall.low,
        high=overall.high,
        open_alerts=open_alerts,
        periods=rows,
        trend=engine.trend(judged),
        url=url,
    )


def _plans(tenant: Tenant, ai_system_ids: Sequence[int] | None = None) -> list[ReviewPlan]:
    plans = tenant.scoped(ReviewPlan.objects)
    if ai_system_ids is not None:
        plans = plans.filter(ai_system_id__in=list(ai_system_ids))
    return list(
        plans.select_related("ai_system")
        .annotate(open_alerts=Count("alerts", filter=Q(alerts__acknowledged_at__isnull=True)))
        .order_by("ai_system__name", "title", "pk")
    )


def _summaries(tenant: Tenant, plans: Sequence[ReviewPlan]) -> list[PlanSummary]:
    counts = _counts(p.pk for p in plans)
    url = links.for_each("reviews:plan", tenant.organisation.slug)
    return [
        _summary(p, p.ai_system.name, getattr(p, "open_alerts", 0), counts, url(p.pk))
        for p in plans
    ]


def plan_summaries(tenant: Tenant, ai_system_ids: Sequence[int]) -> list[PlanSummary]:
    """The review plans of these AI systems with their figures, in two queries (for pilots:
    the error rate with its interval, whether enough items are judged, open alerts)."""
    return _summaries(tenant, _plans(tenant, ai_system_ids))


# Work waiting for a reviewer -------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    plan_id: int
    title: str
    open: int  # items the person may judge now
    overdue: int  # of them from a period that has ended
    url: str  # the next item to judge


def _open_items(user: User) -> Q:
    """Items waiting for a verdict that ``user`` may give."""
    return (Q(error__isnull=True) | Q(awaiting_second=True)) & ~Q(verdicts__reviewer=user)


def due_for(tenant: Tenant, user: User, plan_ids: Sequence[int] | None = None) -> list[Due]:
    """The active plans ``user`` reviews with items waiting: how many, how many overdue."""
    items = ReviewItem.objects.filter(
        _open_items(user),
        organisation=tenant.organisation,
        plan__active=True,
        plan__reviewers__user=user,
    )
    if plan_ids is not None:
        items = items.filter(plan_id__in=list(plan_ids))
    rows = (
        items.order_by()
        .values_list("plan_id", "plan__title", "plan__cadence", "period")
        .annotate(count=Count("pk", distinct=True))
    )
    today = timezone.localdate()
    found: dict[int, list[int | str]] = {}
    for plan_id, title, cadence, period, count in rows:
        entry = found.setdefault(plan_id, [title, 0, 0])
        entry[1] = int(entry[1]) + count
        if engine.period_end(period, engine.Cadence(cadence)) < today:
            entry[2] = int(entry[2]) + count
    url = links.for_each("reviews:next", tenant.organisation.slug)
    return sorted(
        (Due(pk, str(t), int(n), int(o), url(pk)) for pk, (t, n, o) in found.items()),
        key=lambda d: (-d.overdue, d.title),
    )


def next_item(plan: ReviewPlan, user: User) -> ReviewItem | None:
    """The next item ``user`` may judge in ``plan``: the oldest period first."""
    return plan.items.filter(_open_items(user)).order_by("period", "position").first()


# Pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListPage:
    summaries: list[PlanSummary]
    due: dict[int, Due]
    systems: int  # AI systems in the register, to offer a plan


def list_page(tenant: Tenant) -> ListPage:
    from startklar.compliance.models import AISystem

    plans = _plans(tenant)
    due = {d.plan_id: d for d in due_for(tenant, tenant.membership.user)}
    systems = tenant.scoped(AISystem.objects).count()
    return ListPage(_summaries(tenant, plans), due, systems)


@dataclass(frozen=True)
class Disagreement:
    item_id: int
    label: str
    verdicts: tuple[tuple[str, bool, str, str], ...]  # reviewer, error, severity, comment


@dataclass(frozen=True)
class AgreementRow:
    items: int
    share: float
    kappa: float | None


@dataclass(frozen=True)
class PlanPage:
    plan: ReviewPlan
    summary: PlanSummary
    rubric: engine.Rubric
    reviewers: list[str]
    owner_name: str
    agreement: AgreementRow | None
    disagreements: list[Disagreement]
    alerts: list[ReviewAlert]
    due: Due | None
    items_total: int
    items_open: int
    chart: dict[str, object] | None
    current_period: datetime.date
    current_judged: int  # items judged in the period running now
    people: dict[int, str] = field(default_factory=dict)


def _names(user_ids: Iterable[int]) -> dict[int, str]:
    return {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in=set(user_ids)).only("email", "full_name")
    }


def agreement_of(plan: ReviewPlan) -> AgreementRow | None:
    """Two reviewers on the same items: the share agreeing on error or not, Cohen's kappa."""
    rows = Verdict.objects.filter(item__plan=plan, item__needs_second=True).values_list(
        "item_id", "error"
    )
    by_item: dict[int, list[bool]] = defaultdict(list)
    for item_id, error in rows:
        by_item[item_id].append(error)
    pairs = [(v[0], v[1]) for v in by_item.values() if len(v) == 2]
    if not pairs:
        return None
    found = engine.agreement(pairs)
    return AgreementRow(found.items, found.share, found.kappa)


def plan_page(
    tenant: Tenant, plan: ReviewPlan, labels: Callable[[PlanSummary], dict[str, str]]
) -> PlanPage:
    summary = _summaries(tenant, [plan])[0]
    reviewer_ids = list(plan.reviewers.values_list("user_id", flat=True))
    disputed = list(
        plan.items.filter(disputed=True)
        .order_by("period", "position")
        .prefetch_related("verdicts")[:50]
    )
    verdict_people = [v.reviewer_id for i in disputed for v in i.verdicts.all() if v.reviewer_id]
    people = _names([*reviewer_ids, *verdict_people, plan.owner_id or 0])
    members = set(
        Membership.objects.filter(
            organisation=tenant.organisation, user_id__in=reviewer_ids
        ).values_list("user_id", flat=True)
    )
    disagreements = [
        Disagreement(
            item.pk,
            str(item),
            tuple(
                (people.get(v.reviewer_id or 0, "–"), v.error, v.severity, v.comment)
                for v in item.verdicts.all()
            ),
        )
        for item in disputed
    ]
    counts = plan.items.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(error__isnull=True) | Q(awaiting_second=True)),
    )
    today = timezone.localdate()
    current = engine.period_start(today, plan.engine_cadence)
    current_row = next((p for p in summary.periods if p.start == current), None)
    due = due_for(tenant, tenant.membership.user, [plan.pk])
    return PlanPage(
        plan=plan,
        summary=summary,
        rubric=plan.parsed_rubric(),
        reviewers=sorted(people[pk] for pk in reviewer_ids if pk in members and pk in people),
        owner_name=people.get(plan.owner_id or 0, ""),
        agreement=agreement_of(plan),
        disagreements=disagreements,
        alerts=list(plan.alerts.order_by("-period")),
        due=due[0] if due else None,
        items_total=counts["total"],
        items_open=counts["open"],
        chart=charts.error_rates(summary, labels(summary)) if summary.periods else None,
        current_period=current,
        current_judged=current_row.n if current_row else 0,
        people=people,
    )


@dataclass(frozen=True)
class JudgePage:
    item: ReviewItem
    plan: ReviewPlan
    rubric: engine.Rubric
    open_for_me: int
    first_verdict: bool
    may_judge: bool
    reason: str  # why not, when not


def judge_page(tenant: Tenant, item: ReviewItem) -> JudgePage:
    from django.utils.translation import gettext as _

    plan = item.plan
    user = tenant.membership.user
    verdicts = list(item.verdicts.values_list("reviewer_id", flat=True))
    reviewer = plan.reviewers.filter(user=user).exists()
    limit = 2 if item.needs_second else 1
    reason = ""
    if not plan.active:
        reason = _("This plan is paused; no verdicts are taken.")
    elif not reviewer:
        reason = _("Only the plan's reviewers judge its items.")
    elif user.pk in verdicts:
        reason = _("You have judged this item already.")
    elif len(verdicts) >= limit:
        reason = _("This item has been judged already.")
    open_for_me = (
        plan.items.filter(_open_items(user)).exclude(pk=item.pk).count() if reviewer else 0
    )
    return JudgePage(
        item=item,
        plan=plan,
        rubric=plan.parsed_rubric(),
        open_for_me=open_for_me,
        first_verdict=not verdicts,
        may_judge=not reason,
        reason=reason,
    )


def recent_items(plan: ReviewPlan, limit: int = 50) -> list[ReviewItem]:
    return list(
        plan.items.annotate(verdict_count=Count("verdicts")).order_by("-period", "-position")[
            :limit
        ]
    )


def plan_deletion(tenant: Tenant, plan: ReviewPlan) -> Confirmation:
    from django.utils.translation import gettext

    slug = tenant.organisation.slug
    deleted, unlinked = preview(plan)
    return Confirmation(
        title=gettext("Delete review plan"),
        name=str(plan),
        consequences=deleted,
        unlinked=unlinked,
        kept=(gettext("The AI system stays in the register."),),
        action_url=links.reverse("reviews:delete", args=[slug, plan.pk]),
        cancel_url=links.reverse("reviews:plan", args=[slug, plan.pk]),
        button=gettext("Delete review plan for good"),
    )
