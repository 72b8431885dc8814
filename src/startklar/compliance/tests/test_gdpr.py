"""GDPR screening, the data-protection-officer check and the engine's corner cases."""

from __future__ import annotations

import pytest

from startklar.compliance.content import load_rules
from startklar.compliance.engine import (
    All,
    Any_,
    Context,
    InClass,
    InGroup,
    Is,
    Not,
    Tri,
    data_protection_officer,
    evaluate,
    screen_gdpr,
)

from .test_classification import BASE, annex3, case

RULES = load_rules()


@pytest.mark.parametrize(
    ("answers", "verdict", "criteria", "items"),
    [
        # No personal data: nothing to screen. Personal data unknown: no verdict.
        (case(personal_data="no"), "nicht_erforderlich", set(), set()),
        (case(personal_data="unknown"), "unklar", set(), set()),
        # AI alone is one criterion (innovative technology): document the threshold assessment.
        (case(), "schwellwertanalyse", {"innovative"}, set()),
        # Two or more EDPB criteria: a DPIA is likely required.
        (
            case(large_scale="yes"),
            "wahrscheinlich_erforderlich",
            {"innovative", "large_scale"},
            set(),
        ),
        (
            case(prevents_right="yes"),
            "wahrscheinlich_erforderlich",
            {"innovative", "prevents_right"},
            set(),
        ),
        (
            case(special_categories="yes"),
            "wahrscheinlich_erforderlich",
            {"innovative", "sensitive"},
            set(),
        ),
        (
            case(vulnerable_subjects="yes", systematic_monitoring="yes"),
            "wahrscheinlich_erforderlich",
            {"innovative", "vulnerable", "monitoring"},
            set(),
        ),
        # An item of the DSK list: required, whatever the count.
        (
            case(evaluation_scoring="yes"),
            "erforderlich",
            {"innovative", "evaluation"},
            {"ai_personal_aspects"},
        ),
        (
            case(combining_datasets="yes", automated_decision="yes"),
            "erforderlich",
            {"innovative", "combining", "automated_decision"},
            {"scoring_legal_effect"},
        ),
        (
            case(steers_interaction="yes"),
            "erforderlich",
            {"innovative"},
            {"ai_personal_aspects"},
        ),
        (
            case(vulnerable_subjects="yes", systematic_monitoring="yes", large_scale="yes"),
            "erforderlich",
            {"innovative", "vulnerable", "monitoring", "large_scale"},
            {"employee_behaviour"},
        ),
        # Fingerprint access control for staff: biometric identification and a further
        # criterion (employees) is a DSK item, though not remote identification (AI Act).
        (
            case(biometric_identification="yes", vulnerable_subjects="yes"),
            "erforderlich",
            {"innovative", "sensitive", "vulnerable"},
            {"biometric"},
        ),
        # Biometric verification without a further criterion: not the DSK item, but two
        # criteria (sensitive data and AI).
        (
            case(biometric_identification="yes"),
            "wahrscheinlich_erforderlich",
            {"innovative", "sensitive"},
            set(),
        ),
    ],
)
def test_dpia_verdicts_count_as_the_edpb_does(
    answers: dict[str, str], verdict: str, criteria: set[str], items: set[str]
) -> None:
    result = screen_gdpr(RULES, answers)
    assert result.verdict == verdict
    assert result.verdict.needs_dpia == (verdict in {"erforderlich", "wahrscheinlich_erforderlich"})
    assert {c.id for c in result.criteria} == criteria
    assert {d.id for d in result.dsk_items} == items
    # every criterion and item met says which answers met it
    assert set(result.why) == criteria | items
    for leaves in result.why.values():
        assert leaves
        assert all(answers.get(leaf.question) == leaf.answer for leaf in leaves)


def test_staff_using_an_internal_tool_is_not_the_dsk_interaction_item() -> None:
    """A chat assistant that staff talk to is an interaction (Art. 50) but not the DSK item on
    AI that interacts with the data subjects; a customer chatbot is."""
    staff = screen_gdpr(RULES, case(art50_interacts="yes", art50_obvious="yes"))
    assert staff.dsk_items == ()
    assert staff.verdict == "schwellwertanalyse"
    customers = screen_gdpr(
        RULES, case(art50_interacts="yes", art50_obvious="no", steers_interaction="yes")
    )
    assert [d.id for d in customers.dsk_items] == ["ai_personal_aspects"]
    assert customers.verdict == "erforderlich"


def test_the_german_dsk_list_decides_on_its_own() -> None:
    face = screen_gdpr(RULES, annex3("biometrie", "a", large_scale="yes"))
    assert "biometric" in {d.id for d in face.dsk_items}
    scoring = screen_gdpr(
        RULES, annex3("dienste", "b", combining_datasets="yes", derog_profiling="yes")
    )
    assert "scoring_legal_effect" in {d.id for d in scoring.dsk_items}
    workers = screen_gdpr(
        RULES, annex3("beschaeftigung", "b", vulnerable_subjects="yes", large_scale="yes")
    )
    assert "employee_behaviour" in {d.id for d in workers.dsk_items}


def test_article_22_and_the_works_council_are_flagged() -> None:
    result = screen_gdpr(RULES, case(automated_decision="yes", monitors_employees="yes"))
    assert result.automated_decision
    assert result.works_council
    assert screen_gdpr(RULES, case(personal_data="no", monitors_employees="yes")).works_council


@pytest.mark.parametrize(
    ("facts", "required", "reasons"),
    [
        ((19, False, False, False, False), False, ()),
        ((20, False, False, False, False), True, ("bdsg_20_persons",)),
        ((5, True, False, False, False), True, ("dpia",)),
        ((5, False, True, False, False), True, ("commercial_transfer",)),
        ((5, False, False, True, True), True, ("core_monitoring", "core_special")),
    ],
)
def test_data_protection_officer(
    facts: tuple[int, bool, bool, bool, bool], required: bool, reasons: tuple[str, ...]
) -> None:
    check = data_protection_officer(*facts)
    assert (check.required, check.reasons) == (required, reasons)


def test_a_negative_headcount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        data_protection_officer(-1, False, False, False, False)


def test_three_valued_logic() -> None:
    ctx = Context(
        {"a": "yes", "b": "unknown", "c": "no"},
        frozenset({"a", "b", "c"}),
        {},
        {"k": Tri.TRUE},
        {"g": Tri.OPEN},
    )
    a, b, c = Is("a", frozenset({"yes"})), Is("b", frozenset({"yes"})), Is("c", frozenset({"yes"}))
    assert evaluate(All((a, b)), ctx).value is Tri.OPEN
    assert evaluate(All((a, c)), ctx).value is Tri.FALSE
    assert evaluate(All((a,)), ctx).value is Tri.TRUE
    assert evaluate(Any_((b, c)), ctx).value is Tri.OPEN
    assert evaluate(Any_((c,)), ctx).value is Tri.FALSE
    assert evaluate(Not(b), ctx).value is Tri.OPEN
    assert evaluate(Not(c), ctx).value is Tri.TRUE
    assert evaluate(InClass("k"), ctx).value is Tri.TRUE
    assert evaluate(InClass("x"), ctx).value is Tri.FALSE
    assert evaluate(InGroup("g"), ctx).value is Tri.OPEN
    hidden = Is("hidden", frozenset({"yes"}))
    assert evaluate(hidden, ctx).value is Tri.FALSE
    unanswered = Context({}, frozenset({"a"}), {})
    assert evaluate(a, unanswered).value is Tri.OPEN


def test_unknown_listed_in_a_condition_matches_the_answer_unknown() -> None:
    """``in: [yes, unknown]`` means "weiß nicht" too; without it "unknown" stays open."""
    ctx = Context({"a": "unknown"}, frozenset({"a", "b"}), {})
    assert evaluate(Is("a", frozenset({"yes", "unknown"})), ctx).value is Tri.TRUE
    assert evaluate(Is("a", frozenset({"yes"})), ctx).value is Tri.OPEN
    assert evaluate(Is("b", frozenset({"yes", "unknown"})), ctx).value is Tri.OPEN  # unanswered


def _gates_listing_unknown() -> list[tuple[str, str]]:
    """(question, gate) for every question asked when its gate is answered "unknown"."""
    return [
        (q.id, q.ask_if.question)
        for q in RULES.questions
        if isinstance(q.ask_if, Is) and "unknown" in q.ask_if.values
    ]


def test_the_gdpr_follow_ups_are_asked_when_personal_data_is_unknown() -> None:
    from startklar.compliance.engine import next_question, visible_answers

    gated = _gates_listing_unknown()
    assert {gate for _q, gate in gated} == {"personal_data"}
    assert len(gated) >= 8  # special categories, vulnerable people, scoring, …
    before = {q.id: BASE[q.id] for q in RULES.questions if q.id in BASE}
    unsure = {**before, "personal_data": "unknown"}
    for question, _gate in gated:
        unsure.pop(question, None)
    _kept, visible = visible_answers(RULES, unsure)
    assert {q for q, _gate in gated} <= visible
    asked = next_question(RULES, unsure)
    assert asked is not None
    assert asked.id == gated[0][0]  # asked next, not skipped as "no"


def test_the_baseline_answers_every_shown_question() -> None:
    from startklar.compliance.engine import next_question

    assert next_question(RULES, BASE) is None


def test_without_any_criterion_no_dpia_is_needed() -> None:
    import dataclasses

    bare = dataclasses.replace(RULES, edpb_criteria=(), dsk_items=())
    assert screen_gdpr(bare, case()).verdict == "nicht_erforderlich"


def test_a_duty_is_in_force_from_its_date() -> None:
    import datetime

    from startklar.compliance.engine import classify

    [literacy] = [d for d in classify(RULES, case()).duties if d.obligation.id == "literacy"]
    assert literacy.in_force(datetime.date(2025, 2, 2))
    assert not literacy.in_force(datetime.date(2025, 2, 1))
