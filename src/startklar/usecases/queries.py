"""Reads of the use-case feature: lists, portfolio, defaults, workshops."""

from __future__ import annotations

import datetime
import hashlib
import pickle
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from typing import Any, Generic, TypeVar

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import get_language, gettext

from startklar.core import numbers
from startklar.core.deletion import Confirmation, preview
from startklar.core.modules import Step, journey, next_step
from startklar.organisations.tenancy import Tenant
from startklar.readiness import queries as readiness
from startklar.readiness.content import load_bank

from . import axes, charts, labels
from .content import CURRENT_VERSION, load_catalogue, load_criteria, load_stems
from .engine import pain, portfolio, search
from .engine.catalogue import Entry, EntryKind
from .engine.workshop import VoteSummary, summarise
from .models import CriterionScore, Status, UseCase, Vote, Workshop

ACTIVE = [s for s in Status if s not in {Status.POSTPONED, Status.DISCARDED}]
# Part of the portfolio page's key: raise it when the page shows something new from the same
# data (the kept pages live in each process's memory, so a deployment starts afresh anyway).
PORTFOLIO_PAGE_VERSION = 1


def content_key(*parts: object) -> str:
    """A key for what is shown from ``parts`` (plain values): equal only for equal parts."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).hexdigest()


@cache
def search_index() -> search.SearchIndex:
    """The catalogue's search index, built once per process (the catalogue is fixed data)."""
    return search.SearchIndex(load_catalogue(), load_stems())


@dataclass(frozen=True)
class PainTask:
    description: str
    reasons: tuple[str, ...]  # why this task is worth it: hours, daily, errors, monotony


@dataclass(frozen=True)
class PainMatch:
    entry: Entry
    title: str
    reasons: tuple[str, ...]  # why this entry: the words it matched, quick win
    tasks: tuple[str, ...]
    adopted: tuple[UseCase, ...]  # own use cases already made from this entry


@dataclass(frozen=True)
class PainResult:
    tasks: tuple[PainTask, ...]
    matches: tuple[PainMatch, ...]


TASK_REASONS = {
    pain.ReasonKind.TIME,
    pain.ReasonKind.FREQUENT,
    pain.ReasonKind.ERRORS,
    pain.ReasonKind.MONOTONY,
}


def pain_matches(tenant: Tenant, tasks: list[pain.PainPoint]) -> PainResult:
    """Catalogue entries for the recurring tasks, best first, with reasons in words."""
    language = get_language() or "de"
    index = search_index()
    found = pain.match_all(index, tasks)
    adopted = adopted_entries(tenant, [m.entry.id for m in found])
    summaries = []
    for task in tasks:
        first = pain.match(index, task, limit=1)
        reasons = [r for r in first[0].reasons if r.kind in TASK_REASONS] if first else []
        summaries.append(
            PainTask(task.description, tuple(_reason_text(r, language) for r in reasons))
        )
    return PainResult(
        tasks=tuple(summaries),
        matches=tuple(
            PainMatch(
                entry=m.entry,
                title=m.entry.title.get(language),
                reasons=tuple(
                    _reason_text(r, language) for r in m.reasons if r.kind not in TASK_REASONS
                ),
                tasks=m.tasks,
                adopted=adopted.get(m.entry.id, ()),
            )
            for m in found
        ),
    )


def _reason_text(reason: pain.Reason, language: str) -> str:
    if reason.kind is pain.ReasonKind.TIME:
        hours = numbers.format_input(Decimal(reason.detail), language, 1)
        return labels.reason(pain.Reason(reason.kind, hours))
    return labels.reason(reason)


@dataclass(frozen=True)
class CatalogueHit:
    entry: Entry
    title: str
    function: str
    problem: str
    quick_win: bool
    matched: tuple[str, ...]
    adopted: bool


def workshops(tenant: Tenant) -> list[Workshop]:
    """The organisation's workshops, newest first, each with ``use_case_count``."""
    return list(
        tenant.scoped(Workshop.objects)
        .annotate(use_case_count=Count("use_cases"))
        .order_by("-created_at", "-pk")  # the model's order, which counting drops
    )


def use_case_choices_key(tenant: Tenant) -> str:
    """A key for a rendered, unfilled list of the organisation's use cases to choose from:
    their ids and titles in the list's order, and the language."""
    choices = tenant.scoped(UseCase.objects).order_by("title", "pk").values_list("pk", "title")
    return content_key("use-case-choices", get_language() or "de", list(choices))


@dataclass(frozen=True)
class CataloguePage:
    hits: list[CatalogueHit]
    entry_count: int
    slug: str  # the organisation's, in the hits' links

    @property
    def key(self) -> str:
        """A key for the rendered hits: the entries (of the content version, in the language)
        with the words they matched and whether the organisation adopted them."""
        return content_key(
            "catalogue-hits",
            CURRENT_VERSION,
            get_language() or "de",
            self.slug,
            [(h.entry.id, h.matched, h.adopted) for h in self.hits],
        )


def catalogue_page(
    tenant: Tenant, query: str = "", filters: search.Filters | None = None
) -> CataloguePage:
    """The catalogue searched (everything for an empty query), with the organisation's marks."""
    hits = search_index().search(query, filters)
    return CataloguePage(
        catalogue_hits(tenant, hits), len(load_catalogue().entries), tenant.organisation.slug
    )


def catalogue_hits(tenant: Tenant, hits: list[search.Hit]) -> list[CatalogueHit]:
    """Search hits with their labels, and whether the organisation already adopted them."""
    language = get_language() or "de"
    functions = {f.id: f.name.get(language) for f in load_catalogue().functions}
    adopted = set(
        tenant.scoped(UseCase.objects)
        .exclude(catalogue_id="")
        .values_list("catalogue_id", flat=True)
    )
    return [
        CatalogueHit(
            entry=h.entry,
            title=h.entry.title.get(language),
            function=functions.get(h.entry.function, h.entry.function),
            problem=h.entry.problem.get(language),
            quick_win=h.entry.kind is EntryKind.QUICK_WIN,
            matched=h.matched,
            adopted=h.entry.id in adopted,
        )
        for h in hits
    ]


@dataclass(frozen=True)
class EntryPage:
    """A catalogue entry with every value as a label in the interface language."""

    entry: Entry
    title: str
    function: str
    technique: str
    effort: str
    path: str
    kind: str
    risk: str
    risk_style: str
    kpis: tuple[tuple[str, str], ...]  # name, category
    adopted: tuple[UseCase, ...]


def entry_page(tenant: Tenant, entry: Entry) -> EntryPage:
    language = get_language() or "de"
    function = load_catalogue().function(entry.function)
    return EntryPage(
        entry=entry,
        title=entry.title.get(language),
        function=function.name.get(language) if function else entry.function,
        technique=str(labels.TECHNIQUES[entry.technique]),
        effort=str(labels.EFFORTS[entry.effort]),
        path=str(labels.PATHS[entry.path]),
        kind=str(labels.KINDS[entry.kind]),
        risk=str(labels.RISKS[entry.risk]),
        risk_style=labels.RISKS.style(entry.risk),
        kpis=tuple(
            (k.name.get(language), str(labels.KPI_CATEGORIES[k.category])) for k in entry.kpis
        ),
        adopted=adopted_entries(tenant, [entry.id]).get(entry.id, ()),
    )


def adopted_entries(tenant: Tenant, entry_ids: list[str]) -> dict[str, tuple[UseCase, ...]]:
    """Own use cases made from these catalogue entries, by entry id."""
    found: defaultdict[str, list[UseCase]] = defaultdict(list)
    for use_case in tenant.scoped(UseCase.objects).filter(catalogue_id__in=entry_ids):
        found[use_case.catalogue_id].append(use_case)
    return {k: tuple(v) for k, v in found.items()}


def weights(tenant: Tenant) -> dict[str, float]:
    return axes.weights(tenant.organisation.pk)


def readiness_scores(tenant: Tenant) -> tuple[str, dict[str, float | None]] | None:
    """The latest readiness round with results: its title and dimension scores."""
    return readiness.latest_scores(tenant)


def defaults(tenant: Tenant) -> dict[str, portfolio.DefaultScore]:
    return defaults_for(readiness_scores(tenant))


def defaults_for(
    readiness_round: tuple[str, dict[str, float | None]] | None,
) -> dict[str, portfolio.DefaultScore]:
    """The suggested scores from a readiness round's results (``readiness_scores``)."""
    scores = readiness_round[1] if readiness_round else None
    return portfolio.default_scores(load_criteria(), scores)


@dataclass(frozen=True)
class Listed:
    """What the portfolio shows of a use case, read as values instead of a model instance."""

    pk: int
    title: str
    catalogue_id: str
    status: str
    estimated_cost: Decimal | None
    person_days: Decimal | None

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


LISTED_FIELDS = ("pk", "title", "catalogue_id", "status", "estimated_cost", "person_days")
U = TypeVar("U", UseCase, Listed)


@dataclass(frozen=True)
class Row(Generic[U]):
    use_case: U
    scores: dict[str, int]  # empty in the portfolio, which reads the stored axes (``axes.py``)
    value: float | None
    feasibility: float | None
    entry: Entry | None

    @property
    def quadrant(self) -> portfolio.Quadrant | None:
        if self.value is None or self.feasibility is None:
            return None
        return portfolio.quadrant(self.value, self.feasibility)

    @property
    def candidate(self) -> portfolio.Candidate | None:
        if self.value is None or self.feasibility is None:
            return None
        return portfolio.Candidate(
            id=str(self.use_case.pk),
            value=self.value,
            feasibility=self.feasibility,
            cost=float(self.use_case.estimated_cost or 0),
            days=float(self.use_case.person_days or 0),
        )


def _rows(
    use_cases: list[U], scores: defaultdict[int, dict[str, int]], weight: dict[str, float]
) -> list[Row[U]]:
    criteria, catalogue = load_criteria(), load_catalogue()
    return [
        Row(
            use_case=uc,
            scores=scores[uc.pk],
            value=portfolio.axis_score(criteria, portfolio.Axis.VALUE, scores[uc.pk], weight),
            feasibility=portfolio.axis_score(
                criteria, portfolio.Axis.FEASIBILITY, scores[uc.pk], weight
            ),
            entry=catalogue.entry(uc.catalogue_id) if uc.catalogue_id else None,
        )
        for uc in use_cases
    ]


def rows(tenant: Tenant, queryset: QuerySet[UseCase] | None = None) -> list[Row[UseCase]]:
    use_cases = list(
        (queryset if queryset is not None else tenant.scoped(UseCase.objects)).order_by(
            "title", "pk"
        )
    )
    scores: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for use_case_id, criterion, score in CriterionScore.objects.filter(
        use_case__in=use_cases
    ).values_list("use_case_id", "criterion_id", "score"):
        scores[use_case_id][criterion] = score
    return _rows(use_cases, scores, weights(tenant))


@dataclass(frozen=True)
class Portfolio:
    rows: list[Row[Listed]]
    focus: tuple[Row[Listed], ...]

    @property
    def scored(self) -> list[Row[Listed]]:
        return [r for r in self.rows if r.candidate is not None]


def _portfolio(rows: list[Row[Listed]]) -> Portfolio:
    by_id = {str(r.use_case.pk): r for r in rows}
    candidates = [r.candidate for r in rows if r.candidate is not None]
    return Portfolio(rows, tuple(by_id[c.id] for c in portfolio.focus_set(candidates)))


@dataclass(frozen=True)
class _Inputs:
    """Everything the portfolio shows, read in one query: the LISTED_FIELDS of each use case
    and its stored value and feasibility (``axes.py``), by title."""

    use_cases: list[tuple[Any, ...]]

    def rows(self) -> list[Row[Listed]]:
        catalogue = load_catalogue()
        return [
            Row(
                use_case=Listed(*u[:-2]),
                scores={},
                value=u[-2],
                feasibility=u[-1],
                entry=catalogue.entry(u[2]) if u[2] else None,
            )
            for u in self.use_cases
        ]


def _inputs(tenant: Tenant, active_only: bool = False) -> _Inputs:
    use_cases = tenant.scoped(UseCase.objects)
    if active_only:
        use_cases = use_cases.filter(status__in=ACTIVE)
    read = list(
        use_cases.order_by("title", "pk").values_list(
            *LISTED_FIELDS, "value", "feasibility", "axes_seal"
        )
    )
    found = axes.read(tenant.organisation.pk, ((u[0], (u[-3], u[-2]), u[-1]) for u in read))
    return _Inputs([(*u[:-3], *found[u[0]]) for u in read])


def active_portfolio(tenant: Tenant) -> Portfolio:
    """The active use cases (not postponed or discarded) by title, and the focus set (read
    once per request: the overview's headline and focus both show it)."""
    return tenant.once(
        "usecases.active_portfolio", lambda: _portfolio(_inputs(tenant, active_only=True).rows())
    )


def focus_use_cases(
    tenant: Tenant, rows: tuple[Row[Listed], ...] | list[Row[Listed]]
) -> list[UseCase]:
    """The use cases of portfolio rows as model instances, in the rows' order."""
    found = tenant.scoped(UseCase.objects).in_bulk([r.use_case.pk for r in rows])
    return [found[r.use_case.pk] for r in rows if r.use_case.pk in found]


@dataclass(frozen=True)
class PortfolioPage:
    """The portfolio page: matrix, focus set and the table of every use case.

    ``key`` stands for everything the page shows (each use case's listed values and axes, the
    criteria version, the language and the organisation's address), so the
    rendered page can be kept under it: any change gives another key. What is computed from
    the inputs is computed only when asked for, i.e. when the page is not kept yet.
    """

    inputs: _Inputs
    key: str

    @property
    def empty(self) -> bool:
        return not self.inputs.use_cases

    @cached_property
    def rows(self) -> list[Row[Listed]]:
        """Every use case, by title."""
        return self.inputs.rows()

    @cached_property
    def portfolio(self) -> Portfolio:
        """The active ones and the focus set."""
        return _portfolio([r for r in self.rows if r.use_case.status in ACTIVE])

    @cached_property
    def matrix(self) -> dict[str, Any] | None:
        """The Vega-Lite spec of the matrix, None while no active use case is scored."""
        if not any(r.candidate for r in self.portfolio.rows):
            return None
        texts = {"x": gettext("Feasibility"), "y": gettext("Value")}
        texts.update({q.value: str(name) for q, name in labels.QUADRANTS.items()})
        return charts.matrix(self.portfolio.rows, texts, {s.value: str(s.label) for s in Status})


def portfolio_page(tenant: Tenant) -> PortfolioPage:
    inputs = _inputs(tenant)
    key = content_key(
        "portfolio",
        PORTFOLIO_PAGE_VERSION,
        CURRENT_VERSION,
        get_language() or "de",
        tenant.organisation.slug,
        inputs.use_cases,
    )
    return PortfolioPage(inputs, key)


@dataclass(frozen=True)
class PlanRow:
    decision: portfolio.Decision
    use_case: Listed


@dataclass(frozen=True)
class PlanPage:
    plan: portfolio.Plan
    rows: tuple[PlanRow, ...]  # every scored use case, chosen or with the reason why not


def plan(tenant: Tenant, budget: Decimal, capacity: Decimal) -> PlanPage:
    """The most valuable set of scored use cases within a budget and a capacity."""
    current = active_portfolio(tenant)
    by_id = {str(r.use_case.pk): r.use_case for r in current.scored}
    candidates = [r.candidate for r in current.scored if r.candidate is not None]
    found = portfolio.optimise(candidates, float(budget), float(capacity))
    rows = tuple(PlanRow(d, by_id[d.candidate.id]) for d in found.decisions)
    return PlanPage(found, rows)


# Workshops ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionState:
    criterion: portfolio.Criterion
    mine: int | None
    summary: VoteSummary
    agreed: int | None


@dataclass(frozen=True)
class ItemState:
    use_case: UseCase
    criteria: tuple[CriterionState, ...]

    @property
    def done_by_me(self) -> bool:
        return all(c.mine is not None for c in self.criteria)


@dataclass(frozen=True)
class WorkshopState:
    workshop: Workshop
    items: tuple[ItemState, ...]
    participants: int
    finished: int  # participants who scored everything

    @property
    def my_progress(self) -> tuple[int, int]:
        total = sum(len(i.criteria) for i in self.items)
        return sum(1 for i in self.items for c in i.criteria if c.mine is not None), total


def workshop_state(tenant: Tenant, workshop: Workshop) -> WorkshopState:
    criteria = load_criteria()
    user_id = tenant.membership.user_id
    votes = list(
        Vote.objects.filter(workshop=workshop).values_list(
            "use_case_id", "criterion_id", "user_id", "score"
        )
    )
    by_key: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
    mine: dict[tuple[int, str], int] = {}
    per_user: defaultdict[int, int] = defaultdict(int)
    for use_case_id, criterion, voter, score in votes:
        by_key[(use_case_id, criterion)].append(score)
        per_user[voter] += 1
        if voter == user_id:
            mine[(use_case_id, criterion)] = score
    use_cases = list(workshop.use_cases.order_by("title", "pk"))
    agreed: dict[tuple[int, str], int] = {}
    if workshop.phase != Workshop.Phase.SCORING:
        agreed = {
            (s.use_case_id, s.criterion_id): s.score
            for s in CriterionScore.objects.filter(
                use_case__in=use_cases, source=CriterionScore.Source.WORKSHOP
            )
        }
    items = tuple(
        ItemState(
            use_case=uc,
            criteria=tuple(
                CriterionState(
                    criterion=c,
                    mine=mine.get((uc.pk, c.id)),
                    summary=summarise(by_key[(uc.pk, c.id)]),
                    agreed=agreed.get((uc.pk, c.id)),
                )
                for c in criteria
            ),
        )
        for uc in use_cases
    )
    needed = len(use_cases) * len(criteria)
    return WorkshopState(
        workshop=workshop,
        items=items,
        participants=len(per_user),
        finished=sum(1 for n in per_user.values() if needed and n >= needed),
    )


# The use-case page: the hub of one use case's journey ----------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    id: str
    name: str
    axis: str
    help: str
    score: int | None  # None: "noch nicht bewertet"
    source: str  # "", "default" (suggested), "data_check" (suggested), "manual", "workshop"
    suggestion: str  # why a suggested score, in words


@dataclass(frozen=True)
class WorkshopRow:
    workshop: Workshop
    phase: str


@dataclass(frozen=True)
class HistoryRow:
    change: str  # "Ausgewählt → Pilot"
    when: datetime.datetime
    who: str
    reason: str  # what the person wrote
    cause: str  # the application's own cause, translated ("Skalierungsentscheidung")
    override: bool  # scaling or operation set by an owner without a scale decision


@dataclass(frozen=True)
class UseCasePage:
    use_case: UseCase
    status: str
    quadrant: str
    entry: Entry | None
    entry_title: str
    value: float | None
    feasibility: float | None
    criteria: tuple[CriterionRow, ...]
    scored: int
    agreed_in_workshop: int  # criteria whose score a workshop agreed on
    readiness_round: str  # the round the ◆ suggestions come from, "" if none
    measured: bool  # a ◆ suggestion comes from a measurement (the data check)
    workshops: tuple[WorkshopRow, ...]
    history: tuple[HistoryRow, ...]
    steps: tuple[Step, ...]
    next_step: Step | None
    closed: bool  # postponed or discarded: no next step


def use_case_page(tenant: Tenant, use_case: UseCase) -> UseCasePage:
    language = get_language() or "de"
    scores: defaultdict[int, dict[str, int]] = defaultdict(dict)
    sources: dict[str, str] = {}
    for criterion_id, score, source in use_case.scores.values_list(
        "criterion_id", "score", "source"
    ):
        scores[use_case.pk][criterion_id] = score
        sources[criterion_id] = source
    [found] = _rows([use_case], scores, weights(tenant))
    readiness_round = readiness_scores(tenant)  # once per page
    suggestions = defaults_for(readiness_round)
    dimensions = {d.id: d.name.get(language) for d in load_bank().dimensions}
    steps = tuple(journey(tenant, [use_case])[use_case.pk])
    # scores other modules suggest from what they measured, with their step's summary
    measured = {cid: (level, s.summary) for s in steps for cid, level in s.suggests}
    criteria = []
    for criterion in load_criteria():
        suggestion = suggestions[criterion.id]
        source = sources.get(criterion.id, "")
        reason = ""
        given = found.scores.get(criterion.id)
        level, why = measured.get(criterion.id, (None, ""))
        if source == CriterionScore.Source.DATA_CHECK:
            reason = gettext("suggested %(score)d by the data check: %(why)s") % {
                "score": given or 0,
                "why": why,
            }
        elif level is not None and given is not None and level != given:
            reason = gettext("the data check suggests %(score)d: %(why)s") % {
                "score": level,
                "why": why,
            }
        elif source == CriterionScore.Source.DEFAULT and suggestion.dimension:
            reason = gettext(
                'suggested %(score)d: the readiness dimension "%(dimension)s" scored %(value)s'
                " of 100"
            ) % {
                "score": suggestion.score,
                "dimension": dimensions.get(suggestion.dimension, suggestion.dimension),
                "value": numbers.format_input(
                    Decimal(str(round(suggestion.dimension_score or 0))), language, 0
                ),
            }
        criteria.append(
            CriterionRow(
                id=criterion.id,
                name=criterion.name.get(language),
                axis=str(labels.AXES[criterion.axis]),
                help=criterion.help.get(language),
                score=given,
                source=source,
                suggestion=reason,
            )
        )
    workshop_rows = tuple(
        WorkshopRow(w, str(w.get_phase_display()))
        for w in use_case.workshops.order_by("-created_at")
    )
    history = tuple(
        HistoryRow(
            change=f"{c.get_from_status_display()} → {c.get_to_status_display()}"
            if c.from_status
            else str(c.get_to_status_display()),
            when=c.changed_at,
            who=c.changed_by.display_name if c.changed_by else "–",
            reason=c.reason,
            cause=str(c.get_cause_display()) if c.cause else "",
            override=c.override,
        )
        for c in use_case.history.select_related("changed_by")
    )
    closed = use_case.status in {Status.POSTPONED, Status.DISCARDED}
    quadrant = found.quadrant
    return UseCasePage(
        use_case=use_case,
        status=str(use_case.get_status_display()),
        quadrant=str(labels.QUADRANT_SINGULAR[quadrant]) if quadrant else "",
        entry=found.entry,
        entry_title=found.entry.title.get(language) if found.entry else "",
        value=found.value,
        feasibility=found.feasibility,
        criteria=tuple(criteria),
        scored=sum(
            1 for c in criteria if c.score is not None and c.source not in CriterionScore.SUGGESTED
        ),
        agreed_in_workshop=sum(1 for c in criteria if c.source == CriterionScore.Source.WORKSHOP),
        readiness_round=readiness_round[0] if readiness_round else "",
        measured=bool(measured),
        workshops=workshop_rows,
        history=history,
        steps=steps,
        next_step=None if closed else next_step(steps),
        closed=closed,
    )


def use_case_deletion(tenant: Tenant, use_case: UseCase) -> Confirmation:
    """What deleting ``use_case`` takes with it and what stays."""
    slug = tenant.organisation.slug
    deleted, unlinked = preview(use_case)
    return Confirmation(
        title=gettext("Delete use case"),
        name=use_case.title,
        consequences=deleted,
        unlinked=unlinked,
        kept=(),
        action_url=reverse("usecases:delete", args=[slug, use_case.pk]),
        cancel_url=reverse("usecases:detail", args=[slug, use_case.pk]),
        button=gettext("Delete use case for good"),
    )


def workshop_deletion(tenant: Tenant, workshop: Workshop) -> Confirmation:
    slug = tenant.organisation.slug
    deleted, unlinked = preview(workshop)
    return Confirmation(
        title=gettext("Delete workshop"),
        name=workshop.title,
        consequences=deleted,
        unlinked=unlinked,
        kept=(gettext("The scores agreed in this workshop stay with the use cases."),),
        action_url=reverse("usecases:workshop_delete", args=[slug, workshop.pk]),
        cancel_url=reverse("usecases:workshop", args=[slug, workshop.pk]),
        button=gettext("Delete workshop for good"),
    )
