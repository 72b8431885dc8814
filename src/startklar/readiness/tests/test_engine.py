"""The readiness engine on a small hand-made bank, so every number can be checked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from startklar.core.text import Text
from startklar.readiness.engine import (
    Action,
    AllOf,
    AnyOf,
    Area,
    Bank,
    Condition,
    Dimension,
    DimensionBelow,
    Hurdle,
    Perspective,
    Question,
    QuestionAtLeast,
    QuestionAtMost,
    Response,
    Severity,
    Stage,
    assess,
    assess_round,
    validate_answers,
)


def t(label: str) -> Text:
    return Text(label, label)


def question(qid: str) -> Question:
    return Question(qid, qid.split(".")[0], t(qid), t("why"), tuple(t(str(i)) for i in range(5)))


def hurdle(hid: str, severity: Severity, when: Condition, actions: int = 2) -> Hurdle:
    return Hurdle(
        hid,
        Area.ORGANISATION,
        severity,
        t(hid),
        t("because"),
        when,
        tuple(Action(t(f"{hid}-do{i}"), t("GF"), t("now")) for i in range(actions)),
    )


BANK = Bank(
    version="test",
    stages=tuple(
        Stage(sid, low, t(sid), t(sid))
        for sid, low in [("s1", 0), ("s2", 20), ("s3", 40), ("s4", 60), ("s5", 80)]
    ),
    perspectives=(Perspective("gf", t("GF")), Perspective("ma", t("MA"))),
    dimensions=(
        Dimension("a", t("A"), t("A"), (question("a.one"), question("a.two"))),
        Dimension("b", t("B"), t("B"), (question("b.one"), question("b.two"))),
    ),
    hurdles=(
        hurdle("no-goals", Severity.MEDIUM, QuestionAtMost("a.one", 2)),
        hurdle(
            "silos",
            Severity.HIGH,
            AllOf((QuestionAtMost("b.one", 2), QuestionAtLeast("b.two", 3))),
        ),
        hurdle(
            "weak-b", Severity.LOW, AnyOf((DimensionBelow("b", 30), QuestionAtMost("a.two", 1)))
        ),
    ),
)


@pytest.mark.parametrize(
    ("answers", "a", "b", "overall", "stage"),
    [
        ({"a.one": 1, "a.two": 1, "b.one": 1, "b.two": 1}, 0.0, 0.0, 0.0, "s1"),
        ({"a.one": 5, "a.two": 5, "b.one": 5, "b.two": 5}, 100.0, 100.0, 100.0, "s5"),
        ({"a.one": 3, "a.two": 4, "b.one": 2, "b.two": 2}, 62.5, 25.0, 43.75, "s3"),
        ({"a.one": 3, "a.two": None, "b.one": 4, "b.two": None}, 50.0, 75.0, 62.5, "s4"),
        # one dimension unknown: overall from the other alone, coverage exactly 50 %
        ({"a.one": 2, "a.two": 3, "b.one": None, "b.two": None}, 37.5, None, 37.5, "s2"),
    ],
)
def test_scores_and_stage(
    answers: dict[str, float | None], a: float, b: float | None, overall: float, stage: str
) -> None:
    result = assess(BANK, answers)
    assert [d.score for d in result.dimensions] == [a, b]
    assert result.overall == overall
    assert result.stage is not None
    assert result.stage.id == stage


def test_no_answers_means_not_rated_and_no_hurdles() -> None:
    for answers in ({}, {"a.one": None, "a.two": None, "b.one": None, "b.two": None}):
        result = assess(BANK, answers)
        assert not result.rated
        assert result.overall is None
        assert result.stage is None
        assert result.findings == ()
        assert result.first_steps == ()


def test_too_few_answers_give_scores_but_no_stage() -> None:
    result = assess(BANK, {"a.one": 4})
    assert result.rated
    assert result.coverage == 0.25
    assert result.stage is None


def test_coverage_counts_unknown_answers_apart() -> None:
    result = assess(BANK, {"a.one": 4, "a.two": None})
    first = result.dimensions[0]
    assert (first.known, first.unknown, first.total, first.coverage) == (1, 1, 2, 0.5)


def test_hurdles_carry_their_evidence_and_are_ranked_by_severity() -> None:
    result = assess(BANK, {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4})
    assert [f.hurdle.id for f in result.findings] == ["silos", "no-goals", "weak-b"]
    silos = result.findings[0]
    assert [(e.kind, e.subject, e.value) for e in silos.evidence] == [
        ("at_most", "b.one", 1.0),
        ("at_least", "b.two", 4.0),
    ]
    weak_b = result.findings[2]
    assert {e.subject for e in weak_b.evidence} == {"a.two"}  # b scores 37.5, not below 30


def test_an_all_condition_needs_every_part() -> None:
    result = assess(BANK, {"b.one": 1, "b.two": 2})
    assert "silos" not in [f.hurdle.id for f in result.findings]


def test_dont_know_never_triggers_a_hurdle() -> None:
    result = assess(BANK, {"a.one": None, "a.two": 4, "b.one": None, "b.two": 5})
    assert result.findings == ()


def test_first_steps_take_the_top_hurdles_first_action_then_the_next() -> None:
    result = assess(BANK, {"a.one": 2, "a.two": 5, "b.one": 5, "b.two": 5})
    assert [s.action.what.de for s in result.first_steps] == ["no-goals-do0", "no-goals-do1"]
    result = assess(BANK, {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4})
    assert [s.action.what.de for s in result.first_steps] == [
        "silos-do0",
        "no-goals-do0",
        "weak-b-do0",
    ]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"a.one": 6}, "between 1 and 5"),
        ({"a.one": 0}, "between 1 and 5"),
        ({"x.y": 3}, "unknown question 'x.y'"),
        ({"a.one": "drei"}, "level 1–5 or null"),
        ({"a.one": True}, "level 1–5 or null"),
    ],
)
def test_bad_answers_are_named(answers: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_answers(BANK, answers)


def test_a_round_shows_median_spread_and_the_perception_gap() -> None:
    responses = [
        Response("gf", "gf", {"a.one": 5, "a.two": 4, "b.one": 3, "b.two": 3}),
        Response("ma1", "ma", {"a.one": 2, "a.two": 4, "b.one": 3, "b.two": None}),
        Response("ma2", "ma", {"a.one": 3, "a.two": 4, "b.one": 2, "b.two": None}),
    ]
    result = assess_round(BANK, responses)
    assert result.respondents == 3
    a = result.spreads[0]
    assert (a.median, a.low, a.high) == (62.5, 50.0, 87.5)
    [gap] = result.gaps
    assert gap.question.id == "a.one"
    assert (gap.high_perspective, gap.high_level, gap.low_perspective, gap.low_level) == (
        "gf",
        5,
        "ma",
        2.5,
    )
    combined = {d.dimension.id: d.score for d in result.combined.dimensions}
    assert combined == {"a": 62.5, "b": 50.0}  # medians 3, 4 | 3, 3


levels = st.integers(min_value=1, max_value=5)
maybe = st.one_of(st.none(), levels)
answer_sets = st.fixed_dictionaries(dict.fromkeys(BANK.questions, maybe))


@given(answer_sets, st.sampled_from(sorted(BANK.questions)), levels)
def test_raising_one_answer_never_lowers_its_dimension(
    answers: dict[str, float | None], question_id: str, level: int
) -> None:
    dimension = BANK.questions[question_id].dimension_id
    low = dict(answers, **{question_id: level})
    high = dict(answers, **{question_id: min(level + 1, 5)})
    before = {d.dimension.id: d.score for d in assess(BANK, low).dimensions}[dimension]
    after = {d.dimension.id: d.score for d in assess(BANK, high).dimensions}[dimension]
    assert before is not None
    assert after is not None
    assert after >= before


@given(answer_sets, st.sampled_from(sorted(BANK.questions)))
def test_dont_know_is_never_counted_as_the_lowest_level(
    answers: dict[str, float | None], question_id: str
) -> None:
    dimension = BANK.questions[question_id].dimension_id
    unknown = dict(answers, **{question_id: None})
    lowest = dict(answers, **{question_id: 1})
    without = {k: v for k, v in answers.items() if k != question_id}

    def score(a: dict[str, float | None]) -> float | None:
        return {d.dimension.id: d.score for d in assess(BANK, a).dimensions}[dimension]

    assert score(unknown) == score(without)
    if score(unknown) is not None:
        assert score(unknown) >= score(lowest)  # type: ignore[operator]
    assert assess(BANK, unknown).findings == assess(BANK, without).findings
