"""AI Act classification: table-driven cases across all classes, including the tricky ones."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from startklar.compliance.content import load_rules
from startklar.compliance.engine import UNKNOWN, Tri, classify, next_question, validate

RULES = load_rules()

BASE = {
    "role": "deployer",
    "role_switch": "no",
    "art5_manipulation": "no",
    "art5_vulnerability": "no",
    "art5_social_scoring": "no",
    "art5_crime_prediction": "no",
    "art5_face_scraping": "no",
    "art5_emotion_workplace": "no",
    "art5_biometric_sensitive": "no",
    "art5_realtime_rbi": "no",
    "art5_intimate_imagery": "no",
    "annex1_component": "no",
    "annex3_area": "none",
    "art50_interacts": "no",
    "art50_generates": "no",
    "art50_deepfake": "no",
    "art50_public_text": "no",
    "art50_emotion_or_categorisation": "no",
    "gpai_use": "no",
    "gpai_provide": "no",
    "personal_data": "yes",
    "special_categories": "no",
    "vulnerable_subjects": "no",
    "evaluation_scoring": "no",
    "automated_decision": "no",
    "systematic_monitoring": "no",
    "large_scale": "no",
    "combining_datasets": "no",
    "prevents_right": "no",
    "monitors_employees": "no",
    "steers_interaction": "no",
    "biometric_identification": "no",
    "public_service": "no",
}
NO_DEROGATION = {
    "derog_profiling": "no",
    "derog_narrow_task": "no",
    "derog_improves_prior": "no",
    "derog_patterns": "no",
    "derog_preparatory": "no",
}


def case(**overrides: str) -> dict[str, str]:
    return {**BASE, **overrides}


def annex3(area: str, point: str, **extra: str) -> dict[str, str]:
    number = {
        "biometrie": 1,
        "infrastruktur": 2,
        "bildung": 3,
        "beschaeftigung": 4,
        "dienste": 5,
        "strafverfolgung": 6,
        "migration": 7,
        "justiz": 8,
    }[area]
    values = {"annex3_area": area, f"annex3_{number}": point}
    if point != "none":
        values.update(NO_DEROGATION)
    values.update(extra)
    return case(**values)


CASES = [
    # (description, answers, labels, a rule that must fire or None)
    (
        "internal assistant, obviously AI",
        case(art50_interacts="yes", art50_obvious="yes", gpai_use="yes"),
        ("minimal",),
        None,
    ),
    (
        "website chatbot, not obvious",
        case(art50_interacts="yes", art50_obvious="no"),
        ("transparenz",),
        "art50_1",
    ),
    (
        "applicant ranking",
        annex3("beschaeftigung", "a", derog_profiling="yes"),
        ("hochrisiko",),
        "annex_iii_4a",
    ),
    (
        "applicant ranking, derogation claimed with profiling",
        annex3("beschaeftigung", "a", derog_profiling="yes", derog_narrow_task="yes"),
        ("hochrisiko",),
        "annex_iii_4a",
    ),
    (
        "CV parsing as narrow task (Art. 6(3))",
        annex3("beschaeftigung", "a", derog_narrow_task="yes", derog_no_material_influence="yes"),
        ("minimal",),
        None,
    ),
    (
        "derogation conditions but material influence",
        annex3("beschaeftigung", "a", derog_patterns="yes", derog_no_material_influence="no"),
        ("hochrisiko",),
        "annex_iii_4a",
    ),
    (
        "performance monitoring of workers",
        annex3("beschaeftigung", "b"),
        ("hochrisiko",),
        "annex_iii_4b",
    ),
    (
        "emotion recognition of employees",
        case(
            art5_emotion_workplace="yes",
            art5_emotion_exception="no",
            art50_emotion_or_categorisation="yes",
        ),
        ("verboten",),
        "art5_f",
    ),
    (
        "emotion recognition at work for safety, listed in Annex III 1(c)",
        annex3(
            "biometrie",
            "c",
            art5_emotion_workplace="yes",
            art5_emotion_exception="yes",
            art50_emotion_or_categorisation="yes",
        ),
        ("hochrisiko", "transparenz"),
        "annex_iii_1c",
    ),
    (
        "text sentiment of customer e-mails is not emotion recognition",
        case(evaluation_scoring="no"),
        ("minimal",),
        None,
    ),
    (
        "customer emotions in a call centre (voice)",
        annex3("biometrie", "c", art50_emotion_or_categorisation="yes"),
        ("hochrisiko", "transparenz"),
        "art50_3",
    ),
    (
        "fraud detection is not credit scoring",
        annex3("dienste", "none", combining_datasets="yes"),
        ("minimal",),
        None,
    ),
    (
        "consumer credit scoring",
        annex3("dienste", "b", derog_profiling="yes"),
        ("hochrisiko",),
        "annex_iii_5b",
    ),
    ("corporate credit scoring is not III 5(b)", annex3("dienste", "none"), ("minimal",), None),
    (
        "life insurance pricing",
        annex3("dienste", "c", derog_profiling="yes"),
        ("hochrisiko",),
        "annex_iii_5c",
    ),
    (
        "1:1 face verification is not remote identification",
        annex3("biometrie", "none"),
        ("minimal",),
        None,
    ),
    (
        "remote biometric identification by a company",
        annex3("biometrie", "a"),
        ("hochrisiko",),
        "annex_iii_1a",
    ),
    (
        "biometric categorisation",
        annex3("biometrie", "b", art50_emotion_or_categorisation="yes"),
        ("hochrisiko", "transparenz"),
        "annex_iii_1b",
    ),
    ("social scoring", case(art5_social_scoring="yes"), ("verboten",), "art5_c"),
    ("manipulative techniques", case(art5_manipulation="yes"), ("verboten",), "art5_a"),
    ("exploiting vulnerabilities", case(art5_vulnerability="yes"), ("verboten",), "art5_b"),
    ("crime prediction from profiling", case(art5_crime_prediction="yes"), ("verboten",), "art5_d"),
    ("face scraping", case(art5_face_scraping="yes"), ("verboten",), "art5_e"),
    (
        "sensitive biometric categorisation",
        case(art5_biometric_sensitive="yes"),
        ("verboten",),
        "art5_g",
    ),
    ("real-time RBI for law enforcement", case(art5_realtime_rbi="yes"), ("verboten",), "art5_h"),
    (
        "intimate imagery (2026 amendment)",
        case(art5_intimate_imagery="yes"),
        ("verboten",),
        "art5_intimate",
    ),
    (
        "safety component of machinery with notified body",
        case(annex1_component="yes", annex1_third_party="yes"),
        ("hochrisiko",),
        "annex_i",
    ),
    (
        "machine component without third-party assessment",
        case(annex1_component="yes", annex1_third_party="no"),
        ("minimal",),
        None,
    ),
    ("critical infrastructure", annex3("infrastruktur", "a"), ("hochrisiko",), "annex_iii_2"),
    ("evaluating learning outcomes", annex3("bildung", "b"), ("hochrisiko",), "annex_iii_3b"),
    ("influencing elections", annex3("justiz", "b"), ("hochrisiko",), "annex_iii_8b"),
    ("public assistance eligibility", annex3("dienste", "a"), ("hochrisiko",), "annex_iii_5a"),
    ("emergency triage", annex3("dienste", "d"), ("hochrisiko",), "annex_iii_5d"),
    ("law enforcement use", annex3("strafverfolgung", "c"), ("hochrisiko",), "annex_iii_6c"),
    ("border control use", annex3("migration", "b"), ("hochrisiko",), "annex_iii_7b"),
    ("marketing deepfake", case(art50_deepfake="yes"), ("transparenz",), "art50_4_deepfake"),
    (
        "public-interest text without editorial control",
        case(art50_public_text="yes", art50_editorial="no"),
        ("transparenz",),
        "art50_4_text",
    ),
    (
        "public-interest text under editorial control",
        case(art50_public_text="yes", art50_editorial="yes"),
        ("minimal",),
        None,
    ),
    (
        "provider of a text generator",
        case(role="provider", art50_generates="yes"),
        ("transparenz",),
        "art50_2",
    ),
    (
        "deployer of a text generator (marking is the provider's duty)",
        case(art50_generates="yes"),
        ("minimal",),
        None,
    ),
    (
        "high-risk and a chatbot at once",
        annex3("beschaeftigung", "b", art50_interacts="yes", art50_obvious="no"),
        ("hochrisiko", "transparenz"),
        "annex_iii_4b",
    ),
    ("a weiß-nicht on the prohibitions", case(art5_social_scoring=UNKNOWN), ("unklar",), None),
    ("a weiß-nicht on the Annex III point", annex3("beschaeftigung", UNKNOWN), ("unklar",), None),
    (
        "high-risk and an open transparency question",
        annex3("beschaeftigung", "b", art50_interacts="yes", art50_obvious=UNKNOWN),
        ("hochrisiko", "unklar"),
        "annex_iii_4b",
    ),
]


@pytest.mark.parametrize(
    ("description", "answers", "labels", "rule"), CASES, ids=[c[0] for c in CASES]
)
def test_classification(
    description: str, answers: dict[str, str], labels: tuple[str, ...], rule: str | None
) -> None:
    result = classify(RULES, answers)
    assert result.labels == labels, description
    if rule is not None:
        fired = {f.rule.id for c in result.classes for f in c.fired if f.value is Tri.TRUE}
        assert rule in fired


def test_the_why_trail_names_the_deciding_answers_and_articles() -> None:
    result = classify(RULES, annex3("beschaeftigung", "a", derog_profiling="yes"))
    high = next(c for c in result.classes if c.risk_class.id == "hochrisiko")
    [fired] = [f for f in high.fired if f.value is Tri.TRUE]
    assert fired.rule.article == "Art. 6 Abs. 2, Anhang III Nr. 4 Buchst. a KI-VO"
    assert not fired.open
    assert ("annex3_4", "a") in {(leaf.question, leaf.answer) for leaf in fired.leaves}
    assert ("derog_profiling", "yes") in {(leaf.question, leaf.answer) for leaf in fired.leaves}
    prohibited = next(c for c in result.classes if c.risk_class.id == "verboten")
    assert prohibited.value is Tri.FALSE
    assert prohibited.ruled_out
    assert not high.ruled_out
    assert {leaf.question for leaf in prohibited.ruled_out_by} >= {
        "art5_manipulation",
        "art5_social_scoring",
    }


def duties(answers: dict[str, str]) -> dict[str, datetime.date]:
    return {d.obligation.id: d.deadline.date for d in classify(RULES, answers).duties}


def test_deployer_duties_and_dates_follow_the_route() -> None:
    annex_iii = duties(annex3("beschaeftigung", "a", derog_profiling="yes"))
    assert annex_iii["deployer_high_risk_iii"] == datetime.date(2027, 12, 2)
    assert annex_iii["literacy"] == datetime.date(2025, 2, 2)
    assert "fria" not in annex_iii
    annex_i = duties(case(annex1_component="yes", annex1_third_party="yes"))
    assert annex_i["deployer_high_risk_i"] == datetime.date(2028, 8, 2)


def test_credit_scoring_needs_a_fundamental_rights_impact_assessment() -> None:
    assert "fria" in duties(annex3("dienste", "b", derog_profiling="yes"))


def test_the_role_switch_makes_a_deployer_a_provider() -> None:
    found = duties(annex3("beschaeftigung", "a", derog_profiling="yes", role_switch="yes"))
    assert "provider_high_risk_iii" in found
    assert "deployer_high_risk_iii" not in found


def test_the_derogation_must_be_documented_or_confirmed() -> None:
    narrow = {"derog_narrow_task": "yes", "derog_no_material_influence": "yes"}
    assert "derogation_check_provider" in duties(annex3("beschaeftigung", "a", **narrow))
    assert "derogation_record" in duties(annex3("beschaeftigung", "a", role="provider", **narrow))


def test_transparency_and_gpai_duties_with_dates() -> None:
    chatbot = duties(case(art50_interacts="yes", art50_obvious="no", gpai_use="yes"))
    assert chatbot["art50_1_disclose"] == datetime.date(2026, 8, 2)
    assert chatbot["gpai_deployer"] == datetime.date(2025, 8, 2)
    assert "gpai_provider" in duties(case(gpai_provide="yes"))
    assert duties(case(art5_intimate_imagery="yes"))["intimate_imagery"] == datetime.date(
        2026, 12, 2
    )


def test_hidden_answers_do_not_count() -> None:
    # Annex III 4(a) was answered, then the area changed to "none": the old answer is hidden.
    assert classify(RULES, case(annex3_area="none", annex3_4="a")).labels == ("minimal",)
    # The emotion question was answered "no" after its exception had been answered.
    assert classify(RULES, case(art5_emotion_exception="no")).labels == ("minimal",)


def test_contradictions_are_shown_not_decided() -> None:
    result = classify(RULES, annex3("biometrie", "a", personal_data="no"))
    assert result.labels == ("widerspruch",)
    assert [c.id for c in result.contradictions] == ["biometric_without_personal_data"]
    assert result.duties == ()
    assert not result.complete
    assert classify(RULES, annex3("beschaeftigung", "b", personal_data="no")).contradictions


def test_an_unanswered_questionnaire_is_open_and_asks_one_question_at_a_time() -> None:
    result = classify(RULES, {})
    assert result.labels == ("unklar",)
    assert result.open_questions[0] == "role"
    question = next_question(RULES, {})
    assert question is not None
    assert question.id == "role"
    following = next_question(RULES, {"role": "provider"})
    assert following is not None
    assert following.id == "art5_manipulation"  # role_switch is only for deployers
    assert next_question(RULES, BASE) is None


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": "yes"}, "unknown question 'nope'"),
        ({"role": "king"}, "must be one of"),
        ({"art5_manipulation": "maybe"}, "must be one of"),
    ],
)
def test_bad_answers_are_named(answers: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate(RULES, answers)


def test_answers_are_normalised() -> None:
    assert validate(
        RULES, {"art5_manipulation": True, "art5_vulnerability": "Nein", "role": None}
    ) == {
        "art5_manipulation": "yes",
        "art5_vulnerability": "no",
        "role": "unknown",
    }


def test_at_least_thirty_cases_across_all_classes() -> None:
    assert len(CASES) >= 30
    seen = {label for _d, _a, labels, _r in CASES for label in labels}
    assert seen >= {"verboten", "hochrisiko", "transparenz", "minimal", "unklar"}


# "weiß nicht" never decides (issue 13) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("gate", "answers"),
    [
        ("annex3_area", case(annex3_area="unknown")),
        ("art50_interacts", case(art50_interacts="unknown")),
        ("annex1_component", case(annex1_component="unknown")),
        ("art5_emotion_workplace", case(art5_emotion_workplace="unknown")),
    ],
)
def test_an_unknown_gate_leaves_the_questions_behind_it_open(
    gate: str, answers: dict[str, str]
) -> None:
    result = classify(RULES, answers)
    assert result.labels == ("unklar",), result.labels
    assert gate in result.open_questions
    assert any(c.value is Tri.OPEN for c in result.classes)


def test_a_question_hidden_by_a_no_still_reads_as_no() -> None:
    result = classify(RULES, case(annex3_area="none", art50_interacts="no"))
    assert result.labels == ("minimal",)
    assert not result.open_questions


def _unknown_one_by_one(answers: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """The labels with each shown answer in turn replaced by "weiß nicht"."""
    shown = classify(RULES, answers).answers
    return [
        (question, tuple(classify(RULES, {**answers, question: UNKNOWN}).labels))
        for question in shown
        if shown[question] != UNKNOWN
    ]


@pytest.mark.parametrize(
    ("description", "answers", "labels", "rule"),
    [c for c in CASES if c[2] != ("minimal",)],
    ids=[c[0] for c in CASES if c[2] != ("minimal",)],
)
def test_replacing_any_one_answer_by_unknown_never_gives_minimal(
    description: str, answers: dict[str, str], labels: tuple[str, ...], rule: str | None
) -> None:
    turned = [q for q, found in _unknown_one_by_one(answers) if found == ("minimal",)]
    assert not turned, f"{description}: 'weiß nicht' to {turned} gives 'minimal'"


def _mostly_negative(allowed: frozenset[str]) -> st.SearchStrategy[str]:
    """An answer, "no" (or "none") four times in five: most systems meet few conditions."""
    choices = sorted(allowed - {UNKNOWN})
    negative = next((c for c in ("no", "none") if c in choices), choices[0])
    return st.one_of(
        st.just(negative),
        st.just(negative),
        st.just(negative),
        st.just(negative),
        st.sampled_from(choices),
    )


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.fixed_dictionaries({q.id: _mostly_negative(q.allowed) for q in RULES.questions}))
def test_for_any_answers_one_unknown_never_turns_a_result_into_minimal(
    answers: dict[str, str],
) -> None:
    labels = classify(RULES, answers).labels
    if labels == ("minimal",) or "widerspruch" in labels:
        return  # nothing to turn into "minimal" (not filtered: most answer sets are such)
    turned = [q for q, found in _unknown_one_by_one(answers) if found == ("minimal",)]
    assert not turned, f"'weiß nicht' to {turned} gives 'minimal' instead of {labels}"


# Duties by route (rule base 2026.3) ------------------------------------------------------------

DUTY_CASES = [
    # (description, answers, duties expected (ids, in order), {duty id: date it applies from})
    (
        "Annex III 4(a), deployer: Art. 26 and Art. 86, no FRIA for a private firm",
        annex3("beschaeftigung", "a", derog_profiling="yes"),
        ["literacy", "deployer_high_risk_iii", "explanation"],
        {"deployer_high_risk_iii": "2027-12-02", "explanation": "2027-12-02"},
    ),
    (
        "Annex III 4(a), deployer providing public services: FRIA",
        annex3("beschaeftigung", "a", derog_profiling="yes", public_service="yes"),
        ["literacy", "deployer_high_risk_iii", "explanation", "fria"],
        {"fria": "2027-12-02"},
    ),
    (
        "Annex III 5(b), any deployer: FRIA without asking about public services",
        annex3("dienste", "b", derog_profiling="yes", public_service="no"),
        ["literacy", "deployer_high_risk_iii", "explanation", "fria"],
        {},
    ),
    (
        "Annex III 2 (critical infrastructure): no Art. 86, no FRIA even for a public body",
        annex3("infrastruktur", "a", public_service="yes"),
        ["literacy", "deployer_high_risk_iii"],
        {},
    ),
    (
        "Annex I product, deployer: no Art. 86",
        case(annex1_component="yes", annex1_third_party="yes"),
        ["literacy", "deployer_high_risk_i"],
        {"deployer_high_risk_i": "2028-08-02"},
    ),
    (
        "prohibited and high-risk at once: only what to stop (and Art. 4)",
        annex3("beschaeftigung", "a", derog_profiling="yes", art5_social_scoring="yes"),
        ["literacy", "stop_prohibited"],
        {"stop_prohibited": "2025-02-02"},
    ),
    (
        "intimate imagery: its own date, not 2 Feb 2025",
        case(art5_intimate_imagery="yes", art50_generates="yes"),
        ["literacy", "intimate_imagery"],
        {"intimate_imagery": "2026-12-02"},
    ),
    (
        "provider of a generator on the market before 2 Aug 2026: the marking deadline",
        case(role="provider", art50_generates="yes", art50_marking_legacy="yes"),
        ["literacy", "art50_2_marking_legacy"],
        {"art50_2_marking_legacy": "2026-12-02"},
    ),
    (
        "provider of a new generator: marking from 2 Aug 2026",
        case(role="provider", art50_generates="yes", art50_marking_legacy="no"),
        ["literacy", "art50_2_marking"],
        {"art50_2_marking": "2026-08-02"},
    ),
    (
        "provider, launch date unknown: the earlier date",
        case(role="provider", art50_generates="yes", art50_marking_legacy=UNKNOWN),
        ["literacy", "art50_2_marking"],
        {},
    ),
    (
        "importer of an Annex III system: Art. 23",
        annex3("beschaeftigung", "a", role="importer", derog_profiling="yes"),
        ["importer_high_risk_iii"],
        {"importer_high_risk_iii": "2027-12-02"},
    ),
    (
        "distributor of an Annex I product: Art. 24",
        case(role="distributor", annex1_component="yes", annex1_third_party="yes"),
        ["distributor_high_risk_i"],
        {"distributor_high_risk_i": "2028-08-02"},
    ),
    ("importer of a minimal-risk system: nothing under the AI Act", case(role="importer"), [], {}),
    (
        "role unknown: Art. 4 and a request to clarify the role",
        annex3("beschaeftigung", "a", role=UNKNOWN, derog_profiling="yes"),
        ["literacy", "clarify_role"],
        {"clarify_role": "2025-02-02"},
    ),
    (
        "role unknown and prohibited: Art. 4, Art. 5 and the request",
        case(role=UNKNOWN, art5_manipulation="yes"),
        ["literacy", "clarify_role", "stop_prohibited"],
        {},
    ),
]


@pytest.mark.parametrize(
    ("description", "answers", "duties", "dates"), DUTY_CASES, ids=[c[0] for c in DUTY_CASES]
)
def test_duties_fit_the_route(
    description: str, answers: dict[str, str], duties: list[str], dates: dict[str, str]
) -> None:
    found = classify(RULES, answers).duties
    assert [d.obligation.id for d in found] == duties, description
    shown = {d.obligation.id: d.deadline.date.isoformat() for d in found}
    assert {k: shown[k] for k in dates} == dates


def test_a_prohibited_result_has_the_one_label() -> None:
    result = classify(
        RULES,
        annex3(
            "biometrie",
            "c",
            art5_emotion_workplace="yes",
            art5_emotion_exception="no",
            art50_emotion_or_categorisation="yes",
        ),
    )
    assert result.labels == ("verboten",)
    fired = {f.rule.id for c in result.classes for f in c.fired}
    assert {"art5_f", "annex_iii_1c", "art50_3"} <= fired  # the why-trail still shows them


LETTERS = [
    (area, number, letter)
    for area, number, letters in (
        ("biometrie", 1, "abc"),
        ("bildung", 3, "abcd"),
        ("beschaeftigung", 4, "ab"),
        ("dienste", 5, "abcd"),
        ("strafverfolgung", 6, "abcde"),
        ("migration", 7, "abcd"),
        ("justiz", 8, "ab"),
    )
    for letter in letters
]


@pytest.mark.parametrize(("area", "number", "letter"), LETTERS)
def test_annex_iii_points_name_their_letter(area: str, number: int, letter: str) -> None:
    result = classify(RULES, annex3(area, letter, derog_profiling="yes"))
    [fired] = [f for c in result.classes for f in c.fired if f.rule.group == "annex_iii"]
    assert fired.rule.id == f"annex_iii_{number}{letter}"
    assert f"Anhang III Nr. {number} Buchst. {letter} " in fired.rule.article


CONTRADICTIONS = [
    ("scoring_without_profiling", annex3("beschaeftigung", "a", evaluation_scoring="yes")),
    ("emotion_without_notice", annex3("biometrie", "c")),
    ("emotion_without_notice", annex3("biometrie", "b")),
    (
        "emotion_without_notice",
        case(art5_emotion_workplace="yes", art5_emotion_exception="yes"),
    ),
    ("biometric_without_personal_data", annex3("biometrie", "a", personal_data="no")),
]


@pytest.mark.parametrize(("contradiction", "answers"), CONTRADICTIONS)
def test_contradictions_name_the_answers_to_resolve(
    contradiction: str, answers: dict[str, str]
) -> None:
    result = classify(RULES, answers)
    assert result.labels == ("widerspruch",)
    assert contradiction in result.conflicting
    assert result.duties == ()
    assert len({leaf.question for leaf in result.conflicting[contradiction]}) >= 2


def test_a_rule_base_that_marks_no_duty_for_prohibited_systems_lists_them_all() -> None:
    """Rule bases before 2026.3 did not mark the duties of a prohibited system: their results
    stay as they were (every duty whose condition holds)."""
    import dataclasses

    unmarked = dataclasses.replace(
        RULES,
        obligations=tuple(dataclasses.replace(o, with_prohibited=False) for o in RULES.obligations),
    )
    answers = annex3("beschaeftigung", "a", derog_profiling="yes", art5_social_scoring="yes")
    duties = [d.obligation.id for d in classify(unmarked, answers).duties]
    assert {"stop_prohibited", "deployer_high_risk_iii"} <= set(duties)
