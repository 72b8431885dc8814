"""A pulse's results: distributions, the concerned share, the change since the last pulse,
acceptance and themes."""

from __future__ import annotations

import pytest

from startklar.people.engine.pulse import (
    UNGROUPED,
    Change,
    Condition,
    Distribution,
    Group,
    Measure,
    Polarity,
    Question,
    Response,
    ThemeRule,
    acceptance,
    compare,
    evaluate,
    themes,
    validate,
)

PLANS = Question("plaene", Polarity.POSITIVE)
CONTROL = Question("kontrolle", Polarity.CONCERN)
JOB = Question("arbeitsplatz", Polarity.CONCERN)
USE = Question("nutzung", Polarity.NEUTRAL)
QUESTIONS = (PLANS, CONTROL, JOB, USE)


def answers(group: str, n: int, **points: int | None) -> list[Response]:
    return [Response(group, dict(points)) for _ in range(n)]


def test_a_distribution_counts_points_and_skips() -> None:
    found = Distribution((1, 0, 2, 3, 4), skipped=2)
    assert found.answered == 10
    assert found.agree == pytest.approx(0.7)
    assert found.disagree == pytest.approx(0.1)
    assert found.mean == pytest.approx((1 + 6 + 12 + 20) / 10)
    empty = Distribution((0, 0, 0, 0, 0), skipped=3)
    assert (empty.agree, empty.mean) == (0.0, None)


def test_results_by_group_where_anonymity_holds() -> None:
    responses = [
        *answers("Produktion", 6, plaene=2, kontrolle=5, arbeitsplatz=None, nutzung=1),
        *answers("Verwaltung", 5, plaene=4, kontrolle=2, arbeitsplatz=4, nutzung=4),
        *answers("Vertrieb", 2, plaene=5, kontrolle=1, arbeitsplatz=1, nutzung=5),
        *answers("Lager", 8, plaene=3, kontrolle=None, arbeitsplatz=None, nutzung=None),
    ]
    result = evaluate(QUESTIONS, responses, ("Produktion", "Verwaltung", "Vertrieb", "Lager"), 5)
    production, office, sales, store = result.groups
    assert result.respondents == 21
    assert result.total.people == 21
    assert result.total.questions["plaene"] == Distribution((0, 6, 8, 5, 2), 0)
    # Vertrieb (2) is too small; Verwaltung (5), the next smallest, is withheld with it.
    assert sales == Group("Vertrieb", None, {}, None)
    assert office.people is None
    assert production.people == 6
    assert production.questions["plaene"] == Distribution((0, 6, 0, 0, 0), 0)
    # Nobody in Produktion or Lager answered the job question: their skips expose no answer.
    assert production.questions["arbeitsplatz"] == Distribution((0, 0, 0, 0, 0), 6)
    assert store.questions["arbeitsplatz"] == Distribution((0, 0, 0, 0, 0), 8)
    assert result.total.questions["arbeitsplatz"] == Distribution((2, 0, 0, 5, 0), 14)
    # Concerned: agreeing with at least one worry, among those answering one.
    assert production.concerned == 1.0
    assert store.concerned is None  # nobody there answered a worry
    assert result.total.concerned == pytest.approx(11 / 13)


def test_people_of_no_group_count_for_the_total_only() -> None:
    responses = [*answers(UNGROUPED, 3, plaene=5), *answers("A", 6, plaene=1)]
    result = evaluate((PLANS,), responses, ("A",), 5)
    # The three alone would be the total minus A: A is withheld with them.
    assert result.total.people == 9
    assert result.groups[0].people is None


def test_a_pulse_with_fewer_than_k_answers_shows_nothing() -> None:
    result = evaluate(QUESTIONS, answers(UNGROUPED, 4, plaene=5), (), 5)
    assert result.total == Group("", None, {}, None)
    assert not result.total.shown
    assert acceptance(QUESTIONS, result.total) is None
    assert themes([ThemeRule("x", (Condition("plaene", Measure.AGREE, 0.1),))], result.total) == ()


def test_k_can_be_raised_but_not_lowered() -> None:
    responses = answers("A", 6, plaene=4)
    assert evaluate((PLANS,), responses, ("A",), 7).groups[0].people is None
    assert evaluate((PLANS,), responses, ("A",), 2).k == 5


def test_validation_names_the_question() -> None:
    validate(QUESTIONS, Response("", {"plaene": 3, "kontrolle": None}))
    with pytest.raises(ValueError, match="plaene: 6 is not a point"):
        validate(QUESTIONS, Response("", {"plaene": 6}))
    with pytest.raises(ValueError, match="plaene: True is not a point"):
        validate(QUESTIONS, Response("", {"plaene": True}))
    with pytest.raises(ValueError, match="gehalt: not a question"):
        validate(QUESTIONS, Response("", {"gehalt": 3}))


def test_the_change_since_the_last_pulse() -> None:
    before = evaluate(
        QUESTIONS,
        [*answers("", 6, plaene=2, kontrolle=5, nutzung=1), *answers("", 4, plaene=4)],
        (),
        5,
    ).total
    now = evaluate(
        QUESTIONS,
        [*answers("", 5, plaene=4, kontrolle=2, nutzung=4), *answers("", 5, plaene=4)],
        (),
        5,
    ).total
    changes = {c.key: c for c in compare(QUESTIONS, now, before)}
    assert set(changes) == {"plaene", "kontrolle", "nutzung"}  # nobody answered the job question
    assert changes["plaene"].delta == pytest.approx(0.6)
    assert changes["plaene"].better is True
    assert changes["kontrolle"].better is True  # fewer worried
    assert changes["nutzung"].better is None  # a fact, neither good nor bad
    assert Change("plaene", 0.5, 0.45, Polarity.POSITIVE).better is None  # too small to say
    assert Change("kontrolle", 0.2, 0.4, Polarity.CONCERN).better is False
    assert Change("plaene", 0.5, 0.6, Polarity.POSITIVE).notable
    withheld = Group("", None, {}, None)
    assert compare(QUESTIONS, now, withheld) == ()
    # A group shown whose people all skipped a question: nothing to compare there.
    skipped = Group("A", 6, {"plaene": Distribution((0, 0, 0, 0, 0), 6)}, None)
    shown = Group("A", 6, {"plaene": Distribution((0, 0, 0, 6, 0), 0)}, None)
    assert compare((PLANS,), skipped, shown) == compare((PLANS,), shown, skipped) == ()


def test_acceptance_reverses_worries_and_names_what_pulls_it_down() -> None:
    best = evaluate(QUESTIONS, answers("", 5, plaene=5, kontrolle=1, arbeitsplatz=1), (), 5)
    assert acceptance(QUESTIONS, best.total).score == 100  # type: ignore[union-attr]
    worst = evaluate(QUESTIONS, answers("", 5, plaene=1, kontrolle=5, arbeitsplatz=5), (), 5)
    found = acceptance(QUESTIONS, worst.total)
    assert found is not None
    assert (found.score, found.answers) == (0, 15)
    assert found.leading == ("arbeitsplatz", "kontrolle", "plaene")
    mixed = evaluate(QUESTIONS, answers("", 5, plaene=4, kontrolle=4, nutzung=1), (), 5)
    found = acceptance(QUESTIONS, mixed.total)
    assert found is not None
    assert found.score == 50  # (4 + (6 − 4)) / 2 = 3 → 50; the neutral question counts not
    assert found.leading == ("kontrolle",)
    only_facts = evaluate(QUESTIONS, answers("", 5, nutzung=3), (), 5)
    assert acceptance(QUESTIONS, only_facts.total) is None


def test_themes_need_every_condition() -> None:
    total = evaluate(
        QUESTIONS,
        [*answers("", 4, kontrolle=5, plaene=1), *answers("", 6, kontrolle=2, plaene=4)],
        (),
        5,
    ).total
    rules = [
        ThemeRule("kontrolle", (Condition("kontrolle", Measure.AGREE, 0.3),)),
        ThemeRule(
            "plaene_unbekannt",
            (
                Condition("plaene", Measure.DISAGREE, 0.3),
                Condition("kontrolle", Measure.AGREE, 0.5),
            ),
        ),
        ThemeRule("ohne_antworten", (Condition("arbeitsplatz", Measure.AGREE, 0.1),)),
        ThemeRule("fremd", (Condition("unbekannt", Measure.AGREE, 0.1),)),
    ]
    found = themes(rules, total)
    assert [t.key for t in found] == ["kontrolle"]
    assert found[0].evidence == (("kontrolle", Measure.AGREE, pytest.approx(0.4)),)
