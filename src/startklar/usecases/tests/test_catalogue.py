"""The catalogue content: complete, valid, bilingual, searchable, legally careful."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions
from startklar.usecases import content
from startklar.usecases.content import (
    CURRENT_VERSION,
    FUNCTIONS,
    VERSIONS,
    load_catalogue,
    load_criteria,
)
from startklar.usecases.engine.catalogue import EntryKind, ImplementationPath, Risk, Technique
from startklar.usecases.engine.portfolio import Axis
from startklar.usecases.engine.search import SearchIndex

CATALOGUE = load_catalogue()


def test_at_least_sixty_entries_across_all_eleven_functions() -> None:
    assert len(CATALOGUE.entries) >= 60
    per_function = Counter(e.function for e in CATALOGUE.entries)
    assert set(per_function) == {f[0] for f in FUNCTIONS}
    assert min(per_function.values()) >= 4


def test_the_mix_covers_techniques_paths_and_kinds() -> None:
    assert {e.technique for e in CATALOGUE.entries} == set(Technique)
    assert {e.path for e in CATALOGUE.entries} == set(ImplementationPath)
    assert {e.kind for e in CATALOGUE.entries} == set(EntryKind)


def test_every_entry_has_plausible_estimates_and_kpis() -> None:
    for entry in CATALOGUE.entries:
        assert 2 <= len(entry.kpis) <= 4, entry.id
        assert entry.keywords_de, entry.id
        assert entry.estimates.one_off_eur.likely + entry.estimates.monthly_eur.likely > 0, entry.id


def test_applicant_ranking_is_marked_high_risk() -> None:
    entry = CATALOGUE.entry("administration.bewerbungen-vorauswahl")
    assert entry is not None
    assert entry.risk is Risk.HIGH_RISK
    assert "III" in entry.risk_note.de


@pytest.mark.parametrize(
    "example",
    ["Backwaren", "Kanister", "Folie", "Lieferschein", "filmen", "Expertensuche"],
)
def test_the_papers_public_examples_are_in_the_catalogue(example: str) -> None:
    texts = [x.de for e in CATALOGUE.entries for x in e.examples]
    assert any(example.lower() in t.lower() for t in texts), example


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Rechnungen erfassen", "administration.eingangsrechnungen"),
        ("Angebote schneller schreiben", "vertrieb.angebote-entwerfen"),
        ("Mahnwesen", "controlling.mahnwesen"),
        ("Chatbot Website", "kundenservice.website-chatbot"),
        ("Lieferscheine", "logistik.lieferscheinerkennung"),
        ("vorausschauende Wartung", "produktion.vorausschauende-wartung"),
    ],
)
def test_everyday_queries_find_the_right_entry_first(query: str, expected: str) -> None:
    assert SearchIndex(CATALOGUE).search(query)[0].entry.id == expected


def test_the_criteria_cover_both_axes_and_the_seed_criteria() -> None:
    criteria = load_criteria()
    assert {c.axis for c in criteria} == set(Axis)
    assert {c.id for c in criteria} >= {
        "abgegrenzt",
        "daten",
        "aufwand_heute",
        "fehleranfaelligkeit",
        "produktivitaet",
        "integration",
        "messbarkeit",
        "geschaeftswert",
        "strategie",
        "sichtbarkeit",
        "risiko",
    }


def test_released_content_is_never_edited() -> None:
    """Criterion scores keep the version of the criteria they were given with: a change goes
    into a new version folder (``python -m startklar.core.content release``)."""
    assert VERSIONS.unreleased() == []
    assert VERSIONS.edited() == [], "released use-case content was edited"


def test_a_broken_entry_names_the_file_and_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(VERSIONS.folder / CURRENT_VERSION, tmp_path / CURRENT_VERSION)
    monkeypatch.setattr(content, "VERSIONS", Versions("usecases", tmp_path))
    path = tmp_path / CURRENT_VERSION / "catalogue" / "wissen.yaml"
    lines = path.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "one_off_eur:" in line)
    lines[number - 1] = lines[number - 1].split("one_off_eur:")[0] + "one_off_eur: [900, 100, 50]\n"
    path.write_text("".join(lines))
    with pytest.raises(ContentError) as raised:
        content.load_catalogue.__wrapped__(CURRENT_VERSION)
    message = str(raised.value)
    assert message.startswith(f"usecases {CURRENT_VERSION}/catalogue/wissen.yaml: entry wissen.")
    assert message.endswith("one_off_eur: needs [min, most likely, max], 0 ≤ min ≤ likely ≤ max")
    assert "(line " in message
