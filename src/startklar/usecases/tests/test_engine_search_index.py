"""The catalogue search's typo look-up: small, and the same neighbours (and so the same rankings)
as the SymSpell deletion index it replaced, which is rebuilt here as the reference."""

from __future__ import annotations

import random
from collections import defaultdict
from functools import cache

import pytest

from startklar.usecases.content import load_catalogue
from startklar.usecases.engine import search
from startklar.usecases.engine.search import SearchIndex, edit_distance_at_most, letter_counts

# The queries of the catalogue search benchmark (bench/usecases_bench.py).
QUERIES = [
    "Rechnungen erfassen",
    "Angebote schneller schreiben",
    "Kundenanfragen beantworten",
    "Mahnwesen",
    "Bedarf vorhersagen",
    "Lieferantenbewertung",
    "Social-Media-Beiträge",
    "Chatbot Website",
    "Wartung Maschinen vorhersagen",
    "Qualitätsprüfung Kamera",
    "Lieferscheine erkennen",
    "Wissen finden Experten",
    "Rechnugen",
    "Tourenplanung Lkw",
    "Bewerbungen sortieren",
]
LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"


@cache
def index() -> SearchIndex:
    return SearchIndex(load_catalogue())


def _deletions(term: str, limit: int) -> set[str]:
    found, frontier = {term}, {term}
    for _ in range(limit):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class SymSpell:
    """The previous look-up: every stem under its variants with up to one (short stems) or two
    letters deleted; a query stem's own deletions find the candidates to verify."""

    def __init__(self, terms: list[str]):
        self.deletions: defaultdict[str, set[str]] = defaultdict(set)
        for term in terms:
            for variant in _deletions(term, search._typo_limit(term)):
                self.deletions[variant].add(term)

    def neighbours(self, term: str) -> list[str]:
        limit = search._typo_limit(term)
        candidates = {t for v in _deletions(term, limit) for t in self.deletions.get(v, ())}
        return sorted(t for t in candidates if t != term and edit_distance_at_most(term, t, limit))


def mutated(word: str, edits: int, rng: random.Random) -> str:
    """``word`` with up to ``edits`` typos: a letter replaced, added, left out or swapped."""
    letters = list(word)
    for _ in range(edits):
        at = rng.randrange(len(letters))
        kind = rng.randrange(4)
        if kind == 0:
            letters[at] = rng.choice(LETTERS)
        elif kind == 1:
            letters.insert(at, rng.choice(LETTERS))
        elif kind == 2 and len(letters) > 1:
            del letters[at]
        elif at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


def test_a_typo_changes_the_letter_counts_by_at_most_two() -> None:
    # What the look-up relies on to skip a stem without computing the edit distance.
    rng = random.Random(12)
    for _ in range(3000):
        word = "".join(rng.choice("aabeennrsß0") for _ in range(rng.randint(1, 20)))
        edits = rng.randint(0, 3)
        other = mutated(word, edits, rng)
        assert (letter_counts(word) ^ letter_counts(other)).bit_count() <= 2 * edits
    assert letter_counts("aaaaaaaaaaaa") == letter_counts("aaaaaaaa")  # eight of a letter count
    assert letter_counts("x€") != letter_counts("x")  # any other character counts as one kind


def test_the_typo_neighbours_are_those_of_the_deletion_index() -> None:
    terms = sorted(index().idf)
    reference = SymSpell(terms)
    rng = random.Random(2026)
    queries = [search.stem(w) for q in QUERIES for w in search.words(q)]
    queries += [mutated(rng.choice(terms), rng.randint(1, 3), rng) for _ in range(400)]
    for term in queries:
        assert index()._typo_neighbours(term) == reference.neighbours(term), term
    assert len(index()._by_length) < 40  # stems by length, no variants


def test_search_rankings_are_those_of_the_deletion_index(monkeypatch: pytest.MonkeyPatch) -> None:
    queries = [*QUERIES, "Rechnugen Angbote", "Kundenanfargen per Emial", "Wartng Maschnen"]
    found = {q: index().search(q) for q in queries}
    reference = SymSpell(sorted(index().idf))
    fresh = SearchIndex(load_catalogue())
    monkeypatch.setattr(fresh, "_typo_neighbours", reference.neighbours)
    assert {q: fresh.search(q) for q in queries} == found
    assert any(h.matched == ("rechnugen",) for h in found["Rechnugen"])


def test_neighbours_are_kept_per_word_up_to_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = SearchIndex(load_catalogue())
    first = fresh._typo_neighbours("rechnug")
    assert first
    assert fresh._typo_neighbours("rechnug") is first  # kept
    monkeypatch.setattr(search, "NEIGHBOURS_KEPT", 1)
    assert fresh._typo_neighbours("angbot") == fresh._typo_neighbours("angbot")  # not kept
    assert list(fresh._neighbours) == ["rechnug"]
