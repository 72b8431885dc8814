"""The table of the catalogue words' stems (``content/stems.json``): it holds what the installed
stemmer computes for every word of every catalogue version, an index built with it is the index
built without, and a table that does not fit is not used."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from startklar.usecases import content
from startklar.usecases.content import load_catalogue
from startklar.usecases.engine import search
from startklar.usecases.engine.search import SearchIndex

from .test_engine_search_index import QUERIES, index


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
