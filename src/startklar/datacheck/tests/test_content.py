"""Data-check content: the header hints (German and English), the first names, and the rules
for every technique and every catalogue entry they name; broken content is refused naming the
file and the key. No database."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions
from startklar.datacheck import content
from startklar.datacheck.engine.fitness import FROM_NOTHING, CheckKind, evaluate
from startklar.datacheck.engine.personal import HINT_KEYS, SPECIAL_CATEGORIES
from startklar.usecases.content import load_catalogue
from startklar.usecases.engine.catalogue import Technique

LOADERS: list[Callable[..., object]] = [
    content.load_vocabulary,
    content.load_first_names,
    content.load_rules,
]


def test_the_current_version_loads_and_released_versions_are_unchanged() -> None:
    assert content.CURRENT_VERSION in content.VERSIONS.available()
    assert content.VERSIONS.edited() == []
    assert content.VERSIONS.unreleased() == []
    for load in LOADERS:
        assert load() == load(content.CURRENT_VERSION)


def test_the_vocabulary_has_every_hint_and_thousands_of_first_names() -> None:
    vocabulary = content.load_vocabulary()
    assert set(vocabulary.hints) == set(HINT_KEYS)
    assert set(vocabulary.special) == set(SPECIAL_CATEGORIES)
    assert len(vocabulary.first_names) >= 3_000
    for name in ("anna", "mehmet", "olga", "giuseppe", "agnieszka", "zoltán", "rosa", "minh"):
        assert name in vocabulary.first_names
    assert not {"per", "min", "ion", "na"} & vocabulary.first_names  # words of business data


@pytest.mark.parametrize(
    ("header", "hints"),
    [
        ("E-Mail-Adresse", {"email"}),
        ("Email address", {"email"}),
        ("Telefonnummer", {"phone", "identifier"}),
        ("Mobile phone", {"phone"}),
        ("IBAN", {"iban"}),
        ("Steuer-IdNr.", {"tax_id", "identifier"}),
        ("Sozialversicherungsnummer", {"social_security", "identifier"}),
        ("Date of birth", {"birth_date"}),
        ("PLZ", {"postcode"}),
        ("Straße", {"street"}),
        ("Street address", {"street"}),
        ("Vorname", {"person_name"}),
        ("Last name", {"person_name", "person_name_weak"}),
        ("Ansprechpartner", {"person_name"}),
        ("Sachbearbeiter", {"person_name_weak"}),
        ("Prüfergebnis", set()),
        ("Kundenname", {"person_name_weak"}),
        ("Artikelnummer", {"identifier", "not_person"}),
        ("Order no.", {"identifier"}),
        ("Farbe", {"not_person"}),
        ("Menge", set()),
        ("Hotel", set()),
        ("Immobilie", set()),
    ],
)
def test_header_hints(header: str, hints: set[str]) -> None:
    vocabulary = content.load_vocabulary()
    assert {k for k in HINT_KEYS if vocabulary.hinted(k, header)} == hints


@pytest.mark.parametrize(
    ("header", "categories"),
    [
        ("Krankheitstage", {"health"}),
        ("Diagnosis", {"health"}),
        ("AU bis", {"health"}),
        ("Schwerbehinderung (GdB)", {"health"}),
        ("Konfession", {"religion"}),
        ("Religious belief", {"religion"}),
        ("Gewerkschaft", {"trade_union"}),
        ("Trade union member", {"trade_union"}),
        ("Ethnische Herkunft", {"ethnic_origin"}),
        ("Political opinion", {"political_opinion"}),
        ("Sexual orientation", {"sex_life"}),
        ("Biometrische Daten", {"biometric"}),
        ("Genetic test", {"genetic"}),
        ("Fehlerdiagnose Maschine", set()),
        ("Bauteil", set()),  # "au" only as a word of its own
        ("Geschlecht", set()),  # not a special category
        ("Angenommen", set()),  # "genom" only as a word of its own
        ("Krankenkasse", set()),
    ],
)
def test_special_category_hints(header: str, categories: set[str]) -> None:
    vocabulary = content.load_vocabulary()
    assert {c for c, hint in vocabulary.special.items() if hint.matches(header)} == categories


def test_every_technique_and_listed_use_case_of_the_catalogue_has_rules() -> None:
    rules = content.load_rules()
    catalogue = load_catalogue()
    ids = {e.id for e in catalogue.entries}
    assert set(rules.rule_set.use_cases) <= ids
    assert set(rules.rule_set.techniques) == {str(t) for t in Technique}
    for entry in catalogue.entries:
        fitness = evaluate(rules.rule_set, entry.id, str(entry.technique), None)
        assert fitness.source != FROM_NOTHING
        assert fitness.checks, entry.id


def test_every_rule_is_used_says_what_it_checks_and_asks_in_both_languages() -> None:
    rules = content.load_rules()
    used = {k for keys in rules.rule_set.techniques.values() for k in keys} | {
        k for keys in rules.rule_set.use_cases.values() for k in keys
    }
    referenced = {k for r in rules.rule_set.rules.values() for k in r.of}
    assert set(rules.rule_set.rules) == used | referenced
    for key, rule in rules.rule_set.rules.items():
        assert rules.texts[key].de
        assert rules.texts[key].en
        assert (key in rules.questions) is (rule.check is CheckKind.ASKED)
    assert rules.questions["docs_200"].en.endswith("?")


def test_the_demand_forecast_rules_are_the_catalogues_prerequisites() -> None:
    rule_set = content.load_rules().rule_set
    _source, keys = rule_set.for_use_case("einkauf.bedarfsprognose", "zeitreihen")
    rules = {k: rule_set.rules[k] for k in keys}
    assert rules["history_24"].minimum == 24
    assert rules["gaps_5"].maximum == 0.05
    assert rules["quantity_column"].names is not None
    assert rules["quantity_column"].names.matches("Verbrauchsmenge")
    _source, keys = rule_set.for_use_case("produktion.vorausschauende-wartung", "zeitreihen")
    assert {"timestamp_column", "machine_column", "signal_column", "history_12"} <= set(keys)


# Broken content ----------------------------------------------------------------------------


@pytest.fixture
def broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str, str], None]]:
    """Copy the current version to ``2099.1`` with one replacement in one file."""
    shutil.copytree(content.FOLDER / content.CURRENT_VERSION, tmp_path / "2099.1")
    monkeypatch.setattr(content, "VERSIONS", Versions("datacheck", tmp_path))

    def edit(name: str, old: str, new: str) -> None:
        path = tmp_path / "2099.1" / name
        source = path.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2099.1"')
        assert old in source, old
        path.write_text(source.replace(old, new, 1), encoding="utf-8")

    for load in LOADERS:
        load.cache_clear()  # type: ignore[attr-defined]
    yield edit
    for load in LOADERS:
        load.cache_clear()  # type: ignore[attr-defined]


HEADERS = "headers.yaml"
NAMES = "first_names.txt"
RULES = "rules.yaml"


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (HEADERS, "hints:", "hints: []\nx:", r"hints: needs a mapping"),
        (HEADERS, "  iban:\n", "  ibahn:\n", r"hints: missing iban"),
        (HEADERS, "  trade_union:\n", "  union:\n", r"special: missing trade_union"),
        (HEADERS, "\nspecial:\n", "\n  hobby: {words: [golf]}\nspecial:\n", r"unknown hobby"),
        (HEADERS, "  iban:\n    words: [iban]", "  iban: iban\n    x: [iban]", "not valid YAML"),
        (
            HEADERS,
            "  iban:\n    words: [iban]\n    parts: [bankverbindung, kontonummer, bankkonto, "
            "accountnumber, bankaccount]\n",
            "  iban: [iban]\n",
            r"hints iban: needs words, parts or unless",
        ),
        (
            HEADERS,
            "  iban:\n    words: [iban]\n",
            "  iban:\n    words: iban\n",
            r"hints iban \(line \d+\): words: needs a list",
        ),
        (
            HEADERS,
            "  iban:\n    words: [iban]\n",
            "  iban:\n    word: [iban]\n",
            r"hints iban \(line \d+\): unknown fields: word",
        ),
        (
            HEADERS,
            "    words: [iban]\n    parts: [bankverbindung, kontonummer, bankkonto, accountnumber, "
            "bankaccount]\n",
            "    unless: [konto]\n",
            r"hints iban \(line \d+\): needs words or parts",
        ),
        (
            HEADERS,
            "words: [iban]",
            "words: [bank konto]",
            r"hints iban .*words: 'bank konto': a word must be one word",
        ),
        (HEADERS, "parts: [bankverbindung,", "parts: [ban,", r"'ban': a part needs 4 letters"),
        (HEADERS, "words: [iban]", "words: [iban, IBAN]", r"words: not unique: iban"),
        (NAMES, "\nanna\n", "\nAnna\n", r"first_names.txt: line \d+: 'Anna' is not a first name"),
        (NAMES, "\nanna\n", "\nanna2\n", r"'anna2' is not a first name in lower case"),
        (NAMES, "\nanna\n", "\nanna\nanna\n", r"first names: not unique: anna"),
        (RULES, "  date_column:\n    check: column", "  Date:\n    check: column", "lower case"),
        (RULES, "  history_3:\n", "  history_3: 3\n  x:\n", r"rule history_3: needs a mapping"),
        (RULES, "check: history", "check: horoscope", r"'horoscope' is not a valid CheckKind"),
        (RULES, "    check: history\n", "    check: history\n    types: [date]\n", r"types"),
        (
            RULES,
            "    weight: 2\n    essential: true\n    text:\n      de: Eine Spalte mit Datum",
            "    weight: 0\n    essential: true\n    text:\n      de: Eine Spalte mit Datum",
            r"rule date_column \(line \d+\): weight: needs a number ≥ 0.1",
        ),
        (
            RULES,
            "    essential: true\n",
            "    essential: yes please\n",
            r"date_column .*essential: needs true or false",
        ),
        (RULES, "types: [date, datetime]", "types: [calendar]", r"types: needs some of number"),
        (
            RULES,
            "minimum: 2\n    weight: 2",
            "minimum: 2.5\n    weight: 2",
            r"minimum: needs a whole",
        ),
        (
            RULES,
            "    minimum: 24\n",
            "    minimum: 0\n",
            r"history_24 .*minimum: needs a number ≥ 1",
        ),
        (RULES, "    minimum: 200\n", "    minimum: many\n", r"rows_200 .*needs a whole number"),
        (
            RULES,
            "maximum: 0.05\n    text",
            "maximum: 5\n    text",
            r"gaps_5 .*maximum: needs a number ≥ 0 and ≤ 1",
        ),
        (RULES, "    of: [date_column,", "    of: date_column\n    x: [", r"unknown fields"),
        (
            RULES,
            "    of: [date_column, two_date_columns, timestamp_column, quantity_column, "
            "amount_column,\n         energy_column, article_column, customer_column, "
            "supplier_column, machine_column,\n         order_column, lot_column]\n",
            "    of: lot_column\n",
            r"missing_key_5 .*of: needs a list",
        ),
        (RULES, "    of: [date_column,", "    of: [dates,", r"of: unknown rules: dates"),
        (RULES, "    of: [date_column,", "    of: [history_3,", r"of: not column rules: history_3"),
        (RULES, "grain: day", "grain: fortnight", r"grain_day .*grain: needs one of minute"),
        (
            RULES,
            "    question:\n      de: Liegen mindestens 200",
            "    text2:\n      de: L",
            r"docs_200 .*unknown fields for asked: text2",
        ),
        (RULES, "      de: Höchstens 1 % doppelte Zeilen.\n", "", r"duplicates_1 .*text: needs"),
        (RULES, "  robotik: [layout_interfaces]\n", "", r"techniques: missing robotik"),
        (RULES, "  robotik:", "  magie: []\n  robotik:", r"techniques: unknown magie"),
        (RULES, "  robotik: [layout_interfaces]", "  robotik: layout", r"technique robotik: needs"),
        (RULES, "  robotik: [layout_interfaces]", "  robotik: [layout, layout]", r"not unique"),
        (
            RULES,
            "  robotik: [layout_interfaces]",
            "  robotik: [roboter]",
            r"unknown rules: roboter",
        ),
        (RULES, "  marketing.bilder-erstellen:", "  Bilder:", r"use_cases: not catalogue ids"),
    ],
)
def test_broken_content_is_refused_naming_the_file_and_key(
    broken: Callable[[str, str, str], None], name: str, old: str, new: str, message: str
) -> None:
    broken(name, old, new)
    loaders: dict[str, Callable[[str], object]] = {
        HEADERS: content.load_vocabulary,
        NAMES: content.load_first_names,
        RULES: content.load_rules,
    }
    with pytest.raises(ContentError, match=message) as raised:
        loaders[name]("2099.1")
    assert f"datacheck 2099.1/{name}" in str(raised.value)


def test_too_few_first_names_are_refused(broken: Callable[[str, str, str], None]) -> None:
    broken(NAMES, "\naaron\n", "\n")
    path = content.VERSIONS.path("2099.1", NAMES)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:500]) + "\n\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"first names: needs at least 1000, has \d+"):
        content.load_first_names("2099.1")


def test_an_unreadable_first_name_file_is_refused(broken: Callable[[str, str, str], None]) -> None:
    broken(NAMES, "\naaron\n", "\n")
    content.VERSIONS.path("2099.1", NAMES).write_bytes(b"anna\n\xff\xfe\n")
    with pytest.raises(ContentError, match=r"first_names.txt: cannot read the file"):
        content.load_first_names("2099.1")
