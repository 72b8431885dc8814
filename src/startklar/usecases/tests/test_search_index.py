"""The catalogue search's typo look-up: small, and the same neighbours (and so the same rankings)
as the SymSpell deletion index it replaced, which is rebuilt here as the reference."""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from startklar.usecases import content
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


def stems_of_every_catalogue() -> dict[str, str]:
    words = set().union(
        *(search.catalogue_words(load_catalogue(v)) for v in content.available_versions())
    )
    return {word: search.stem(word) for word in sorted(words)}


def test_the_stem_table_holds_the_stem_of_every_catalogue_word() -> None:
    expected = stems_of_every_catalogue()
    if os.environ.get("STARTKLAR_WRITE_STEMS"):
        text = json.dumps(
            {"stemmer": content.stemmer_version(), "stems": expected},
            ensure_ascii=False,
            indent=0,
            sort_keys=True,
        )
        content.STEMS.write_text(text + "\n", encoding="utf-8")
        content.load_stems.cache_clear()
    assert content.load_stems() == expected, "run with STARTKLAR_WRITE_STEMS=1 to write it anew"


def test_an_index_built_with_the_stem_table_is_the_index_built_without() -> None:
    with_table = SearchIndex(load_catalogue(), content.load_stems())
    assert content.load_stems()
    assert [(d.entry.id, d.stems, d.raw, d.length) for d in with_table.docs] == [
        (d.entry.id, d.stems, d.raw, d.length) for d in index().docs
    ]
    assert with_table.idf == index().idf
    for query in QUERIES:
        assert with_table.search(query) == index().search(query)
    partial = SearchIndex(load_catalogue(), {"rechnungen": "rechnung"})  # the rest is stemmed
    assert partial.idf == index().idf


@pytest.mark.parametrize(
    "text",
    [
        None,  # no file
        "{not json",
        '{"stemmer": "0.1", "stems": {"a": "a"}}',  # another version of the stemmer
        '{"stemmer": "VERSION", "stems": ["a"]}',
        '["VERSION"]',
    ],
)
def test_a_stem_table_that_does_not_fit_is_not_used(
    text: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stems.json"
    if text is not None:
        path.write_text(text.replace("VERSION", content.stemmer_version()), encoding="utf-8")
    monkeypatch.setattr(content, "STEMS", path)
    content.load_stems.cache_clear()
    try:
        assert content.load_stems() == {}
    finally:
        content.load_stems.cache_clear()
