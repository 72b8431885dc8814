"""JSON API of the quality reviews: items to judge sent by another system (the document
system, a ticket tool), and a plan's figures per period.

Authentication: an organisation API token (``Authorization: Bearer sk_…``; writing needs a
token that may write) or the browser session. Errors name the field: 404 for a plan that is
not the organisation's (or no plan at all), 422 with ``detail`` as a list of ``{loc, msg}``
for a body that cannot be saved – nothing of the batch is saved then.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.http.request import RawPostDataException
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

from startklar.core.api import ORGANISATION_ERRORS, Error
from startklar.organisations.models import Role
from startklar.organisations.tenancy import resolve_tenant
from startklar.organisations.tokens import API_AUTH

from . import queries, services
from .models import MAX_CONTEXT, MAX_OUTPUT, ReviewPlan, Source

router = Router(tags=["reviews"], auth=API_AUTH)  # an organisation API token, or the session


class FieldError(Schema):
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    detail: list[FieldError]


# 400: a body that is no JSON at all; 422: JSON that cannot be saved, naming the field
WRITE_ERRORS = {**ORGANISATION_ERRORS, 400: Error, 422: Invalid}


class ItemIn(Schema):
    output: Annotated[str, Field(min_length=1, max_length=MAX_OUTPUT)] = Field(
        description="The AI output to judge, or a link to it. / Die KI-Ausgabe oder ein Link."
    )
    sampled_on: datetime.date = Field(
        description="The day the item was sampled (not in the future); it decides the period. / "
        "Tag der Stichprobe (nicht in der Zukunft); bestimmt den Zeitraum."
    )
    reference: Annotated[str, Field(max_length=120)] = Field(
        "",
        description="Your id of the item, unique within the plan (optional). / "
        "Ihre Kennung, je Prüfplan eindeutig (optional).",
    )
    context: Annotated[str, Field(max_length=MAX_CONTEXT)] = Field(
        "", description="The input or context of the output (optional). / Eingabe oder Kontext."
    )


class ItemsIn(Schema):
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=services.MAX_BATCH)]


class ItemsOut(Schema):
    created: int
    ids: list[int]


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date
    n: int
    errors: int
    rate: float | None
    low: float
    high: float
    alert_reasons: list[str]


class StatisticsOut(Schema):
    plan_id: int
    title: str
    ai_system: str
    threshold: float
    required: int
    items_judged: int
    errors: int
    rate: float | None
    low: float
    high: float
    enough: bool
    below_threshold_with_confidence: bool
    open_alerts: int
    trend: str
    periods: list[PeriodOut]


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its definitions put in place (for ``openapi_extra``)."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(definitions[ref.rsplit("/", 1)[1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


ITEMS_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline(ItemsIn.model_json_schema())}},
    }
}


def _payload(request: HttpRequest) -> ItemsIn:
    """The body, read after the organisation and the rights are checked (a stranger learns
    nothing from a body's errors); anything but JSON of the documented shape is 422."""
    try:
        raw = request.body
    except RawPostDataException:  # a form body, read already by the CSRF check
        raw = b""
    try:
        return ItemsIn.model_validate_json(raw or b"null")
    except PydanticError as error:
        raise ValidationError(
            [{"loc": ["body", *e["loc"]], "msg": e["msg"]} for e in error.errors()]
        ) from None


@router.post(
    "/o/{org_slug}/reviews/{reviewplan_id}/items",
    response={201: ItemsOut, **WRITE_ERRORS},
    summary="Add items to judge / Prüfobjekte hinzufügen",
    openapi_extra=ITEMS_BODY,
)
def add_items(request: HttpRequest, org_slug: str, reviewplan_id: int) -> tuple[int, ItemsOut]:
    """Adds sampled AI outputs to a review plan, all or none. A row that cannot be saved (a
    reference the plan has already, a date in the future) answers 422 naming the row and the
    field; nothing of the batch is saved.

    Fügt einer Qualitätsprüfung Stichproben hinzu, alle oder keine. Eine Zeile, die nicht
    gespeichert werden kann, ergibt 422 mit Zeile und Feld; dann wird nichts gespeichert."""
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    plan = tenant.get(ReviewPlan.objects, pk=reviewplan_id)
    payload = _payload(request)
    rows = [services.NewItem(i.output, i.sampled_on, i.reference, i.context) for i in payload.items]
    try:
        created = services.add_items(tenant, plan, rows, Source.API)
    except services.ItemsError as error:
        raise ValidationError(
            [
                {"loc": ["body", "items", max(p.row - 1, 0), p.field], "msg": p.message}
                for p in error.problems
            ]
        ) from None
    return 201, ItemsOut(created=len(created), ids=[i.pk for i in created])


class ItemOut(Schema):
    id: int
    reference: str
    sampled_on: datetime.date
    source: str
    judged: bool
    error: bool | None


@router.get(
    "/o/{org_slug}/reviews/{reviewplan_id}/items",
    response={200: list[ItemOut], **ORGANISATION_ERRORS, 422: Invalid},
    summary="The latest items / Die neuesten Prüfobjekte",
)
def list_items(request: HttpRequest, org_slug: str, reviewplan_id: int) -> list[ItemOut]:
    """The plan's latest 100 items with their outcome (``error`` empty until judged).

    Die neuesten 100 Prüfobjekte des Plans mit ihrem Ergebnis (``error`` leer, solange
    ungeprüft)."""
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    plan = tenant.get(ReviewPlan.objects, pk=reviewplan_id)
    return [
        ItemOut(
            id=i.pk,
            reference=i.reference,
            sampled_on=i.sampled_on,
            source=i.source,
            judged=i.error is not None,
            error=i.error,
        )
        for i in plan.items.order_by("-period", "-position")[:100]
    ]


@router.get(
    "/o/{org_slug}/reviews/{reviewplan_id}/statistics",
    response={200: StatisticsOut, **ORGANISATION_ERRORS, 422: Invalid},
    summary="A plan's error rates / Fehlerquoten eines Prüfplans",
)
def statistics(request: HttpRequest, org_slug: str, reviewplan_id: int) -> StatisticsOut:
    """The error rate per period with its Wilson 95 % interval and the reasons of an alert,
    and over all judged items.

    Die Fehlerquote je Zeitraum mit Wilson-95-%-Intervall und Alarmgründen, und über alle
    geprüften Objekte."""
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    plan = tenant.get(ReviewPlan.objects, pk=reviewplan_id)
    found = queries.plan_summaries(tenant, [plan.ai_system_id])
    summary = next((s for s in found if s.plan_id == plan.pk), None)
    if summary is None:  # pragma: no cover - the plan was just read
        raise Http404
    return StatisticsOut(
        plan_id=summary.plan_id,
        title=summary.title,
        ai_system=summary.ai_system_name,
        threshold=summary.threshold,
        required=summary.required,
        items_judged=summary.items_judged,
        errors=summary.errors,
        rate=summary.rate,
        low=summary.low,
        high=summary.high,
        enough=summary.enough,
        below_threshold_with_confidence=summary.below_threshold_with_confidence,
        open_alerts=summary.open_alerts,
        trend=str(summary.trend),
        periods=[
            PeriodOut(
                start=p.start,
                end=p.end,
                n=p.n,
                errors=p.errors,
                rate=p.rate,
                low=p.low,
                high=p.high,
                alert_reasons=[str(r) for r in p.reasons],
            )
            for p in summary.periods
        ],
    )
