"""Reads of the readiness check: progress, the answering pages, results and trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from startklar.core.deletion import Confirmation, preview
from startklar.core.text import Text
from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant

from . import charts, engine
from .content import load_bank
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
    return _responses([round_]).get(round_.pk, [])


def _responses(rounds: Sequence[Round]) -> dict[int, list[engine.Response]]:
    """The submitted answers of several rounds in two queries, by round."""
    submitted = (
        Respondent.objects.filter(round__in=rounds, submitted_at__isnull=False)
        .prefetch_related("answers")
        .order_by("perspective", "user__full_name", "pk")
    )
    found: dict[int, list[engine.Response]] = {}
    for r in submitted:
        found.setdefault(r.round_id, []).append(
            engine.Response(
                respondent=str(r.pk),
                perspective=r.perspective,
                answers={a.question_id: a.level for a in r.answers.all()},
            )
        )
    return found


def result(round_: Round) -> engine.RoundResult:
    return engine.assess_round(load_bank(round_.bank_version), responses(round_))


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    assessment: engine.Assessment


def trend(tenant: Tenant) -> list[TrendPoint]:
    """Earlier rounds with results, oldest first, for the development per dimension."""
    rounds = list(tenant.scoped(Round.objects).order_by("created_at", "pk"))
    by_round = _responses(rounds)
    points = []
    for round_ in rounds:
        found = by_round.get(round_.pk, [])
        combined = engine.assess_round(load_bank(round_.bank_version), found).combined
        if combined.rated:
            points.append(TrendPoint(round_, combined))
    return points


def previous_result(tenant: Tenant, round_: Round) -> TrendPoint | None:
    """The latest earlier round with results, to compare against (same dimensions)."""
    earlier = [
        p
        for p in trend(tenant)
        if p.round.created_at < round_.created_at
        and _dimension_ids(p.round) == _dimension_ids(round_)
    ]
    return earlier[-1] if earlier else None


def _dimension_ids(round_: Round) -> list[str]:
    return [d.id for d in load_bank(round_.bank_version).dimensions]


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
