"""Reads of the business-case feature: the engine's view of a case, results, comparison."""

from __future__ import annotations

import datetime
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass, fields
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from startklar.core import kept, links
from startklar.core.deletion import Confirmation, preview
from startklar.core.text import Text
from startklar.core.values import Triple
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import charts, engine
from .content import Option, Questionnaire, load_questionnaire
from .labels import FACTOR_LABELS, SEEDED_NAMES
from .models import Actual, BusinessCase, Factor, LineItem, StoredSummary


def item_name(item: LineItem, language: str | None = None) -> str:
    """The item's name in the reader's language: built-in names are translated, typed ones
    shown as typed."""
    language = language or get_language() or "de"
    key = item.label_key
    if key.startswith("template."):
        _prefix, option, number = key.split(".")
        templates = load_questionnaire().option(option).cost_template
        if number.isdigit() and int(number) < len(templates):
            return templates[int(number)].label.get(language)[:120]
    elif key in SEEDED_NAMES:
        with translation.override(language):
            return str(SEEDED_NAMES[key])
    return item.name


def items(case: BusinessCase) -> list[LineItem]:
    return list(case.items.prefetch_related("factors"))


# Estimates an item may lack because it was saved before they existed, with the value that
# gives its figures as they were: time saved was counted in full as cash before issue 13.
EARLIER = {"cash_share": Triple.point(1.0)}


def _ordered(kind: engine.ItemKind, factors: dict[str, Triple]) -> dict[str, Triple]:
    """The estimates in the engine's order of the kind: equal inputs print (and hash) alike,
    whatever order the database returned them in."""
    factors = {**{k: v for k, v in EARLIER.items() if k in kind.factors}, **factors}
    order = {key: n for n, key in enumerate(kind.factors)}
    return dict(sorted(factors.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _model(case: BusinessCase, found: Iterable[tuple[str, str, dict[str, Triple]]]) -> engine.Case:
    """Decimal at the boundary, floats inside the engine: the case's settings and its items
    as (name, kind, estimates by key)."""
    return engine.Case(
        items=tuple(
            engine.Item(
                name=name,
                kind=engine.ItemKind(kind),
                factors=_ordered(engine.ItemKind(kind), factors),
            )
            for name, kind, factors in found
        ),
        horizon=case.horizon,
        annual_rate=float(case.discount_rate) / 100,
        ramp=Triple(float(case.ramp_low), float(case.ramp_likely), float(case.ramp_high)),
        go_live=case.go_live,
    )


def to_case(case: BusinessCase, line_items: list[LineItem] | None = None) -> engine.Case:
    """The engine's view of one case, from its items (read here unless given)."""
    found = line_items if line_items is not None else items(case)
    return _model(
        case,
        (
            (
                item.name,
                item.kind,
                {
                    f.key: Triple(float(f.low), float(f.likely), float(f.high))
                    for f in item.factors.all()
                },
            )
            for item in found
        ),
    )


def to_cases(cases: Iterable[BusinessCase]) -> dict[int, engine.Case]:
    """The engine's view of many cases by their id, from two queries of plain values (no
    model objects: fifty cases have about a thousand estimates)."""
    cases = list(cases)
    ids = [c.pk for c in cases]
    factors: defaultdict[int, dict[str, Triple]] = defaultdict(dict)
    estimates = Factor.objects.filter(item__business_case__in=ids)
    for item_id, key, low, likely, high in estimates.values_list(
        "item_id", "key", "low", "likely", "high"
    ):
        factors[item_id][key] = Triple(float(low), float(likely), float(high))
    found: defaultdict[int, list[tuple[str, str, dict[str, Triple]]]] = defaultdict(list)
    lines = LineItem.objects.filter(business_case__in=ids).order_by("position", "pk")
    for pk, case_id, name, kind in lines.values_list("pk", "business_case_id", "name", "kind"):
        found[case_id].append((name, kind, factors[pk]))
    return {c.pk: _model(c, found[c.pk]) for c in cases}


# Bump when a change to the engine changes its results: stored summaries are then recomputed.
ENGINE_VERSION = "2026.2"  # issue 13: go-live, cash share, IRR, discounted payback


@dataclass(frozen=True)
class Summary:
    """The figures of a case wherever it is shown: one case, one result.

    Computed from the same simulation (same draws and seed) as the editor's charts and cached
    under a fingerprint of the inputs, so a list of cases does not simulate them again.
    """

    npv: float  # with the most likely values
    npv_p10: float
    npv_p50: float
    npv_p90: float
    probability_positive: float
    roi: float | None  # over the horizon
    payback_month: int | None  # with the most likely values
    payback_80: int | None  # month by which it has paid off with 80 % probability
    probability_payback: float
    draws: int
    has_benefits: bool
    roi_annualised: float | None = None  # per year, compounded
    discounted_payback_month: int | None = None
    irr: float | None = None  # per year; None where the cash flow is no investment
    capacity_value: float = 0.0  # freed capacity over the horizon (EUR), not in the figures
    capacity_hours: float = 0.0


SUMMARY_FIELDS = tuple(f.name for f in fields(Summary))


def fingerprint(model: engine.Case, draws: int = engine.DEFAULT_DRAWS) -> str:
    """Changes whenever anything changes that the figures depend on, or their shape."""
    inputs = (
        model.horizon,
        model.annual_rate,
        model.go_live,
        (model.ramp.low, model.ramp.likely, model.ramp.high),
        tuple(
            (
                item.name,
                item.kind.value,
                tuple((k, t.low, t.likely, t.high) for k, t in item.factors.items()),
            )
            for item in model.items
        ),
    )
    text = repr((ENGINE_VERSION, SUMMARY_FIELDS, draws, inputs))
    return hashlib.sha256(text.encode()).hexdigest()


def _summarise(model: engine.Case, result: engine.Result, simulation: engine.Simulation) -> Summary:
    return Summary(
        npv=result.npv,
        npv_p10=simulation.npv.p10,
        npv_p50=simulation.npv.p50,
        npv_p90=simulation.npv.p90,
        probability_positive=simulation.probability_positive,
        roi=result.roi,
        payback_month=result.payback_month,
        payback_80=engine.payback_month_with(simulation, 0.8),
        probability_payback=simulation.probability_payback,
        draws=simulation.draws,
        has_benefits=any(item.kind.is_benefit for item in model.items),
        roi_annualised=result.roi_annualised,
        discounted_payback_month=result.discounted_payback_month,
        irr=result.irr,
        capacity_value=result.capacity_value,
        capacity_hours=result.capacity_hours,
    )


def simulated(model: engine.Case) -> engine.Simulation:
    """The Monte Carlo simulation of ``model``, computed once per set of inputs in each
    process (the seed is fixed, so the same inputs give the same draws): opening the editor
    again, or a page after an edit that was refused, does not simulate again."""
    key = f"businesscase:simulation:{fingerprint(model)}"
    stored = cache.get(key)
    if isinstance(stored, engine.Simulation):
        return stored
    found = engine.simulate(model)
    cache.set(key, found, timeout=None)
    return found


def _swings(model: engine.Case) -> list[engine.Swing]:
    """The tornado of ``model``, computed once per set of inputs in each process."""
    key = f"businesscase:tornado:{fingerprint(model)}"
    stored = cache.get(key)
    if isinstance(stored, list):
        return stored
    found = engine.tornado(model)
    cache.set(key, found, timeout=None)
    return found


def figures(model: engine.Case) -> Summary:
    """The figures of ``model`` computed from its simulation (what the editor shows)."""
    return _summarise(model, engine.deterministic(model), simulated(model))


def _storable(found: Summary) -> bool:
    return all(not isinstance(v, float) or math.isfinite(v) for v in asdict(found).values())


def stored_keys(cases: Iterable[BusinessCase]) -> dict[int, str]:
    """The key of each case's stored figures: a hash of everything the figures depend on – the
    case's settings and its items' estimates as the database holds them (one query, read
    without converting each number: equal stored values are equal inputs), the number of
    draws, the engine's version and the figures' shape."""
    cases = list(cases)
    if not cases:
        return {}
    lines = (
        LineItem.objects.filter(business_case__in=[c.pk for c in cases])
        .order_by("business_case_id", "position", "pk", "factors__key")
        .values_list(
            "business_case_id",
            "pk",
            "name",
            "kind",
            "factors__key",
            "factors__low",
            "factors__likely",
            "factors__high",
        )
    )
    sql, params = lines.query.sql_with_params()
    inputs: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            inputs[row[0]].append(row[1:])
    keys = {}
    for case in cases:
        settings = (
            case.horizon,
            str(case.discount_rate),
            str(case.ramp_low),
            str(case.ramp_likely),
            str(case.ramp_high),
            case.go_live,
        )
        text = repr(
            (ENGINE_VERSION, SUMMARY_FIELDS, engine.DEFAULT_DRAWS, settings, inputs[case.pk])
        )
        keys[case.pk] = hashlib.sha256(text.encode()).hexdigest()
    return keys


def summaries_of(cases: Iterable[BusinessCase]) -> dict[int, Summary]:
    """The figures of many cases (by id), read from :class:`StoredSummary` in one query;
    those not stored yet are simulated once and stored for every later request and worker."""
    cases = list(cases)
    keys = stored_keys(cases)
    stored = dict(
        StoredSummary.objects.filter(key__in=set(keys.values())).values_list("key", "figures")
    )
    found: dict[int, Summary] = {}
    missing = []
    for case in cases:
        data = stored.get(keys[case.pk])
        if isinstance(data, dict) and set(data) == set(SUMMARY_FIELDS):
            found[case.pk] = Summary(**data)
        else:
            missing.append(case)
    new: dict[str, Summary] = {}
    for pk, model in to_cases(missing).items() if missing else ():
        found[pk] = new.get(keys[pk]) or figures(model)
        new[keys[pk]] = found[pk]
    rows = [StoredSummary(key=k, figures=asdict(v)) for k, v in new.items() if _storable(v)]
    if rows:
        StoredSummary.objects.bulk_create(rows, ignore_conflicts=True)
    return found


def summary(case: BusinessCase) -> Summary:
    """One case's figures, simulated once per set of inputs."""
    return summaries_of([case])[case.pk]


@dataclass(frozen=True)
class Analysis:
    case: BusinessCase
    items: list[LineItem]
    result: engine.Result
    simulation: engine.Simulation
    swings: list[engine.Swing]
    summary: Summary

    @property
    def payback_80(self) -> int | None:
        return self.summary.payback_80

    @property
    def has_benefits(self) -> bool:
        return any(i.is_benefit for i in self.items)

    def month_label(self, month: int) -> datetime.date:
        return month_date(self.case, month)


def analysis(case: BusinessCase) -> Analysis:
    """Everything the editor shows; its figures are the case's :func:`summary`."""
    found = items(case)
    model = to_case(case, found)
    simulation = simulated(model)
    result = engine.deterministic(model)
    return Analysis(
        case=case,
        items=found,
        result=result,
        simulation=simulation,
        swings=_swings(model),
        summary=_summarise(model, result, simulation),
    )


@dataclass(frozen=True)
class Results:
    """The editor's results panel: figures, charts and the factor that moves the value most.

    The panel is kept rendered under :attr:`key` (everything it shows: the inputs' fingerprint,
    the start month, the names of the inputs, the language); the chart specs are built only
    when a panel is rendered, i.e. not when a kept one is shown."""

    analysis: Analysis
    top_swing: str | None
    payback_date: datetime.date | None
    key: str
    names: dict[tuple[str, str], str]
    labels: dict[str, str]

    @cached_property
    def cashflow(self) -> dict[str, Any]:
        return charts.cashflow(self.analysis, self.labels)

    @cached_property
    def tornado(self) -> dict[str, Any] | None:
        if not self.analysis.swings:
            return None
        return charts.tornado(self.analysis, self.labels, self.names)

    def context(self) -> dict[str, Any]:
        """The panel's names in a template context (shared by the page and its partials)."""
        return {
            "results": self,
            "analysis": self.analysis,
            "top_swing": self.top_swing,
            "payback_date": self.payback_date,
            "results_key": self.key,
        }


def results(case: BusinessCase) -> Results:
    found = analysis(case)
    names = {
        (item.name, factor.key): f"{item_name(item)}: {FACTOR_LABELS[factor.key]}"
        for item in found.items
        for factor in item.factors.all()
    }
    names[("ramp", "months")] = gettext("Adoption ramp (months)")
    labels = {
        "month": gettext("Month"),
        "euro": gettext("Cumulative cash flow (EUR)"),
        "npv": gettext("NPV (EUR)"),
    }
    top = found.swings[0] if found.swings else None
    payback_80 = found.summary.payback_80
    model = to_case(case, found.items)
    key = kept.content_key(
        "businesscase-results",
        fingerprint(model),
        case.start,
        sorted(names.items()),
        labels,
        get_language(),
    )
    return Results(
        analysis=found,
        top_swing=names.get((top.item, top.factor)) if top else None,
        payback_date=found.month_label(payback_80) if payback_80 is not None else None,
        key=key,
        names=names,
        labels=labels,
    )


@dataclass(frozen=True)
class EditorPage:
    case: BusinessCase
    items: list[LineItem]
    results: Results


def editor(case: BusinessCase) -> EditorPage:
    """The business-case editor: the case, its items with their factors, and the results."""
    found = results(case)
    return EditorPage(case, found.analysis.items, found)


def plan(case: BusinessCase) -> engine.Result:
    """The most likely monthly flows, without simulation (plan against actual)."""
    return engine.deterministic(to_case(case))


@dataclass(frozen=True)
class ComparisonRow:
    use_case: UseCase
    case: BusinessCase | None
    summary: Summary | None
    decision: str  # the make/buy/partner decision as a label, "" if none
    status: str  # the use case's status as a label
    use_case_url: str
    action_url: str  # the editor, or where a business case is created


def _labels(model: type[Any], name: str) -> dict[str, str]:
    """A choice field's labels in the active language, once per page instead of per row."""
    return {str(value): str(label) for value, label in model._meta.get_field(name).flatchoices}


def comparison(tenant: Tenant) -> list[ComparisonRow]:
    """All use cases; those with a business case sorted by P50 NPV, best first."""
    settings = [
        "horizon",
        "discount_rate",
        "go_live",
        "ramp_low",
        "ramp_likely",
        "ramp_high",
        "decision",
    ]
    use_cases = list(
        tenant.scoped(UseCase.objects)
        .select_related("business_case")
        .only("title", "status", *(f"business_case__{name}" for name in settings))
        .order_by("title")
    )
    cases = [uc.business_case for uc in use_cases if hasattr(uc, "business_case")]
    found = summaries_of(cases)
    slug = tenant.organisation.slug
    statuses = _labels(UseCase, "status")
    decisions = _labels(BusinessCase, "decision")
    use_case_url = links.for_each("usecases:detail", slug)
    editor_url = links.for_each("businesscase:editor", slug)
    create_url = links.for_each("businesscase:create", slug)
    rows = []
    for use_case in use_cases:
        case = getattr(use_case, "business_case", None)
        rows.append(
            ComparisonRow(
                use_case,
                case,
                found[case.pk] if case is not None else None,
                decisions.get(case.decision, "") if case is not None else "",
                statuses.get(use_case.status, use_case.status),
                use_case_url(use_case.pk),
                editor_url(case.pk) if case is not None else create_url(use_case.pk),
            )
        )
    rows.sort(key=lambda r: (r.summary is None, -(r.summary.npv_p50 if r.summary else 0)))
    return rows


def comparison_key(tenant: Tenant, rows: list[ComparisonRow]) -> str:
    """A key of everything the comparison table shows (``core.kept``): the rows as shown, the
    language, the organisation's address, whether business cases can be created here."""
    shown = [
        (
            r.use_case.pk,
            r.use_case.title,
            r.status,
            r.use_case_url,
            r.action_url,
            r.decision,
            None if r.summary is None else astuple(r.summary),
        )
        for r in rows
    ]
    slug = tenant.organisation.slug
    return kept.content_key("comparison", get_language(), slug, tenant.can_edit, shown)


def summaries(tenant: Tenant, use_case_ids: list[int]) -> dict[int, tuple[BusinessCase, Summary]]:
    """The business cases of these use cases with their figures, by use-case id."""
    cases = list(tenant.scoped(BusinessCase.objects).filter(use_case_id__in=use_case_ids))
    found = summaries_of(cases)
    return {c.use_case_id: (c, found[c.pk]) for c in cases}


@dataclass(frozen=True)
class ActualRow:
    month: int
    date: datetime.date
    plan: float
    actual: Decimal | None

    @property
    def difference(self) -> float | None:
        return None if self.actual is None else float(self.actual) - self.plan


def month_date(case: BusinessCase, month: int) -> datetime.date:
    """The calendar month of month ``month`` of the case (month 0 is its start)."""
    year, index = divmod(case.start.month - 1 + month, 12)
    return datetime.date(case.start.year + year, index + 1, 1)


def plan_vs_actual(case: BusinessCase) -> list[ActualRow]:
    """Planned benefits per month (most likely values, with the ramp) against recorded ones."""
    recorded: defaultdict[datetime.date, Decimal] = defaultdict(Decimal)
    for actual in Actual.objects.filter(item__business_case=case):
        recorded[actual.month] += actual.value
    return [
        ActualRow(
            m.month,
            month_date(case, m.month),
            m.benefits,
            recorded.get(month_date(case, m.month)),
        )
        for m in plan(case).months
    ]


@dataclass(frozen=True)
class Recommendation:
    option: Option
    score: float
    fit: str  # the score in words: fits well, fits partly, hardly fits, does not fit
    style: str  # Bootstrap colour of the fit
    reasons: tuple[Text, ...]  # why, strongest first


FITS = (
    (8, _("fits well"), "success"),
    (1, _("fits partly"), "info"),
    (-7, _("hardly fits"), "warning"),
)


def fit(score: float) -> tuple[str, str]:
    """A make/buy/partner score (−36 … 36) in words a managing director reads."""
    for lowest, label, style in FITS:
        if score >= lowest:
            return str(label), style
    return str(_("does not fit")), "secondary"


@dataclass(frozen=True)
class Decision:
    recommendations: list[Recommendation]
    answered: int
    questions: int


def decision(case: BusinessCase) -> Decision:
    answers = _answers(case)
    return Decision(recommendation(case, answers), len(answers), len(load_questionnaire().criteria))


@dataclass(frozen=True)
class DecisionPage:
    case: BusinessCase
    questionnaire: Questionnaire
    answers: dict[str, int]
    decision: Decision


def decision_page(case: BusinessCase) -> DecisionPage:
    """Make, buy or partner: the questions with the answers given, and the recommendation."""
    answers = _answers(case)
    questionnaire = load_questionnaire()
    found = Decision(recommendation(case, answers), len(answers), len(questionnaire.criteria))
    return DecisionPage(case, questionnaire, answers, found)


def _answers(case: BusinessCase) -> dict[str, int]:
    return dict(case.answers.values_list("criterion_id", "value"))


def recommendation(
    case: BusinessCase, answers: dict[str, int] | None = None
) -> list[Recommendation]:
    """The options by score, each with the reasons of the answers that moved it most."""
    questionnaire = load_questionnaire()
    answers = _answers(case) if answers is None else answers
    criteria = {c.id: c for c in questionnaire.criteria}
    return [
        Recommendation(
            option=questionnaire.option(scored.option),
            score=scored.score,
            fit=fit(scored.score)[0],
            style=fit(scored.score)[1],
            reasons=tuple(
                (
                    criteria[r.criterion].reason_high
                    if answers[r.criterion] > 3
                    else criteria[r.criterion].reason_low
                )[scored.option]
                for r in scored.reasons[:3]
            ),
        )
        for scored in engine.score_options(questionnaire.weights, answers)
    ]


@dataclass(frozen=True)
class ActualsPage:
    case: BusinessCase
    benefit_items: QuerySet[LineItem]  # the form's choices (a form validates against a query)
    rows: list[ActualRow]


def actuals_page(case: BusinessCase) -> ActualsPage:
    """Plan against actual: the benefit items one can record actuals for, and the months."""
    benefits = [k.value for k in engine.ItemKind if k.is_benefit]
    return ActualsPage(case, case.items.filter(kind__in=benefits), plan_vs_actual(case))


def case_deletion(tenant: Tenant, case: BusinessCase) -> Confirmation:
    slug = tenant.organisation.slug
    deleted, unlinked = preview(case)
    return Confirmation(
        title=gettext("Delete business case"),
        name=str(case),
        consequences=deleted,
        unlinked=unlinked,
        kept=(gettext("The use case stays; you can start a new business case for it."),),
        action_url=reverse("businesscase:delete", args=[slug, case.pk]),
        cancel_url=reverse("businesscase:editor", args=[slug, case.pk]),
        button=gettext("Delete business case for good"),
    )
