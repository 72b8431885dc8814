"""Ranking by strength, raised severity, actions that fit the answers and unscored questions
(issue 13, points 13, 14, 17, 18) on a small hand-made bank, so every number can be checked."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
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
    Evidence,
    EvidenceKind,
    Hurdle,
    Perspective,
    Question,
    QuestionAtLeast,
    QuestionAtMost,
    Ranking,
    Response,
    Severity,
    Stage,
    assess,
    assess_round,
    assessment_to_dict,
    details_to_data,
    round_result_from_data,
    scores_to_data,
)


def t(label: str) -> Text:
    return Text(label, label)


def question(qid: str, scored: bool = True) -> Question:
    levels = tuple(t(str(i)) for i in range(5))
    return Question(qid, qid.split(".")[0], t(qid), t("why"), levels, scored)


def act(name: str, when: Condition | None = None, unless: Condition | None = None) -> Action:
    return Action(t(name), t("GF"), t("now"), when, unless)


def hurdle(
    hid: str,
    severity: Severity,
    when: Condition,
    actions: tuple[Action, ...] | None = None,
    high_when: Condition | None = None,
) -> Hurdle:
    actions = actions or (act(f"{hid}-do0"), act(f"{hid}-do1"))
    return Hurdle(hid, Area.ORGANISATION, severity, t(hid), t("because"), when, actions, high_when)


def bank(*hurdles: Hurdle, ranking: Ranking = Ranking.STRENGTH) -> Bank:
    return Bank(
        version="test",
        stages=(Stage("s1", 0, t("s1"), t("s1")), Stage("s2", 50, t("s2"), t("s2"))),
        perspectives=(Perspective("gf", t("GF")), Perspective("ma", t("MA"))),
        dimensions=(
            Dimension(
                "a",
                t("A"),
                t("A"),
                (
                    question("a.one"),
                    question("a.two"),
                    question("a.three"),
                    question("a.ctx", False),
                ),
            ),
        ),
        hurdles=hurdles,
        ranking=ranking,
    )


# Several alternatives (a legal hurdle reached four ways) and one strong answer.
WIDE = hurdle(
    "wide",
    Severity.HIGH,
    AnyOf(
        (
            QuestionAtMost("a.one", 2),
            QuestionAtMost("a.two", 2),
            QuestionAtMost("a.three", 2),
            DimensionBelow("a", 40),
        )
    ),
)
DEEP = hurdle("deep", Severity.HIGH, QuestionAtMost("a.ctx", 1))


@pytest.mark.parametrize(
    ("evidence", "strength"),
    [
        (Evidence(EvidenceKind.AT_MOST, "q", 1, 2), 1.0),
        (Evidence(EvidenceKind.AT_MOST, "q", 2, 2), 0.5),
        (Evidence(EvidenceKind.AT_MOST, "q", 1.5, 2), 0.75),
        (Evidence(EvidenceKind.AT_MOST, "q", 3, 3), 1 / 3),
        (Evidence(EvidenceKind.AT_LEAST, "q", 3, 3), 1.0),
        (Evidence(EvidenceKind.SCORE_BELOW, "d", 15, 30), 0.5),
        (Evidence(EvidenceKind.SCORE_BELOW, "d", 0, 30), 1.0),
    ],
)
def test_a_fact_supports_a_hurdle_the_more_the_further_it_lies_past_the_limit(
    evidence: Evidence, strength: float
) -> None:
    assert evidence.strength == pytest.approx(strength)


@pytest.mark.parametrize(
    ("condition", "answers", "strength", "facts"),
    [
        # alternatives: the strongest counts, however many hold (point 13)
        (
            AnyOf((QuestionAtMost("a.one", 2), QuestionAtMost("a.two", 2))),
            {"a.one": 2, "a.two": 2},
            0.5,
            2,
        ),
        (
            AnyOf((QuestionAtMost("a.one", 2), QuestionAtMost("a.two", 2))),
            {"a.one": 2, "a.two": 1},
            1.0,
            2,
        ),
        # every part: as strong as the weakest; a minimum level is a precondition
        (
            AllOf((QuestionAtMost("a.one", 2), QuestionAtMost("a.two", 3))),
            {"a.one": 1, "a.two": 3},
            1 / 3,
            2,
        ),
        (
            AllOf((QuestionAtMost("a.one", 2), QuestionAtLeast("a.two", 3))),
            {"a.one": 1, "a.two": 3},
            1.0,
            2,
        ),
    ],
)
def test_alternatives_count_by_their_strongest_and_parts_by_their_weakest(
    condition: Condition, answers: dict[str, float], strength: float, facts: int
) -> None:
    match = condition.match(answers, {})
    assert match is not None
    assert match.strength == pytest.approx(strength)
    assert len(match.evidence) == facts


@pytest.mark.parametrize(
    ("ranking", "order"),
    [
        (Ranking.STRENGTH, ["deep", "wide"]),  # one answer at the bottom beats four lukewarm ones
        (Ranking.EVIDENCE_COUNT, ["wide", "deep"]),  # how 2026.1 ranks, kept for its rounds
    ],
)
def test_many_alternatives_do_not_inflate_a_hurdles_rank(
    ranking: Ranking, order: list[str]
) -> None:
    answers = {"a.one": 2, "a.two": 2, "a.three": 2, "a.ctx": 1}
    result = assess(bank(WIDE, DEEP, ranking=ranking), answers)
    assert [f.hurdle.id for f in result.findings] == order
    assert len(result.findings[order.index("wide")].evidence) == 4  # all facts are still shown


@pytest.mark.parametrize(
    ("answers", "severity", "facts"),
    [
        ({"a.one": 1, "a.two": 3}, Severity.MEDIUM, ["a.one"]),
        ({"a.one": 1, "a.two": 4}, Severity.HIGH, ["a.one", "a.two"]),  # the plan depends on it
        ({"a.one": 1, "a.two": None}, Severity.MEDIUM, ["a.one"]),  # "weiß nicht" raises nothing
    ],
)
def test_a_hurdle_is_raised_to_high_when_its_further_condition_holds(
    answers: dict[str, float | None], severity: Severity, facts: list[str]
) -> None:
    raised = hurdle(
        "silos", Severity.MEDIUM, QuestionAtMost("a.one", 2), high_when=QuestionAtLeast("a.two", 4)
    )
    other = hurdle("other", Severity.HIGH, QuestionAtMost("a.three", 2))
    result = assess(bank(other, raised), {**answers, "a.three": 2})
    found = {f.hurdle.id: f for f in result.findings}
    assert found["silos"].severity is severity
    assert [e.subject for e in found["silos"].evidence] == facts
    # a raised hurdle with the stronger answers ranks before the other high one
    expected = ["silos", "other"] if severity is Severity.HIGH else ["other", "silos"]
    assert [f.hurdle.id for f in result.findings] == expected
    assert assessment_to_dict(result, "de")["hurdles"][expected.index("silos")]["severity"] == (  # type: ignore[index]
        severity.value
    )


DPO = QuestionAtLeast("a.ctx", 2)  # "there is a data protection officer"
LEGAL = hurdle(
    "legal",
    Severity.HIGH,
    QuestionAtMost("a.one", 2),
    actions=(
        act("talk-to-dpo", when=DPO),
        act("check-38-bdsg", unless=DPO),
        act("policy"),
        act("review-tools", when=QuestionAtLeast("a.two", 2)),
        act("pick-a-first-tool", when=QuestionAtMost("a.two", 1)),
    ),
)


@pytest.mark.parametrize(
    ("ctx", "two", "actions"),
    [
        (3, 3, ["talk-to-dpo", "policy", "review-tools"]),
        (1, 3, ["check-38-bdsg", "policy", "review-tools"]),  # no DPO: check whether one is needed
        (None, 3, ["check-38-bdsg", "policy", "review-tools"]),  # unknown: find out
        (3, 1, ["talk-to-dpo", "policy", "pick-a-first-tool"]),  # no AI in use: pick a first tool
        (1, None, ["check-38-bdsg", "policy"]),
    ],
)
def test_actions_fit_the_answers(ctx: float | None, two: float | None, actions: list[str]) -> None:
    result = assess(bank(LEGAL), {"a.one": 1, "a.two": two, "a.ctx": ctx})
    [finding] = result.findings
    assert [a.what.de for a in finding.actions] == actions
    assert [s.action.what.de for s in result.first_steps] == actions[:3]
    assert [a["what"] for a in assessment_to_dict(result, "en")["hurdles"][0]["actions"]] == actions  # type: ignore[index]


def test_first_steps_never_offer_an_action_the_answers_make_pointless() -> None:
    other = hurdle("other", Severity.MEDIUM, QuestionAtMost("a.three", 2))
    result = assess(bank(LEGAL, other), {"a.one": 1, "a.two": 1, "a.three": 1, "a.ctx": 1})
    assert [s.action.what.de for s in result.first_steps] == [
        "check-38-bdsg",
        "other-do0",
        "policy",
    ]


@pytest.mark.parametrize(
    ("answers", "score", "known", "total"),
    [
        ({"a.one": 5, "a.two": 5, "a.three": 5, "a.ctx": 1}, 100.0, 3, 3),
        ({"a.one": 1, "a.two": 1, "a.three": 1, "a.ctx": 5}, 0.0, 3, 3),
        ({"a.ctx": 5}, None, 0, 3),  # only the situation is known: not rated
    ],
)
def test_an_unscored_question_changes_no_score(
    answers: dict[str, float], score: float | None, known: int, total: int
) -> None:
    result = assess(bank(DEEP), answers)
    [dimension] = result.dimensions
    assert (dimension.score, dimension.known, dimension.total) == (score, known, total)
    assert result.rated is (score is not None)


levels = st.one_of(st.none(), st.integers(1, 5).map(float))


@settings(derandomize=True, max_examples=60)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"a.one": levels, "a.two": levels, "a.three": levels, "a.ctx": levels}
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_result_with_raised_hurdles_and_fitting_actions_comes_back_equal_from_storage(
    answer_sets: list[dict[str, float | None]],
) -> None:
    raised = hurdle(
        "raised", Severity.LOW, QuestionAtMost("a.three", 3), high_when=QuestionAtLeast("a.one", 3)
    )
    the_bank = bank(WIDE, DEEP, LEGAL, raised)
    responses = [Response(f"r{i}", "gf", a) for i, a in enumerate(answer_sets)]
    result = assess_round(the_bank, responses)
    scores = json.loads(json.dumps(scores_to_data(result.combined.scores)))
    details = json.loads(json.dumps(details_to_data(result)))
    assert round_result_from_data(the_bank, scores, details) == result


@pytest.mark.parametrize(
    ("answers", "order"),
    [
        # the urgent hurdle (an ongoing breach) leads its severity, however weakly supported
        ({"a.one": 2, "a.ctx": 1}, ["urgent", "deep"]),
        # severity still comes first: a medium hurdle stays behind both
        ({"a.one": 2, "a.ctx": 1, "a.three": 1}, ["urgent", "deep", "medium"]),
        ({"a.one": 3, "a.ctx": 1}, ["deep"]),
    ],
)
def test_an_urgent_hurdle_comes_first_within_its_severity(
    answers: dict[str, float], order: list[str]
) -> None:
    urgent = Hurdle(
        "urgent",
        Area.TECHNOLOGY,
        Severity.HIGH,
        t("urgent"),
        t("because"),
        QuestionAtMost("a.one", 2),
        (act("stop-now"), act("then")),
        urgent=True,
    )
    medium = hurdle("medium", Severity.MEDIUM, QuestionAtMost("a.three", 1))
    found = assess(bank(DEEP, medium, urgent), answers)
    assert [f.hurdle.id for f in found.findings] == order
    assert found.first_steps[0].action.what.de == ("stop-now" if "urgent" in order else "deep-do0")
