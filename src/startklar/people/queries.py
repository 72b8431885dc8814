"""Every read of the staff pulses: a pulse's results as the organisation may see them.

The results come from the engine (``engine.pulse.evaluate``) over the pulse's stored answers:
by group only where anonymity holds, each question against the previous pulse, the themes the
answers raise and the acceptance score. Comments are shown only once checked (no names), and
with their group only where the group's results are shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from startklar.organisations.tenancy import Tenant

from .content import Bank, ThemeText, load_bank, load_themes
from .engine import pulse as engine
from .models import CommentReview, Pulse, PulseAnswer, PulseGroup


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    points: tuple[str, ...]  # the scale's labels, 1 to 5
    polarity: engine.Polarity
    total: engine.Distribution | None  # None: withheld (too few answers)
    by_group: tuple[tuple[str, engine.Distribution | None], ...]
    change: engine.Change | None  # since the previous pulse, where both show it


@dataclass(frozen=True)
class GroupRow:
    name: str
    people: int | None  # None: too few answers to show
    concerned: float | None


@dataclass(frozen=True)
class ThemeView:
    key: str
    words: ThemeText
    evidence: tuple[tuple[str, engine.Measure, float], ...]


@dataclass(frozen=True)
class Comment:
    text: str
    group: str  # "" where the group is not shown (or the answer had none)


@dataclass(frozen=True)
class Results:
    pulse: Pulse
    previous: Pulse | None
    k: int
    respondents: int
    shown: bool  # whether anything is shown (at least k answers in all)
    concerned: float | None
    concerned_before: float | None
    groups: tuple[GroupRow, ...]
    questions: tuple[QuestionResult, ...]
    acceptance: engine.Acceptance | None
    themes: tuple[ThemeView, ...]
    comments: tuple[Comment, ...]
    unchecked_comments: int


def _evaluated(pulse: Pulse) -> tuple[engine.Result, tuple[engine.Question, ...], Bank]:
    bank = load_bank(pulse.content_version)
    asked = set(pulse.questions)
    questions = tuple(q for q in bank.engine_questions if q.key in asked)
    groups = list(PulseGroup.objects.filter(pulse=pulse).order_by("position", "pk"))
    names = {g.pk: g.name for g in groups}
    responses = [
        engine.Response(names[group_id] if group_id else engine.UNGROUPED, points)
        for group_id, points in PulseAnswer.objects.filter(pulse=pulse).values_list(
            "group_id", "points"
        )
    ]
    result = engine.evaluate(questions, responses, [g.name for g in groups], pulse.k)
    return result, questions, bank


def results(tenant: Tenant, pulse: Pulse) -> Results:
    """The pulse's results as its organisation may see them."""
    tenant.require(pulse)
    language = translation.get_language() or "de"
    result, questions, bank = _evaluated(pulse)
    previous = pulse.previous_of()
    before = _evaluated(previous)[0] if previous is not None else None
    changes = (
        {c.key: c for c in engine.compare(questions, result.total, before.total)}
        if before is not None
        else {}
    )
    question_results = tuple(
        QuestionResult(
            key=q.key,
            text=bank.question(q.key).text.get(language),
            points=tuple(p.get(language) for p in bank.scales[bank.question(q.key).scale]),
            polarity=q.polarity,
            total=result.total.questions.get(q.key),
            by_group=tuple((g.key, g.questions.get(q.key)) for g in result.groups),
            change=changes.get(q.key),
        )
        for q in questions
    )
    found_themes = load_themes(pulse.content_version)
    themes = tuple(
        ThemeView(theme.key, found_themes.texts[theme.key], theme.evidence)
        for theme in engine.themes(found_themes.rules, result.total)
    )
    shown_groups = {g.key for g in result.groups if g.shown}
    comments: list[Comment] = []
    unchecked = 0
    for text, review, group in (
        PulseAnswer.objects.filter(pulse=pulse)
        .exclude(comment="")
        .values_list("comment", "comment_review", "group__name")
    ):
        if review == CommentReview.UNCHECKED:
            unchecked += 1
        elif review == CommentReview.SHOWN and result.total.shown:
            comments.append(Comment(text, group if group in shown_groups else ""))
    return Results(
        pulse=pulse,
        previous=previous,
        k=result.k,
        respondents=result.respondents,
        shown=result.total.shown,
        concerned=result.total.concerned,
        concerned_before=before.total.concerned if before is not None else None,
        groups=tuple(GroupRow(g.key, g.people, g.concerned) for g in result.groups),
        questions=question_results,
        acceptance=engine.acceptance(questions, result.total),
        themes=themes,
        # By group and text, not in the order they came in.
        comments=tuple(sorted(comments, key=lambda c: (c.group, c.text))),
        unchecked_comments=unchecked,
    )
