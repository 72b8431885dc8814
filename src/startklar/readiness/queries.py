"""Reads of the readiness check: progress, the answering pages, results and trend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from startklar.core.deletion import Confirmation, preview
from startklar.core.text import Text
from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant

from . import charts, engine, stored
from .content import available_versions, load_bank
from .models import Answer, Respondent, Round


def rounds(tenant: Tenant) -> QuerySet[Round]:
    return (
        tenant.scoped(Round.objects)
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


@dataclass(frozen=True)
class RoundsPage:
    rounds: tuple[Round, ...]  # latest first, with respondent_count and submitted_count
    trend: dict[str, Any] | None  # the chart of the scores over the rounds, from two on


def rounds_page(tenant: Tenant, language: str) -> RoundsPage:
    """The list of rounds and the development over those with results."""
    found = tuple(rounds(tenant).defer("result_details"))
    points = _points(found[::-1])
    chart = None
    if len(points) >= 2:
        chart = charts.trend(
            load_bank(points[-1].round.bank_version).dimensions,
            [(p.round.title, p.assessment) for p in points],
            language,
        )
    return RoundsPage(found, chart)


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
    dimensions = _dimension_ids(round_.bank_version)
    alike = [v for v in available_versions() if _dimension_ids(v) == dimensions]
    earlier = (
        _trend_rounds(tenant)
        .filter(created_at__lt=round_.created_at, bank_version__in=alike)
        .order_by("-created_at", "-pk")
    )
    found = _points(earlier, 1)
    return found[0] if found else None


def _dimension_ids(bank_version: str) -> list[str]:
    return [d.id for d in load_bank(bank_version).dimensions]


# The results page -----------------------------------------------------------------------------

GAPS_SHOWN = 8  # perception gaps in view; the rest behind "n more"
FINDINGS_SHOWN = 6  # hurdles in view


@dataclass(frozen=True)
class EvidenceLine:
    """Why a hurdle fired, as a person reads it: a question with the answer's level, or a
    dimension with its score."""

    subject: Text  # the question's text or the dimension's name
    level: Text | None  # the level the (median) answer stands for; None for a dimension
    value: float
    about_dimension: bool


@dataclass(frozen=True)
class FindingView:
    hurdle: engine.Hurdle
    evidence: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class GapView:
    question: engine.Question
    high_perspective: Text
    high_level: float
    low_perspective: Text
    low_level: float


@dataclass(frozen=True)
class DimensionRow:
    spread: engine.Spread  # median and range of the individual scores
    score: engine.DimensionScore  # the combined score, with how many answers are known


@dataclass(frozen=True)
class ResultsPage:
    view: RoundView
    result: engine.RoundResult | None  # None: not visible to this person yet
    radar: dict[str, Any] | None
    dimensions: tuple[DimensionRow, ...]
    gaps: tuple[GapView, ...]
    more_gaps: tuple[GapView, ...]
    findings: tuple[FindingView, ...]
    more_findings: tuple[FindingView, ...]


def results_page(tenant: Tenant, round_: Round, language: str) -> ResultsPage:
    """A round's results (if this person may see them), compared with the round before."""
    view = round_view(tenant, round_)
    found = result(round_) if view.can_see_results else None
    if found is None:
        return ResultsPage(view, None, None, (), (), (), (), ())
    bank = view.bank
    radar = None
    if found.combined.rated:
        series = [(gettext("This round"), [s.median for s in found.spreads])]
        earlier = previous_result(tenant, round_)
        if earlier is not None:
            series.append((earlier.round.title, [d.score for d in earlier.assessment.dimensions]))
        radar = charts.radar(bank.dimensions, series, language)
    perspectives = {p.id: p.name for p in bank.perspectives}
    dimensions = {d.id: d.name for d in bank.dimensions}
    gaps = tuple(_gap(perspectives, g) for g in found.gaps)
    findings = tuple(_finding(bank, dimensions, f) for f in found.combined.findings)
    rows = tuple(
        DimensionRow(spread, score)
        for spread, score in zip(found.spreads, found.combined.dimensions, strict=True)
    )
    return ResultsPage(
        view,
        found,
        radar,
        rows,
        gaps[:GAPS_SHOWN],
        gaps[GAPS_SHOWN:],
        findings[:FINDINGS_SHOWN],
        findings[FINDINGS_SHOWN:],
    )


def _gap(names: dict[str, Text], gap: engine.PerceptionGap) -> GapView:
    return GapView(
        gap.question,
        names[gap.high_perspective],
        gap.high_level,
        names[gap.low_perspective],
        gap.low_level,
    )


def _finding(
    bank: engine.Bank, dimensions: dict[str, Text], finding: engine.Finding
) -> FindingView:
    lines = []
    for e in finding.evidence:
        if e.about_dimension:
            lines.append(EvidenceLine(dimensions[e.subject], None, e.value, True))
        else:
            question = bank.questions[e.subject]
            level = question.levels[min(max(int(e.value) - 1, 0), len(question.levels) - 1)]
            lines.append(EvidenceLine(question.text, level, e.value, False))
    return FindingView(finding.hurdle, tuple(lines))


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
