"""The results of a staff pulse (pure Python): per question the distribution of the answers,
per group only where anonymity holds (:mod:`.anonymity`), the share of people with a concern,
the change since the previous pulse, the acceptance score for the readiness check and the
themes the answers raise.

A pulse asks questions on a five-point scale (agreement: 1 "trifft gar nicht zu" … 5 "trifft
voll zu"; or frequency: 1 "nie" … 5 "täglich"), each of which may be skipped ("keine Angabe",
stored as ``None``). A question's *polarity* says how to read agreement: ``positive`` (agreeing
is good for the adoption of AI: "Ich weiß, was wir mit KI vorhaben"), ``concern`` (agreeing
voices a worry: "Ich fürchte, KI wird zur Überwachung genutzt") or ``neutral`` (a fact or a
need, e.g. how often AI tools are used today): neutral questions count for no score.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .anonymity import Release, threshold, withheld

POINTS = (1, 2, 3, 4, 5)
AGREE = (4, 5)  # the points that agree (or: often, for a frequency)
DISAGREE = (1, 2)
CHANGE = 0.1  # a change of a share by this much (ten points) is worth pointing out


class Polarity(StrEnum):
    POSITIVE = "positive"
    CONCERN = "concern"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Question:
    key: str
    polarity: Polarity


@dataclass(frozen=True)
class Response:
    """One person's answers: by question key a point of the scale, or None for "keine Angabe"
    (a question left out counts the same). ``group`` is the group they answered for (from the
    link or code they used), "" when the pulse has no groups."""

    group: str
    answers: Mapping[str, int | None]


@dataclass(frozen=True)
class Distribution:
    """A question's answers in one group (or in all): how many gave each point, how many said
    "keine Angabe"."""

    counts: tuple[int, int, int, int, int]  # people per point 1 … 5
    skipped: int

    @property
    def answered(self) -> int:
        return sum(self.counts)

    def share(self, points: Sequence[int]) -> float:
        """The share of the answers (without "keine Angabe") at ``points``; 0 for none."""
        if not self.answered:
            return 0.0
        return sum(self.counts[p - 1] for p in points) / self.answered

    @property
    def agree(self) -> float:
        return self.share(AGREE)

    @property
    def disagree(self) -> float:
        return self.share(DISAGREE)

    @property
    def mean(self) -> float | None:
        if not self.answered:
            return None
        return sum(p * n for p, n in zip(POINTS, self.counts, strict=True)) / self.answered


@dataclass(frozen=True)
class Group:
    """What is shown for a group (or for everybody, ``key`` ""): ``people`` who answered and,
    by question, the distribution, or None where it is withheld. A group withheld as a whole
    has ``people`` None and no questions."""

    key: str
    people: int | None
    questions: Mapping[str, Distribution | None]
    concerned: float | None  # share of people agreeing with at least one concern

    @property
    def shown(self) -> bool:
        return self.people is not None


@dataclass(frozen=True)
class Result:
    k: int
    respondents: int
    total: Group  # people None when fewer than k answered in all
    groups: tuple[Group, ...]  # in the order of the pulse's groups


def _distribution(responses: Sequence[Response], key: str) -> Distribution:
    counts = [0, 0, 0, 0, 0]
    skipped = 0
    for response in responses:
        point = response.answers.get(key)
        if point is None:
            skipped += 1
        else:
            counts[point - 1] += 1
    return Distribution((counts[0], counts[1], counts[2], counts[3], counts[4]), skipped)


def _answered(responses: Sequence[Response], key: str) -> int:
    return sum(response.answers.get(key) is not None for response in responses)


def _concerned(responses: Sequence[Response], concerns: Sequence[str]) -> tuple[int, int]:
    """(people agreeing with at least one concern, people answering at least one)."""
    worried = answering = 0
    for response in responses:
        points = [response.answers.get(key) for key in concerns]
        given = [p for p in points if p is not None]
        if given:
            answering += 1
            worried += any(p in AGREE for p in given)
    return worried, answering


def validate(questions: Sequence[Question], response: Response) -> None:
    """Raises ValueError naming the question when an answer is no point of the scale or
    answers a question the pulse does not ask."""
    keys = {q.key for q in questions}
    for key, point in response.answers.items():
        if key not in keys:
            raise ValueError(f"{key}: not a question of this pulse")
        if point is not None and (isinstance(point, bool) or point not in POINTS):
            raise ValueError(f"{key}: {point!r} is not a point from 1 to 5")


UNGROUPED = ""  # the group of people who answered through the pulse's general link


def evaluate(
    questions: Sequence[Question],
    responses: Sequence[Response],
    groups: Sequence[str],
    k: int,
) -> Result:
    """The results of a pulse for everybody and by group (``groups`` in the order to show),
    withheld where anonymity asks for it: a group's people, each question's answers and the
    share of concerned people, each by its own counts. Responses of no group (the general
    link) count for the total and are never shown on their own. Raises ValueError for a
    response of a group not in ``groups``."""
    k = threshold(k)
    members: dict[str, list[Response]] = {group: [] for group in (UNGROUPED, *groups)}
    for response in responses:
        if response.group not in members:
            raise ValueError(f"{response.group!r}: not a group of this pulse")
        members[response.group].append(response)
    unshown = frozenset({UNGROUPED})

    def release(count_of: Callable[[list[Response]], int]) -> Release:
        return withheld(
            {group: count_of(found) for group, found in members.items()}, k, unshown=unshown
        )

    people = release(len)
    concerns = [q.key for q in questions if q.polarity is Polarity.CONCERN]
    concerned_release = release(lambda found: _concerned(found, concerns)[1])
    by_question = {q.key: release(functools.partial(_answered, key=q.key)) for q in questions}

    def result(key: str, found: Sequence[Response], shown: Callable[[Release], bool]) -> Group:
        if not shown(people) or not found:
            return Group(key, None, {}, None)
        own = {q.key: _distribution(found, q.key) for q in questions}
        worried, answering = _concerned(found, concerns)
        return Group(
            key=key,
            people=len(found),
            questions={name: own[name] if shown(by_question[name]) else None for name in own},
            concerned=worried / answering if answering and shown(concerned_release) else None,
        )

    total = result("", responses, lambda r: r.total_shown)
    return Result(
        k=k,
        respondents=len(responses),
        total=total,
        groups=tuple(
            result(group, members[group], functools.partial(Release.shown, group=group))
            for group in groups
        ),
    )


# Change since the previous pulse ---------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """How a question's agreement changed since the previous pulse (both shown)."""

    key: str
    before: float  # share agreeing then
    after: float  # and now
    polarity: Polarity

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def notable(self) -> bool:
        return abs(self.delta) >= CHANGE - 1e-9

    @property
    def better(self) -> bool | None:
        """Whether the change is good news (None for a neutral question or no notable change)."""
        if not self.notable or self.polarity is Polarity.NEUTRAL:
            return None
        rising = self.delta > 0
        return rising if self.polarity is Polarity.POSITIVE else not rising


def compare(questions: Sequence[Question], now: Group, before: Group) -> tuple[Change, ...]:
    """Each question's change between two results of the same group (or the totals), for the
    questions both show."""
    changes = []
    for question in questions:
        after_found = now.questions.get(question.key)
        before_found = before.questions.get(question.key)
        if after_found is None or before_found is None:
            continue
        if not after_found.answered or not before_found.answered:
            continue
        changes.append(
            Change(question.key, before_found.agree, after_found.agree, question.polarity)
        )
    return tuple(changes)


# Acceptance, for the readiness check -----------------------------------------------------------


@dataclass(frozen=True)
class Acceptance:
    score: int  # 0–100
    answers: int  # the answers it rests on
    leading: tuple[str, ...] = field(default=())  # question keys that pull it down most


def acceptance(questions: Sequence[Question], total: Group) -> Acceptance | None:
    """The staff's acceptance of AI as a score from 0 to 100: the mean of the positive and the
    concern questions' answers (concerns reversed: agreeing with a worry counts as low), 1
    mapped to 0 and 5 to 100. None when the total is withheld or nobody answered those."""
    if not total.shown:
        return None
    weighted = 0.0
    answers = 0
    means: list[tuple[float, str]] = []
    for question in questions:
        found = total.questions.get(question.key)
        if question.polarity is Polarity.NEUTRAL or found is None or found.mean is None:
            continue
        mean = found.mean if question.polarity is Polarity.POSITIVE else 6 - found.mean
        weighted += mean * found.answered
        answers += found.answered
        means.append((mean, question.key))
    if not answers:
        return None
    score = round((weighted / answers - 1) / 4 * 100)
    leading = tuple(key for mean, key in sorted(means) if mean < 3)[:3]
    return Acceptance(score, answers, leading)


# Themes -----------------------------------------------------------------------------------------


class Measure(StrEnum):
    AGREE = "agree"  # share agreeing
    DISAGREE = "disagree"  # share disagreeing


@dataclass(frozen=True)
class Condition:
    question: str
    measure: Measure
    at_least: float


@dataclass(frozen=True)
class ThemeRule:
    """A theme the answers raise when every condition holds (e.g. "Sorge um Kontrolle" when at
    least 30 % agree with the worry about being monitored)."""

    key: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Theme:
    key: str
    evidence: tuple[tuple[str, Measure, float], ...]  # (question, measure, share found)


def themes(rules: Sequence[ThemeRule], total: Group) -> tuple[Theme, ...]:
    """The themes whose conditions hold on the total's answers, in the rules' order; none
    where the total or a condition's question is withheld."""
    found = []
    for rule in rules:
        evidence = []
        for condition in rule.conditions:
            distribution = total.questions.get(condition.question)
            if distribution is None or not distribution.answered:
                break
            share = (
                distribution.agree if condition.measure is Measure.AGREE else distribution.disagree
            )
            if share < condition.at_least - 1e-9:
                break
            evidence.append((condition.question, condition.measure, share))
        else:
            found.append(Theme(rule.key, tuple(evidence)))
    return tuple(found)
