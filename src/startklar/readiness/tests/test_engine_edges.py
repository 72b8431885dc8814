"""The readiness engine's edges: clean answers, evidence about dimensions, questions nobody
answered, and the plain data the CLI and the results page export (hand-made bank of
test_engine.py, so every number can be checked by hand)."""

from __future__ import annotations

import json

import pytest

from startklar.readiness.engine import (
    Evidence,
    EvidenceKind,
    Response,
    assess,
    assess_round,
    assessment_to_dict,
    combine_answers,
    details_to_data,
    round_result_from_data,
    round_to_dict,
    scores_from_data,
    scores_to_data,
    validate_answers,
)

from .test_engine import BANK


def test_valid_answers_come_back_as_levels_and_dont_know_stays_none() -> None:
    clean = validate_answers(BANK, {"a.one": 3, "a.two": None, "b.one": 4.5, "b.two": 1})
    assert clean == {"a.one": 3.0, "a.two": None, "b.one": 4.5, "b.two": 1.0}
    assert all(isinstance(v, float) for v in clean.values() if v is not None)


def test_only_score_evidence_is_about_a_dimension() -> None:
    result = assess(BANK, {"a.one": 3, "a.two": 4, "b.one": 2, "b.two": 2})  # b scores 25
    [weak_b] = [f for f in result.findings if f.hurdle.id == "weak-b"]
    [evidence] = weak_b.evidence
    assert (evidence.kind, evidence.subject, evidence.value, evidence.limit) == (
        EvidenceKind.SCORE_BELOW,
        "b",
        25.0,
        30,
    )
    assert evidence.about_dimension
    assert not Evidence(EvidenceKind.AT_MOST, "a.one", 2, 2).about_dimension
    assert not Evidence(EvidenceKind.AT_LEAST, "b.two", 4, 3).about_dimension


def test_a_question_nobody_answered_is_left_out_while_dont_know_is_kept() -> None:
    responses = [
        Response("gf", "gf", {"a.one": 4, "a.two": None}),
        Response("ma", "ma", {"a.one": 2, "a.two": None, "b.one": 5}),
    ]
    combined = combine_answers(BANK, responses)
    assert combined == {"a.one": 3.0, "a.two": None, "b.one": 5}
    assert "b.two" not in combined  # nobody was asked: neither an answer nor "weiß nicht"


def test_an_assessment_as_plain_data_in_either_language() -> None:
    result = assess(BANK, {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 3.65})
    data = assessment_to_dict(result, "en")
    json.dumps(data)  # plain data only
    assert data["rated"] is True
    assert data["overall"] == 22.8  # (12.5 + 33.125) / 2 = 22.8125, to one decimal
    assert data["stage"] == {"id": "s2", "name": "s2"}
    assert data["coverage"] == 1.0
    assert data["dimensions"] == [
        {"id": "a", "name": "A", "score": 12.5, "known": 2, "unknown": 0, "total": 2},
        {"id": "b", "name": "B", "score": 33.1, "known": 2, "unknown": 0, "total": 2},
    ]
    hurdles = data["hurdles"]
    assert isinstance(hurdles, list)
    assert [h["id"] for h in hurdles] == ["silos", "no-goals", "weak-b"]
    assert hurdles[0]["area"] == "organisation"
    assert hurdles[0]["severity"] == "hoch"
    assert hurdles[0]["evidence"] == [
        {"kind": "at_most", "subject": "b.one", "value": 1.0, "limit": 2},
        {"kind": "at_least", "subject": "b.two", "value": 3.65, "limit": 3},
    ]
    assert hurdles[0]["actions"][0] == {"what": "silos-do0", "who": "GF", "first_step": "now"}
    assert data["first_steps"] == [
        {"hurdle": "silos", "what": "silos-do0", "who": "GF", "first_step": "now"},
        {"hurdle": "no-goals", "what": "no-goals-do0", "who": "GF", "first_step": "now"},
        {"hurdle": "weak-b", "what": "weak-b-do0", "who": "GF", "first_step": "now"},
    ]


def test_an_unrated_assessment_as_plain_data_has_no_score_stage_or_hurdle() -> None:
    data = assessment_to_dict(assess(BANK, {"a.one": None}), "de")
    assert (data["rated"], data["overall"], data["stage"], data["coverage"]) == (
        False,
        None,
        None,
        0.0,
    )
    assert [d["score"] for d in data["dimensions"]] == [None, None]  # type: ignore[attr-defined]
    assert (data["hurdles"], data["first_steps"]) == ([], [])


def test_a_round_as_plain_data_with_spread_and_perception_gap() -> None:
    responses = [
        Response("gf", "gf", {"a.one": 5, "a.two": 4, "b.one": 3, "b.two": 3}),
        Response("ma1", "ma", {"a.one": 2, "a.two": 4, "b.one": None, "b.two": None}),
        Response("ma2", "ma", {"a.one": 1, "a.two": 3, "b.one": None, "b.two": None}),
    ]
    data = round_to_dict(assess_round(BANK, responses), "de")
    json.dumps(data)
    assert data["respondents"] == 3
    assert data["spread"] == [
        {"dimension": "a", "median": 50.0, "low": 25.0, "high": 87.5, "respondents": 3},
        {"dimension": "b", "median": 50.0, "low": 50.0, "high": 50.0, "respondents": 1},
    ]
    assert data["perception_gaps"] == [
        {
            "question": "a.one",
            "text": "a.one",
            "high": {"perspective": "gf", "level": 5},
            "low": {"perspective": "ma", "level": 1.5},
        }
    ]
    combined = data["combined"]
    assert isinstance(combined, dict)
    assert combined["overall"] == 50.0  # a: medians 2, 4 → 50 | b: 3, 3 → 50


ROUNDS = [
    [],  # nobody submitted: not rated
    [Response("gf", "gf", {"a.one": None, "b.one": None})],  # only "don't know": not rated
    [Response("gf", "gf", {"a.one": 3})],  # rated, too few answers for a stage
    [
        Response("gf", "gf", {"a.one": 5, "a.two": 4, "b.one": 1, "b.two": 3}),
        Response("ma1", "ma", {"a.one": 2, "a.two": 1, "b.one": None, "b.two": 4}),
        Response("ma2", "ma", {"a.one": 1, "a.two": 3, "b.one": 2, "b.two": None}),
    ],  # a stage, hurdles with several pieces of evidence, first steps, gaps
]


@pytest.mark.parametrize("responses", ROUNDS)
def test_a_round_result_stored_as_json_comes_back_equal(responses: list[Response]) -> None:
    result = assess_round(BANK, responses)
    scores = json.loads(json.dumps(scores_to_data(result.combined.scores)))
    details = json.loads(json.dumps(details_to_data(result)))
    assert scores_from_data(BANK, scores) == result.combined.scores
    assert round_result_from_data(BANK, scores, details) == result
    assert result.combined.scores.rated == result.combined.rated


def test_the_stored_data_names_the_banks_objects_by_id() -> None:
    result = assess_round(BANK, ROUNDS[-1])
    assert result.combined.stage is not None
    assert result.combined.findings
    assert result.combined.first_steps
    assert result.gaps
    scores = scores_to_data(result.combined.scores)
    assert scores["stage"] == result.combined.stage.id
    assert [d[1:] for d in scores["dimensions"]] == [
        (d.known, d.unknown) for d in result.combined.dimensions
    ]
    details = details_to_data(result)
    assert [f[0] for f in details["findings"]] == [f.hurdle.id for f in result.combined.findings]
    assert details["first_steps"][0] == (result.combined.first_steps[0].hurdle.id, 0)
    assert details["gaps"][0][0] == result.gaps[0].question.id
