"""Every write of the pilots feature. One transaction per call."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.compliance.models import AISystem
from startklar.organisations import audit
from startklar.organisations.models import AuditAction, Membership, Organisation
from startklar.organisations.tenancy import Tenant
from startklar.usecases import services as usecases
from startklar.usecases.models import Status, StatusChange, UseCase

from . import dashboard, engine, queries
from .models import (
    MAX_VALUE,
    GateItem,
    GateNote,
    Kpi,
    Measurement,
    Outcome,
    Period,
    Pilot,
    PilotStatus,
    ScaleDecision,
    Source,
)

EARLIEST = datetime.date(2000, 1, 1)
FOUR_PLACES = Decimal("0.0001")


class PilotError(Exception):
    """A step the rules do not allow; the message is for the user."""


# Pilots ----------------------------------------------------------------------------------------


def _check_people(tenant: Tenant, owner: Membership | None, systems: Iterable[AISystem]) -> None:
    if owner is not None and owner.organisation_id != tenant.organisation.pk:
        raise PilotError(_("The pilot owner must be a member of the organisation."))
    for system in systems:
        tenant.require(system)


@transaction.atomic
def create_pilot(
    tenant: Tenant,
    use_case: UseCase,
    pilot: Pilot,
    ai_systems: Sequence[AISystem] = (),
) -> Pilot:
    """A planned pilot of ``use_case`` (``pilot`` holds the fields from the form)."""
    tenant.require(use_case)
    _check_people(tenant, pilot.owner, ai_systems)
    if pilot.planned_end < pilot.start:
        raise PilotError(_("The planned end lies before the start."))
    pilot.organisation = tenant.organisation
    pilot.use_case = use_case
    pilot.status = PilotStatus.PLANNED
    pilot.save()
    pilot.ai_systems.set(ai_systems)
    audit.record(tenant, AuditAction.CREATED, pilot)
    return pilot


@transaction.atomic
def update_pilot(tenant: Tenant, pilot: Pilot, ai_systems: Sequence[AISystem]) -> Pilot:
    tenant.require(pilot)
    _check_people(tenant, pilot.owner, ai_systems)
    if pilot.planned_end < pilot.start:
        raise PilotError(_("The planned end lies before the start."))
    summary = _changes(pilot)
    same_systems = set(pilot.ai_systems.values_list("pk", flat=True)) == {s.pk for s in ai_systems}
    if summary is None and same_systems:
        return pilot  # saved unchanged: nothing to write, nothing to log
    pilot.save()
    pilot.ai_systems.set(ai_systems)
    audit.record(tenant, AuditAction.CHANGED, pilot, summary=summary)
    return pilot


def _changes(obj: Pilot | Kpi) -> Callable[[], str] | None:
    """What a person changed on a stored pilot or KPI, for the audit log (None: nothing)."""
    fields = [
        f.attname for f in type(obj)._meta.concrete_fields if f.editable and not f.primary_key
    ]
    before = type(obj).objects.filter(pk=obj.pk).values(*fields).first() or {}
    return audit.changes(obj, before)


@transaction.atomic
def start_pilot(tenant: Tenant, pilot: Pilot) -> Pilot:
    """The pilot runs; its use case moves to "Pilot" (if it is not further already)."""
    tenant.require(pilot)
    if pilot.status != PilotStatus.PLANNED:
        raise PilotError(_("Only a planned pilot can be started."))
    pilot.status = PilotStatus.RUNNING
    pilot.save(update_fields=["status", "updated_at"])
    use_case = pilot.use_case
    if use_case.status not in {Status.PILOT, Status.SCALING, Status.IN_OPERATION}:
        usecases.change_status(
            tenant, use_case, Status.PILOT, cause=StatusChange.Cause.PILOT_STARTED
        )
    audit.record(
        tenant,
        AuditAction.STATUS_CHANGED,
        pilot,
        summary=lambda: _("Pilot started"),
    )
    return pilot


@transaction.atomic
def delete_pilot(tenant: Tenant, pilot: Pilot) -> None:
    tenant.require(pilot)
    audit.record(tenant, AuditAction.DELETED, pilot)
    pilot.delete()


# KPIs ------------------------------------------------------------------------------------------


@transaction.atomic
def save_kpi(tenant: Tenant, pilot: Pilot, kpi: Kpi) -> Kpi:
    """Add ``kpi`` to ``pilot`` or save its changes (``kpi`` holds the fields from the form)."""
    tenant.require(pilot)
    if kpi.pk is None:
        if pilot.kpis.filter(name=kpi.name).exists():
            raise PilotError(_("The pilot already has a KPI of this name."))
        kpi.organisation = tenant.organisation
        kpi.pilot = pilot
        kpi.position = (pilot.kpis.aggregate(Max("position"))["position__max"] or 0) + 1
        action = AuditAction.CREATED
    else:
        tenant.require(kpi)
        if pilot.kpis.filter(name=kpi.name).exclude(pk=kpi.pk).exists():
            raise PilotError(_("The pilot already has a KPI of this name."))
        if _changes(kpi) is None:
            return kpi  # saved unchanged: nothing to write, nothing to log
        action = AuditAction.CHANGED
    if kpi.baseline_value == kpi.target_value:
        raise PilotError(_("The target must differ from the baseline."))
    if kpi.benefit_item is not None and kpi.benefit_item.organisation_id != tenant.organisation.pk:
        raise PilotError(_("This benefit line belongs to another organisation."))
    if kpi.benefit_item is not None:
        if (
            kpi.benefit_item.business_case.use_case_id != pilot.use_case_id
            or not kpi.benefit_item.is_benefit
        ):
            raise PilotError(_("Choose a benefit line of this use case's business case."))
        if kpi.benefit_volume is None or kpi.benefit_rate is None:
            raise PilotError(
                _(
                    "A KPI mapped to a benefit line needs the cases per month and the euros "
                    "per unit."
                )
            )
    kpi.save()
    audit.record(tenant, action, kpi)
    _sync_actuals(tenant, [kpi])
    return kpi


@transaction.atomic
def delete_kpi(tenant: Tenant, kpi: Kpi) -> None:
    tenant.require(kpi)
    audit.record(tenant, AuditAction.DELETED, kpi)
    kpi.delete()


# Measurements ----------------------------------------------------------------------------------


def period_start(period: Period | str, day: datetime.date) -> datetime.date:
    """The first day of the period ``day`` lies in: the day, its week's Monday, its month's 1st."""
    if period == Period.WEEK:
        return day - datetime.timedelta(days=day.weekday())
    if period == Period.MONTH:
        return day.replace(day=1)
    return day


@dataclass(frozen=True)
class Row:
    """One measurement as it arrives (form, file or API), not yet checked."""

    period: object
    value: object
    note: object = ""


@dataclass(frozen=True)
class RowError:
    row: int  # 1 for the first row of the batch (the file's data rows, the API's list)
    field: str  # "period", "value" or "note"
    message: str


class MeasurementError(PilotError):
    """Nothing was saved: every row's problems, to be shown together."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(f"{e.row}/{e.field}: {e.message}" for e in errors))
        self.errors = tuple(errors)


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    return None


def parse_value(value: object) -> Decimal | None:
    """A finite number in German or English notation ("1.234,5", "1234.5", 12), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u2212", "-").replace(" ", "").replace("\u202f", "")
        if "," in text:  # German: dots group thousands, the comma is the decimal point
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def check_rows(
    kpi: Kpi,
    rows: Sequence[Row],
    today: datetime.date | None = None,
    numbers: Sequence[int] | None = None,
) -> list[tuple[datetime.date, Decimal, str]]:
    """The rows as (period start, value, note), or :class:`MeasurementError` with every problem.
    ``numbers``: how the errors name the rows (a file's lines); 1, 2, … without."""
    today = today or timezone.localdate()
    taken = set(kpi.measurements.values_list("period", flat=True))
    errors: list[RowError] = []
    checked: list[tuple[datetime.date, Decimal, str]] = []
    seen: dict[datetime.date, int] = {}
    for number, row in zip(numbers or range(1, len(rows) + 1), rows, strict=True):
        day = _date(row.period)
        value = parse_value(row.value)
        note = "" if row.note is None else str(row.note).strip()
        start = None
        if day is None:
            errors.append(RowError(number, "period", _("Enter a date such as 31.12.2026.")))
        elif day > today:
            errors.append(RowError(number, "period", _("The date lies in the future.")))
        elif day < EARLIEST:
            errors.append(RowError(number, "period", _("The date lies before 2000.")))
        else:
            start = period_start(kpi.period, day)
            if start in taken:
                errors.append(RowError(number, "period", _("This period already has a value.")))
            elif start in seen:
                errors.append(
                    RowError(
                        number,
                        "period",
                        _("Row %(row)d already gives a value for this period.")
                        % {"row": seen[start]},
                    )
                )
            else:
                seen[start] = number
        if value is None:
            errors.append(RowError(number, "value", _("Enter a number such as 12,5.")))
        elif abs(value) > MAX_VALUE:
            errors.append(
                RowError(number, "value", _("The number is too large (at most one trillion)."))
            )
        else:
            value = value.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN)
        if len(note) > 300:
            errors.append(RowError(number, "note", _("At most 300 characters.")))
        if start is not None and value is not None and not errors:
            checked.append((start, value, note))
    if not rows:
        errors.append(RowError(1, "period", _("There is nothing to record.")))
    if errors:
        raise MeasurementError(errors)
    return checked


# Import from a file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    """One data row of an imported file, with its line in the file (2: the first after the
    header)."""

    line: int
    kpi: object
    period: object
    value: object
    note: object = ""


@transaction.atomic
def import_measurements(tenant: Tenant, pilot: Pilot, file_rows: Sequence[FileRow]) -> int:
    """Record every row of a file for the pilot's KPIs (named in the column "KPI"), or none:
    :class:`MeasurementError` lists every problem with the row's line in the file and its
    column ("kpi", "period", "value", "note"). Returns the number of measurements recorded."""
    tenant.require(pilot)
    kpis = {k.name.strip().lower(): k for k in pilot.kpis.all()}
    errors: list[RowError] = []
    groups: dict[int, tuple[Kpi, list[FileRow]]] = {}
    for row in file_rows:
        name = "" if row.kpi is None else str(row.kpi).strip().lower()
        kpi = kpis.get(name)
        if kpi is None:
            message = _("Name the KPI.") if not name else _("The pilot has no KPI of this name.")
            errors.append(RowError(row.line, "kpi", message))
            continue
        groups.setdefault(kpi.pk, (kpi, []))[1].append(row)
    if not file_rows:
        errors.append(RowError(2, "period", _("The file has no rows to import.")))
    checked: list[tuple[Kpi, list[tuple[datetime.date, Decimal, str]]]] = []
    for kpi, rows in groups.values():
        try:
            found = check_rows(
                kpi, [Row(r.period, r.value, r.note) for r in rows], numbers=[r.line for r in rows]
            )
        except MeasurementError as error:
            errors.extend(error.errors)
        else:
            checked.append((kpi, found))
    if errors:
        raise MeasurementError(sorted(errors, key=lambda e: (e.row, e.field)))
    user = tenant.membership.user
    created = Measurement.objects.bulk_create(
        Measurement(
            organisation=tenant.organisation,
            kpi=kpi,
            period=period,
            day=Measurement.day_of(period),
            value=value,
            note=note,
            source=Source.IMPORT,
            recorded_by=user,
        )
        for kpi, rows in checked
        for period, value, note in rows
    )
    audit.record(
        tenant,
        AuditAction.CHANGED,
        pilot,
        summary=lambda: _("%(count)d measurements imported") % {"count": len(created)},
    )
    refresh_figures([kpi.pk for kpi, _rows in checked])
    _sync_actuals(tenant, [kpi for kpi, _rows in checked])
    return len(created)


# The business case's actual values -------------------------------------------------------------


def refresh_figures(kpi_ids: Sequence[int]) -> None:
    """Work out again the sums the dashboard reads from each KPI (``Kpi.figures``), after its
    measurements changed: the page then adds up nothing, however long the history."""
    found = dashboard.compute(kpi_ids)
    kpis = list(Kpi.objects.filter(pk__in=list(kpi_ids)).only("pk", "figures"))
    for kpi in kpis:
        kpi.figures = found.get(kpi.pk, {})
    Kpi.objects.bulk_update(kpis, ["figures"])


def restore_results(organisation: Organisation) -> None:
    """After an archive import: the KPIs' figures worked out from their measurements."""
    ids = list(Kpi.objects.filter(organisation=organisation).values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        refresh_figures(ids[start : start + 500])


def _sync_actuals(tenant: Tenant, kpis: Iterable[Kpi]) -> None:
    """Write the euros the KPIs mapped to benefit lines realised into the business case's
    actual values: per benefit line and completed month with measurements, the sum over the
    KPIs mapped to it (the running month follows once it is over). Months without measurements
    keep what a person entered."""
    from startklar.businesscase.models import MAX_VALUE as MAX_EUR
    from startklar.businesscase.models import Actual

    from .dashboard import benefits

    items = {k.benefit_item_id for k in kpis if k.benefit_item_id is not None}
    if not items:
        return
    mapped = list(Kpi.objects.filter(organisation=tenant.organisation, benefit_item_id__in=items))
    per_item: dict[tuple[int, datetime.date], Decimal] = {}
    for kpi_id, months in benefits(mapped).items():
        item_id = next(k.benefit_item_id for k in mapped if k.pk == kpi_id)
        assert item_id is not None
        for month, euros in months.items():
            per_item[item_id, month] = per_item.get((item_id, month), Decimal(0)) + euros
    this_month = timezone.localdate().replace(day=1)
    for (item_id, month), euros in per_item.items():
        if month >= this_month:
            continue
        Actual.objects.update_or_create(
            item_id=item_id,
            month=month,
            defaults={"value": max(-MAX_EUR, min(MAX_EUR, euros))},
        )


@transaction.atomic
def record_measurements(
    tenant: Tenant,
    kpi: Kpi,
    rows: Sequence[Row],
    source: Source = Source.MANUAL,
    token_name: str = "",
) -> list[Measurement]:
    """Record every row or none (:class:`MeasurementError` lists each row's problems)."""
    tenant.require(kpi)
    checked = check_rows(kpi, rows)
    # A token is no person; an API call from a signed-in browser session keeps who sent it.
    user = None if tenant.token is not None else tenant.membership.user
    created = Measurement.objects.bulk_create(
        Measurement(
            organisation=tenant.organisation,
            kpi=kpi,
            period=period,
            day=Measurement.day_of(period),
            value=value,
            note=note,
            source=source,
            recorded_by=user,
            token_name=token_name,
        )
        for period, value, note in checked
    )
    audit.record(
        tenant,
        AuditAction.CHANGED,
        kpi,
        summary=lambda: _("%(count)d measurements recorded") % {"count": len(created)},
    )
    refresh_figures([kpi.pk])
    _sync_actuals(tenant, [kpi])
    return created


@transaction.atomic
def delete_measurement(tenant: Tenant, measurement: Measurement) -> None:
    tenant.require(measurement)
    audit.record(tenant, AuditAction.DELETED, measurement)
    measurement.delete()
    refresh_figures([measurement.kpi_id])
    _sync_actuals(tenant, [measurement.kpi])


# The scale decision ----------------------------------------------------------------------------


@transaction.atomic
def note_gate(tenant: Tenant, pilot: Pilot, item: GateItem, text: str) -> GateNote | None:
    """A person's note on one item of the gate (a documented reason, a confirmation); an
    empty text takes the note back."""
    tenant.require(pilot)
    if item not in queries.NOTE_ITEMS:
        raise PilotError(_("This item is shown by the evidence, not by a note."))
    text = text.strip()
    if len(text) > 500:
        raise PilotError(_("At most 500 characters."))
    found = pilot.gate_notes.filter(item=item).first()
    if not text:
        if found is not None:
            found.delete()
            audit.record(tenant, AuditAction.CHANGED, pilot, summary=lambda: _("Note removed"))
        return None
    if found is not None and found.text == text:
        return found  # saved unchanged
    note = found or GateNote(organisation=tenant.organisation, pilot=pilot, item=item)
    note.text = text
    note.recorded_by = tenant.membership.user
    note.save()
    audit.record(tenant, AuditAction.CHANGED, pilot, summary=lambda: _("Note recorded"))
    return note


DECIDABLE = (PilotStatus.RUNNING, PilotStatus.EXTENDED)


@transaction.atomic
def decide(
    tenant: Tenant,
    pilot: Pilot,
    outcome: Outcome,
    rationale: str,
    to_status: Status | None = None,
    new_end: datetime.date | None = None,
    override: bool = False,
) -> ScaleDecision:
    """Go (the use case moves to scaling or operation), extend (a new planned end) or stop
    (the use case is postponed), with the gate as it stands. A go with open items needs an
    owner's ``override``; the open items are kept with the decision."""
    tenant.require(pilot)
    rationale = rationale.strip()
    if pilot.status not in DECIDABLE:
        raise PilotError(_("Only a running pilot can be decided on."))
    if not rationale:
        raise PilotError(_("Please give the rationale for the decision."))
    found = engine.gate(queries.evidence(tenant, pilot).facts)
    open_items = [str(item) for item in found.open]
    decision = ScaleDecision(
        organisation=tenant.organisation,
        pilot=pilot,
        outcome=outcome,
        rationale=rationale,
        open_items=open_items,
        decided_by=tenant.membership.user,
    )
    use_case = pilot.use_case
    if outcome == Outcome.GO:
        if to_status not in (Status.SCALING, Status.IN_OPERATION):
            raise PilotError(_("Choose whether the use case scales or goes into operation."))
        if found.blocked:
            raise PilotError(
                _("The classification found a prohibited practice: it cannot be scaled.")
            )
        if open_items and not override:
            raise PilotError(
                _(
                    "Items of the decision are still open. An owner may decide anyway, with "
                    "the reason in the rationale."
                )
            )
        if open_items and not tenant.is_owner:
            raise PilotError(_("Only an owner may decide while items are open."))
        decision.override = bool(open_items)
        decision.to_status = to_status
        pilot.status = PilotStatus.CLOSED
        usecases.change_status(
            tenant,
            use_case,
            to_status,
            reason=rationale,
            cause=StatusChange.Cause.SCALE_DECISION,
        )
    elif outcome == Outcome.EXTEND:
        if new_end is None or new_end <= pilot.planned_end:
            raise PilotError(_("The new planned end must lie after the current one."))
        decision.new_end = new_end
        pilot.status = PilotStatus.EXTENDED
        pilot.planned_end = new_end
    else:
        pilot.status = PilotStatus.CLOSED
        if use_case.status == Status.PILOT:
            usecases.change_status(
                tenant,
                use_case,
                Status.POSTPONED,
                reason=rationale,
                cause=StatusChange.Cause.SCALE_DECISION,
            )
    pilot.save(update_fields=["status", "planned_end", "updated_at"])
    decision.save()
    label = Outcome(outcome).label
    audit.record(tenant, AuditAction.DECIDED, pilot, summary=lambda: str(label))
    return decision
