"""JSON API of the pilots: a pilot's KPIs, and KPI measurements read and sent by another
system (ERP, CRM, ticket system).

Authentication: an organisation API token (``Authorization: Bearer sk_…``; sending
measurements needs a token that may write) or the browser session. Errors name the field:
401 for a wrong or revoked token, 403 for a read-only token on a write, 404 for a pilot or KPI
that is not the organisation's (or none at all), 422 with ``detail`` as a list of
``{loc, msg}`` – ``loc`` is ``["body", "measurements", <row from 0>, <field>]`` – for a batch
that cannot be saved; nothing of the batch is saved then.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Annotated, Any, cast

from django.db import IntegrityError
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticError

from startklar.core.api import ORGANISATION_ERRORS, Error
from startklar.organisations.models import Role
from startklar.organisations.tenancy import resolve_tenant
from startklar.organisations.tokens import API_AUTH

from . import services
from .models import Category, Direction, Kpi, Measurement, Period, Pilot, Source

router = Router(tags=["pilots"], auth=API_AUTH)  # an organisation API token, or the session

MAX_BATCH = 1000  # rows per request: more than two years of daily values


class FieldError(Schema):
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    detail: list[FieldError]


READ_ERRORS = {**ORGANISATION_ERRORS, 422: Invalid}  # 422: an id that is no number
# 400: a body that is no JSON at all; 422: JSON that cannot be saved, naming row and field
WRITE_ERRORS = {**ORGANISATION_ERRORS, 400: Error, 422: Invalid}


class MeasuredOut(Schema):
    period: datetime.date = Field(description="First day of the period. / Erster Tag.")
    value: Decimal


class KpiOut(Schema):
    id: int
    name: str
    category: Category
    unit: str
    direction: Direction = Field(
        description="Whether higher or lower values are better. / Ob höhere oder niedrigere "
        "Werte besser sind."
    )
    period: Period = Field(
        description="How often it is measured: a value per day, per week (from Monday) or per "
        "month (from the 1st). / Wie oft gemessen wird: je Tag, Woche (ab Montag), Monat."
    )
    baseline: MeasuredOut
    target: MeasuredOut = Field(description="Target value and date. / Zielwert und -datum.")
    latest: MeasuredOut | None = Field(
        description="The newest measurement, null without one. / Der neueste Messwert."
    )


class MeasurementOut(Schema):
    id: int
    period: datetime.date = Field(
        description="First day of the period the value is for. / Erster Tag des Zeitraums."
    )
    value: Decimal
    note: str
    source: Source = Field(description="entered, imported or API. / erfasst, importiert, API.")
    recorded_at: datetime.datetime


class MeasurementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: datetime.date = Field(
        description="A day of the period (ISO date, not in the future); a weekly KPI stores it "
        "under the week's Monday, a monthly one under the 1st. / Ein Tag des Zeitraums "
        "(ISO-Datum, nicht in der Zukunft); wöchentliche Kennzahlen speichern ihn unter dem "
        "Montag, monatliche unter dem 1."
    )
    value: Decimal = Field(
        description="A finite number, at most 10^12 in size. / Eine endliche Zahl, höchstens "
        "10^12 groß."
    )
    note: Annotated[str, Field(max_length=300)] = Field(
        "", description="Optional note (at most 300 characters). / Optionale Notiz."
    )


class MeasurementsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    measurements: Annotated[list[MeasurementIn], Field(min_length=1, max_length=MAX_BATCH)]


class MeasurementsCreated(Schema):
    created: int
    measurements: list[MeasurementOut]


def _latest(period: datetime.date | None, value: Decimal | None) -> MeasuredOut | None:
    """The newest measurement read by a subquery (whose value SQLite gives unscaled)."""
    if period is None or value is None:
        return None
    return MeasuredOut(period=period, value=Decimal(value).quantize(services.FOUR_PLACES))


@router.get(
    "/o/{org_slug}/pilots/{pilot_id}/kpis",
    response={200: list[KpiOut], **READ_ERRORS},
    summary="A pilot's KPIs / Kennzahlen eines Pilotprojekts",
)
def pilot_kpis(request: HttpRequest, org_slug: str, pilot_id: int) -> list[KpiOut]:
    """The pilot's KPIs with unit, direction, baseline, target and the newest measurement.

    Die Kennzahlen des Pilotprojekts mit Einheit, Richtung, Ausgangswert, Ziel und dem
    neuesten Messwert."""
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    pilot = tenant.get(Pilot.objects, pk=pilot_id)
    newest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-period")
    kpis = (
        tenant.scoped(Kpi.objects)
        .filter(pilot=pilot)
        .annotate(
            latest_period=Subquery(newest.values("period")[:1]),
            latest_value=Subquery(newest.values("value")[:1]),
        )
        .order_by("position", "pk")
    )
    return [
        KpiOut(
            id=kpi.pk,
            name=kpi.name,
            category=Category(kpi.category),
            unit=kpi.unit,
            direction=Direction(kpi.direction),
            period=Period(kpi.period),
            baseline=MeasuredOut(period=kpi.baseline_date, value=kpi.baseline_value),
            target=MeasuredOut(period=kpi.target_date, value=kpi.target_value),
            latest=_latest(kpi.latest_period, kpi.latest_value),
        )
        for kpi in kpis
    ]


def _out(measurement: Measurement) -> MeasurementOut:
    return MeasurementOut(
        id=measurement.pk,
        period=measurement.period,
        value=measurement.value,
        note=measurement.note,
        source=Source(measurement.source),
        recorded_at=measurement.recorded_at,
    )


@router.get(
    "/o/{org_slug}/kpis/{kpi_id}/measurements",
    response={200: list[MeasurementOut], **READ_ERRORS},
    summary="A KPI's measurements / Messwerte einer Kennzahl",
)
def kpi_measurements(request: HttpRequest, org_slug: str, kpi_id: int) -> list[MeasurementOut]:
    """Every measurement of the KPI, oldest first.

    Alle Messwerte der Kennzahl, die ältesten zuerst."""
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    kpi = tenant.get(Kpi.objects, pk=kpi_id)
    return [_out(m) for m in kpi.measurements.order_by("period", "pk")]


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` written in place (for ``openapi_extra``)."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return cast(dict[str, Any], resolve(schema))


BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline(MeasurementsIn.model_json_schema())}},
    }
}


def _payload(request: HttpRequest) -> MeasurementsIn:
    """The body, read only after the organisation and the KPI were found (an outsider learns
    nothing from a 422): 400 for a body that is no JSON, 422 naming the row and field."""
    if request.content_type != "application/json":
        raise HttpError(400, _("Please send the measurements as JSON (application/json)."))
    try:
        data = json.loads(request.body)  # like django-ninja: NaN and Infinity reach the check
    except (ValueError, RecursionError):
        raise HttpError(400, _("The body is not valid JSON.")) from None
    try:
        return MeasurementsIn.model_validate(data)
    except PydanticError as error:
        raise ValidationError(
            [{"loc": ["body", *e["loc"]], "msg": e["msg"]} for e in error.errors()]
        ) from None


@router.post(
    "/o/{org_slug}/kpis/{kpi_id}/measurements",
    response={201: MeasurementsCreated, **WRITE_ERRORS},
    summary="Send measurements / Messwerte senden",
    openapi_extra=BODY,
)
def add_measurements(
    request: HttpRequest, org_slug: str, kpi_id: int
) -> Status[MeasurementsCreated]:
    """Records one or more measurements of the KPI, all or none. A row that cannot be saved –
    a date in the future, a period that already has a value (also twice in one batch), a
    number that is not finite or larger than 10^12, an unknown field – answers 422 naming the
    row and the field; nothing of the batch is saved. Needs a token that may write.

    Speichert einen oder mehrere Messwerte der Kennzahl, alle oder keinen. Eine Zeile, die
    nicht gespeichert werden kann – Datum in der Zukunft, ein Zeitraum mit schon einem Wert
    (auch doppelt im selben Stapel), eine nicht endliche oder größere Zahl als 10^12, ein
    unbekanntes Feld – ergibt 422 mit Zeile und Feld; dann wird nichts gespeichert. Braucht
    einen Token, der schreiben darf."""
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    kpi = tenant.get(Kpi.objects, pk=kpi_id)
    payload = _payload(request)
    rows = [services.Row(m.period, m.value, m.note) for m in payload.measurements]
    token_name = tenant.token.name if tenant.token is not None else ""
    try:
        created = services.record_measurements(
            tenant, kpi, rows, source=Source.API, token_name=token_name
        )
    except services.MeasurementError as error:
        raise ValidationError(
            [
                {"loc": ["body", "measurements", max(e.row - 1, 0), e.field], "msg": e.message}
                for e in error.errors
            ]
        ) from None
    except IntegrityError:  # another request recorded the same period a moment earlier
        raise ValidationError(
            [
                {
                    "loc": ["body", "measurements", 0, "period"],
                    "msg": _("This period already has a value."),
                }
            ]
        ) from None
    return Status(
        201, MeasurementsCreated(created=len(created), measurements=[_out(m) for m in created])
    )
