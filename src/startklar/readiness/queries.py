"""Reads of the readiness check: progress, the answering pages, results and trend."""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from startklar.core import labels
from startklar.core.deletion import Confirmation, preview
from startklar.core.modules import readiness_suggestions
from startklar.core.text import Text
from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant

from . import charts, engine, stored
from .content import available_versions, load_bank
from .models import Answer, Respondent, Round


def rounds(tenant: Tenant) -> QuerySet[Round]:
    return (
        tenant.scoped(Round.objects)
        .defer("result_details")  # what the results page shows, not the list
        .annotate(
            respondent_count=Count("respondents", distinct=True),
            submitted_count=Count(
                "respondents", filter=Q(respondents__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Progress:
    respondent: Respondent
    answered: int
    total: int
    perspective: Text | None  # the name of the respondent's perspective (None: not in the bank)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class RoundView:
    round: Round
    bank: engine.Bank
    progress: tuple[Progress, ...]
    me: Progress | None

    @property
    def submitted(self) -> int:
        return sum(1 for p in self.progress if p.respondent.has_submitted)

    @property
    def can_see_results(self) -> bool:
        """Own answers first: results show after submitting, or for everyone once closed."""
        if self.submitted == 0:
            return False
        return not self.round.is_open or (self.me is not None and self.me.respondent.has_submitted)


def round_view(tenant: Tenant, round_: Round) -> RoundView:
    bank = load_bank(round_.bank_version)
    respondents = round_.respondents.select_related("user").annotate(answered=Count("answers"))
    names = {p.id: p.name for p in bank.perspectives}
    progress = tuple(
        Progress(r, r.answered, len(bank.questions), names.get(r.perspective)) for r in respondents
    )
    me = next((p for p in progress if p.respondent.user_id == tenant.membership.user_id), None)
    return RoundView(round_, bank, progress, me)


# Without an earlier round, the role is the best guess: owners usually run the company, editors
# bring in their department, viewers answer as employees.
PERSPECTIVE_BY_ROLE = {
    Role.OWNER: "geschaeftsfuehrung",
    Role.EDITOR: "fachbereich",
    Role.VIEWER: "mitarbeitende",
}


def suggested_perspective(tenant: Tenant, bank: engine.Bank, member: Membership) -> str:
    """The perspective the member answered from in their latest round, else one by role."""
    known = [p.id for p in bank.perspectives]
    previous = (
        tenant.scoped(Respondent.objects)
        .filter(user=member.user, perspective__in=known)
        .order_by("-round__created_at", "-round__pk")
        .values_list("perspective", flat=True)
        .first()
    )
    if previous is not None:
        return previous
    by_role = PERSPECTIVE_BY_ROLE.get(Role(member.role))
    return by_role if by_role in known else known[0]


def next_member(tenant: Tenant, round_: Round) -> Membership | None:
    """The first member (by name) not yet asked to answer the round."""
    asked = round_.respondents.values("user")
    return (
        tenant.scoped(Membership.objects)
        .select_related("user")
        .exclude(user__in=asked)
        .order_by("user__full_name", "user__email")
        .first()
    )


@dataclass(frozen=True)
class QuestionRow:
    question: engine.Question
    answered: bool
    level: int | None  # None with answered: "don't know"


@dataclass(frozen=True)
class AnswerPage:
    view: RoundView
    dimension: engine.Dimension
    index: int
    answers: dict[str, int | None]

    @property
    def number(self) -> int:
        """The step's number, counted from 1."""
        return self.index + 1

    @property
    def steps(self) -> int:
        return len(self.view.bank.dimensions)

    @property
    def questions(self) -> tuple[QuestionRow, ...]:
        """The dimension's questions with this person's answers."""
        return tuple(
            QuestionRow(q, q.id in self.answers, self.answers.get(q.id))
            for q in self.dimension.questions
        )

    def row(self, question_id: str) -> QuestionRow:
        return next(r for r in self.questions if r.question.id == question_id)

    @property
    def previous(self) -> engine.Dimension | None:
        return self.view.bank.dimensions[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> engine.Dimension | None:
        dimensions = self.view.bank.dimensions
        return dimensions[self.index + 1] if self.index + 1 < len(dimensions) else None


def answer_page(view: RoundView, dimension_id: str | None) -> AnswerPage:
    dimensions = view.bank.dimensions
    ids = [d.id for d in dimensions]
    index = ids.index(dimension_id) if dimension_id in ids else 0
    answers: dict[str, int | None] = {}
    if view.me is not None:
        answers = dict(
            Answer.objects.filter(respondent=view.me.respondent).values_list("question_id", "level")
        )
    return AnswerPage(view, dimensions[index], index, answers)


def responses(round_: Round) -> list[engine.Response]:
    """The submitted answers of a round, as the engine takes them."""
    return _responses([round_.pk]).get(round_.pk, [])


def _responses(round_ids: Sequence[int]) -> dict[int, list[engine.Response]]:
    """The submitted answers of several rounds in one query, by round."""
    rows = (
        Respondent.objects.filter(round__in=round_ids, submitted_at__isnull=False)
        .order_by("perspective", "user__full_name", "pk")
        .values_list("round_id", "pk", "perspective", "answers__question_id", "answers__level")
    )
    answers: dict[int, dict[str, float | None]] = {}
    found: dict[int, list[engine.Response]] = {}
    for round_id, respondent_id, perspective, question_id, level in rows:
        if respondent_id not in answers:
            answers[respondent_id] = {}
            found.setdefault(round_id, []).append(
                engine.Response(str(respondent_id), perspective, answers[respondent_id])
            )
        if question_id is not None:  # None: a respondent without answers
            answers[respondent_id][question_id] = level
    return found


def assess(round_: Round) -> engine.RoundResult:
    """A round's result, computed from its submitted answers."""
    return engine.assess_round(load_bank(round_.bank_version), responses(round_))


def result(round_: Round) -> engine.RoundResult:
    """A round's result: a closed round's as stored (stored now if it is not yet), an open
    round's computed from the answers submitted so far."""
    found = stored.result(round_)
    if found is None:
        found = assess(round_)
        stored.store(round_, found)
    return found


@dataclass(frozen=True)
class TrendPoint:
    round: Round  # only the fields of TREND_FIELDS are loaded
    assessment: engine.Scores  # the round's combined scores


TREND_FIELDS = ("organisation", "title", "bank_version", "status", "created_at", "result_scores")


def _trend_rounds(tenant: Tenant) -> QuerySet[Round]:
    return tenant.scoped(Round.objects).only(*TREND_FIELDS)


def _points(rounds: Iterable[Round], wanted: int | None = None) -> list[TrendPoint]:
    """The points of the ``rounds`` with results, in their order; with ``wanted`` the first so
    many. Closed rounds bring their stored scores; the others are assessed together (and a
    closed one's result is stored for the next time)."""
    scanned: list[tuple[Round, engine.Scores | None]] = []
    stored_rated = 0
    for round_ in rounds:
        scores = stored.scores(round_)
        scanned.append((round_, scores))
        stored_rated += scores is not None and scores.rated
        if wanted is not None and stored_rated >= wanted:
            break
    missing = [r for r, scores in scanned if scores is None]
    if missing:
        by_round = _responses([r.pk for r in missing])
        assessed: dict[int, engine.Scores] = {}
        for round_ in missing:
            found = engine.assess_round(load_bank(round_.bank_version), by_round.get(round_.pk, []))
            stored.store(round_, found)
            assessed[round_.pk] = found.combined.scores
        scanned = [(r, assessed[r.pk] if s is None else s) for r, s in scanned]
    points = [TrendPoint(r, scores) for r, scores in scanned if scores is not None and scores.rated]
    return points if wanted is None else points[:wanted]


def trend(tenant: Tenant) -> list[TrendPoint]:
    """Earlier rounds with results, oldest first, for the development per dimension."""
    return _points(_trend_rounds(tenant).order_by("created_at", "pk"))


# Part of the keys of the kept list of rounds and trend chart: raise it when they show something
# new from the same rounds (kept parts live in each process's memory, so a deployment starts
# afresh anyway).
ROUNDS_PAGE_VERSION = 1


@dataclass(frozen=True)
class RoundsPage:
    """The list of rounds and the development over those with results, in ``language``.

    ``rounds_key`` and ``trend_key`` stand for everything the list and the trend chart show, so
    they can be kept rendered under them; the chart is built only when asked for.
    """

    rounds: tuple[Round, ...]  # latest first, with respondent_count and submitted_count
    points: tuple[TrendPoint, ...]  # the rounds with results, oldest first
    language: str
    rounds_key: str  # stands for everything the list of rounds shows

    @cached_property
    def trend_key(self) -> str | None:
        """None while fewer than two rounds have results (no chart)."""
        if len(self.points) < 2:
            return None
        return _key(
            "readiness-trend",
            ROUNDS_PAGE_VERSION,
            self.language,
            [
                (p.round.title, p.round.bank_version, engine.scores_to_data(p.assessment))
                for p in self.points
            ],
        )

    @cached_property
    def trend(self) -> dict[str, Any] | None:
        """The chart of the scores over the rounds, from two rounds with results on."""
        if len(self.points) < 2:
            return None
        return charts.trend(
            load_bank(self.points[-1].round.bank_version).dimensions,
            [(p.round.title, p.assessment) for p in self.points],
            self.language,
        )


def rounds_page(tenant: Tenant, language: str) -> RoundsPage:
    found = tuple(rounds(tenant))
    shown = [
        (r.pk, r.title, r.status, r.created_at, r.submitted_count, r.respondent_count)  # type: ignore[attr-defined]
        for r in found
    ]
    key = _key("readiness-rounds", ROUNDS_PAGE_VERSION, language, tenant.organisation.slug, shown)
    return RoundsPage(found, tuple(_points(found[::-1])), language, key)


def latest(tenant: Tenant, count: int = 1) -> list[TrendPoint]:
    """The latest ``count`` rounds with results, latest first."""
    return _points(_trend_rounds(tenant).order_by("-created_at", "-pk"), count)


def latest_scores(tenant: Tenant) -> tuple[str, dict[str, float | None]] | None:
    """The latest round with results: its title and its score per dimension (what new use
    cases' suggested scores start from)."""
    found = latest(tenant)
    if not found:
        return None
    point = found[0]
    return point.round.title, {d.dimension.id: d.score for d in point.assessment.dimensions}


def previous_result(tenant: Tenant, round_: Round) -> TrendPoint | None:
    """The latest earlier round with results, to compare against (same dimensions)."""
    earlier = (
        _trend_rounds(tenant)
        .filter(created_at__lt=round_.created_at, bank_version__in=_alike(round_.bank_version))
        .order_by("-created_at", "-pk")
    )
    found = _points(earlier, 1)
    return found[0] if found else None


@functools.cache  # like the banks themselves (``load_bank``), read once per process
def _alike(bank_version: str) -> tuple[str, ...]:
    """The bank versions with the same dimensions as ``bank_version``."""
    dimensions = _dimension_ids(bank_version)
    return tuple(v for v in available_versions() if _dimension_ids(v) == dimensions)


def _dimension_ids(bank_version: str) -> list[str]:
    return [d.id for d in load_bank(bank_version).dimensions]


# The results page -----------------------------------------------------------------------------

GAPS_SHOWN = 8  # perception gaps in view; the rest behind "n more"
FINDINGS_SHOWN = 8  # hurdles in view; the rest behind "show n more"


@dataclass(frozen=True)
class EvidenceLine:
    """Why a hurdle fired, as a person reads it: a question with the answer's level, or a
    dimension with its score."""

    subject: str  # the question's text or the dimension's name
    level: str | None  # the level the (median) answer stands for; None for a dimension
    value: float
    about_dimension: bool


@dataclass(frozen=True)
class ActionLine:
    what: str
    who: str
    first_step: str


@dataclass(frozen=True)
class FindingView:
    """A hurdle that fired, in the reader's language."""

    id: str
    severity: engine.Severity  # its value names the colour
    severity_label: str
    area_label: str
    title: str
    explanation: str
    evidence: tuple[EvidenceLine, ...]
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True)
class StepView:
    """One of "what first?": an action and the hurdle it is against."""

    action: ActionLine
    against: str


@dataclass(frozen=True)
class GapView:
    question: str
    high_perspective: str
    high_level: float
    low_perspective: str
    low_level: float


@dataclass(frozen=True)
class DimensionRow:
    name: str
    median: float | None  # median and range of the individual scores
    low: float | None
    high: float | None
    known: int  # questions of the combined result with a known answer
    total: int


@dataclass(frozen=True)
class SuggestionRow:
    """A module's measurement of a dimension beside the round's score of it."""

    dimension: str  # its name
    score: int
    round_score: float | None  # this round's median for the dimension
    source: str
    reason: str
    url: str


# Part of the key of a kept results page: raise it when the page shows something new from the
# same result (kept pages live in each process's memory, so a deployment starts afresh anyway).
RESULTS_PAGE_VERSION = 2


@dataclass(frozen=True)
class ResultsPage:
    """A round's results as the page shows them, in ``language``.

    ``key`` stands for everything the results part shows (the round's stored result, the round
    it is compared with and its scores, the language), so that part can be kept rendered under
    it; None for a result computed from the answers of an open round, which the next submission
    may change. The parts are computed only when asked for, i.e. when they are not kept yet.
    """

    view: RoundView
    result: engine.RoundResult | None  # None: not visible to this person yet
    previous: TrendPoint | None  # the round to compare with
    language: str
    key: str | None
    small: bool = False  # a small company: the actions name the roles it has
    tenant: Tenant | None = None  # for what other modules measured (``suggestions``)

    @cached_property
    def radar(self) -> dict[str, Any] | None:
        if self.result is None or not self.result.combined.rated:
            return None
        series = [(gettext("This round"), [s.median for s in self.result.spreads])]
        if self.previous is not None:
            series.append(
                (self.previous.round.title, [d.score for d in self.previous.assessment.dimensions])
            )
        return charts.radar(self.view.bank.dimensions, series, self.language)

    @cached_property
    def suggestions(self) -> tuple[SuggestionRow, ...]:
        """What other modules measured about the dimensions (outside ``key``: it changes
        without the round)."""
        if self.result is None or self.tenant is None:
            return ()
        names = self._dimension_names
        medians = {s.dimension.id: s.median for s in self.result.spreads}
        return tuple(
            SuggestionRow(
                dimension=names[s.dimension],
                score=s.score,
                round_score=medians.get(s.dimension),
                source=s.source,
                reason=s.reason,
                url=s.url,
            )
            for s in readiness_suggestions(self.tenant)
            if s.dimension in names
        )

    @cached_property
    def _dimension_names(self) -> dict[str, str]:
        return {d.id: d.name.get(self.language) for d in self.view.bank.dimensions}

    @cached_property
    def dimensions(self) -> tuple[DimensionRow, ...]:
        if self.result is None:
            return ()
        names = self._dimension_names
        return tuple(
            DimensionRow(
                names[spread.dimension.id],
                spread.median,
                spread.low,
                spread.high,
                score.known,
                score.total,
            )
            for spread, score in zip(
                self.result.spreads, self.result.combined.dimensions, strict=True
            )
        )

    @cached_property
    def first_steps(self) -> tuple[StepView, ...]:
        if self.result is None:
            return ()
        return tuple(
            StepView(
                _action(s.action, self.language, self.small), s.hurdle.title.get(self.language)
            )
            for s in self.result.combined.first_steps
        )

    @cached_property
    def _gaps(self) -> tuple[GapView, ...]:
        if self.result is None:
            return ()
        names = {p.id: p.name.get(self.language) for p in self.view.bank.perspectives}
        return tuple(
            GapView(
                g.question.text.get(self.language),
                names[g.high_perspective],
                g.high_level,
                names[g.low_perspective],
                g.low_level,
            )
            for g in self.result.gaps
        )

    @property
    def gaps(self) -> tuple[GapView, ...]:
        return self._gaps[:GAPS_SHOWN]

    @property
    def more_gaps(self) -> tuple[GapView, ...]:
        return self._gaps[GAPS_SHOWN:]

    @cached_property
    def _findings(self) -> tuple[FindingView, ...]:
        if self.result is None:
            return ()
        bank, names = self.view.bank, self._dimension_names
        return tuple(
            _finding(bank, names, f, self.language, self.small)
            for f in self.result.combined.findings
        )

    @property
    def findings(self) -> tuple[FindingView, ...]:
        return self._findings[:FINDINGS_SHOWN]

    @property
    def more_findings(self) -> tuple[FindingView, ...]:
        return self._findings[FINDINGS_SHOWN:]


def results_page(tenant: Tenant, round_: Round, language: str) -> ResultsPage:
    """A round's results (if this person may see them), compared with the round before."""
    view = round_view(tenant, round_)
    if not view.can_see_results:
        return ResultsPage(view, None, None, language, None)
    kept = stored.result(round_)
    found = kept or result(round_)
    previous = previous_result(tenant, round_) if found.combined.rated else None
    small = view.bank.small(tenant.organisation.headcount)
    key = None
    if kept is not None:
        key = _key(
            "readiness-results",
            RESULTS_PAGE_VERSION,
            language,
            small,
            round_.result_scores,
            round_.result_details,
            previous and (previous.round.title, engine.scores_to_data(previous.assessment)),
        )
    return ResultsPage(view, found, previous, language, key, small, tenant)


def _key(*parts: object) -> str:
    """A key for what is shown from ``parts`` (plain values): equal only for equal parts."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).hexdigest()


def _action(action: engine.Action, language: str, small: bool) -> ActionLine:
    action = action.sized(small)
    return ActionLine(
        action.what.get(language), action.who.get(language), action.first_step.get(language)
    )


def _finding(
    bank: engine.Bank,
    dimensions: dict[str, str],
    finding: engine.Finding,
    language: str,
    small: bool,
) -> FindingView:
    lines = []
    for e in finding.evidence:
        if e.about_dimension:
            lines.append(EvidenceLine(dimensions[e.subject], None, e.value, True))
        else:
            question = bank.questions[e.subject]
            level = question.levels[min(max(int(e.value) - 1, 0), len(question.levels) - 1)]
            lines.append(
                EvidenceLine(question.text.get(language), level.get(language), e.value, False)
            )
    hurdle = finding.hurdle
    return FindingView(
        hurdle.id,
        finding.severity,
        labels.label(finding.severity),
        labels.label(hurdle.area),
        hurdle.title.get(language),
        hurdle.explanation.get(language),
        tuple(lines),
        tuple(_action(a, language, small) for a in finding.actions),
    )


def round_deletion(tenant: Tenant, round_: Round) -> Confirmation:
    slug = tenant.organisation.slug
    deleted, unlinked = preview(round_)
    kept: tuple[str, ...] = ()
    if round_.closed_at is not None:
        kept = (gettext("Later rounds no longer show this one in their trend."),)
    return Confirmation(
        title=gettext("Delete round"),
        name=round_.title,
        consequences=deleted,
        unlinked=unlinked,
        kept=kept,
        action_url=reverse("readiness:delete", args=[slug, round_.pk]),
        cancel_url=reverse("readiness:round", args=[slug, round_.pk]),
        button=gettext("Delete round for good"),
    )
