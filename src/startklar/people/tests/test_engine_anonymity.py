"""The anonymity rule: no sum or difference of what a pulse shows gives away fewer than k
people (checked by brute force over every combination of the shown results)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from startklar.people.engine.anonymity import MIN_K, Release, exposed, threshold, withheld
from startklar.people.engine.pulse import (
    UNGROUPED,
    Polarity,
    Question,
    Response,
    evaluate,
)


def smallest_derivable(counts: Mapping[str, int], release: Release, k: int) -> int | None:
    """The fewest people (1 to k − 1) in a set that some sum or difference (coefficients −1, 0,
    1) of the shown counts describes exactly; None if there is none. Brute force, independent
    of the rule under test: each shown result is the set of its people, the total everybody."""
    if not release.total_shown:
        return None
    shown = [g for g in counts if release.shown(g)]
    smallest = None
    for total_c in (-1, 0, 1):
        for coefficients in itertools.product((-1, 0, 1), repeat=len(shown)):
            weight = dict.fromkeys(counts, total_c)
            for group, c in zip(shown, coefficients, strict=True):
                weight[group] += c
            people = [g for g in counts if counts[g]]
            if any(weight[g] not in (0, 1) for g in people):
                continue  # not a set of people
            size = sum(counts[g] for g in people if weight[g] == 1)
            if 0 < size < k and (smallest is None or size < smallest):
                smallest = size
    return smallest


group_counts = st.dictionaries(
    st.sampled_from(["A", "B", "C", "D", "E", "F"]), st.integers(0, 14), min_size=1
)


def test_the_threshold_never_goes_below_five() -> None:
    assert threshold(3) == MIN_K == 5
    assert threshold(8) == 8


def test_small_groups_are_withheld_and_so_is_the_next_smallest_when_they_alone_are_too_few() -> (
    None
):
    release = withheld({"Produktion": 20, "Verwaltung": 7, "Vertrieb": 3}, 5)
    # Vertrieb (3) is under 5; total − Produktion − Verwaltung would give it away, so the
    # smallest group shown, Verwaltung, is withheld too.
    assert release == Release(frozenset({"Vertrieb", "Verwaltung"}), total_shown=True)
    assert release.shown("Produktion")
    assert not release.shown("Vertrieb")
    assert exposed({"Produktion": 20, "Verwaltung": 7, "Vertrieb": 3}, release, 5) == ()


def test_two_small_groups_that_together_reach_k_need_nothing_more() -> None:
    release = withheld({"A": 20, "B": 3, "C": 2, "D": 6}, 5)
    assert release.withheld == {"B", "C"}


def test_a_company_under_k_shows_nothing() -> None:
    release = withheld({"A": 2, "B": 2}, 5)
    assert release == Release(frozenset({"A", "B"}), total_shown=False)
    assert not release.shown("A")
    assert exposed({"A": 2, "B": 2}, release, 5) == ()


def test_empty_groups_expose_nobody_and_ties_are_broken_by_name() -> None:
    release = withheld({"A": 0, "B": 6, "C": 6, "D": 1}, 5)
    assert release.withheld == {"B", "D"}
    assert release.shown("A")  # nobody to show, nobody exposed


def test_people_of_no_group_are_never_shown_on_their_own_and_count_as_withheld() -> None:
    release = withheld({"": 2, "A": 10, "B": 10}, 5, unshown=frozenset({""}))
    assert release.withheld == {"", "A"}  # two alone would be total − A − B
    assert withheld({"": 0, "A": 10}, 5, unshown=frozenset({""})).withheld == {""}


def test_exposed_finds_a_naive_release() -> None:
    counts = {"A": 10, "B": 7, "C": 3}
    naive = Release(frozenset({"C"}), total_shown=True)  # the small group only
    assert exposed(counts, naive, 5) == ("C",)
    assert smallest_derivable(counts, naive, 5) == 3
    shown_small = Release(frozenset(), total_shown=True)
    assert exposed(counts, shown_small, 5) == ("C",)


@settings(max_examples=300, deadline=None)
@given(group_counts, st.integers(1, 8))
def test_no_combination_of_shown_results_reveals_fewer_than_k(
    counts: dict[str, int], asked: int
) -> None:
    k = threshold(asked)
    release = withheld(counts, asked)
    assert smallest_derivable(counts, release, k) is None
    assert exposed(counts, release, k) == ()


@settings(max_examples=300, deadline=None)
@given(group_counts, st.integers(5, 8), st.sets(st.sampled_from(["A", "B", "C", "D", "E", "F"])))
def test_exposed_agrees_with_brute_force_on_any_release(
    counts: dict[str, int], k: int, hidden: set[str]
) -> None:
    release = Release(frozenset(hidden & set(counts)), total_shown=sum(counts.values()) >= k)
    assert bool(exposed(counts, release, k)) == (smallest_derivable(counts, release, k) is not None)


QUESTIONS = (
    Question("plaene", Polarity.POSITIVE),
    Question("kontrolle", Polarity.CONCERN),
    Question("nutzung", Polarity.NEUTRAL),
)
point = st.one_of(st.none(), st.integers(1, 5))
responses = st.lists(
    st.builds(
        Response,
        st.sampled_from([UNGROUPED, "A", "B", "C", "D"]),
        st.fixed_dictionaries({q.key: point for q in QUESTIONS}),
    ),
    max_size=40,
)


def _published(
    total: object | None, groups: Sequence[tuple[str, object | None]], counts: Mapping[str, int]
) -> tuple[dict[str, int], Release]:
    """What a result publishes for one measure, as counts and a release: the total (None when
    withheld) and by group what is shown (None when withheld); the people of no group are
    never shown."""
    shown = {g for g, found in groups if found is not None}
    hidden = frozenset(g for g in counts if g not in shown)
    return dict(counts), Release(hidden, total_shown=total is not None)


@settings(max_examples=200, deadline=None)
@given(responses, st.integers(1, 7))
def test_a_pulses_results_reveal_nobody_by_people_question_or_concern(
    answers: list[Response], asked: int
) -> None:
    k = threshold(asked)
    groups = ("A", "B", "C", "D")
    result = evaluate(QUESTIONS, answers, groups, asked)
    everyone = (UNGROUPED, *groups)

    def members(group: str) -> list[Response]:
        return [r for r in answers if r.group == group]

    # People: the groups (and the total) whose numbers of people are shown.
    people = {g: len(members(g)) for g in everyone}
    counts, release = _published(
        result.total.people, [(g.key, g.people) for g in result.groups], people
    )
    assert smallest_derivable(counts, release, k) is None
    # Each question: the distributions shown, counted by the answers given.
    for question in QUESTIONS:
        answered = {
            g: sum(r.answers.get(question.key) is not None for r in members(g)) for g in everyone
        }
        counts, release = _published(
            result.total.questions.get(question.key),
            [(g.key, g.questions.get(question.key)) for g in result.groups],
            answered,
        )
        assert smallest_derivable(counts, release, k) is None
    # The share of concerned people, counted by the people answering a concern question.
    concerned = {
        g: sum(r.answers.get("kontrolle") is not None for r in members(g)) for g in everyone
    }
    counts, release = _published(
        result.total.concerned, [(g.key, g.concerned) for g in result.groups], concerned
    )
    assert smallest_derivable(counts, release, k) is None


def test_a_response_of_an_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match="'Z': not a group"):
        evaluate(QUESTIONS, [Response("Z", {})], ("A",), 5)
