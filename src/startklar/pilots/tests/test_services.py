"""The pilots' services on their edges: plans and changes, KPIs, reading numbers and dates, the
stored figures after an archive import, notes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.pilots import services
from startklar.pilots.models import GateItem, Kpi, Period, Pilot, PilotStatus
from startklar.testing import demo_company, make_organisation, make_user
from startklar.usecases.models import UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def company() -> tuple[Organisation, Tenant]:
    organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    return organisation, Tenant(organisation=organisation, membership=owner)


def new_pilot(organisation: Organisation, **fields: object) -> Pilot:
    start = datetime.date(2026, 11, 2)
    values: dict[str, object] = {
        "goal": "Schneller",
        "start": start,
        "planned_end": start + datetime.timedelta(weeks=6),
        **fields,
    }
    return Pilot(**values)


def test_a_pilot_is_planned_changed_started_once_and_deleted(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, tenant = company
    use_case = UseCase.objects.get(organisation=organisation, catalogue_id="wissen.interne-suche")
    stranger = Membership.objects.create(
        organisation=make_organisation("Andere GmbH"), user=make_user(), role=Role.OWNER
    )
    with pytest.raises(services.PilotError):
        services.create_pilot(tenant, use_case, new_pilot(organisation, owner=stranger))
    early = new_pilot(organisation, planned_end=datetime.date(2026, 10, 1))
    with pytest.raises(services.PilotError):
        services.create_pilot(tenant, use_case, early)
    pilot = services.create_pilot(tenant, use_case, new_pilot(organisation))
    assert pilot.status == PilotStatus.PLANNED
    pilot.team = "Vertrieb"
    services.update_pilot(tenant, pilot, [])
    pilot.planned_end = datetime.date(2026, 1, 1)
    with pytest.raises(services.PilotError):
        services.update_pilot(tenant, pilot, [])
    pilot.refresh_from_db()
    services.start_pilot(tenant, pilot)
    with pytest.raises(services.PilotError):
        services.start_pilot(tenant, pilot)
    services.delete_pilot(tenant, pilot)
    assert not Pilot.objects.filter(pk=pilot.pk).exists()


def test_kpi_names_are_unique_and_targets_differ(company: tuple[Organisation, Tenant]) -> None:
    organisation, tenant = company
    pilot = Pilot.objects.get(organisation=organisation, status=PilotStatus.EXTENDED)
    existing = pilot.kpis.first()
    assert existing is not None
    copy = Kpi(
        name=existing.name,
        category=existing.category,
        direction=existing.direction,
        baseline_value=Decimal(1),
        baseline_date=existing.baseline_date,
        target_value=Decimal(2),
        target_date=existing.target_date,
    )
    with pytest.raises(services.PilotError):
        services.save_kpi(tenant, pilot, copy)
    other = pilot.kpis.exclude(pk=existing.pk).first()
    assert other is not None
    other.name = existing.name
    with pytest.raises(services.PilotError):
        services.save_kpi(tenant, pilot, other)
    other.refresh_from_db()
    other.target_value = other.baseline_value
    with pytest.raises(services.PilotError):
        services.save_kpi(tenant, pilot, other)
    services.delete_kpi(tenant, existing)
    assert not Kpi.objects.filter(pk=existing.pk).exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("\u22123,5", Decimal("-3.5")),
        (12, Decimal(12)),
        (2.5, Decimal("2.5")),
        (Decimal("7"), Decimal(7)),
        (float("nan"), None),
        (float("inf"), None),
        ("zwölf", None),
        (True, None),
        (None, None),
        ("NaN", None),
    ],
)
def test_numbers_are_read_in_both_notations(text: object, expected: Decimal | None) -> None:
    assert services.parse_value(text) == expected


@pytest.mark.parametrize(
    ("period", "day", "start"),
    [
        (Period.DAY, datetime.date(2026, 12, 3), datetime.date(2026, 12, 3)),
        (Period.WEEK, datetime.date(2026, 12, 3), datetime.date(2026, 11, 30)),
        (Period.MONTH, datetime.date(2026, 12, 3), datetime.date(2026, 12, 1)),
    ],
)
def test_a_date_counts_for_its_period(
    period: Period, day: datetime.date, start: datetime.date
) -> None:
    assert services.period_start(period, day) == start


def test_rows_name_every_problem(company: tuple[Organisation, Tenant]) -> None:
    organisation, _tenant = company
    kpi = Kpi.objects.filter(organisation=organisation, period=Period.WEEK).first()
    assert kpi is not None
    today = datetime.date(2026, 12, 7)
    rows = [
        services.Row(datetime.datetime(2026, 12, 7, 9, 0), "1", "x" * 301),
        services.Row("31.12.2027", "1"),
        services.Row("01.01.1999", "1"),
        services.Row("gestern", "1e13"),
        services.Row("2026-06-01", "2"),
        services.Row("02.06.26", "3"),  # the same week as the row before
    ]
    with pytest.raises(services.MeasurementError) as raised:
        services.check_rows(kpi, rows, today)
    found = {(e.row, e.field) for e in raised.value.errors}
    assert found == {
        (1, "note"),
        (2, "period"),
        (3, "period"),
        (4, "period"),
        (4, "value"),
        (6, "period"),
    }
    with pytest.raises(services.MeasurementError):
        services.check_rows(kpi, [], today)


def test_figures_are_worked_out_again_after_an_import(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, _tenant = company
    kpi = Kpi.objects.filter(organisation=organisation).exclude(figures={}).first()
    assert kpi is not None
    stored = kpi.figures
    Kpi.objects.filter(organisation=organisation).update(figures={})
    services.restore_results(organisation)
    kpi.refresh_from_db()
    assert kpi.figures == stored


def test_a_note_is_bounded_and_taken_back(company: tuple[Organisation, Tenant]) -> None:
    organisation, tenant = company
    pilot = Pilot.objects.get(organisation=organisation, status=PilotStatus.EXTENDED)
    with pytest.raises(services.PilotError):
        services.note_gate(tenant, pilot, GateItem.KPIS, "x" * 501)
    assert services.note_gate(tenant, pilot, GateItem.KPIS, "Sammelrechnungen") is not None
    assert services.note_gate(tenant, pilot, GateItem.KPIS, "") is None
    assert not pilot.gate_notes.filter(item=GateItem.KPIS).exists()
