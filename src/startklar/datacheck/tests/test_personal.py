"""Personal data in a column: each detector table-driven, with the negatives that look like
personal data and are not (article numbers shaped like phone numbers, IBANs with a wrong
checksum, order numbers of eleven digits, postcodes without a street, "Rosa" as a colour,
"info@" alone). No database."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import polars as pl
import pytest
from stdnum.de import idnr
from stdnum.iso7064 import mod_11_10

from startklar.datacheck.content import load_vocabulary
from startklar.datacheck.engine import personal
from startklar.datacheck.engine.personal import (
    ADDRESS,
    BIRTH_DATE,
    CHECKSUM,
    CHECKSUM_HEADER,
    EMAIL,
    FIRST_NAMES,
    FIRST_NAMES_HEADER,
    HEADER,
    IBAN,
    PATTERN,
    PATTERN_HEADER,
    PERSON_NAME,
    PHONE,
    SOCIAL_SECURITY,
    SPECIAL_CATEGORY,
    STREET_NEIGHBOUR,
    TAX_ID,
    Hint,
    PersonalFinding,
    detect_column,
    header_tokens,
    neighbours_of,
    phone_valid,
    social_security_valid,
)

TODAY = datetime.date(2026, 12, 1)
VOCABULARY = load_vocabulary()


def tax_ids(count: int) -> list[str]:
    """Valid tax ids: nine different digits, one of them again, and the ISO 7064 check digit."""
    found: list[str] = []
    for twice in "123456789":
        for turn in range(9):
            number = "123456789"[turn:] + "123456789"[:turn] + twice
            number += mod_11_10.calc_check_digit(number)
            if idnr.is_valid(number):
                found.append(number)
    assert len(found) >= count
    return found[:count]


def column(values: Sequence[str | None]) -> pl.Series:
    return pl.Series("c", list(values), dtype=pl.String)


def found(
    header: str, values: Sequence[str | None], neighbours: Sequence[str] = ()
) -> set[tuple[str, str]]:
    findings = detect_column(header, column(values), neighbours, vocabulary=VOCABULARY, today=TODAY)
    return {(f.kind, f.reason) for f in findings}


PHONES = ["0711 123456", "+49 30 1234567", "0049 89 12345678", "0171/1234567", "(0221) 98765-0"]
IBANS = ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "DE02120300000000202051"]
WRONG_IBANS = ["DE89 3704 0044 0532 0130 01", "GB82WEST12345698765433", "DE02120300000000202052"]
# Pension insurance numbers whose check digit was worked out by hand (§ 2 (6) VKVV), e.g.
# 15 070649 C 10: 1·2, 5·1, 0·2, 7·5, 0·7, 6·1, 4·2, 9·1, 0·2, 3·1 (C = 03), 1·2, 0·1 → digit
# sums 2+5+0+8+0+6+8+9+0+3+2+0 = 43 → 3.
PENSION = ["15070649C103", "65 170839 J 003", "12010180M525"]
NAMES = ["Hans Müller", "Anna Schmidt", "Mehmet Yılmaz", "Müller, Petra", "Dr. Olga Ivanova"]


@pytest.mark.parametrize(
    ("header", "values", "neighbours", "expected"),
    [
        # E-mail
        (
            "E-Mail",
            ["a@b.de", "c.d@firma.com", "e+f@g.org", None, ""],
            (),
            {(EMAIL, PATTERN_HEADER)},
        ),
        ("Bemerkung", ["Bitte an a@b.de", "x", "c@d.de", "e@f.de"], (), {(EMAIL, PATTERN)}),
        ("Kontakt", ["info@", "@firma", "a@b", "info@firma"], (), set()),
        ("Notiz", ["a@b.de"] + ["ok"] * 99, (), set()),  # one stray address
        ("Mail", ["a@b.de", "ja", "nein"], (), set()),  # fewer than three hits
        # Phone numbers
        ("Telefon", PHONES, (), {(PHONE, PATTERN_HEADER)}),
        ("Spalte 7", PHONES, (), {(PHONE, PATTERN)}),
        (
            "Telefon",
            ["+44 20 7946 0958", "+33 1 42 68 53 00", "+90 212 555 12 34"],
            (),
            {(PHONE, PATTERN_HEADER)},
        ),
        ("Artikelnr", ["0049-3012-3456", "0049-3012-3457", "0049-3012-3458"] * 4, (), set()),
        (
            "Tel.",
            ["0049-3012-3456", "0049-3012-3457", "0049-3012-3458"],
            (),
            {(PHONE, PATTERN_HEADER)},
        ),
        ("Code", ["0049-1234-5678"] * 10, (), set()),  # not a valid number
        ("Datum", ["12.03.2024", "01.04.2025", "2026-01-31"], (), set()),
        ("Betrag", ["1.234.567", "1.234,56", "12.345"], (), set()),
        ("Bestellung", ["4711234567", "4711234568", "4711234569"], (), set()),  # no 0 or +
        ("Kunde", ["0711 123456", "x", "y", "z", "w"], (), set()),  # 20 % without a phone hint
        # IBAN
        ("IBAN", IBANS, (), {(IBAN, CHECKSUM_HEADER)}),
        ("Konto", IBANS, (), {(IBAN, CHECKSUM)}),
        ("IBAN", WRONG_IBANS, (), set()),
        # Tax id
        ("Steuer-ID", tax_ids(3), (), {(TAX_ID, CHECKSUM_HEADER)}),
        ("Spalte", tax_ids(5), (), {(TAX_ID, CHECKSUM)}),
        ("Auftragsnummer", [str(10_000_000_000 + i) for i in range(200)], (), set()),
        # Pension insurance number
        ("SV-Nummer", PENSION, (), {(SOCIAL_SECURITY, CHECKSUM_HEADER)}),
        ("Spalte", PENSION, (), {(SOCIAL_SECURITY, CHECKSUM)}),
        ("SV-Nummer", ["15070649C104", "65170839J004", "12010180M526"], (), set()),
        # Dates of birth
        (
            "Geburtsdatum",
            ["12.03.1980", "1.4.1975", "1990-05-06", "12.03.45"],
            (),
            {(BIRTH_DATE, PATTERN_HEADER)},
        ),
        (
            "geb.",
            ["12/03/1980", "1990-05-06 00:00:00", "03.07.01"],
            (),
            {(BIRTH_DATE, PATTERN_HEADER)},
        ),
        ("Geburtsdatum", ["01.01.1890", "01.01.2030", "unbekannt", "31.02.1980"], (), set()),
        ("Lieferdatum", ["12.03.1980", "1.4.1975", "1990-05-06"], (), set()),  # no birth hint
        # Addresses
        ("PLZ", ["70173", "10115", "80331"], ("Straße", "Ort"), {(ADDRESS, STREET_NEIGHBOUR)}),
        (
            "Spalte",
            ["70173 Stuttgart", "10115 Berlin", "D-80331 München"],
            ("Str.",),
            {(ADDRESS, STREET_NEIGHBOUR)},
        ),
        ("PLZ", ["70173", "10115", "80331"], ("Ort", "Land"), set()),  # no street next to it
        ("PLZ", ["70173", "10115", "80331"], ("E-Mail-Adresse",), set()),  # no postal address
        ("Menge", ["70173", "10115", "x", "y", "z"], ("Straße",), set()),  # too few postcodes
        ("Artikel", ["70173", "10115", "80331"], ("Straße",), set()),  # an identifier
        (
            "Straße",
            ["Hauptstraße 5", "Am Markt 3-5", "Bahnhofstr. 12a", None],
            (),
            {(ADDRESS, PATTERN_HEADER)},
        ),
        ("Lieferadresse", ["Lager Nord", "Halle 3", "Tor 2", "Rampe"], (), set()),
        # Person names
        ("Vorname", ["Hans", "Anna", "Mehmet", "Zoltan"], (), {(PERSON_NAME, FIRST_NAMES_HEADER)}),
        ("Nachname", ["Müller", "Schmidt", "Yılmaz", "Nowak"], (), {(PERSON_NAME, HEADER)}),
        ("Mitarbeiteranzahl", ["12", "15", "3"], (), set()),  # a naming header over numbers
        ("Vorname", ["4711", "4712", "-"], (), set()),
        ("Name", NAMES, (), {(PERSON_NAME, FIRST_NAMES_HEADER)}),
        ("Spalte", NAMES, (), {(PERSON_NAME, FIRST_NAMES)}),
        ("Name", ["Schraube M8", "Mutter M8", "Scheibe 8"], (), set()),
        ("Farbe", ["Rosa", "Blau", "Grün", "Rot", "Rosa"], (), set()),
        ("Wert", ["Rosa"] * 10, (), set()),  # one first name, many times
        ("Spalte", ["Rosa", "Blau", "Grün", "Rot", "Gelb", "Anna", "Max"], (), set()),  # 3 of 7
        ("Kundennummer", NAMES, (), set()),  # an identifier header
        ("Techniker", ["Jonas Weber", "Ömer Kaya"] * 5, (), {(PERSON_NAME, FIRST_NAMES_HEADER)}),
        ("Spalte", ["Jonas Weber", "Ömer Kaya"] * 5, (), set()),  # two names, no header
        ("Außendienst", ["Nord", "Süd", "West", "Ost"], (), set()),
        ("Prüfergebnis", ["i.O.", "n.i.O.", "i.O."], (), set()),
        # Special categories (Art. 9 GDPR), by header
        ("Diagnose", ["J06.9", "x", None], (), {(SPECIAL_CATEGORY, HEADER)}),
        ("AU-Tage", ["3", "5"], (), {(SPECIAL_CATEGORY, HEADER)}),
        ("Konfession", ["rk", "ev"], (), {(SPECIAL_CATEGORY, HEADER)}),
        ("Gewerkschaftsmitglied", ["ja"], (), {(SPECIAL_CATEGORY, HEADER)}),
        ("Fehlerdiagnose Maschine", ["E12", "E13"], (), set()),
        ("Diagnose", [None, "", "  "], (), set()),  # nothing present
    ],
)
def test_detectors(
    header: str,
    values: list[str | None],
    neighbours: tuple[str, ...],
    expected: set[tuple[str, str]],
) -> None:
    assert found(header, values, neighbours) == expected


@pytest.mark.parametrize(
    ("header", "special"),
    [
        ("Krankheitstage", "health"),
        ("Sick leave", "health"),
        ("Religionszugehörigkeit", "religion"),
        ("KiSt", "religion"),
        ("trade_union", "trade_union"),
        ("Ethnische Herkunft", "ethnic_origin"),
        ("Politische Meinung", "political_opinion"),
        ("Sexuelle Orientierung", "sex_life"),
        ("Fingerabdruck-Template", "biometric"),
        ("DNA-Probe", "genetic"),
    ],
)
def test_special_categories_have_their_code(header: str, special: str) -> None:
    findings = detect_column(header, column(["a", "b"]), vocabulary=VOCABULARY)
    assert [(f.kind, f.special, f.count, f.share) for f in findings] == [
        (SPECIAL_CATEGORY, special, 2, 1.0)
    ]


def test_a_finding_counts_and_never_holds_values() -> None:
    values = ["a@b.de", "c@d.de", "e@f.de", "keine", None, "  "]
    (finding,) = detect_column("E-Mail", column(values), vocabulary=VOCABULARY)
    assert (finding.count, finding.share) == (3, 0.75)  # of the four values present
    assert not any(v in str(finding.to_dict()) for v in ("a@b.de", "keine"))


def test_the_current_content_is_the_default() -> None:
    findings = detect_column("E-Mail", column(["a@b.de", "c@d.de", "e@f.de"]))
    assert [f.kind for f in findings] == [EMAIL]


def test_birth_dates_are_bounded_by_today() -> None:
    values = ["12.03.1980", "01.06.2026", "12.03.45", "05.05.1970"]
    assert detect_column("Geburtstag", column(values))[0].count == 4  # today by default
    early = datetime.date(2000, 1, 1)
    (finding,) = detect_column("Geburtstag", column(values), today=early)
    assert finding.count == 3  # 2026 is in the future then; "45" is 1945


# Long columns: a sample, scaled --------------------------------------------------------------


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(personal, "SCREEN_ROWS", 100)
    monkeypatch.setattr(personal, "CHECK_CAP", 10)


@pytest.mark.usefixtures("small_screen")
def test_a_long_column_is_read_through_a_sample_and_counts_are_scaled() -> None:
    values = [f"user{i}@firma.de" if i % 4 else "" for i in range(1_000)]
    (finding,) = detect_column("Spalte", column(values), vocabulary=VOCABULARY)
    assert finding.kind == EMAIL
    assert 650 <= finding.count <= 850  # 750 exactly; a sample of 100 is off by up to 10 %
    assert finding.share == 1.0  # the blanks are not present


@pytest.mark.usefixtures("small_screen")
def test_a_hinted_long_column_is_searched_whole_for_a_few_hits() -> None:
    values = ["nicht erreichbar"] * 997 + ["0711 123456", "0711 123457", "0711 123458"]
    (finding,) = detect_column("Telefon", column(values), vocabulary=VOCABULARY)
    assert (finding.kind, finding.count) == (PHONE, 3)
    assert detect_column("Spalte", column(values), vocabulary=VOCABULARY) == ()


@pytest.mark.usefixtures("small_screen")
def test_names_and_checked_patterns_in_a_long_column() -> None:
    names = (NAMES * 200)[:1_000]
    (finding,) = detect_column("Spalte", column(names), vocabulary=VOCABULARY)
    assert (finding.kind, finding.reason, finding.count) == (PERSON_NAME, FIRST_NAMES, 1_000)
    ibans = [IBANS[i % 3] if i % 2 else WRONG_IBANS[i % 3] for i in range(1_000)]
    (iban,) = detect_column("IBAN", column(ibans), vocabulary=VOCABULARY)
    assert iban.kind == IBAN
    assert 300 <= iban.count <= 700  # half of them, from a sample of the candidates


@pytest.mark.usefixtures("small_screen")
def test_many_distinct_candidates_are_checked_on_an_even_sample() -> None:
    numbers = tax_ids(30) + [str(10_000_000_000 + i) for i in range(30)]
    (finding,) = detect_column("IdNr", column(numbers), vocabulary=VOCABULARY)
    assert finding.kind == TAX_ID
    assert 15 <= finding.count <= 45  # 30, estimated from ten of sixty


# Parts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "tokens"),
    [
        ("AU-Tage", ("au", "tage")),
        ("KundenName", ("kunden", "name")),
        ("AUTage", ("au", "tage")),
        ("Straße", ("strasse",)),
        ("Geschäftsführer", ("geschaeftsfuehrer",)),
        ("Prénom", ("prenom",)),
        ("Tel. 2", ("tel", "2")),
    ],
)
def test_header_tokens(header: str, tokens: tuple[str, ...]) -> None:
    assert header_tokens(header) == tokens


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        ("Tel.", True),
        ("Telefonnummer", True),
        ("Hotel", False),  # "tel" only as a word of its own
        ("Telefon (intern)", False),  # cancelled
    ],
)
def test_a_hint_matches_words_parts_and_unless(header: str, matches: bool) -> None:
    hint = Hint(frozenset({"tel"}), ("telefon",), ("intern",))
    assert hint.matches(header) is matches


def test_neighbours_are_the_headers_up_to_three_places_away() -> None:
    headers = ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert neighbours_of(headers, 0) == ("b", "c", "d")
    assert neighbours_of(headers, 4) == ("b", "c", "d", "f", "g", "h")
    assert neighbours_of(headers, 7) == ("e", "f", "g")


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("15070649C103", True),
        ("65170839J003", True),
        ("12010180M525", True),
        ("15070649C104", False),  # wrong check digit
        ("15070649c103", False),  # the letter is upper case
        ("1507064C9103", False),  # the letter in the wrong place
        ("15070649C10", False),
    ],
)
def test_pension_insurance_check_digit(number: str, valid: bool) -> None:
    assert social_security_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [("0711 123456", True), ("+", False), ("abc", False), ("0049-1234-5678", False)],
)
def test_phone_numbers_are_validated(number: str, valid: bool) -> None:
    assert phone_valid(number) is valid


# Stored findings ---------------------------------------------------------------------------


def test_a_finding_goes_to_json_and_back() -> None:
    findings = [
        PersonalFinding(EMAIL, 3, 0.75, PATTERN_HEADER),
        PersonalFinding(SPECIAL_CATEGORY, 2, 1.0, HEADER, "health"),
    ]
    for finding in findings:
        assert PersonalFinding.from_dict(finding.to_dict()) == finding
    assert PersonalFinding.from_dict({"kind": "iban", "count": 1, "share": 1, "reason": "checksum"})


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "shoe_size", "count": 1, "share": 0.5, "reason": "pattern"},
        {"kind": "email", "count": 1, "share": 0.5, "reason": "hunch"},
        {"kind": "email", "count": -1, "share": 0.5, "reason": "pattern"},
        {"kind": "email", "count": True, "share": 0.5, "reason": "pattern"},
        {"kind": "email", "count": "3", "share": 0.5, "reason": "pattern"},
        {"kind": "email", "count": 1, "share": 1.5, "reason": "pattern"},
        {"kind": "email", "count": 1, "share": False, "reason": "pattern"},
        {"kind": "email", "count": 1, "share": "0.5", "reason": "pattern"},
        {"kind": "email", "count": 1, "share": 0.5, "reason": "pattern", "special": "health"},
        {"kind": "special_category", "count": 1, "share": 0.5, "reason": "header"},
        {
            "kind": "special_category",
            "count": 1,
            "share": 0.5,
            "reason": "header",
            "special": "shoes",
        },
    ],
)
def test_a_broken_finding_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"kind|count|share|special"):
        PersonalFinding.from_dict(data)
