"""Catalogue search with German stemming, compound and typo tolerance (pure Python).

Scoring is BM25 over weighted fields (title and keywords count most). A query word matches an
indexed word

* exactly on its stem (Snowball, German): "Rechnungen" finds "Rechnung";
* inside a compound: "rechnung" finds "Eingangsrechnungen" (half weight);
* with one typo (two for long words) when it matches nothing else: "Rechnugen" (weight 0.7).

Typo candidates are the indexed stems of about the same length whose letters differ in at most
two per typo (each typo changes the letter counts by at most two); the edit distance then decides.
That finds every stem within the distance, as the SymSpell deletion index before it did, without
its 160,000 variants (the whole index now takes about 4 MB instead of 52 MB, and building it is
mostly stemming); a query word's neighbours are kept once found.

Each hit names the query words that matched, so the UI can say why an entry was found.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from .catalogue import Catalogue, Effort, Entry, EntryKind, Technique

WORD = re.compile(r"[a-zäöüß0-9]+")
LETTERS = {letter: n for n, letter in enumerate("abcdefghijklmnopqrstuvwxyzäöüß0123456789")}
STOPWORDS = frozenset(
    [
        "ab",  # separable verb prefix: "wir tippen Rechnungen ab"
        # How often and how: said in the pain-point helper's own fields, noise for the search.
        "jeden",
        "jede",
        "jedes",
        "jeder",
        "tag",
        "woche",
        "monat",
        "immer",
        "heute",
        "hand",
        "per",
        "every",
        "day",
        "week",
        "month",
        "always",
        "today",
        "manually",
        "aber",
        "alle",
        "als",
        "also",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "bis",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "dies",
        "diese",
        "dieser",
        "durch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "es",
        "für",
        "hat",
        "im",
        "in",
        "ist",
        "mit",
        "nach",
        "nicht",
        "noch",
        "oder",
        "sich",
        "sie",
        "so",
        "um",
        "und",
        "uns",
        "unser",
        "unsere",
        "von",
        "vor",
        "wie",
        "wir",
        "wird",
        "zu",
        "zum",
        "zur",
        "über",
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "without",
        "our",
        "your",
        "we",
    ]
)
FIELD_WEIGHTS = {"title": 3.0, "keywords": 3.0, "problem": 1.0, "solution": 1.0, "other": 0.5}
COMPOUND_WEIGHT = 0.5
TYPO_WEIGHT = 0.7
K1, B = 1.2, 0.75
NEIGHBOURS_KEPT = 10_000  # query words whose typo neighbours are kept

_stemmer = snowballstemmer.stemmer("german")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.lower())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(normalise(text)) if w not in STOPWORDS and len(w) > 1]


def edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein distance ≤ limit, with an early exit."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def _typo_limit(term: str) -> int:
    return 1 if len(term) <= 6 else 2


def letter_counts(term: str) -> int:
    """The term's letters with their counts as bits, one per letter and occurrence (the first
    eight of each letter): the number of bits two terms differ in is the sum of the differences
    of their letter counts, and one typo changes that by at most two."""
    counts: dict[str, int] = {}
    bits = 0
    for letter in term:
        seen = counts.get(letter, 0)
        counts[letter] = seen + 1
        bits |= 1 << (LETTERS.get(letter, len(LETTERS)) * 8 + min(seen, 7))
    return bits


@dataclass(frozen=True)
class Filters:
    function: str | None = None
    technique: Technique | None = None
    effort: Effort | None = None
    kind: EntryKind | None = None

    def admit(self, entry: Entry) -> bool:
        return (
            (self.function is None or entry.function == self.function)
            and (self.technique is None or entry.technique is self.technique)
            and (self.effort is None or entry.effort is self.effort)
            and (self.kind is None or entry.kind is self.kind)
        )


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    matched: tuple[str, ...]  # the query words that matched


@dataclass
class _Doc:
    entry: Entry
    stems: dict[str, float] = field(default_factory=dict)  # weighted term frequency
    raw: set[str] = field(default_factory=set)
    length: float = 0.0


def _fields(entry: Entry) -> Iterable[tuple[str, str]]:
    yield "title", f"{entry.title.de} {entry.title.en}"
    yield "keywords", " ".join((*entry.keywords_de, *entry.keywords_en))
    yield "problem", f"{entry.problem.de} {entry.problem.en}"
    yield "solution", f"{entry.solution.de} {entry.solution.en}"
    yield (
        "other",
        " ".join(
            [entry.data.de, entry.data.en, entry.products.de, entry.products.en]
            + [f"{k.name.de} {k.name.en}" for k in entry.kpis]
        ),
    )


def catalogue_words(catalogue: Catalogue) -> set[str]:
    """Every word the index stems for the catalogue."""
    return {
        word for entry in catalogue.entries for _n, text in _fields(entry) for word in words(text)
    }


class SearchIndex:
    def __init__(self, catalogue: Catalogue, stems: Mapping[str, str] | None = None):
        """``stems``: the stems of the catalogue's words, looked up instead of computed (the
        stemmer takes most of the time to build the index); a word it lacks is stemmed."""
        self.catalogue = catalogue
        self.docs: list[_Doc] = []
        known = stems or {}
        document_frequency: Counter[str] = Counter()
        for entry in catalogue.entries:
            doc = _Doc(entry)
            for name, text in _fields(entry):
                for word in words(text):
                    term = known.get(word) or stem(word)
                    doc.stems[term] = doc.stems.get(term, 0.0) + FIELD_WEIGHTS[name]
                    doc.raw.add(word)
                    doc.length += FIELD_WEIGHTS[name]
            document_frequency.update(doc.stems.keys())
            self.docs.append(doc)
        count = len(self.docs) or 1
        self.average_length = sum(d.length for d in self.docs) / count
        self.idf = {
            term: math.log(1 + (count - df + 0.5) / (df + 0.5))
            for term, df in document_frequency.items()
        }
        # Typo look-up: the stems by length, each with its letter counts (``letter_counts``).
        self._by_length: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
        for term in sorted(self.idf):
            self._by_length[len(term)].append((term, letter_counts(term)))
        self._neighbours: dict[str, list[str]] = {}
        # Compounds: which documents contain a raw word, to find "rechnung" in
        # "eingangsrechnungen" without scanning every document.
        self._raw_docs: defaultdict[str, set[int]] = defaultdict(set)
        for number, doc in enumerate(self.docs):
            for word in doc.raw:
                self._raw_docs[word].add(number)

    def _typo_neighbours(self, term: str) -> list[str]:
        """The indexed stems within the term's typo limit, in order (kept per term)."""
        found = self._neighbours.get(term)
        if found is None:
            limit = _typo_limit(term)
            bits, most = letter_counts(term), 2 * limit
            found = [
                t
                for length in range(len(term) - limit, len(term) + limit + 1)
                for t, counts in self._by_length.get(length, ())
                if (bits ^ counts).bit_count() <= most
                and t != term
                and edit_distance_at_most(term, t, limit)
            ]
            found.sort()
            if len(self._neighbours) < NEIGHBOURS_KEPT:
                self._neighbours[term] = found
        return found

    def _compound_docs(self, word: str, term: str) -> set[int]:
        if len(term) < 5:
            return set()
        return {
            number
            for raw, numbers in self._raw_docs.items()
            if term in raw and raw != word
            for number in numbers
        }

    def _expand(self, word: str) -> list[tuple[str, float]]:
        """The indexed stems a query word stands for, with a weight each."""
        term = stem(word)
        if term in self.idf:
            return [(term, 1.0)]
        if len(term) >= 4:
            return [(t, TYPO_WEIGHT) for t in self._typo_neighbours(term)]
        return []

    def _bm25(self, doc: _Doc, term: str) -> float:
        frequency = doc.stems.get(term, 0.0)
        if not frequency:
            return 0.0
        norm = K1 * (1 - B + B * doc.length / self.average_length)
        return self.idf[term] * frequency * (K1 + 1) / (frequency + norm)

    def search(
        self, query: str, filters: Filters | None = None, limit: int | None = None
    ) -> list[Hit]:
        """Entries matching the query, best first; an empty query lists all (filtered)."""
        filters = filters or Filters()
        query_words = list(dict.fromkeys(words(query)))
        docs = [d for d in self.docs if filters.admit(d.entry)]
        if not query_words:
            return [Hit(d.entry, 0.0, ()) for d in docs][:limit]
        expansions = {w: self._expand(w) for w in query_words}
        compounds = {w: self._compound_docs(w, stem(w)) for w in query_words}
        position = {id(doc): n for n, doc in enumerate(self.docs)}
        hits = []
        for doc in docs:
            score, matched = 0.0, []
            for word in query_words:
                best = max(
                    (weight * self._bm25(doc, term) for term, weight in expansions[word]),
                    default=0.0,
                )
                if best == 0.0 and position[id(doc)] in compounds[word]:
                    best = COMPOUND_WEIGHT * self.idf.get(stem(word), 1.0)
                if best > 0:
                    score += best
                    matched.append(word)
            if score > 0:
                coverage = len(matched) / len(query_words)
                hits.append(Hit(doc.entry, score * (0.5 + 0.5 * coverage), tuple(matched)))
        hits.sort(key=lambda h: (-h.score, h.entry.id))
        return hits[:limit]
