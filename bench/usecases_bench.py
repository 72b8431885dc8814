"""Use cases: catalogue search p95 (< 20 ms) and the optimiser on 200 candidates (< 1 s)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from startklar.usecases.content import load_catalogue
from startklar.usecases.engine.catalogue import Catalogue
from startklar.usecases.engine.portfolio import Candidate, optimise
from startklar.usecases.engine.search import SearchIndex

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
    "Rechnugen",  # typo
    "Tourenplanung Lkw",
    "Bewerbungen sortieren",
]


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    target: float
    baseline: float

    @property
    def ok(self) -> bool:
        return self.value < self.target


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def timed(call: Callable[[], object], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def naive_search(catalogue: Catalogue, query: str) -> list[str]:
    """Baseline: lower-case substring matching of each query word over all texts."""
    query_words = query.lower().split()
    hits = []
    for entry in catalogue.entries:
        text = " ".join((entry.title.de, entry.problem.de, entry.solution.de, *entry.keywords_de))
        if any(w in text.lower() for w in query_words):
            hits.append(entry.id)
    return hits


def greedy(candidates: list[Candidate], budget: float, capacity: float) -> list[str]:
    """Baseline: take the best value per euro while it fits (fast, not optimal)."""
    chosen, cost, days = [], 0.0, 0.0
    for c in sorted(candidates, key=lambda c: -c.value / max(c.cost, 1)):
        if cost + c.cost <= budget and days + c.days <= capacity:
            chosen.append(c.id)
            cost, days = cost + c.cost, days + c.days
    return chosen


def run() -> Iterator[Result]:
    catalogue = load_catalogue()
    index = SearchIndex(catalogue)
    for query in QUERIES:  # warm caches, as in a running server
        index.search(query)
    search = [s for q in QUERIES for s in timed(lambda q=q: index.search(q), 20)]
    baseline = [s for q in QUERIES for s in timed(lambda q=q: naive_search(catalogue, q), 20)]
    yield Result("catalogue search p95", p95(search), "ms", 20, p95(baseline))

    rng = random.Random(2026)
    candidates = [
        Candidate(f"uc{n}", rng.uniform(5, 100), 50, rng.uniform(2_000, 80_000), rng.uniform(2, 90))
        for n in range(200)
    ]
    budget, capacity = 600_000.0, 900.0
    optimise(candidates[:5], budget, capacity)  # scipy is imported on first use, once per process
    solve = timed(lambda: optimise(candidates, budget, capacity), 5)
    quick = timed(lambda: greedy(candidates, budget, capacity), 5)
    yield Result("optimiser, 200 candidates", max(solve), "ms", 1000, statistics.median(quick))
