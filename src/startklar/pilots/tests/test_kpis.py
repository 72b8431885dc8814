"""KPIs, measurements, the file import, the dashboard's numbers and the business case's actual
values (issue 14, points 2-4 and 10-11)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook, load_workbook

from startklar.businesscase.models import Actual, BusinessCase, LineItem
from startklar.core.tests.vegalite import assert_valid
from startklar.organisations.models import Role
from startklar.pilots import dashboard, engine, measurefile, services
from startklar.pilots.models import Kpi, Measurement, Pilot, Source
from startklar.testing import add_member, client_for, make_organisation, tenant_of
from startklar.usecases.models import Status, UseCase

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def setup() -> tuple[object, Pilot]:
    organisation = make_organisation()
    user = add_member(organisation, role=Role.OWNER)
    tenant = tenant_of(user, organisation)
    use_case = UseCase.objects.create(
        organisation=organisation,
        title="Eingangsrechnungen",
        problem="Abtippen",
        status=Status.SELECTED,
        catalogue_id="administration.eingangsrechnungen",
    )
    pilot = services.create_pilot(
        tenant,
        use_case,
        Pilot(goal="schneller", start=TODAY - datetime.timedelta(days=60), planned_end=TODAY),
    )
    return tenant, pilot


def kpi_of(
    tenant: object, pilot: Pilot, name: str = "Minuten je Rechnung", **fields: object
) -> Kpi:
    values: dict[str, object] = {
        "name": name,
        "category": "effizienz",
        "unit": "min",
        "direction": "lower",
        "period": "day",
        "baseline_value": Decimal(12),
        "baseline_date": TODAY - datetime.timedelta(days=90),
        "target_value": Decimal(6),
        "target_date": TODAY + datetime.timedelta(days=30),
    }
    values.update(fields)
    return services.save_kpi(tenant, pilot, Kpi(**values))  # type: ignore[arg-type]


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


# Import ----------------------------------------------------------------------------------------


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_import_is_all_or_nothing_with_the_file_lines(setup: tuple[object, Pilot]) -> None:
    tenant, pilot = setup
    kpi_of(tenant, pilot)
    kpi_of(tenant, pilot, "Quote ohne Korrektur", direction="higher", unit="%")
    data = (
        "KPI;Datum;Wert;Notiz\n"
        f"Minuten je Rechnung;{days_ago(3):%d.%m.%Y};10,5;gut\n"
        "Unbekannt;01.01.2026;3;\n"
        f"Quote ohne Korrektur;{days_ago(3):%Y-%m-%d};abc;\n"
        f"Minuten je Rechnung;{days_ago(3):%d.%m.%Y};9;doppelt\n"
        f"Quote ohne Korrektur;{(TODAY + datetime.timedelta(days=2)):%d.%m.%Y};80;\n"
    ).encode()
    rows = measurefile.read("werte.csv", data, "de")
    with pytest.raises(services.MeasurementError) as raised:
        services.import_measurements(tenant, pilot, rows)  # type: ignore[arg-type]
    found = [(e.row, e.field) for e in raised.value.errors]
    assert found == [(3, "kpi"), (4, "value"), (5, "period"), (6, "period")]
    assert "Row 2" in raised.value.errors[2].message or "Zeile 2" in raised.value.errors[2].message
    assert not Measurement.objects.exists()


def test_an_excel_file_in_english_formats_imports_every_row(setup: tuple[object, Pilot]) -> None:
    tenant, pilot = setup
    kpi = kpi_of(tenant, pilot)
    data = xlsx(
        [
            ["KPI", "Date", "Value", "Note"],
            ["minuten je rechnung", days_ago(5), 11.5, ""],
            [],
            ["Minuten je Rechnung", f"{days_ago(4):%d/%m/%Y}", "1,234.5", "en"],
            ["Minuten je Rechnung", f"{days_ago(3):%Y-%m-%d}", 9, None],
        ]
    )
    count = services.import_measurements(tenant, pilot, measurefile.read("x.xlsx", data, "en"))  # type: ignore[arg-type]
    assert count == 3
    values = list(kpi.measurements.values_list("value", "source"))
    assert values == [
        (Decimal("11.5"), Source.IMPORT),
        (Decimal("1234.5"), Source.IMPORT),
        (Decimal("9"), Source.IMPORT),
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.csv", b"", "empty"),
        ("x.csv", b"Name;Wert\nA;1\n", "missing: Date"),
        ("x.xlsx", b"PK\x03\x04 not a zip", "Excel"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(name: str, data: bytes, message: str) -> None:
    with translation.override("en"), pytest.raises(measurefile.FileError) as raised:
        measurefile.read(name, data, "de")
    assert message in str(raised.value)


def test_the_template_file_has_the_columns_and_a_row_per_kpi() -> None:
    book = load_workbook(io.BytesIO(measurefile.template(["A", "B"], "de")))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    names = measurefile.column_names()
    assert rows[0] == (names["kpi"], names["period"], names["value"], names["note"])
    assert [r[0] for r in rows[1:]] == ["A", "B"]


# KPIs and the business case ---------------------------------------------------------------------


def test_a_kpi_mapped_to_a_benefit_line_writes_the_actual_values(
    setup: tuple[object, Pilot],
) -> None:
    tenant, pilot = setup
    case = BusinessCase.objects.create(
        organisation=pilot.organisation, use_case=pilot.use_case, start=TODAY
    )
    item = LineItem.objects.create(
        organisation=pilot.organisation, business_case=case, kind="time_saving", name="Zeit"
    )
    manual_month = datetime.date(2020, 1, 1)
    Actual.objects.create(item=item, month=manual_month, value=Decimal(99))  # a person's entry
    kpi = kpi_of(
        tenant,
        pilot,
        benefit_item=item,
        benefit_volume=Decimal(400),
        benefit_rate=Decimal("0.75"),
    )
    this_month = TODAY.replace(day=1)
    month = (this_month - datetime.timedelta(days=1)).replace(day=1)  # the last completed one
    rows = [
        services.Row(month, "8"),
        services.Row(month + datetime.timedelta(days=1), "10"),
        services.Row(TODAY, "11"),  # the running month: written once it is over
    ]
    services.record_measurements(tenant, kpi, rows)  # type: ignore[arg-type]
    # mean 9 minutes against 12: 3 minutes × 400 invoices × 0.75 € = 900 €
    assert Actual.objects.get(item=item, month=month).value == Decimal("900.00")
    assert not Actual.objects.filter(item=item, month=this_month).exists()
    assert Actual.objects.get(item=item, month=manual_month).value == Decimal(99)
    section = dashboard.kpi_section(tenant, pilot)  # type: ignore[arg-type]
    assert section.benefit_total == Decimal("1200.00")  # the page counts the running month too
    assert section.actuals_url.endswith(f"/business-cases/{case.pk}/actuals/")


def test_a_benefit_line_of_another_use_case_is_refused(setup: tuple[object, Pilot]) -> None:
    tenant, pilot = setup
    other = UseCase.objects.create(organisation=pilot.organisation, title="Anders", problem="x")
    case = BusinessCase.objects.create(organisation=pilot.organisation, use_case=other, start=TODAY)
    item = LineItem.objects.create(
        organisation=pilot.organisation, business_case=case, kind="time_saving", name="Zeit"
    )
    with pytest.raises(services.PilotError):
        kpi_of(tenant, pilot, benefit_item=item, benefit_volume=1, benefit_rate=1)


# The dashboard's numbers -------------------------------------------------------------------------


def test_the_dashboard_gives_what_the_engine_gives_on_the_raw_data(
    setup: tuple[object, Pilot],
) -> None:
    tenant, pilot = setup
    kpi = kpi_of(tenant, pilot)
    values = [12, 11.5, 11.8, 10.9, 10.2, 10.4, 9.8, 9.1]
    rows = [services.Row(days_ago(40 - 5 * i), str(v)) for i, v in enumerate(values)]
    services.record_measurements(tenant, kpi, rows)  # type: ignore[arg-type]
    raw = [engine.Measurement(m.period, float(m.value)) for m in kpi.measurements.all()]
    expected = engine.kpi_status(engine.Direction.LOWER, 12, 6, kpi.target_date, raw)
    (card,) = dashboard.kpi_section(tenant, pilot).cards  # type: ignore[arg-type]
    assert card.status.light == expected.light
    assert card.status.progress == pytest.approx(expected.progress)
    assert card.forecast is not None
    assert expected.forecast is not None
    assert card.forecast.value == pytest.approx(expected.forecast.value, rel=1e-9)
    assert card.forecast.interval.low == pytest.approx(expected.forecast.interval.low, rel=1e-9)
    assert card.latest == Decimal("9.1")
    assert card.grain is dashboard.Grain.MEASURED
    assert len(card.spec["layer"][-1]["data"]["values"]) == len(values)
    assert_valid(card.spec)


def test_many_measurements_are_charted_as_weekly_means_in_few_queries(
    setup: tuple[object, Pilot],
) -> None:
    tenant, pilot = setup
    kpis = [kpi_of(tenant, pilot, f"KPI {n}") for n in range(3)]
    for kpi in kpis:
        Measurement.objects.bulk_create(
            Measurement(
                organisation=pilot.organisation,
                kpi=kpi,
                period=days_ago(d),
                day=Measurement.day_of(days_ago(d)),
                value=Decimal(12) - Decimal(d % 7) / 10,
            )
            for d in range(300)
        )
    services.refresh_figures([kpi.pk for kpi in kpis])
    with CaptureQueriesContext(connection) as queries:
        section = dashboard.kpi_section(tenant, pilot)  # type: ignore[arg-type]
    assert len(queries) <= 8
    card = section.cards[0]
    assert card.count == 300
    assert card.grain is dashboard.Grain.WEEK
    points = card.spec["layer"][-1]["data"]["values"]
    assert 40 <= len(points) <= dashboard.MAX_POINTS
    assert all(p["value"] == pytest.approx(11.7, abs=0.31) for p in points)
    raw = [engine.Measurement(m.period, float(m.value)) for m in card.kpi.measurements.all()]
    expected = engine.forecast(raw, card.kpi.target_date)
    assert expected is not None
    assert card.forecast is not None
    assert card.forecast.value == pytest.approx(expected.value, rel=1e-6)


def test_the_pilot_list_counts_the_lights(setup: tuple[object, Pilot]) -> None:
    tenant, pilot = setup
    reached = kpi_of(tenant, pilot, "erreicht")
    kpi_of(tenant, pilot, "leer")
    services.record_measurements(tenant, reached, [services.Row(TODAY, "5")])  # type: ignore[arg-type]
    found = dashboard.lights(Kpi.objects.filter(pilot=pilot))[pilot.pk]
    assert dict(found.counts) == {engine.Light.GREEN: 1, engine.Light.GREY: 1}
    assert found.worst == "leer"


def test_proposals_come_from_the_catalogue_and_leave_out_taken_names(
    setup: tuple[object, Pilot],
) -> None:
    _tenant, pilot = setup
    found = dashboard.proposals(pilot.use_case, ["Bearbeitungszeit je Rechnung"], "de")
    names = [p.name for p in found]
    assert "Bearbeitungszeit je Rechnung" not in names
    assert "Anteil ohne manuelle Korrektur" in names
    assert all(p.source == "catalogue" and not p.complete for p in found)


# Views -----------------------------------------------------------------------------------------


def test_a_measurement_swaps_the_card_and_bad_input_answers_422(
    setup: tuple[object, Pilot],
) -> None:
    tenant, pilot = setup
    kpi = kpi_of(tenant, pilot)
    client = client_for(tenant.membership.user, "de")  # type: ignore[attr-defined]
    slug = pilot.organisation.slug
    url = f"/o/{slug}/pilots/kpis/{kpi.pk}/measure/"
    answer = client.post(
        url, {"period": TODAY.isoformat(), "value": "10,5", "note": ""}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith(f'<article class="card mb-3 kpi-card" id="kpi-{kpi.pk}"')
    assert "10,5" in html
    again = client.post(
        url, {"period": TODAY.isoformat(), "value": "1e400"}, HTTP_HX_REQUEST="true"
    )
    assert again.status_code == 422
    assert "is-invalid" in again.content.decode()
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    late = client.post(url, {"period": future, "value": "3"}, HTTP_HX_REQUEST="true")
    assert late.status_code == 422
    assert f'id="kpi-{kpi.pk}-period-error"' in late.content.decode()
    assert kpi.measurements.count() == 1
    page = client.get(f"/o/{slug}/pilots/{pilot.pk}/")
    assert page.status_code == 200
    assert f'data-chart="kpi-{kpi.pk}-spec"' in page.content.decode()
    measurement = kpi.measurements.get()
    gone = client.post(
        f"/o/{slug}/pilots/measurements/{measurement.pk}/delete/", HTTP_HX_REQUEST="true"
    )
    assert gone.status_code == 200
    assert not kpi.measurements.exists()


def test_the_kpi_form_names_the_fields(setup: tuple[object, Pilot]) -> None:
    tenant, pilot = setup
    client = client_for(tenant.membership.user, "en")  # type: ignore[attr-defined]
    url = f"/o/{pilot.organisation.slug}/pilots/{pilot.pk}/kpis/new/"
    assert client.get(url + "?proposal=catalogue-0").status_code == 200
    answer = client.post(
        url,
        {
            "name": "Zeit",
            "category": "effizienz",
            "direction": "lower",
            "period": "week",
            "baseline_value": "abc",
            "baseline_date": TODAY.isoformat(),
            "target_value": "6",
            "target_date": TODAY.isoformat(),
        },
    )
    assert answer.status_code == 422
    assert "Please enter a number" in answer.content.decode()
    assert not Kpi.objects.exists()
    ok = client.post(
        url,
        {
            "name": "Bearbeitungszeit je Rechnung",
            "category": "effizienz",
            "direction": "lower",
            "period": "week",
            "baseline_value": "12",
            "baseline_date": TODAY.isoformat(),
            "target_value": "6",
            "target_date": TODAY.isoformat(),
            "proposal": "catalogue-0",
        },
    )
    assert ok.status_code == 302
    assert Kpi.objects.get().proposed_from == "catalogue"


def test_an_import_with_errors_lists_them_and_saves_nothing(setup: tuple[object, Pilot]) -> None:
    tenant, pilot = setup
    kpi_of(tenant, pilot)
    client = client_for(tenant.membership.user, "de")  # type: ignore[attr-defined]
    url = f"/o/{pilot.organisation.slug}/pilots/{pilot.pk}/import/"
    upload = io.BytesIO(b"KPI,Datum,Wert\nMinuten je Rechnung,01.01.2026,x\n")
    upload.name = "werte.csv"
    answer = client.post(url, {"file": upload})
    assert answer.status_code == 422
    assert 'id="import-errors"' in answer.content.decode()
    assert not Measurement.objects.exists()
    assert client.get(url + "template.xlsx").status_code == 200
