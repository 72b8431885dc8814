"""Every write of the business-case feature. One transaction per call."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.core.values import Triple
from startklar.organisations import audit
from startklar.organisations.models import AuditAction
from startklar.organisations.tenancy import Tenant
from startklar.usecases.content import load_catalogue
from startklar.usecases.models import UseCase

from . import engine, queries
from .content import CURRENT_VERSION, load_questionnaire
from .labels import SEEDED_NAMES
from .models import Actual, Answer, BusinessCase, Factor, LineItem, Option, StoredSummary

Estimate = tuple[Decimal, Decimal, Decimal]
ASSUMED_HOURLY_RATE = Decimal(50)
HOURS_PER_DAY = Decimal(8)


class BusinessCaseError(Exception):
    """A step the rules do not allow."""


def first_of_next_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _triple(values: tuple[float, float, float], factor: Decimal = Decimal(1)) -> Estimate:
    low, likely, high = (Decimal(str(v)) * factor for v in values)
    return low, likely, high


def _item(
    case: BusinessCase,
    kind: engine.ItemKind,
    name: str,
    factors: Mapping[str, Estimate],
    note: str = "",
    assumption: bool = False,
    label_key: str = "",
) -> LineItem:
    position = (case.items.aggregate(Max("position"))["position__max"] or 0) + 1
    item = LineItem.objects.create(
        organisation=case.organisation,
        business_case=case,
        kind=kind,
        name=name,
        note=note,
        assumption=assumption,
        label_key=label_key,
        position=position,
    )
    Factor.objects.bulk_create(
        Factor(item=item, key=key, low=low, likely=likely, high=high)
        for key, (low, likely, high) in factors.items()
    )
    return item


def _seeded(
    case: BusinessCase, kind: engine.ItemKind, key: str, factors: Mapping[str, Estimate]
) -> LineItem:
    """A starting value from the catalogue: an assumption with a built-in name."""
    return _item(case, kind, str(SEEDED_NAMES[key]), factors, "", True, key)


@transaction.atomic
def create_for(tenant: Tenant, use_case: UseCase) -> BusinessCase:
    """A business case for a use case; a catalogue entry's estimates become assumptions."""
    tenant.require(use_case)
    if hasattr(use_case, "business_case"):
        return use_case.business_case
    case = BusinessCase.objects.create(
        organisation=tenant.organisation, use_case=use_case, start=first_of_next_month()
    )
    audit.record(tenant, AuditAction.CREATED, case)
    entry = load_catalogue().entry(use_case.catalogue_id) if use_case.catalogue_id else None
    if entry is not None:
        estimates = entry.estimates
        one_off = (
            estimates.one_off_eur.low,
            estimates.one_off_eur.likely,
            estimates.one_off_eur.high,
        )
        monthly = (
            estimates.monthly_eur.low,
            estimates.monthly_eur.likely,
            estimates.monthly_eur.high,
        )
        days = (estimates.person_days.low, estimates.person_days.likely, estimates.person_days.high)
        hours = (
            estimates.hours_saved_per_month.low,
            estimates.hours_saved_per_month.likely,
            estimates.hours_saved_per_month.high,
        )
        rate = (ASSUMED_HOURLY_RATE,) * 3
        _seeded(case, engine.ItemKind.ONE_OFF, "introduction", {"amount": _triple(one_off)})
        _seeded(
            case,
            engine.ItemKind.ONE_OFF,
            "introduction_effort",
            {"amount": _triple(days, HOURS_PER_DAY * ASSUMED_HOURLY_RATE)},
        )
        _seeded(case, engine.ItemKind.MONTHLY, "licence", {"amount": _triple(monthly)})
        if any(hours):
            _seeded(
                case,
                engine.ItemKind.TIME_SAVING,
                "time_saved",
                {
                    "minutes": (Decimal(60),) * 3,
                    "cases": _triple(hours),
                    "rate": rate,
                    # Which part of the hours becomes money is for the company to say.
                    "cash_share": (Decimal(0), Decimal("0.5"), Decimal(1)),
                },
            )
        case.ramp_low, case.ramp_likely, case.ramp_high = Decimal(1), Decimal(3), Decimal(6)
        case.save(update_fields=["ramp_low", "ramp_likely", "ramp_high"])
    return case


@transaction.atomic
def update_settings(
    tenant: Tenant,
    case: BusinessCase,
    horizon: int,
    rate: Decimal,
    start: datetime.date,
    ramp: Estimate,
    go_live: int = 0,
) -> BusinessCase:
    tenant.require(case)
    if not 0 <= go_live < horizon:
        raise BusinessCaseError(
            _("The go-live must lie within the horizon (before its last month).")
        )
    case.horizon, case.discount_rate, case.start = horizon, rate, start.replace(day=1)
    case.go_live = go_live
    case.ramp_low, case.ramp_likely, case.ramp_high = ramp
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def add_item(tenant: Tenant, case: BusinessCase, kind: engine.ItemKind, name: str) -> LineItem:
    tenant.require(case)
    name = name.strip()
    if case.items.filter(name__iexact=name).exists():
        raise BusinessCaseError(_("An item with this name exists already."))
    zero = (Decimal(0), Decimal(0), Decimal(0))
    return _item(case, kind, name, dict.fromkeys(kind.factors, zero))


@transaction.atomic
def update_item(
    tenant: Tenant, item: LineItem, name: str, note: str, factors: Mapping[str, Estimate]
) -> LineItem:
    """Save an item as edited. Unchanged values change nothing: a built-in name stays
    translatable and a catalogue assumption stays marked until a figure is replaced."""
    tenant.require(item)
    kind = engine.ItemKind(item.kind)
    if set(factors) != set(kind.factors):
        raise ValueError("factors do not match the kind")
    name, note = name.strip(), note.strip()
    renamed = name != queries.item_name(item)
    if renamed and item.business_case.items.filter(name__iexact=name).exclude(pk=item.pk).exists():
        raise BusinessCaseError(_("An item with this name exists already."))
    stored = {f.key: (f.low, f.likely, f.high) for f in item.factors.all()}
    changed = renamed or note != item.note
    for key, (low, likely, high) in factors.items():
        Triple(float(low), float(likely), float(high))  # raises ValueError if unordered
        if stored.get(key) != (low, likely, high):
            changed = True
            Factor.objects.update_or_create(
                item=item, key=key, defaults={"low": low, "likely": likely, "high": high}
            )
    if not changed:
        return item
    if renamed:
        item.name, item.label_key = name, ""
    item.note, item.assumption = note, False
    item.save(update_fields=["name", "label_key", "note", "assumption"])
    return item


@transaction.atomic
def delete_item(tenant: Tenant, item: LineItem) -> None:
    tenant.require(item)
    item.delete()


@transaction.atomic
def record_actual(tenant: Tenant, item: LineItem, month: datetime.date, value: Decimal) -> Actual:
    tenant.require(item)
    if not item.is_benefit:
        raise BusinessCaseError(_("Actual values are recorded for benefit items."))
    actual, _created = Actual.objects.update_or_create(
        item=item, month=month.replace(day=1), defaults={"value": value}
    )
    return actual


@transaction.atomic
def answer(tenant: Tenant, case: BusinessCase, answers: Mapping[str, int]) -> None:
    tenant.require(case)
    known = {c.id for c in load_questionnaire(CURRENT_VERSION).criteria}
    if set(answers) - known:
        raise ValueError("unknown criteria")
    for criterion_id, value in answers.items():
        if not 1 <= value <= 5:
            raise ValueError("answers are 1 to 5")
        Answer.objects.update_or_create(
            business_case=case,
            criterion_id=criterion_id,
            defaults={"value": value, "questionnaire_version": CURRENT_VERSION},
        )


@transaction.atomic
def decide(tenant: Tenant, case: BusinessCase, option: Option, rationale: str) -> BusinessCase:
    tenant.require(case)
    if not rationale.strip():
        raise BusinessCaseError(_("Please record the rationale of the decision."))
    case.decision, case.decision_rationale = option, rationale.strip()
    case.decided_by, case.decided_at = tenant.membership.user, timezone.now()
    case.save(update_fields=["decision", "decision_rationale", "decided_by", "decided_at"])
    label = Option(option).label
    audit.record(
        tenant,
        AuditAction.DECIDED,
        case,
        summary=lambda: _("Make, buy or partner: %(option)s") % {"option": label},
    )
    return case


@transaction.atomic
def delete_case(tenant: Tenant, case: BusinessCase) -> None:
    """Delete a business case with its line items, estimates, actual values and the
    make/buy/partner answers; the use case stays."""
    tenant.require(case)
    audit.record(tenant, AuditAction.DELETED, case)
    case.delete()


@transaction.atomic
def apply_template(tenant: Tenant, case: BusinessCase, option: Option, language: str) -> int:
    """Add the typical cost items of a path (e.g. buy → licences), without amounts; returns how
    many were added. Items of the same name are left alone."""
    tenant.require(case)
    existing = {n.lower() for n in case.items.values_list("name", flat=True)}
    added = 0
    for number, template in enumerate(load_questionnaire().option(option).cost_template):
        name = template.label.get(language)[:120]
        if name.lower() in existing:
            continue
        zero = (Decimal(0), Decimal(0), Decimal(0))
        factors = dict.fromkeys(template.kind.factors, zero)
        _item(case, template.kind, name, factors, label_key=f"template.{option}.{number}")
        existing.add(name.lower())
        added += 1
    return added


def forget_unused_figures() -> int:
    """Delete the stored figures that no business case's current inputs have any more (the
    case was edited or deleted, or its organisation with it); returns how many. For the
    housekeeping."""
    used = set(queries.stored_keys(BusinessCase.objects.order_by()).values())
    deleted, _counts = StoredSummary.objects.exclude(key__in=used).delete()
    return deleted
