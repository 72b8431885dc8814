"""The rule base: loadable in every version, complete in both languages, dates as in the law."""

from __future__ import annotations

import datetime

import pytest

from startklar.compliance.content import CURRENT_VERSION, available_versions, load_rules

REFERENCE_DATES = {  # ../shared/reference/ai-act-and-gdpr-facts.md, incl. the 2026 amendment
    "literacy": datetime.date(2025, 2, 2),
    "prohibitions": datetime.date(2025, 2, 2),
    "gpai": datetime.date(2025, 8, 2),
    "transparency": datetime.date(2026, 8, 2),
    "marking": datetime.date(2026, 12, 2),
    "intimate_imagery": datetime.date(2026, 12, 2),
    "annex_iii": datetime.date(2027, 12, 2),
    "annex_i": datetime.date(2028, 8, 2),
}


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_version_loads(version: str) -> None:
    rules = load_rules(version)
    assert rules.version == version
    assert CURRENT_VERSION in available_versions()


def test_the_dates_match_the_reference() -> None:
    rules = load_rules()
    assert {k: d.date for k, d in rules.deadlines.items()} == REFERENCE_DATES


def test_every_question_and_rule_names_its_article(version: str) -> None:
    rules = load_rules(version)
    assert all(q.article.strip() for q in rules.questions)
    assert all(r.article.strip() for c in rules.classes for r in c.rules)
    assert all(o.article.strip() for o in rules.obligations)


def test_all_annex_iii_areas_and_article_5_letters_are_covered() -> None:
    rules = load_rules()
    groups = {r.id for c in rules.classes for r in c.rules}
    assert {f"art5_{x}" for x in "abcdefgh"} <= groups
    assert {
        "annex_i",
        "annex_iii_1a",
        "annex_iii_1b",
        "annex_iii_1c",
        "annex_iii_2",
        "annex_iii_3",
        "annex_iii_4a",
        "annex_iii_4b",
        "annex_iii_5a",
        "annex_iii_5b",
        "annex_iii_5c",
        "annex_iii_5d",
        "annex_iii_6",
        "annex_iii_7",
        "annex_iii_8",
    } <= groups
    assert {"art50_1", "art50_2", "art50_3", "art50_4_deepfake", "art50_4_text"} <= groups
