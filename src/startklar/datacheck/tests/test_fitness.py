"""Fitness of a file for a use case: every kind of rule met, not met and unclear with its
evidence, the score (weights, unclear as half, the cap of an essential rule, none when nothing
was checkable), and the content's rules for real use cases. No database."""

from __future__ import annotations

import datetime

import pytest

from startklar.datacheck.content import load_rules
from startklar.datacheck.engine.fitness import (
    ESSENTIAL_CAP,
    FROM_NOTHING,
    FROM_TECHNIQUE,
    FROM_USE_CASE,
    MET,
    NO,
    NOT_MET,
    UNCLEAR,
    UNKNOWN,
    YES,
    Check,
    CheckKind,
    ColumnFacts,
    CoverageFacts,
    Fitness,
    ProfileFacts,
    Rule,
    RuleSet,
    evaluate,
    months_between,
    score,
)
from startklar.datacheck.engine.personal import Hint

QUANTITY = Hint(frozenset({"menge"}), ("anzahl",))
RULES = {
    r.key: r
    for r in (
        Rule("date", CheckKind.COLUMN, types=("date", "datetime"), weight=2, essential=True),
        Rule("quantity", CheckKind.COLUMN, types=("number",), names=QUANTITY),
        Rule("two_numbers", CheckKind.COLUMN, types=("number",), minimum=2, min_distinct=2),
        Rule("history", CheckKind.HISTORY, minimum=24, essential=True),
        Rule("gaps", CheckKind.GAPS, maximum=0.05),
        Rule("daily", CheckKind.GRAIN, grain="day"),
        Rule("rows", CheckKind.ROWS, minimum=500),
        Rule("missing_key", CheckKind.MISSING, maximum=0.05, of=("date", "quantity")),
        Rule("missing_all", CheckKind.MISSING, maximum=0.2),
        Rule("duplicates", CheckKind.DUPLICATES, maximum=0.01),
        Rule("documents", CheckKind.ASKED, weight=2, essential=True),
    )
}
RULE_SET = RuleSet(
    RULES,
    techniques={"zeitreihen": ("date", "quantity", "history"), "dokumente": ("documents",)},
    use_cases={"einkauf.bedarfsprognose": ("date", "quantity", "history", "gaps", "documents")},
)


def facts(
    *columns: ColumnFacts,
    rows: int = 1_000,
    duplicates: int = 0,
    coverage: CoverageFacts | None = None,
) -> ProfileFacts:
    return ProfileFacts(rows, columns, duplicates, coverage)


DATE = ColumnFacts("Datum", "date", 0, 700)
MENGE = ColumnFacts("Menge", "number", 30, 80)
PREIS = ColumnFacts("Preis", "number", 100, 1)
TEXT_MENGE = ColumnFacts("Anzahl", "text", 0, 50)
EMPTY = ColumnFacts("Leer", "empty", 1_000, 0)
COVERAGE = CoverageFacts("Datum", 26.0, "day", 10, 790)


def check(key: str, found: ProfileFacts | None, answers: dict[str, str] | None = None) -> Check:
    return evaluate(RuleSet(RULES, {"t": (key,)}, {}), None, "t", found, answers).checks[0]


@pytest.mark.parametrize(
    ("key", "found", "state", "evidence"),
    [
        # columns
        ("date", facts(DATE, MENGE), MET, {"columns": ("Datum",), "candidates": (), "needed": 1}),
        ("date", facts(MENGE), NOT_MET, {"columns": (), "candidates": (), "needed": 1}),
        ("quantity", facts(DATE, MENGE), MET, {"columns": ("Menge",), "candidates": ()}),
        ("quantity", facts(PREIS), UNCLEAR, {"columns": (), "candidates": ("Preis",)}),
        ("quantity", facts(TEXT_MENGE), UNCLEAR, {"candidates": ("Anzahl",)}),  # as text
        ("quantity", facts(DATE), NOT_MET, {"columns": ()}),
        ("two_numbers", facts(MENGE, PREIS), NOT_MET, {"columns": ("Menge",), "needed": 2}),
        ("two_numbers", facts(MENGE, MENGE), MET, {"columns": ("Menge", "Menge")}),
        # dates
        ("history", facts(DATE, coverage=COVERAGE), MET, {"months": 26.0, "needed": 24}),
        (
            "history",
            facts(DATE, coverage=CoverageFacts("Datum", 18.5, "week", 0, 80)),
            NOT_MET,
            {"months": 18.5, "column": "Datum", "grain": "week"},
        ),
        ("history", facts(MENGE), UNCLEAR, {}),
        ("gaps", facts(DATE, coverage=COVERAGE), MET, {"share": 0.0127, "of": 790}),
        (
            "gaps",
            facts(DATE, coverage=CoverageFacts("Datum", 26.0, "day", 80, 790)),
            NOT_MET,
            {"share": 0.1013, "allowed": 0.05, "missing_periods": 80},
        ),
        (
            "gaps",
            facts(DATE, coverage=CoverageFacts("Datum", 0.0, "day", 0, 0)),
            UNCLEAR,
            {"allowed": 0.05},
        ),
        ("daily", facts(DATE, coverage=COVERAGE), MET, {"grain": "day", "allowed": "day"}),
        (
            "daily",
            facts(DATE, coverage=CoverageFacts("Datum", 26.0, "hour", 0, 10)),
            MET,
            {"grain": "hour"},
        ),
        (
            "daily",
            facts(DATE, coverage=CoverageFacts("Datum", 26.0, "month", 0, 26)),
            NOT_MET,
            {"grain": "month"},
        ),
        (
            "daily",
            facts(DATE, coverage=CoverageFacts("Datum", 26.0, "fortnight", 0, 26)),
            UNCLEAR,
            {"grain": "fortnight"},
        ),
        # size and quality
        ("rows", facts(DATE, rows=500), MET, {"rows": 500, "needed": 500}),
        ("rows", facts(DATE, rows=499), NOT_MET, {"rows": 499}),
        ("missing_key", facts(DATE, MENGE, PREIS), MET, {"column": "Menge", "share": 0.03}),
        (
            "missing_key",
            facts(DATE, ColumnFacts("Menge", "number", 60, 80)),
            NOT_MET,
            {"column": "Menge", "share": 0.06, "allowed": 0.05},
        ),
        ("missing_key", facts(PREIS), UNCLEAR, {"allowed": 0.05}),  # no key column found
        ("missing_key", facts(DATE, MENGE, rows=0), UNCLEAR, {"allowed": 0.05}),
        ("missing_all", facts(DATE, MENGE, PREIS, EMPTY), MET, {"column": "Preis", "share": 0.1}),
        ("duplicates", facts(DATE, duplicates=10), MET, {"duplicates": 10, "share": 0.01}),
        ("duplicates", facts(DATE, duplicates=11), NOT_MET, {"share": 0.011}),
        ("duplicates", facts(DATE, rows=0), UNCLEAR, {"duplicates": 0}),
        # without a file
        ("date", None, UNCLEAR, {}),
        ("documents", None, UNCLEAR, {"answer": UNKNOWN}),
    ],
)
def test_each_kind_of_rule(
    key: str, found: ProfileFacts | None, state: str, evidence: dict[str, object]
) -> None:
    result = check(key, found)
    assert result.state == state
    assert {k: result.evidence.get(k) for k in evidence} == evidence
    if not evidence:
        assert result.evidence == {}


@pytest.mark.parametrize(("answer", "state"), [(YES, MET), (NO, NOT_MET), (UNKNOWN, UNCLEAR)])
def test_asked_rules_take_the_answer(answer: str, state: str) -> None:
    result = check("documents", facts(DATE), {"documents": answer})
    assert (result.state, result.evidence) == (state, {"answer": answer})


def test_an_answer_must_be_yes_no_or_unknown() -> None:
    with pytest.raises(ValueError, match="documents"):
        evaluate(RULE_SET, None, "dokumente", None, {"documents": "maybe"})


@pytest.mark.parametrize(
    ("catalogue_id", "technique", "source", "keys"),
    [
        ("einkauf.bedarfsprognose", "zeitreihen", FROM_USE_CASE, 5),
        ("logistik.bestandsprognose", "zeitreihen", FROM_TECHNIQUE, 3),
        (None, "zeitreihen", FROM_TECHNIQUE, 3),
        (None, None, FROM_NOTHING, 0),
        ("eigener.fall", "robotik", FROM_NOTHING, 0),
    ],
)
def test_a_use_case_has_its_own_rules_or_its_techniques(
    catalogue_id: str | None, technique: str | None, source: str, keys: int
) -> None:
    fitness = evaluate(RULE_SET, catalogue_id, technique, facts(DATE))
    assert (fitness.use_case, fitness.source, len(fitness.checks)) == (catalogue_id, source, keys)


# The score ---------------------------------------------------------------------------------


def rule(weight: float = 1.0, *, essential: bool = False) -> Rule:
    return Rule("r", CheckKind.ROWS, minimum=1, weight=weight, essential=essential)


@pytest.mark.parametrize(
    ("rules", "states", "expected"),
    [
        ([], [], None),
        ([rule(), rule()], [UNCLEAR, UNCLEAR], None),  # nothing checkable
        ([rule(), rule()], [MET, MET], 100),
        ([rule(), rule()], [MET, NOT_MET], 50),
        ([rule(), rule()], [MET, UNCLEAR], 75),  # unclear counts half
        ([rule(3), rule()], [MET, NOT_MET], 75),  # weights
        ([rule(), rule(2, essential=True)], [MET, NOT_MET], 33),  # below the cap
        ([rule(4), rule(essential=True)], [MET, NOT_MET], ESSENTIAL_CAP),  # 80 capped
        ([rule(4), rule(essential=True)], [MET, UNCLEAR], 90),
    ],
)
def test_score(rules: list[Rule], states: list[str], expected: int | None) -> None:
    assert score(rules, [Check("r", s) for s in states]) == expected


def test_a_demand_forecast_on_a_good_and_a_short_export() -> None:
    content = load_rules()
    columns = (
        ColumnFacts("Buchungsdatum", "date", 0, 730),
        ColumnFacts("Artikelnummer", "identifier", 0, 120),
        ColumnFacts("Menge (Stk)", "number", 12, 300),
        ColumnFacts("Bemerkung", "text", 9_000, 40),
    )
    good = ProfileFacts(10_000, columns, 20, CoverageFacts("Buchungsdatum", 36.0, "day", 12, 1_095))
    fitness = evaluate(
        content.rule_set,
        "einkauf.bedarfsprognose",
        "zeitreihen",
        good,
        {"special_events": YES},
    )
    assert fitness.source == FROM_USE_CASE
    assert {c.key: c.state for c in fitness.checks} == {
        "date_column": MET,
        "quantity_column": MET,
        "article_column": MET,
        "history_24": MET,
        "gaps_5": MET,
        "missing_key_5": MET,
        "duplicates_5": MET,
        "special_events": MET,
    }
    assert fitness.score == 100
    short = ProfileFacts(10_000, columns, 20, CoverageFacts("Buchungsdatum", 14.0, "day", 12, 425))
    fitness = evaluate(content.rule_set, "einkauf.bedarfsprognose", "zeitreihen", short)
    history = next(c for c in fitness.checks if c.key == "history_24")
    assert (history.state, history.evidence["months"], history.evidence["needed"]) == (
        NOT_MET,
        14.0,
        24.0,
    )
    assert fitness.score == ESSENTIAL_CAP


def test_document_extraction_is_asked_not_profiled() -> None:
    content = load_rules()
    fitness = evaluate(content.rule_set, "administration.vertragspruefung", "dokumente", None)
    assert fitness.source == FROM_TECHNIQUE
    assert [c.key for c in fitness.checks] == ["docs_200", "docs_searchable", "target_fields"]
    assert fitness.score is None
    answered = evaluate(
        content.rule_set,
        "administration.vertragspruefung",
        "dokumente",
        None,
        {"docs_200": YES, "docs_searchable": YES, "target_fields": NO},
    )
    assert answered.score == 75  # 2 + 1 + 0 of 4
    assert content.questions["docs_200"].de.startswith("Liegen mindestens 200")


def test_predictive_maintenance_needs_machine_events_and_a_year() -> None:
    content = load_rules()
    log = ProfileFacts(
        4_000,
        (
            ColumnFacts("Zeitstempel", "datetime", 0, 4_000),
            ColumnFacts("Anlage", "text", 0, 6),
            ColumnFacts("Störungscode", "identifier", 400, 35),
            ColumnFacts("Temperatur °C", "number", 40, 900),
        ),
        0,
        CoverageFacts("Zeitstempel", 8.0, "day", 3, 240),
    )
    fitness = evaluate(content.rule_set, "produktion.vorausschauende-wartung", "zeitreihen", log)
    states = {c.key: c.state for c in fitness.checks}
    assert states == {
        "timestamp_column": MET,
        "machine_column": MET,
        "signal_column": MET,
        "history_12": NOT_MET,
        "missing_key_10": MET,
        "failures_documented": UNCLEAR,
    }
    assert fitness.score == ESSENTIAL_CAP


def test_months_between() -> None:
    assert months_between(datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)) == 24.0
    assert months_between(datetime.date(2026, 1, 1), datetime.date(2026, 1, 16)) == 0.5


# Stored results ----------------------------------------------------------------------------


def test_a_fitness_goes_to_json_and_back() -> None:
    fitness = evaluate(
        RULE_SET, "einkauf.bedarfsprognose", "zeitreihen", facts(DATE, MENGE, coverage=COVERAGE)
    )
    stored = fitness.to_dict()
    assert stored["checks"][0]["evidence"]["columns"] == ["Datum"]  # type: ignore[index]
    assert Fitness.from_dict(stored) == fitness


@pytest.mark.parametrize(
    "data",
    [
        {"use_case": 1, "source": "use_case", "checks": [], "score": None},
        {"use_case": None, "source": "gut", "checks": [], "score": None},
        {"use_case": None, "source": "none", "checks": {}, "score": None},
        {"use_case": None, "source": "none", "checks": [], "score": True},
        {"use_case": None, "source": "none", "checks": [], "score": "50"},
        {"use_case": None, "source": "none", "checks": ["met"], "score": 50},
        {"use_case": None, "source": "none", "checks": [{"key": 1}], "score": 50},
        {"source": "none", "checks": [{"key": "a", "state": "fine", "evidence": {}}]},
        {"source": "none", "checks": [{"key": "a", "state": "met", "evidence": []}]},
        {"source": "none", "checks": [{"key": "a", "state": "met", "evidence": {"x": True}}]},
        {"source": "none", "checks": [{"key": "a", "state": "met", "evidence": {"x": [1]}}]},
        {"source": "none", "checks": [{"key": "a", "state": "met", "evidence": {"x": {}}}]},
    ],
)
def test_a_broken_fitness_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"not a|every check|not evidence"):
        Fitness.from_dict(data)


def test_evidence_of_every_kind_goes_back() -> None:
    data = {
        "key": "a",
        "state": "met",
        "evidence": {"n": 3, "share": 0.5, "column": "Datum", "columns": ["a"], "none": None},
    }
    assert Check.from_dict(data).evidence == {
        "n": 3,
        "share": 0.5,
        "column": "Datum",
        "columns": ("a",),
        "none": None,
    }
