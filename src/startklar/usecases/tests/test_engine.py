"""Search, pain points, portfolio and optimiser on small hand-made data."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.core.text import Text
from startklar.core.values import Triple
from startklar.usecases.engine.catalogue import (
    Catalogue,
    Effort,
    Entry,
    EntryKind,
    Estimates,
    Function,
    ImplementationPath,
    Kpi,
    KpiCategory,
    Risk,
    Technique,
)
from startklar.usecases.engine.pain import Frequency, PainPoint, ReasonKind, match, match_all
from startklar.usecases.engine.portfolio import (
    Axis,
    Candidate,
    Criterion,
    Quadrant,
    Why,
    axis_score,
    default_scores,
    focus_set,
    optimise,
    quadrant,
)
from startklar.usecases.engine.search import Filters, SearchIndex, edit_distance_at_most
from startklar.usecases.engine.workshop import summarise


def t(text: str) -> Text:
    return Text(text, text)


def entry(
    eid: str,
    title: str,
    keywords: tuple[str, ...] = (),
    technique: Technique = Technique.TEXT,
    kind: EntryKind = EntryKind.QUICK_WIN,
    effort: Effort = Effort.MEDIUM,
) -> Entry:
    zero = Triple(0, 0, 0)
    return Entry(
        id=eid,
        function=eid.split(".")[0],
        title=t(title),
        problem=t("Viel Handarbeit."),
        solution=t("KI hilft."),
        technique=technique,
        data=t("Daten"),
        kpis=(Kpi(t("Zeit"), KpiCategory.EFFICIENCY),),
        effort=effort,
        path=ImplementationPath.BUY,
        products=t("Software"),
        kind=kind,
        risk=Risk.MINIMAL,
        risk_note=t("-"),
        pitfalls=t("-"),
        examples=(),
        keywords_de=keywords,
        keywords_en=(),
        estimates=Estimates(zero, zero, zero, zero),
    )


CATALOGUE = Catalogue(
    functions=(Function("controlling", t("Controlling")), Function("vertrieb", t("Vertrieb"))),
    entries=(
        entry(
            "controlling.eingang",
            "Eingangsrechnungen automatisch auslesen",
            ("Belege",),
            technique=Technique.DOCUMENTS,
        ),
        entry(
            "controlling.mahnung",
            "Mahnwesen priorisieren",
            ("Zahlungserinnerung",),
            kind=EntryKind.STRUCTURAL_LEVER,
        ),
        entry(
            "vertrieb.angebot",
            "Angebote schneller erstellen",
            ("Angebotserstellung", "Kalkulation"),
            effort=Effort.LOW,
        ),
        entry("vertrieb.lead", "Interessenten bewerten", ("Leads",), technique=Technique.CLUSTER),
    ),
)
INDEX = SearchIndex(CATALOGUE)


def ids(query: str, filters: Filters | None = None) -> list[str]:
    return [h.entry.id for h in INDEX.search(query, filters)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Rechnungen erfassen", "controlling.eingang"),  # compound: Eingangsrechnungen
        ("Eingangsrechnung", "controlling.eingang"),  # stemming
        ("Belge", "controlling.eingang"),  # typo in a keyword
        ("Angebot", "vertrieb.angebot"),
        ("angebote schnell", "vertrieb.angebot"),
        ("Mahnwsen", "controlling.mahnung"),  # typo
        ("Zahlungserinnerungen", "controlling.mahnung"),  # keyword, stemmed
        ("Kalkulaton", "vertrieb.angebot"),  # typo in a keyword
    ],
)
def test_search_finds_german_words_in_every_form(query: str, first: str) -> None:
    assert ids(query)[0] == first


def test_search_names_the_matching_words_and_ignores_nonsense() -> None:
    [hit] = INDEX.search("Angebote Xylophon")
    assert hit.matched == ("angebote",)
    assert INDEX.search("Xylophon") == []


def test_filters_and_empty_query() -> None:
    assert ids("", Filters(function="vertrieb")) == ["vertrieb.angebot", "vertrieb.lead"]
    assert ids("", Filters(technique=Technique.DOCUMENTS)) == ["controlling.eingang"]
    assert ids("", Filters(kind=EntryKind.STRUCTURAL_LEVER)) == ["controlling.mahnung"]
    assert ids("", Filters(effort=Effort.LOW)) == ["vertrieb.angebot"]
    assert ids("Angebote", Filters(function="controlling")) == []


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("rechnung", "rechnug", 1, True),
        ("rechnung", "rechnugn", 1, True),  # transposition
        ("rechnung", "rechner", 1, False),
        ("kalkulation", "kalkulaton", 2, True),
        ("abc", "abcdef", 2, False),
    ],
)
def test_edit_distance(a: str, b: str, limit: int, expected: bool) -> None:
    assert edit_distance_at_most(a, b, limit) is expected


def pain(description: str, hours: float = 10, **extra: object) -> PainPoint:
    values: dict[str, object] = {"frequency": Frequency.DAILY, "error_prone": 4, "tedious": 5}
    values.update(extra)
    return PainPoint(description, hours, **values)  # type: ignore[arg-type]


def test_a_pain_point_finds_entries_with_reasons() -> None:
    [first, *_rest] = match(INDEX, pain("Wir tippen jeden Tag Rechnungen ab"))
    assert first.entry.id == "controlling.eingang"
    kinds = {r.kind for r in first.reasons}
    assert {ReasonKind.WORDS, ReasonKind.TIME, ReasonKind.FREQUENT, ReasonKind.ERRORS} <= kinds
    assert ReasonKind.MONOTONY in kinds  # overload meets monotony


def test_heavier_tasks_rank_higher_across_several_pain_points() -> None:
    ranked = match_all(
        INDEX,
        [
            pain("Angebote schreiben", 2, tedious=1, error_prone=1, frequency=Frequency.MONTHLY),
            pain("Mahnwesen erledigen", 30),
        ],
    )
    assert [m.entry.id for m in ranked[:2]] == ["controlling.mahnung", "vertrieb.angebot"]


@pytest.mark.parametrize(
    "values",
    [
        {"description": " "},
        {"hours_per_week": -1},
        {"hours_per_week": 200},
        {"error_prone": 0},
        {"tedious": 6},
    ],
)
def test_bad_pain_points_are_refused(values: dict[str, object]) -> None:
    base: dict[str, object] = {
        "description": "x",
        "hours_per_week": 1,
        "frequency": Frequency.WEEKLY,
        "error_prone": 3,
        "tedious": 3,
    }
    with pytest.raises(ValueError):  # noqa: PT011 - each case names its own field
        PainPoint(**{**base, **values})  # type: ignore[arg-type]


CRITERIA = (
    Criterion("wert", Axis.VALUE, t("Wert"), t(""), 3),
    Criterion("sicht", Axis.VALUE, t("Sicht"), t(""), 1),
    Criterion("daten", Axis.FEASIBILITY, t("Daten"), t(""), 1, informed_by="daten"),
)


def test_axis_scores_are_weighted_means_on_0_to_100() -> None:
    scores = {"wert": 5, "sicht": 1, "daten": 3}
    assert axis_score(CRITERIA, Axis.VALUE, scores) == 75.0
    assert axis_score(CRITERIA, Axis.VALUE, scores, {"wert": 1, "sicht": 1}) == 50.0
    assert axis_score(CRITERIA, Axis.FEASIBILITY, scores) == 50.0
    assert axis_score(CRITERIA, Axis.FEASIBILITY, {}) is None


def test_a_weak_readiness_dimension_lowers_the_default_with_its_reason() -> None:
    defaults = default_scores(CRITERIA, {"daten": 20.0})
    assert defaults["daten"].score == 2
    assert defaults["daten"].dimension == "daten"
    assert defaults["wert"].score == 3
    assert default_scores(CRITERIA, None)["daten"].score == 3


@pytest.mark.parametrize(
    ("value", "feasibility", "expected"),
    [
        (80, 80, Quadrant.QUICK_WINS),
        (80, 20, Quadrant.STRATEGIC_LEVERS),
        (20, 80, Quadrant.NICE_TO_HAVE),
        (20, 20, Quadrant.AVOID),
        (50, 50, Quadrant.QUICK_WINS),
    ],
)
def test_quadrants(value: float, feasibility: float, expected: Quadrant) -> None:
    assert quadrant(value, feasibility) is expected


def test_the_focus_set_prefers_quick_wins_then_levers_and_never_avoid_cases() -> None:
    candidates = [
        Candidate("hebel", 90, 30, 1, 1),
        Candidate("quick", 70, 70, 1, 1),
        Candidate("quick2", 60, 90, 1, 1),
        Candidate("nice", 20, 90, 1, 1),
        Candidate("meiden", 10, 10, 1, 1),
    ]
    assert [c.id for c in focus_set(candidates)] == ["quick2", "quick", "hebel"]


def test_the_optimiser_picks_the_most_valuable_set_and_explains_the_rest() -> None:
    candidates = [
        Candidate("a", 60, 50, 30_000, 40),
        Candidate("b", 50, 50, 20_000, 30),
        Candidate("c", 45, 50, 25_000, 50),
        Candidate("d", 90, 50, 80_000, 20),
        Candidate("e", 30, 50, 0, 90),
    ]
    plan = optimise(candidates, budget=50_000, capacity=100)
    assert [c.id for c in plan.chosen] == ["a", "b"]
    why = {d.candidate.id: d.why for d in plan.decisions}
    assert why == {
        "a": Why.CHOSEN,
        "b": Why.CHOSEN,
        "c": Why.NO_BUDGET_LEFT,
        "d": Why.OVER_BUDGET_ALONE,
        "e": Why.NO_CAPACITY_LEFT,
    }
    assert plan.cost == 50_000
    assert plan.feasible


def test_an_infeasible_budget_is_explained_not_an_error() -> None:
    plan = optimise([Candidate("a", 60, 50, 30_000, 10)], budget=1_000, capacity=100)
    assert plan.chosen == ()
    assert not plan.feasible
    assert plan.decisions[0].why is Why.OVER_BUDGET_ALONE
    with pytest.raises(ValueError, match="negative"):
        optimise([], budget=-1, capacity=1)


candidate_lists = st.lists(
    st.builds(
        Candidate,
        id=st.uuids().map(str),
        value=st.integers(0, 100),
        feasibility=st.just(50),
        cost=st.integers(0, 50_000),
        days=st.integers(0, 60),
    ),
    max_size=8,
    unique_by=lambda c: c.id,
)


@settings(max_examples=60, deadline=None)
@given(candidate_lists, st.integers(0, 120_000), st.integers(0, 150))
def test_the_optimiser_respects_the_limits_and_matches_brute_force(
    candidates: list[Candidate], budget: int, capacity: int
) -> None:
    plan = optimise(candidates, budget, capacity)
    assert plan.cost <= budget
    assert plan.days <= capacity
    best = 0.0
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            if sum(c.cost for c in subset) <= budget and sum(c.days for c in subset) <= capacity:
                best = max(best, sum(c.value for c in subset))
    assert plan.value == pytest.approx(best)


@pytest.mark.parametrize(
    ("scores", "median", "disputed", "suggestion"),
    [
        ([], None, False, None),
        ([4], 4, False, 4),
        ([3, 4], 3.5, False, 4),
        ([2, 4], 3, True, 3),
        ([1, 3, 5, 5], 4, True, 4),
        ([4, 4, 5], 4, False, 4),
    ],
)
def test_workshop_votes_are_summarised_and_disputes_flagged(
    scores: list[int], median: float | None, disputed: bool, suggestion: int | None
) -> None:
    summary = summarise(scores)
    assert (summary.median, summary.disputed, summary.suggestion) == (median, disputed, suggestion)


@pytest.mark.parametrize("text", ["und der die", "!!! ???", "...", "a", "–", "der, die & das"])
def test_a_text_without_real_words_matches_nothing_and_never_fails(text: str) -> None:
    assert match(INDEX, pain(text)) == []
    assert match_all(INDEX, [pain(text), pain("Rechnungen abtippen")])


@given(st.text(min_size=1, max_size=60).filter(str.strip))
@settings(max_examples=200, deadline=None)
def test_any_text_gives_finite_scores(text: str) -> None:
    for found in match(INDEX, pain(text)):
        assert 0 < found.relevance <= 1
        assert math.isfinite(found.score)
