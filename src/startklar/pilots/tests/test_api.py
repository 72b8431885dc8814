"""The pilots' JSON API: KPIs and measurements read and sent by another system with an
organisation API token (issue 14, points 3, 10 and 11)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations import services as organisation_services
from startklar.organisations.models import AuditAction, AuditEvent, Organisation, Role, TokenScope
from startklar.organisations.tenancy import Tenant
from startklar.pilots import services
from startklar.pilots.models import Kpi, Measurement, Pilot, Source
from startklar.testing import add_member, client_for, make_organisation, tenant_of
from startklar.usecases.models import Status, UseCase

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> str:
    return (TODAY - datetime.timedelta(days=n)).isoformat()


@dataclass
class World:
    organisation: Organisation
    owner: User
    tenant: Tenant
    pilot: Pilot
    kpi: Kpi
    write: str  # secrets of the owner's tokens
    read: str

    def url(self, kpi: Kpi | None = None) -> str:
        return f"/api/v1/o/{self.organisation.slug}/kpis/{(kpi or self.kpi).pk}/measurements"


def build(name: str | None = None) -> World:
    organisation = make_organisation(name)
    owner = add_member(organisation, role=Role.OWNER)
    tenant = tenant_of(owner, organisation)
    use_case = UseCase.objects.create(
        organisation=organisation,
        title="Eingangsrechnungen",
        problem="Abtippen",
        status=Status.SELECTED,
    )
    pilot = services.create_pilot(
        tenant,
        use_case,
        Pilot(goal="schneller", start=TODAY - datetime.timedelta(days=60), planned_end=TODAY),
    )
    kpi = services.save_kpi(
        tenant,
        pilot,
        Kpi(
            name="Minuten je Rechnung",
            category="effizienz",
            unit="min",
            direction="lower",
            period="day",
            baseline_value=Decimal(12),
            baseline_date=TODAY - datetime.timedelta(days=90),
            target_value=Decimal(6),
            target_date=TODAY + datetime.timedelta(days=30),
        ),
    )
    _w, write = organisation_services.create_api_token(tenant, "ERP", TokenScope.WRITE)
    _r, read = organisation_services.create_api_token(tenant, "BI", TokenScope.READ)
    return World(organisation, owner, tenant, pilot, kpi, write, read)


@pytest.fixture
def world() -> World:
    return build("Muster Metallbau GmbH")


def send(url: str, body: Any, secret: str | None, raw: bool = False) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    data = body if raw else json.dumps(body)
    return Client().post(url, data, content_type="application/json", headers=headers)


def get(url: str, secret: str) -> Any:
    return Client().get(url, headers={"Authorization": f"Bearer {secret}"})


def rows(*pairs: tuple[int, object]) -> dict[str, Any]:
    return {"measurements": [{"period": days_ago(d), "value": v} for d, v in pairs]}


# Sending ---------------------------------------------------------------------------------------


def test_a_batch_is_recorded_with_the_token_as_its_source(world: World) -> None:
    body = rows((3, 11.5), (2, "10.25"), (1, 9))
    body["measurements"][0]["note"] = "Montag, viel Post"
    response = send(world.url(), body, world.write)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] == 3
    assert [m["value"] for m in data["measurements"]] == ["11.5000", "10.2500", "9.0000"]
    saved = list(Measurement.objects.order_by("period"))
    assert [m.value for m in saved] == [Decimal("11.5"), Decimal("10.25"), Decimal(9)]
    assert {m.source for m in saved} == {Source.API}
    assert {m.token_name for m in saved} == {"ERP"}
    assert saved[0].note == "Montag, viel Post"
    event = AuditEvent.objects.filter(action=AuditAction.CHANGED).latest("pk")
    assert event.actor == world.owner  # the token acts for its creator


def test_one_measurement_is_a_batch_of_one(world: World) -> None:
    response = send(world.url(), rows((0, 8)), world.write)
    assert response.status_code == 201
    assert response.json()["created"] == 1


def test_a_weekly_kpi_stores_the_weeks_monday(world: World) -> None:
    Kpi.objects.filter(pk=world.kpi.pk).update(period="week")
    response = send(world.url(), rows((0, 8)), world.write)
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    assert response.json()["measurements"][0]["period"] == monday.isoformat()


def errors_of(response: Any) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("-Infinity", "finite"),
        (1e20, "zu groß"),
        ("1e20", "zu groß"),
        (-(10**13), "zu groß"),
        ("zwölf", "decimal"),
        (None, "decimal"),
        (True, "decimal"),
    ],
)
def test_values_that_are_no_finite_number_in_bounds_are_refused(
    world: World, value: object, message: str
) -> None:
    body = rows((2, 10), (1, 0))
    body["measurements"][1]["value"] = value
    raw = json.dumps(body)  # Python writes NaN and Infinity as the bare words
    found = errors_of(send(world.url(), raw, world.write, raw=True))
    assert len(found) == 1
    loc, msg = found[0]
    assert loc[-2:] == [1, "value"]
    assert message in msg.lower()
    assert not Measurement.objects.exists()


def test_bare_nan_in_json_is_refused(world: World) -> None:
    raw = '{"measurements": [{"period": "DAY", "value": NaN}]}'.replace("DAY", days_ago(1))
    found = errors_of(send(world.url(), raw, world.write, raw=True))
    assert found[0][0][-2:] == [0, "value"]


def test_a_date_in_the_future_is_refused_and_nothing_saved(world: World) -> None:
    body = rows((1, 10), (-1, 9))
    found = errors_of(send(world.url(), body, world.write))
    assert found == [(["body", "measurements", 1, "period"], "Das Datum liegt in der Zukunft.")]
    assert not Measurement.objects.exists()


def test_a_period_with_a_value_and_duplicates_in_one_batch_are_refused(world: World) -> None:
    assert send(world.url(), rows((5, 10)), world.write).status_code == 201
    found = errors_of(send(world.url(), rows((4, 9), (5, 8), (4, 7)), world.write))
    assert found == [
        (["body", "measurements", 1, "period"], "Für diesen Zeitraum gibt es schon einen Wert."),
        (
            ["body", "measurements", 2, "period"],
            "Zeile 1 gibt schon einen Wert für diesen Zeitraum an.",
        ),
    ]
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "loc_end"),
    [
        ({"measurements": [{"period": days_ago(1), "value": 1, "unit": "min"}]}, [0, "unit"]),
        ({"measurements": [{"period": days_ago(1), "value": 1}], "kpi": 3}, ["kpi"]),
        ({"measurements": [{"value": 1}]}, [0, "period"]),
        ({"measurements": [{"period": "2026-02-30", "value": 1}]}, [0, "period"]),
        ({"measurements": [{"period": "gestern", "value": 1}]}, [0, "period"]),
        ({"measurements": [{"period": days_ago(1), "value": 1, "note": "x" * 301}]}, [0, "note"]),
        ({"measurements": []}, ["measurements"]),
        ({}, ["measurements"]),
        ([{"period": days_ago(1), "value": 1}], []),
    ],
)
def test_malformed_bodies_name_the_field(world: World, body: Any, loc_end: list[object]) -> None:
    found = errors_of(send(world.url(), body, world.write))
    assert any(loc[len(loc) - len(loc_end) :] == loc_end for loc, _msg in found), found
    assert not Measurement.objects.exists()


def test_a_body_that_is_no_json_is_a_400(world: World) -> None:
    response = send(world.url(), "{period:", world.write, raw=True)
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_batch_above_the_limit_is_refused(world: World) -> None:
    body = {"measurements": [{"period": days_ago(1), "value": 1}] * 1001}
    errors_of(send(world.url(), body, world.write))
    assert not Measurement.objects.exists()


# Who may -----------------------------------------------------------------------------------------


def test_a_read_only_token_may_read_but_not_send(world: World) -> None:
    response = send(world.url(), rows((1, 10)), world.read)
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"
    assert get(world.url(), world.read).status_code == 200
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("problem", ["wrong", "revoked", "missing"])
def test_wrong_revoked_or_missing_tokens_answer_401(world: World, problem: str) -> None:
    secret: str | None = world.write
    if problem == "wrong":
        secret = "sk_" + "A" * 43
    elif problem == "revoked":
        token = world.organisation.api_tokens.get(name="ERP")
        organisation_services.revoke_api_token(world.tenant, token)
    else:
        secret = None
    response = send(world.url(), rows((1, 10)), secret)
    assert response.status_code == 401
    body = response.json()
    assert body["detail"]
    if problem != "missing":
        assert body["code"] == ("token_invalid" if problem == "wrong" else "token_revoked")
    assert not Measurement.objects.exists()


def test_another_organisations_kpi_and_pilot_are_not_found(world: World) -> None:
    other = build()
    # their KPI under our organisation's name with our token
    assert send(world.url(other.kpi), rows((1, 10)), world.write).status_code == 404
    assert get(world.url(other.kpi), world.write).status_code == 404
    url = f"/api/v1/o/{world.organisation.slug}/pilots/{other.pilot.pk}/kpis"
    assert get(url, world.write).status_code == 404
    # our token used under their organisation
    assert send(other.url(), rows((1, 10)), world.write).status_code == 404
    assert (
        get(
            f"/api/v1/o/{other.organisation.slug}/pilots/{other.pilot.pk}/kpis", world.write
        ).status_code
        == 404
    )
    assert not Measurement.objects.exists()


def test_a_session_write_needs_the_csrf_token_a_token_write_does_not(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    response = client.post(world.url(), json.dumps(rows((1, 10))), content_type="application/json")
    assert response.status_code == 403
    assert not Measurement.objects.exists()
    assert send(world.url(), rows((1, 10)), world.write).status_code == 201


def test_a_viewer_session_may_read_but_not_send(world: World) -> None:
    viewer = client_for(add_member(world.organisation, role=Role.VIEWER))
    assert viewer.get(world.url()).status_code == 200
    response = viewer.post(world.url(), json.dumps(rows((1, 10))), content_type="application/json")
    assert response.status_code == 403


# Reading ---------------------------------------------------------------------------------------


def test_a_pilots_kpis_with_baseline_target_and_latest_value(world: World) -> None:
    url = f"/api/v1/o/{world.organisation.slug}/pilots/{world.pilot.pk}/kpis"
    before = get(url, world.read).json()
    assert before == [
        {
            "id": world.kpi.pk,
            "name": "Minuten je Rechnung",
            "category": "effizienz",
            "unit": "min",
            "direction": "lower",
            "period": "day",
            "baseline": {"period": days_ago(90), "value": "12.0000"},
            "target": {"period": days_ago(-30), "value": "6.0000"},
            "latest": None,
        }
    ]
    send(world.url(), rows((4, 10), (2, 9.5), (3, 9.8)), world.write)
    after = get(url, world.read).json()
    assert after[0]["latest"] == {"period": days_ago(2), "value": "9.5000"}


def test_a_kpis_measurements_oldest_first(world: World) -> None:
    send(world.url(), rows((2, 9), (4, 11)), world.write)
    data = get(world.url(), world.read).json()
    assert [(m["period"], m["value"], m["source"]) for m in data] == [
        (days_ago(4), "11.0000", "api"),
        (days_ago(2), "9.0000", "api"),
    ]


def test_the_operations_take_tokens_in_the_schema(world: World) -> None:
    schema = client_for(world.owner).get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/o/{org_slug}/kpis/{kpi_id}/measurements"]["post"]
    assert {"TokenAuth": []} in post["security"]
    assert {"401", "403", "404", "422"} <= set(post["responses"])
    assert "Messwerte" in post["summary"]
