"""The profile of whole files: each column's type, formats, missing values and statistics, the
file's duplicates, keys and date coverage, and what is kept of a column with personal data."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from startklar.datacheck.engine import ENGINE_VERSION, Limits, Profile, profile
from startklar.datacheck.engine import stats as engine_stats
from startklar.datacheck.engine.personal import PersonalFinding
from startklar.datacheck.engine.stats import (
    Gatherer,
    date_coverage,
    grain_of,
    id_like,
    outliers,
    quantile,
)


def csv(tmp_path: Path, header: str, lines: Sequence[str], name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def no_personal(header: str, values: pl.Series, neighbours: Sequence[str]) -> tuple[()]:
    return ()


def emails(
    header: str, values: pl.Series, neighbours: Sequence[str]
) -> tuple[PersonalFinding, ...]:
    """A stand-in detector: e-mail addresses wherever the header says so."""
    if header != "E-Mail":
        return ()
    found = int(values.str.contains("@").sum())
    present = values.len() - values.null_count()
    return (PersonalFinding("email", found, round(found / present, 4), "pattern"),)


def test_a_german_sales_export(tmp_path: Path) -> None:
    lines = []
    for i in range(1, 101):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=i - 1)
        written = day.strftime("%d.%m.%Y") if i <= 71 else day.isoformat()
        money = f"{i * 10},50" if i % 10 else f"{i * 10}.50"
        lines.append(
            f"{1000 + i};{written};{i:06d};{i % 7 + 1};{money};{'ja' if i % 3 else 'nein'};"
            f"{'k.A.' if i % 20 == 0 else 'Handel'};;01;kunde{i}@example.com"
        )
    lines.append(lines[4])  # exported twice
    header = "Belegnr;Datum;Artikelnr;Menge;Umsatz;Bezahlt;Gruppe;Bemerkung;Mandant;E-Mail"
    found = profile(csv(tmp_path, header, lines), detect=emails)

    assert found.engine_version == ENGINE_VERSION
    assert found.rows == 101
    assert found.duplicate_rows == 1
    assert found.duplicate_keys == {"Belegnr": 1, "Artikelnr": 1}
    assert found.candidate_keys == ()
    assert found.personal_columns == ("E-Mail",)

    date = found.column("Datum")
    assert date.inferred == "date"
    assert [(f.format, f.count) for f in date.formats] == [("date_de", 72), ("date_iso", 29)]
    assert date.mixed
    assert (date.minimum, date.maximum) == ("01.01.2026", "2026-04-10")

    article = found.column("Artikelnr")
    assert article.inferred == "identifier"
    assert article.numbers_as_text
    assert (article.minimum, article.maximum) == ("000001", "000100")

    amount = found.column("Umsatz")
    assert amount.inferred == "number"
    assert amount.both_decimal_separators
    assert amount.mixed
    assert (amount.minimum, amount.maximum) == ("10,50", "1000.50")

    assert found.column("Menge").top[0] == ("1", 15) or found.column("Menge").top[0][1] >= 14
    assert found.column("Bezahlt").inferred == "boolean"
    group = found.column("Gruppe")
    assert group.placeholders == {"k.A.": 5}
    assert group.constant
    note = found.column("Bemerkung")
    assert (note.inferred, note.near_empty, note.missing) == ("empty", True, 101)
    assert found.column("Mandant").constant

    mail = found.column("E-Mail")
    assert mail.personal == (PersonalFinding("email", 101, 1.0, "pattern"),)
    assert mail.top == ()
    assert (mail.minimum, mail.maximum) == (None, None)
    assert all(share.example == "" for share in mail.formats)

    assert found.coverage is not None
    assert (found.coverage.column, found.coverage.grain) == ("Datum", "day")
    assert (found.coverage.first, found.coverage.last) == ("2026-01-01", "2026-04-10")
    assert Profile.from_dict(found.to_dict()) == found


def test_thousands_decided_by_the_column(tmp_path: Path) -> None:
    path = csv(
        tmp_path,
        "Bestand;Gewicht;Offen",
        ["1.234;1.234;1.234", "2.500.000;0.5;12", "17;2.75;1.500"],
    )
    found = profile(path, detect=no_personal)
    stock, weight, still = (found.column(n) for n in ("Bestand", "Gewicht", "Offen"))
    assert [f.format for f in stock.formats] == ["integer_grouped_de", "integer"]
    assert stock.maximum == "2.500.000"
    assert stock.ambiguous == 0
    assert [f.format for f in weight.formats] == ["decimal_en"]
    assert (weight.minimum, weight.maximum) == ("0.5", "2.75")
    assert still.ambiguous == 2  # nothing else in the column says which
    assert still.formats[0].format == "thousands_or_decimal_dot"
    assert still.maximum == "1.500"  # read the German way meanwhile


def test_ambiguous_currency_decided_by_english_neighbours(tmp_path: Path) -> None:
    path = csv(tmp_path, "Preis", ["€ 1,234", "€ 12.50", "€ 3.75"])
    price = profile(path, detect=no_personal).column("Preis")
    assert [(f.format, f.count) for f in price.formats] == [("currency_en", 3)]
    assert price.maximum == "€ 1,234"


def test_outliers_constant_and_keys(tmp_path: Path) -> None:
    lines = [f"{i};{10 + i % 3};A" for i in range(40)] + ["40;900;A"]
    found = profile(csv(tmp_path, "ID;Wert;Konstant", lines), detect=no_personal)
    assert found.column("Wert").outliers == 1
    assert found.candidate_keys == ("ID",)
    assert found.duplicate_keys == {}
    assert found.column("Konstant").constant


def test_an_x_column_is_yes_no_not_near_empty(tmp_path: Path) -> None:
    lines = ["x" if i % 50 == 0 else "" for i in range(200)]
    path = csv(tmp_path, "Erledigt;Nr", [f"{mark};{i}" for i, mark in enumerate(lines)])
    done = profile(path, detect=no_personal).column("Erledigt")
    assert done.inferred == "boolean"
    assert not done.near_empty
    assert not done.constant


@pytest.mark.parametrize(
    ("values", "inferred"),
    [
        (["1", "2", "abc", "def", "ghi"], "text"),
        (["1", "2", "31.12.2026", "x", "abc"], "mixed"),
        (["14:30", "15:00"], "time"),
        (["#DIV/0!", "#WERT!"], "error"),
        (["12", "007", "15", "16"], "identifier"),
    ],
)
def test_inferred_types(tmp_path: Path, values: list[str], inferred: str) -> None:
    found = profile(csv(tmp_path, "Spalte", values), detect=no_personal)
    assert found.column("Spalte").inferred == inferred


def test_whole_numbers_under_an_id_header_are_identifiers(tmp_path: Path) -> None:
    found = profile(csv(tmp_path, "Kunden-Nr;Menge", ["17;3", "18;4"]), detect=no_personal)
    assert [c.inferred for c in found.columns] == ["identifier", "number"]


def test_blank_rows_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "luecken.csv"
    path.write_text("Name;Wert\n A ;1\n\nB;2\n;\n", encoding="utf-8")
    found = profile(path, detect=no_personal)
    assert (found.rows, found.blank_rows) == (2, 2)
    assert found.column("Name").whitespace == 1
    assert found.column("Name").top == ()


def test_the_detector_sees_an_even_sample_and_its_counts_are_scaled(tmp_path: Path) -> None:
    seen: list[int] = []

    def counting(
        header: str, values: pl.Series, neighbours: Sequence[str]
    ) -> tuple[PersonalFinding, ...]:
        seen.append(values.len())
        assert values.null_count() == values.str.contains("^$").sum() + values.null_count()
        return emails(header, values, neighbours)

    lines = [f"{i};{'k.A.' if i % 10 == 0 else f'p{i}@example.com'}" for i in range(3000)]
    path = csv(tmp_path, "Nr;E-Mail", lines)
    original = engine_stats.SAMPLE
    engine_stats.SAMPLE = 500
    try:
        found = profile(path, detect=counting, limits=Limits(chunk_bytes=4000))
    finally:
        engine_stats.SAMPLE = original
    assert max(seen) < 1000
    finding = found.column("E-Mail").personal[0]
    assert finding.count == 2700  # the sample's hits, scaled to the 2,700 values present
    assert finding.share == 1.0


def test_without_a_detector(tmp_path: Path) -> None:
    gather = Gatherer(["A"], None)
    gather.add(pl.DataFrame({"A": ["x", "y"]}))
    assert gather.finish().columns[0].personal == ()


def test_the_default_detector_is_the_shipped_one(tmp_path: Path) -> None:
    path = csv(tmp_path, "E-Mail;Menge", [f"p{i}@example.com;{i}" for i in range(10)])
    assert profile(path).personal_columns == ("E-Mail",)


def test_an_empty_chunk_changes_nothing() -> None:
    gather = Gatherer(["A", "B"], no_personal)
    gather.add(
        pl.DataFrame(
            {"A": [None, None], "B": [None, None]}, schema={"A": pl.String, "B": pl.String}
        )
    )
    result = gather.finish()
    assert (result.rows, result.blank_rows, result.duplicate_rows) == (0, 2, 0)
    assert result.coverage is None
    assert [c.inferred for c in result.columns] == ["empty", "empty"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Belegnr", True),
        ("Kunden-Nr.", True),
        ("ArtikelID", True),
        ("Order No", True),
        ("Rechnungsnummer", True),
        ("Code", True),
        ("Paid", False),
        ("Menge", False),
        ("Land", False),
        ("", False),
    ],
)
def test_id_like_headers(header: str, expected: bool) -> None:
    assert id_like(header) is expected


def numbers(values: dict[float, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {"number": list(values), "count": list(values.values())},
        schema={"number": pl.Float64, "count": pl.UInt32},
    ).sort("number")


def test_quantiles_and_outliers_weighted_by_counts() -> None:
    data = numbers({1.0: 10, 2.0: 10, 3.0: 10, 4.0: 10, 100.0: 2})
    assert quantile(data, 0.25) == 2.0  # the 11th of 42 values
    assert quantile(data, 0.75) == 4.0
    assert outliers(data) == 2
    assert outliers(numbers({})) == 0


DAY = datetime.date(2026, 1, 5)  # a Monday


def days(*offsets: int) -> list[datetime.date]:
    return [DAY + datetime.timedelta(days=o) for o in offsets]


@pytest.mark.parametrize(
    ("dates", "grain"),
    [
        (days(0), "day"),
        (days(0, 1, 2, 3, 4, 5, 6, 7), "day"),
        ([d for d in days(*range(28)) if d.weekday() < 5], "workday"),
        (days(0, 7, 14, 21, 35), "week"),
        (days(0, 7, 8), "week"),  # one weekday throughout... or a median gap of a week
        ([datetime.date(2026, m, 1) for m in (1, 2, 3, 5)], "month"),
        (
            [datetime.date(2026, 1, 15), datetime.date(2026, 2, 15), datetime.date(2026, 4, 15)],
            "month",
        ),
    ],
)
def test_grains(dates: list[datetime.date], grain: str) -> None:
    assert grain_of(dates, [1] * len(dates)) == grain


def test_coverage_of_daily_data_with_a_gap() -> None:
    dated = [(d, 3) for d in days(*range(10), *range(15, 20))]
    coverage = date_coverage("Datum", dated)
    assert (coverage.grain, coverage.expected_periods, coverage.missing_periods) == ("day", 20, 5)
    assert coverage.longest_gap_days == 5
    assert coverage.gaps == (("2026-01-15", "2026-01-19"),)


def test_coverage_of_workdays_leaves_weekends_out() -> None:
    workdays = [d for d in days(*range(35)) if d.weekday() < 5 and not 14 <= (d - DAY).days < 21]
    coverage = date_coverage("Datum", [(d, 1) for d in workdays])
    assert coverage.grain == "workday"
    assert (coverage.expected_periods, coverage.missing_periods) == (25, 5)
    assert coverage.gaps == (("2026-01-19", "2026-01-23"),)
    assert coverage.longest_gap_days == 5


def test_coverage_of_weeks_and_months() -> None:
    weekly = date_coverage("Woche", [(d, 1) for d in days(0, 7, 14, 35, 42)])
    assert (weekly.grain, weekly.expected_periods, weekly.missing_periods) == ("week", 7, 2)
    assert weekly.gaps == (("2026-01-26", "2026-02-08"),)
    assert weekly.longest_gap_days == 14
    months = [datetime.date(2025, m, 1) for m in (10, 11)] + [datetime.date(2026, 2, 1)]
    monthly = date_coverage("Monat", [(d, 1) for d in months])
    assert (monthly.grain, monthly.expected_periods, monthly.missing_periods) == ("month", 5, 2)
    assert monthly.gaps == (("2025-12-01", "2026-01-31"),)
    assert monthly.longest_gap_days == 62


def test_coverage_lists_the_five_longest_gaps_first() -> None:
    present = [0, 2, 5, 9, 14, 20, 27]  # gaps of 1, 2, 3, 4, 5, 6 days
    coverage = date_coverage("Datum", [(d, 1) for d in days(*present)])
    assert [g[0] for g in coverage.gaps] == [
        "2026-01-26",
        "2026-01-20",
        "2026-01-15",
        "2026-01-11",
        "2026-01-08",
    ]
    assert coverage.longest_gap_days == 6


def test_the_main_date_column_is_the_fullest_not_personal_one(tmp_path: Path) -> None:
    def birthdays(
        header: str, values: pl.Series, neighbours: Sequence[str]
    ) -> tuple[PersonalFinding, ...]:
        present = values.len() - values.null_count()
        return (
            (PersonalFinding("birth_date", present, 1.0, "pattern+header"),)
            if header == "Geboren"
            else ()
        )

    lines = [f"01.0{m}.1970;0{m}.01.2026;" for m in range(1, 8)]
    lines += ["02.01.1970;;15.01.2026"] * 3
    found = profile(csv(tmp_path, "Geboren;Bestellt;Geliefert", lines), detect=birthdays)
    assert found.coverage is not None
    assert found.coverage.column == "Bestellt"


def test_counts_added_up_on_the_way_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [f"{i};{i % 7};{i % 5},5" for i in range(2000)]
    path = csv(tmp_path, "Nr;Klasse;Wert", lines)
    whole = profile(path, detect=no_personal)
    monkeypatch.setattr(engine_stats, "COMPACT_ROWS", 10)
    found = profile(path, detect=no_personal, limits=Limits(chunk_bytes=2000))

    def without_examples(found: Profile) -> dict[str, object]:
        data = found.to_dict()
        for column in data["columns"]:  # type: ignore[attr-defined]
            for share in column["formats"]:
                share["example"] = ""  # the most frequent in its chunk: chunks differ
        return data

    assert without_examples(found) == without_examples(whole)
    assert [c.distinct for c in found.columns] == [2000, 7, 5]
    assert (found.columns[0].minimum, found.columns[0].maximum) == ("0", "1999")


def test_lanes_rows_counted_one_by_one_and_kept_values_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        f"{i};{i % 1500},{i % 3}0;{i // 2 + 0.5};{i // 8 + 0.5};{1 + i % 28:02d}.0{1 + i % 9}.2026;"
        f"{i % 40};{'x' if i % 3 else 'y'}"
        for i in range(6000)
    ]
    # Nr: every value once; Betrag: values recur; Anteil and Los: each twice or eight times
    # in a row, never again later (too many to keep, or too few found again).
    path = csv(tmp_path, "Nr;Betrag;Anteil;Los;Datum;Menge;Merker", lines)
    whole = profile(path, detect=no_personal)
    monkeypatch.setattr(engine_stats, "lane_count", lambda: 2)
    monkeypatch.setattr(engine_stats, "LANE_ROWS", 10)
    monkeypatch.setattr(engine_stats, "UNIQUE_FROM", 10)
    monkeypatch.setattr(engine_stats, "KNOWN_MOST", 500)
    monkeypatch.setattr(engine_stats, "KNOWN_PIECES", 1)
    found = profile(path, detect=no_personal, limits=Limits(chunk_bytes=20_000))

    def without_examples(found: Profile) -> dict[str, object]:
        data = found.to_dict()
        for column in data["columns"]:  # type: ignore[attr-defined]
            for share in column["formats"]:
                share["example"] = ""
            # Which of values as frequent as each other are candidates differs by chunk.
            column["top"] = [count for _, count in column["top"]]
        return data

    assert without_examples(found) == without_examples(whole)
    assert found.candidate_keys == ("Nr",)


def test_a_column_counted_row_by_row_is_grouped_again_when_its_values_repeat() -> None:
    gather = Gatherer(["A"], None)
    first = pl.DataFrame({"A": [str(i) for i in range(2000)]})
    gather.add(first)
    assert gather.columns[0].unique
    gather.add(pl.DataFrame({"A": ["7"] * 2000}))
    assert not gather.columns[0].unique
    gather.add(pl.DataFrame({"A": ["7", "8"] * 1000}))
    result = gather.finish()
    assert result.rows == 6000
    assert result.columns[0].distinct == 2000
    assert result.columns[0].top[0] == ("7", 3001)
