"""Every write of the quality reviews. One transaction per call; a step the rules do not allow
raises :class:`ReviewError` with a message for the person (``field`` names the input)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from startklar.accounts.models import User
from startklar.organisations import audit
from startklar.organisations.models import AuditAction, Membership
from startklar.organisations.tenancy import Tenant

from . import engine
from .content import CURRENT_VERSION, load_rubric
from .models import MAX_CONTEXT, MAX_OUTPUT, ReviewAlert, Reviewer, ReviewItem, ReviewPlan, Verdict
from .models import Source as ItemSource
from .tasks import send_alert_email

FIRST_DAY = datetime.date(2000, 1, 1)
MAX_BATCH = 1000  # items per upload or API call
MAX_REFERENCE = 120


class ReviewError(Exception):
    """A step the rules do not allow; ``field`` names the input it concerns, if one."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based, as the person counts the rows they sent
    field: str
    message: str


class ItemsError(Exception):
    """Items that cannot be added, each problem with its row and field; nothing was saved."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("; ".join(f"{p.row} {p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class NewItem:
    output: str
    sampled_on: datetime.date
    reference: str = ""
    context: str = ""


# Plans ----------------------------------------------------------------------------------


def _members(tenant: Tenant, users: Sequence[User]) -> list[User]:
    ids = {u.pk for u in users}
    found = set(
        Membership.objects.filter(organisation=tenant.organisation, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    if ids - found:
        raise ReviewError(_("Reviewers must be members of the organisation."), "reviewers")
    return list(users)


def _check_plan(tenant: Tenant, plan: ReviewPlan) -> None:
    tenant.require(plan.ai_system)
    if (
        plan.owner_id is not None
        and not tenant.scoped(Membership.objects).filter(user_id=plan.owner_id).exists()
    ):
        raise ReviewError(_("The owner must be a member of the organisation."), "owner")
    baseline = (plan.baseline_errors, plan.baseline_items)
    if (baseline[0] is None) != (baseline[1] is None):
        raise ReviewError(
            _("Give both the errors and the items of the baseline."), "baseline_items"
        )
    if baseline[0] is not None and baseline[1] is not None:
        if baseline[1] == 0:
            raise ReviewError(_("A baseline needs at least one item."), "baseline_items")
        if baseline[0] > baseline[1]:
            raise ReviewError(
                _("A baseline cannot have more errors than items."), "baseline_errors"
            )
    try:
        plan.full_clean(exclude=["organisation"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ReviewError(" ".join(messages), field) from None


def _set_reviewers(plan: ReviewPlan, users: Sequence[User]) -> None:
    wanted = {u.pk for u in users}
    plan.reviewers.exclude(user_id__in=wanted).delete()
    present = set(plan.reviewers.values_list("user_id", flat=True))
    Reviewer.objects.bulk_create(Reviewer(plan=plan, user_id=pk) for pk in wanted - present)


@transaction.atomic
def create_plan(tenant: Tenant, plan: ReviewPlan, reviewers: Sequence[User]) -> ReviewPlan:
    """Save a new plan (its fields set, not saved yet) with a copy of the default rubric."""
    plan.organisation = tenant.organisation
    plan.rubric = load_rubric(CURRENT_VERSION).data()
    plan.rubric_version = CURRENT_VERSION
    _check_plan(tenant, plan)
    users = _members(tenant, reviewers)
    plan.save()
    _set_reviewers(plan, users)
    audit.record(tenant, AuditAction.CREATED, plan)
    return plan


@transaction.atomic
def update_plan(tenant: Tenant, plan: ReviewPlan, reviewers: Sequence[User]) -> ReviewPlan:
    """Save a plan as edited. A change of the cadence puts the items into the new periods;
    the verdicts stay."""
    tenant.require(plan)
    _check_plan(tenant, plan)
    users = _members(tenant, reviewers)
    stored = ReviewPlan.objects.only("cadence").get(pk=plan.pk)
    fields = [
        f.attname for f in ReviewPlan._meta.concrete_fields if f.editable and not f.primary_key
    ]
    before = ReviewPlan.objects.filter(pk=plan.pk).values(*fields).first() or {}
    summary = audit.changes(plan, before)
    same_people = set(plan.reviewers.values_list("user_id", flat=True)) == {u.pk for u in users}
    if summary is None and same_people:
        return plan  # saved unchanged: nothing to write, nothing to log
    plan.save()
    _set_reviewers(plan, users)
    if stored.cadence != plan.cadence:
        items = list(plan.items.only("pk", "sampled_on"))
        for item in items:
            item.period = engine.period_start(item.sampled_on, plan.engine_cadence)
        ReviewItem.objects.bulk_update(items, ["period"], batch_size=500)
    audit.record(tenant, AuditAction.CHANGED, plan, summary=summary)
    return plan


@transaction.atomic
def update_rubric(tenant: Tenant, plan: ReviewPlan, data: Mapping[str, object]) -> ReviewPlan:
    """Replace the plan's rubric. Once items are judged, no criterion and no level they were
    judged with may go (renaming, adding and changing severities for later verdicts may)."""
    tenant.require(plan)
    try:
        rubric = engine.parse_rubric(data)
    except engine.RubricError as error:
        raise ReviewError(
            _("The rubric cannot be saved: %(problem)s") % {"problem": error}, "rubric"
        ) from None
    if Verdict.objects.filter(item__plan=plan).exists():
        kept = {(c.key, v.key) for c in rubric.criteria for v in c.levels}
        used = {(c.key, v.key) for c in plan.parsed_rubric().criteria for v in c.levels}
        if used - kept:
            raise ReviewError(
                _(
                    "Items were judged with these levels: criteria and levels can be renamed "
                    "and added, not removed."
                ),
                "rubric",
            )
    if rubric.data() == plan.rubric:
        return plan  # saved unchanged
    plan.rubric = rubric.data()
    plan.save(update_fields=["rubric"])
    audit.record(tenant, AuditAction.CHANGED, plan, summary=lambda: _("Rubric changed"))
    return plan


@transaction.atomic
def delete_plan(tenant: Tenant, plan: ReviewPlan) -> None:
    """Delete a plan with its items, verdicts and alerts; the AI system stays."""
    tenant.require(plan)
    audit.record(tenant, AuditAction.DELETED, plan)
    plan.delete()


# Items ----------------------------------------------------------------------------------


def _clean_rows(plan: ReviewPlan, rows: Sequence[NewItem], today: datetime.date) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if not row.output.strip():
            problems.append(Problem(number, "output", _("The AI output or its link is missing.")))
        elif len(row.output) > MAX_OUTPUT:
            problems.append(
                Problem(
                    number,
                    "output",
                    _("At most %(count)d characters.") % {"count": MAX_OUTPUT},
                )
            )
        if len(row.context) > MAX_CONTEXT:
            problems.append(
                Problem(
                    number, "context", _("At most %(count)d characters.") % {"count": MAX_CONTEXT}
                )
            )
        reference = row.reference.strip()
        if len(reference) > MAX_REFERENCE:
            problems.append(
                Problem(
                    number,
                    "reference",
                    _("At most %(count)d characters.") % {"count": MAX_REFERENCE},
                )
            )
        elif reference and reference in seen:
            problems.append(
                Problem(
                    number,
                    "reference",
                    _("The reference %(reference)s appears twice (row %(row)d).")
                    % {"reference": reference, "row": seen[reference]},
                )
            )
        elif reference:
            seen[reference] = number
        if row.sampled_on > today:
            problems.append(Problem(number, "sampled_on", _("The date lies in the future.")))
        elif row.sampled_on < FIRST_DAY:
            problems.append(Problem(number, "sampled_on", _("The date lies before 2000.")))
    taken = set(plan.items.filter(reference__in=list(seen)).values_list("reference", flat=True))
    for reference in sorted(taken, key=lambda r: seen[r]):
        problems.append(
            Problem(
                seen[reference],
                "reference",
                _("An item with the reference %(reference)s exists already.")
                % {"reference": reference},
            )
        )
    return sorted(problems, key=lambda p: p.row)


def second_review(position: int, percent: Decimal) -> bool:
    """Whether the plan's ``position``-th item is judged twice: spread evenly, so that of the
    first n items ⌊n × share⌋ are (deterministic, no lottery to argue about)."""
    share = percent / 100
    return math.floor(position * share) > math.floor((position - 1) * share)


@transaction.atomic
def add_items(
    tenant: Tenant, plan: ReviewPlan, rows: Sequence[NewItem], source: ItemSource
) -> list[ReviewItem]:
    """Add items to judge, all or none: :class:`ItemsError` lists every row's problems."""
    tenant.require(plan)
    if not rows:
        raise ItemsError([Problem(0, "items", _("There are no items to add."))])
    if len(rows) > MAX_BATCH:
        raise ItemsError(
            [Problem(0, "items", _("At most %(count)d items at once.") % {"count": MAX_BATCH})]
        )
    problems = _clean_rows(plan, rows, timezone.localdate())
    if problems:
        raise ItemsError(problems)
    # One plan at a time: the lock keeps two uploads from taking the same positions.
    ReviewPlan.objects.select_for_update().filter(pk=plan.pk).first()
    last = plan.items.aggregate(last=Max("position"))["last"] or 0
    share = plan.double_share
    items = [
        ReviewItem(
            organisation=plan.organisation,
            plan=plan,
            reference=row.reference.strip(),
            output=row.output.strip(),
            context=row.context.strip(),
            source=source,
            sampled_on=row.sampled_on,
            period=engine.period_start(row.sampled_on, plan.engine_cadence),
            position=last + number,
            needs_second=second_review(last + number, share),
        )
        for number, row in enumerate(rows, start=1)
    ]
    created = ReviewItem.objects.bulk_create(items)
    audit.record(
        tenant,
        AuditAction.IMPORTED if source != ItemSource.MANUAL else AuditAction.CHANGED,
        plan,
        summary=lambda: _("%(count)d items to review added") % {"count": len(created)},
    )
    return created


@transaction.atomic
def delete_item(tenant: Tenant, item: ReviewItem) -> None:
    tenant.require(item)
    plan, period = item.plan, item.period
    item.delete()
    _judge_period(plan, period, "")


# Verdicts -------------------------------------------------------------------------------


def is_reviewer(plan: ReviewPlan, user: User) -> bool:
    return plan.reviewers.filter(user=user).exists()


@transaction.atomic
def judge(
    tenant: Tenant,
    item: ReviewItem,
    levels: Mapping[str, str],
    comment: str = "",
    base_url: str = "",
) -> Verdict:
    """Record the signed-in reviewer's verdict on an item. The first verdict is the item's
    outcome; a second one (for items chosen for double review) measures agreement, and where
    the two disagree on error or not, the plan's owner settles it."""
    tenant.require(item)
    user = tenant.membership.user
    locked = ReviewItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    plan = locked.plan
    if not plan.active:
        raise ReviewError(_("This plan is paused; no verdicts are taken."))
    if not is_reviewer(plan, user):
        raise ReviewError(_("Only the plan's reviewers judge its items."))
    earlier = list(locked.verdicts.all())
    if any(v.reviewer_id == user.pk for v in earlier):
        raise ReviewError(_("You have judged this item already."))
    if len(earlier) >= (2 if locked.needs_second else 1):
        raise ReviewError(_("This item has been judged already."))
    try:
        outcome = engine.assess(plan.parsed_rubric(), dict(levels))
    except engine.RubricError as error:
        criterion = str(error).split(":", 1)[0]
        raise ReviewError(_("Please choose a level for every criterion."), criterion) from None
    if len(comment) > 2000:
        raise ReviewError(_("At most %(count)d characters.") % {"count": 2000}, "comment")
    verdict = Verdict.objects.create(
        item=locked,
        reviewer=user,
        levels=dict(levels),
        error=outcome.error,
        severity=outcome.worst,
        comment=comment.strip(),
    )
    if not earlier:
        locked.error, locked.severity = outcome.error, outcome.worst
        locked.awaiting_second = locked.needs_second
        locked.save(update_fields=["error", "severity", "awaiting_second"])
        _judge_period(plan, locked.period, base_url)
    else:
        locked.awaiting_second = False
        locked.disputed = earlier[0].error != outcome.error
        locked.save(update_fields=["awaiting_second", "disputed"])
    return verdict


@transaction.atomic
def settle(
    tenant: Tenant, item: ReviewItem, error: bool, note: str, base_url: str = ""
) -> ReviewItem:
    """The plan's owner settles an item two reviewers judged differently: error or not."""
    tenant.require(item)
    locked = ReviewItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    plan = locked.plan
    user = tenant.membership.user
    if plan.owner_id != user.pk and not tenant.can_administer:
        raise ReviewError(_("Only the plan's owner settles disagreements."))
    if not locked.disputed:
        raise ReviewError(_("Only items two reviewers judged differently are settled."))
    verdicts = list(locked.verdicts.all())
    if not note.strip():
        raise ReviewError(_("Please say why."), "note")
    matching = [v for v in verdicts if v.error == error]
    worst = max((engine.Severity(v.severity) for v in matching), key=lambda s: s.rank)
    locked.settled_error, locked.error, locked.severity = error, error, worst
    locked.disputed = False
    locked.settled_by, locked.settled_at, locked.settled_note = user, timezone.now(), note.strip()
    locked.save(
        update_fields=[
            "settled_error",
            "error",
            "severity",
            "settled_by",
            "settled_at",
            "settled_note",
            "disputed",
        ]
    )
    audit.record(
        tenant,
        AuditAction.DECIDED,
        plan,
        label=f"{plan} · {locked}",
        summary=lambda: (
            _("Disagreement settled: %(outcome)s")
            % {"outcome": _("error") if error else _("no error")}
        ),
    )
    _judge_period(plan, locked.period, base_url)
    return locked


# Alerts ---------------------------------------------------------------------------------


def _judge_period(plan: ReviewPlan, period: datetime.date, base_url: str) -> ReviewAlert | None:
    """Judge the plan's period after a change; an alerting period gets its alert (once, with
    one e-mail to the owner), an existing alert follows the figures."""
    counts = plan.items.filter(period=period, error__isnull=False).aggregate(
        items=Count("pk"), errors=Count("pk", filter=Q(error=True))
    )
    result = engine.judge_week(
        counts["errors"], counts["items"], plan.threshold_share, plan.baseline
    )
    alert = ReviewAlert.objects.filter(plan=plan, period=period).first()
    if not result.alert:
        return alert
    values = {
        "reasons": [str(r) for r in result.reasons],
        "rate": result.rate,
        "low": result.interval.low,
        "high": result.interval.high,
        "items": result.items,
        "errors": result.errors,
    }
    if alert is not None:
        ReviewAlert.objects.filter(pk=alert.pk).update(**values)
        return alert
    alert = ReviewAlert.objects.create(
        organisation=plan.organisation, plan=plan, period=period, **values
    )
    link = base_url + reverse("reviews:plan", args=[plan.organisation.slug, plan.pk])
    language = translation.get_language() or settings.LANGUAGE_CODE
    alert_id = alert.pk
    transaction.on_commit(lambda: send_alert_email.enqueue(alert_id, link, language))
    return alert


@transaction.atomic
def acknowledge(tenant: Tenant, alert: ReviewAlert, note: str) -> ReviewAlert:
    """The owner has seen the alert and says what is done about it."""
    tenant.require(alert)
    if not note.strip():
        raise ReviewError(_("Please say what is done about it."), "note")
    if alert.acknowledged_at is not None:
        raise ReviewError(_("This alert has been dealt with already."))
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), tenant.membership.user
    alert.note = note.strip()
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    audit.record(
        tenant,
        AuditAction.CHANGED,
        alert.plan,
        summary=lambda: _("Alert of %(period)s dealt with") % {"period": alert.period},
    )
    return alert
