"""The numbers of the KPI dashboard, worked out in the database (part of the queries layer).

A pilot's KPIs may hold years of daily measurements. Nothing here loads them as model objects:
one grouped query adds up, per KPI, what least squares needs (``engine.Sums``: n, Σx, Σx², Σy,
Σxy, Σy² with x the day counted from ``engine.EPOCH``) and the latest value comes as a subquery
with the KPIs; the charts get at most :data:`MAX_POINTS` points per KPI (weekly or monthly means
where there are more, one grouped query each for all KPIs). The number of queries does not grow
with KPIs or measurements.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from startklar.businesscase.models import BusinessCase
from startklar.core.numbers import format_input
from startklar.organisations.tenancy import Tenant

from . import engine
from .models import Kpi, Measurement, Period, Pilot

MAX_POINTS = 120  # points per chart; more measurements are shown as weekly or monthly means
RECENT = 5  # measurements listed under a KPI's chart (to correct a wrong one)
# 2000-01-03, a Monday, is day 2: (day + 5) // 7 counts weeks from Monday to Sunday.
WEEK_SHIFT = 5


def _x() -> F:
    return F("day")


def _y() -> Cast:
    return Cast("value", FloatField())


class Grain(StrEnum):
    """What a chart's points are: the measurements, or means per week or month."""

    MEASURED = "measured"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: float


@dataclass(frozen=True)
class KpiNumbers:
    """What the database says about one KPI's measurements."""

    sums: engine.Sums
    first: datetime.date | None
    last: datetime.date | None
    latest: Decimal | None  # the value of the latest period


def compute(kpi_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Sums, first and last period and the latest value of each KPI from its measurements, in
    two queries: what the services store on the KPI after every change (``Kpi.figures``)."""
    x, y = _x(), _y()
    rows = (
        Measurement.objects.filter(kpi__in=list(kpi_ids))
        .order_by()
        .values("kpi")
        .annotate(
            n=Count("pk"),
            sx=Sum(x),
            sxx=Sum(ExpressionWrapper(x * x, output_field=IntegerField())),
            sy=Sum(y),
            sxy=Sum(ExpressionWrapper(x * y, output_field=FloatField())),
            syy=Sum(ExpressionWrapper(y * y, output_field=FloatField())),
            first=Min("period"),
            last=Max("period"),
        )
    )
    found: dict[int, dict[str, Any]] = {pk: {} for pk in kpi_ids}
    lasts: dict[int, datetime.date] = {}
    for row in rows:
        found[row["kpi"]] = {
            "n": int(row["n"]),
            "sx": int(row["sx"]),
            "sxx": int(row["sxx"]),
            "sy": float(row["sy"]),
            "sxy": float(row["sxy"]),
            "syy": float(row["syy"]),
            "first": row["first"].isoformat(),
            "last": row["last"].isoformat(),
        }
        lasts[row["kpi"]] = row["last"]
    if lasts:
        latest = Q()
        for kpi_id, last in lasts.items():
            latest |= Q(kpi_id=kpi_id, period=last)
        for kpi_id, value in Measurement.objects.filter(latest).values_list("kpi_id", "value"):
            found[kpi_id]["latest"] = str(value)
    return found


def stored(kpi: Kpi) -> KpiNumbers:
    """The figures the services stored on the KPI (no query)."""
    figures = kpi.figures or {}
    if not figures.get("n"):
        return KpiNumbers(engine.Sums(0, 0, 0, 0.0, 0.0, 0.0), None, None, None)
    sums = engine.Sums(
        n=int(figures["n"]),
        sx=int(figures["sx"]),
        sxx=int(figures["sxx"]),
        sy=float(figures["sy"]),
        sxy=float(figures["sxy"]),
        syy=float(figures["syy"]),
    )
    latest = figures.get("latest")
    return KpiNumbers(
        sums,
        datetime.date.fromisoformat(figures["first"]),
        datetime.date.fromisoformat(figures["last"]),
        None if latest is None else Decimal(latest),
    )


def numbers(kpis: Sequence[Kpi]) -> dict[int, KpiNumbers]:
    """Sums, first and last period and the latest value of each KPI, as stored on it: no
    query, whatever the number of measurements."""
    return {kpi.pk: stored(kpi) for kpi in kpis}


def status(kpi: Kpi, found: KpiNumbers) -> engine.KpiStatus:
    """The KPI's progress, forecast for its target date and traffic light."""
    return engine.status_of(
        engine.Direction(kpi.direction),
        float(kpi.baseline_value),
        float(kpi.target_value),
        None if found.latest is None else float(found.latest),
        engine.forecast_from_sums(found.sums, kpi.target_date),
    )


def grain(found: KpiNumbers) -> Grain:
    if found.sums.n <= MAX_POINTS or found.first is None or found.last is None:
        return Grain.MEASURED
    weeks = ((found.last - found.first).days + 7) // 7 + 1
    return Grain.WEEK if weeks <= MAX_POINTS else Grain.MONTH


def _day_of_week(week: int) -> datetime.date:
    return engine.EPOCH + datetime.timedelta(days=week * 7 - WEEK_SHIFT)


def points(grains: dict[int, Grain]) -> dict[int, list[Point]]:
    """The chart points of each KPI by its grain: at most three queries for any number of
    KPIs."""
    by_grain: dict[Grain, list[int]] = defaultdict(list)
    for kpi_id, kind in grains.items():
        by_grain[kind].append(kpi_id)
    result: dict[int, list[Point]] = {kpi_id: [] for kpi_id in grains}
    if by_grain[Grain.MEASURED]:
        for kpi_id, day, value in (
            Measurement.objects.filter(kpi__in=by_grain[Grain.MEASURED])
            .order_by("kpi", "period")
            .values_list("kpi", "period", "value")
        ):
            result[kpi_id].append(Point(day, float(value)))
    if by_grain[Grain.WEEK]:
        week = ExpressionWrapper((_x() + Value(WEEK_SHIFT)) / Value(7), output_field=IntegerField())
        for row in (
            Measurement.objects.filter(kpi__in=by_grain[Grain.WEEK])
            .order_by()
            .annotate(week=week)
            .values("kpi", "week")
            .annotate(mean=Avg(_y()))
            .order_by("kpi", "week")
        ):
            result[row["kpi"]].append(Point(_day_of_week(int(row["week"])), float(row["mean"])))
    if by_grain[Grain.MONTH]:
        for kpi_id, month, mean in month_means(by_grain[Grain.MONTH]):
            result[kpi_id].append(Point(month, mean))
    return result


def month_means(kpi_ids: Iterable[int]) -> list[tuple[int, datetime.date, float]]:
    """(KPI, first of the month, mean of the month's measurements), by KPI and month."""
    rows = (
        Measurement.objects.filter(kpi__in=list(kpi_ids))
        .order_by()
        .annotate(year=ExtractYear("period"), month=ExtractMonth("period"))
        .values("kpi", "year", "month")
        .annotate(mean=Avg(_y()))
        .order_by("kpi", "year", "month")
    )
    return [
        (r["kpi"], datetime.date(int(r["year"]), int(r["month"]), 1), float(r["mean"]))
        for r in rows
    ]


# Days back from a KPI's latest period that hold its :data:`RECENT` latest periods.
RECENT_DAYS = {Period.DAY: RECENT, Period.WEEK: 7 * RECENT, Period.MONTH: 31 * RECENT}


def recent(kpis: Sequence[Kpi], found: dict[int, KpiNumbers]) -> dict[int, list[Measurement]]:
    """The latest :data:`RECENT` measurements of each KPI, newest first, in one query that
    reads only the last few periods of each (not the KPI's whole history)."""
    since = Q()
    for kpi in kpis:
        last = found[kpi.pk].last
        if last is not None:
            days = RECENT_DAYS.get(Period(kpi.period), RECENT)
            since |= Q(kpi_id=kpi.pk, period__gt=last - datetime.timedelta(days=days))
    result: dict[int, list[Measurement]] = defaultdict(list)
    if not since:
        return result
    for measurement in Measurement.objects.filter(since).order_by("kpi", "-period"):
        if len(result[measurement.kpi_id]) < RECENT:
            result[measurement.kpi_id].append(measurement)
    return result


def benefits(kpis: Sequence[Kpi]) -> dict[int, dict[datetime.date, Decimal]]:
    """Euros per month of each KPI mapped to a benefit line (with cases per month and euros
    per unit): the month's improvement over the baseline × cases × euros per unit."""
    mapped = {
        k.pk: k
        for k in kpis
        if k.benefit_item_id is not None
        and k.benefit_volume is not None
        and k.benefit_rate is not None
    }
    result: dict[int, dict[datetime.date, Decimal]] = {pk: {} for pk in mapped}
    if not mapped:
        return result
    for kpi_id, month, mean in month_means(mapped):
        kpi = mapped[kpi_id]
        euros = engine.month_benefit(
            engine.Direction(kpi.direction),
            float(kpi.baseline_value),
            mean,
            float(kpi.benefit_volume or 0),
            float(kpi.benefit_rate or 0),
        )
        result[kpi_id][month] = Decimal(repr(euros)).quantize(Decimal("0.01"))
    return result


# The pilot page's KPI cards ----------------------------------------------------------------------

BAND_STEPS = 8  # points of the forecast band between the last measurement and the target date


@dataclass(frozen=True)
class KpiCard:
    kpi: Kpi
    status: engine.KpiStatus
    percent: int | None  # of the way from baseline to target, latest measurement
    count: int
    latest: Decimal | None
    latest_day: datetime.date | None
    grain: Grain
    spec: dict[str, Any]
    recent: tuple[Measurement, ...]
    benefit: Decimal | None  # euros realised so far (a KPI mapped to a benefit line)
    forecast: engine.Forecast | None
    form: Any = None  # the quick entry with its messages, after a value that could not be saved

    @staticmethod
    def _text(value: Decimal | float | None) -> str:
        if value is None:
            return "–"
        number = Decimal(repr(value)) if isinstance(value, float) else value
        places = 4 if abs(number) < 100 else 1
        return format_input(
            number,
            get_language() or "de",
            places,
        )

    @property
    def latest_text(self) -> str:
        return self._text(self.latest)

    @property
    def baseline_text(self) -> str:
        return self._text(self.kpi.baseline_value)

    @property
    def target_text(self) -> str:
        return self._text(self.kpi.target_value)

    @property
    def forecast_text(self) -> str:
        return "" if self.forecast is None else self._text(round(self.forecast.value, 2))

    @property
    def range_text(self) -> str:
        if self.forecast is None:
            return ""
        low, high = self.forecast.interval.low, self.forecast.interval.high
        return f"{self._text(round(low, 2))} – {self._text(round(high, 2))}"

    @property
    def spec_id(self) -> str:
        return f"kpi-{self.kpi.pk}-spec"


def _path(kpi: Kpi, found: KpiNumbers) -> tuple[engine.Forecast, ...]:
    if found.last is None or kpi.target_date <= found.last:
        return ()
    span = (kpi.target_date - found.last).days
    days = sorted(
        {
            found.last + datetime.timedelta(days=span * i // BAND_STEPS)
            for i in range(BAND_STEPS + 1)
        }
    )
    return engine.forecast_path(found.sums, days)


def cards(
    kpis: Sequence[Kpi],
    labels: dict[str, str],
    grain_labels: dict[Grain, str],
    found: dict[int, KpiNumbers] | None = None,
) -> tuple[KpiCard, ...]:
    """A card per KPI (its figures stored on it): six queries for any number of KPIs
    and measurements (six when the numbers are passed in)."""
    from .charts import kpi_trend

    if not kpis:
        return ()
    found = numbers(kpis) if found is None else found
    grains = {k.pk: grain(found[k.pk]) for k in kpis}
    plotted = points(grains)
    latest = recent(kpis, found)
    money = benefits(kpis)
    result = []
    for kpi in kpis:
        numbers_of = found[kpi.pk]
        state = status(kpi, numbers_of)
        path = _path(kpi, numbers_of)
        unit = kpi.unit or labels["value"]
        spec = kpi_trend(
            [(p.day, p.value) for p in plotted[kpi.pk]],
            float(kpi.baseline_value),
            float(kpi.target_value),
            kpi.target_date,
            path,
            {**labels, "value": unit, "measured": grain_labels[grains[kpi.pk]]},
        )
        result.append(
            KpiCard(
                kpi=kpi,
                status=state,
                percent=None if state.progress is None else round(state.progress * 100),
                count=numbers_of.sums.n,
                latest=numbers_of.latest,
                latest_day=numbers_of.last,
                grain=grains[kpi.pk],
                spec=spec,
                recent=tuple(latest.get(kpi.pk, ())),
                benefit=sum(money[kpi.pk].values(), Decimal(0)) if kpi.pk in money else None,
                forecast=engine.forecast_from_sums(numbers_of.sums, kpi.target_date),
            )
        )
    return tuple(result)


# The pilot list: lights per pilot -----------------------------------------------------------------

# Worst first: off track, at risk, too early to say, on track.
SEVERITY = {
    engine.Light.RED: 0,
    engine.Light.YELLOW: 1,
    engine.Light.GREY: 2,
    engine.Light.GREEN: 3,
}


@dataclass(frozen=True)
class Lights:
    """How a pilot's KPIs stand: the count per light and the worst KPI."""

    counts: tuple[tuple[engine.Light, int], ...]  # in the order of :data:`SEVERITY`, non-zero
    worst: str  # the worst KPI's name ("" without KPIs)
    worst_light: engine.Light | None
    worst_percent: int | None


def lights(kpis: QuerySet[Kpi]) -> dict[int, Lights]:
    """Per pilot: the lights of its KPIs (``kpis`` of many pilots), in two queries."""
    rows = list(kpis)
    found = numbers(rows)
    by_pilot: dict[int, list[tuple[Kpi, engine.KpiStatus]]] = defaultdict(list)
    for kpi in rows:
        by_pilot[kpi.pilot_id].append((kpi, status(kpi, found[kpi.pk])))
    result = {}
    for pilot_id, states in by_pilot.items():
        counts = dict.fromkeys(SEVERITY, 0)
        for _kpi, state in states:
            counts[state.light] += 1
        worst_kpi, worst = min(
            states,
            key=lambda pair: (
                SEVERITY[pair[1].light],
                pair[1].progress if pair[1].progress is not None else float("inf"),
                pair[0].position,
            ),
        )
        result[pilot_id] = Lights(
            counts=tuple((light, n) for light, n in counts.items() if n),
            worst=worst_kpi.name,
            worst_light=worst.light,
            worst_percent=None if worst.progress is None else round(worst.progress * 100),
        )
    return result


# Proposals: KPIs from the catalogue entry and the use case's numeric goal ------------------------

# Words that say lower is better (times, errors, costs): a first guess the person can change.
LOWER_WORDS = (
    "zeit",
    "dauer",
    "fehler",
    "kosten",
    "quote der",
    "reklamation",
    "ausfall",
    "rückfrage",
    "time",
    "duration",
    "error",
    "cost",
    "complaint",
    "downtime",
)


@dataclass(frozen=True)
class Proposal:
    key: str  # "goal" or "catalogue-<n>"
    source: str  # "goal" or "catalogue" (stored as the KPI's proposed_from)
    name: str
    category: str
    unit: str
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    target_date: datetime.date | None

    @property
    def complete(self) -> bool:
        """Everything a KPI needs is known: it can be taken over with one click."""
        return (
            self.baseline is not None
            and self.target is not None
            and self.target_date is not None
            and self.baseline != self.target
        )


def _guess_direction(name: str) -> str:
    lowered = name.lower()
    lower = any(word in lowered for word in LOWER_WORDS)
    return engine.Direction.LOWER if lower else engine.Direction.HIGHER


def proposals(use_case: Any, taken: Iterable[str], language: str) -> tuple[Proposal, ...]:
    """KPIs a pilot of ``use_case`` could measure and does not yet (by name)."""
    from startklar.usecases.content import load_catalogue

    names = {n.strip().lower() for n in taken}
    found: list[Proposal] = []
    if getattr(use_case, "has_numeric_goal", False):
        baseline, target = use_case.goal_baseline_value, use_case.goal_target_value
        direction = (
            engine.Direction.LOWER
            if baseline is not None and target is not None and target < baseline
            else engine.Direction.HIGHER
        )
        found.append(
            Proposal(
                key="goal",
                source="goal",
                name=use_case.goal_metric[:160],
                category="effizienz",
                unit=use_case.goal_unit[:30],
                direction=direction,
                baseline=baseline,
                target=target,
                target_date=use_case.goal_date,
            )
        )
    entry = load_catalogue().entry(use_case.catalogue_id) if use_case.catalogue_id else None
    for n, kpi in enumerate(entry.kpis if entry else ()):
        name = kpi.name.get(language)
        found.append(
            Proposal(
                key=f"catalogue-{n}",
                source="catalogue",
                name=name,
                category=str(kpi.category),
                unit="",
                direction=_guess_direction(name),
                baseline=None,
                target=None,
                target_date=None,
            )
        )
    return tuple(p for p in found if p.name.strip().lower() not in names)


# The KPI section of the pilot page ---------------------------------------------------------------


def chart_labels() -> tuple[dict[str, str], dict[Grain, str]]:
    labels = {
        "value": gettext("value"),
        "baseline": gettext("Baseline"),
        "target": gettext("Target"),
        "target_date": gettext("Target date"),
        "forecast": gettext("Forecast"),
        "low": gettext("Forecast, cautious end (80 % range)"),
        "high": gettext("Forecast, hopeful end (80 % range)"),
    }
    grains = {
        Grain.MEASURED: gettext("Measured"),
        Grain.WEEK: gettext("Weekly mean"),
        Grain.MONTH: gettext("Monthly mean"),
    }
    return labels, grains


# A pilot page shows this many KPIs as cards with chart and entry; further ones as rows that
# open their card on demand (a pilot with fifty KPIs stays readable and fast).
FULL_CARDS = 4


@dataclass(frozen=True)
class KpiRow:
    """A KPI beyond the first cards: where it stands, and where its card is."""

    kpi: Kpi
    status: engine.KpiStatus
    percent: int | None
    latest_text: str
    card_url: str


@dataclass(frozen=True)
class KpiSection:
    cards: tuple[KpiCard, ...]
    rows: tuple[KpiRow, ...]
    all_url: str  # the page with every KPI as a card (without JavaScript)
    proposals: tuple[Proposal, ...]
    benefit_total: Decimal | None  # euros realised so far by the KPIs mapped to benefit lines
    actuals_url: str  # the business case's plan against actual ("" without one)
    today: datetime.date


def _kpis(pilot_id: int) -> QuerySet[Kpi]:
    return Kpi.objects.filter(pilot_id=pilot_id).select_related("benefit_item")


def kpi_section(tenant: Tenant, pilot: Pilot, every_card: bool = False) -> KpiSection:
    """The pilot page's KPIs: a card each for the first :data:`FULL_CARDS` (or all), a row for
    the others, the proposals not yet taken, the money realised."""
    kpis = list(_kpis(pilot.pk))
    labels, grains = chart_labels()
    shown = kpis if every_card else kpis[:FULL_CARDS]
    figures = numbers(kpis)
    found = cards(shown, labels, grains, figures)
    slug = tenant.organisation.slug
    rows = []
    for kpi in kpis[len(shown) :]:
        state = status(kpi, figures[kpi.pk])
        rows.append(
            KpiRow(
                kpi=kpi,
                status=state,
                percent=None if state.progress is None else round(state.progress * 100),
                latest_text=KpiCard._text(figures[kpi.pk].latest),
                card_url=reverse("pilots:kpi_card", args=[slug, kpi.pk]),
            )
        )
    money = benefits([k for k in kpis if k not in shown])
    mapped = [c.benefit for c in found if c.benefit is not None] + [
        sum(values.values(), Decimal(0)) for values in money.values()
    ]
    actuals_url = ""
    if mapped:
        case_id = (
            BusinessCase.objects.filter(use_case_id=pilot.use_case_id)
            .values_list("pk", flat=True)
            .first()
        )
        if case_id is not None:
            actuals_url = reverse("businesscase:actuals", args=[tenant.organisation.slug, case_id])
    return KpiSection(
        cards=found,
        rows=tuple(rows),
        all_url=reverse("pilots:detail", args=[slug, pilot.pk]) + "?kpis=all#kpis",
        proposals=proposals(pilot.use_case, (k.name for k in kpis), get_language() or "de"),
        benefit_total=sum(mapped, Decimal(0)) if mapped else None,
        actuals_url=actuals_url,
        today=timezone.localdate(),
    )


def kpi_card(kpi: Kpi) -> KpiCard:
    """One KPI's card again (after a measurement was recorded or deleted)."""
    labels, grains = chart_labels()
    return cards(list(_kpis(kpi.pilot_id).filter(pk=kpi.pk)), labels, grains)[0]
