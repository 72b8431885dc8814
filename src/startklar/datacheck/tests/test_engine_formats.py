"""The format detection, table-driven: German and English numbers, the ambiguous "1.234",
identifiers with leading zeros, dates, yes/no values, placeholders and their tricky neighbours."""

from __future__ import annotations

import datetime

import polars as pl
import pytest

from startklar.datacheck.engine import formats

CASES = [
    # value, format, number, day
    ("1.234,56", "decimal_de", 1234.56, None),
    ("1234,56", "decimal_de", 1234.56, None),
    ("0,5", "decimal_de", 0.5, None),
    ("1.234.567,5", "decimal_de", 1234567.5, None),
    ("1,234.56", "decimal_en", 1234.56, None),
    ("1234.56", "decimal_en", 1234.56, None),
    ("0.234", "decimal_en", 0.234, None),  # a leading zero: never thousands
    ("1234", "integer", 1234.0, None),
    ("0", "integer", 0.0, None),
    ("-3", "integer", -3.0, None),
    ("12,50-", "decimal_de", -12.5, None),  # SAP's trailing minus
    ("1.234.567", "integer_grouped_de", 1234567.0, None),
    ("1,234,567", "integer_grouped_en", 1234567.0, None),
    ("1.234", "thousands_or_decimal_dot", None, None),  # decided by the column
    ("1,234", "thousands_or_decimal_comma", None, None),
    ("004711", "leading_zero", None, None),  # an article number, not a number
    ("01067", "leading_zero", None, None),  # a postcode in Dresden
    ("-05 %", "percent", -5.0, None),  # with a sign it is a number after all
    ("12,5 %", "percent_de", 12.5, None),
    ("12.5%", "percent_en", 12.5, None),
    ("1.234,56 €", "currency_de", 1234.56, None),
    ("€ 12.50", "currency_en", 12.5, None),
    ("€ -5,50", "currency_de", -5.5, None),
    ("EUR 5", "currency", 5.0, None),
    ("1.234 €", "currency~dot", None, None),
    ("12,345 EUR", "currency~comma", None, None),
    ("31.12.2026", "date_de", None, datetime.date(2026, 12, 31)),
    ("1.2.2026", "date_de", None, datetime.date(2026, 2, 1)),
    ("31.12.26", "date_de_short", None, datetime.date(2026, 12, 31)),
    ("31.12.63", "date_de_short", None, datetime.date(1963, 12, 31)),  # a birth year
    ("2026-12-31", "date_iso", None, datetime.date(2026, 12, 31)),
    ("31/12/2026", "date_slash", None, datetime.date(2026, 12, 31)),
    ("31.12.2026 14:30", "datetime_de", None, datetime.date(2026, 12, 31)),
    ("31.12.2026, 14:30:15", "datetime_de", None, datetime.date(2026, 12, 31)),
    ("2026-12-31T14:30:00Z", "datetime_iso", None, datetime.date(2026, 12, 31)),
    ("2026-12-31 14:30:00.123", "datetime_iso", None, datetime.date(2026, 12, 31)),
    ("31.02.2026", "date_invalid", None, None),  # no such day
    ("01.01.0206", "date_invalid", None, None),  # a typing error
    ("1.2.3", "text", None, None),
    ("14:30", "time", None, None),
    ("12-34-56-78", "text", None, None),
    ("ja", "boolean_de", None, None),
    ("Nein", "boolean_de", None, None),
    ("WAHR", "boolean_de", None, None),
    ("true", "boolean_en", None, None),
    ("x", "boolean_x", None, None),
    ("X", "boolean_x", None, None),
    ("#DIV/0!", "formula_error", None, None),
    ("#WERT!", "formula_error", None, None),
    ("Müller", "text", None, None),
    ("A-12", "text", None, None),
    ("0711/123456", "text", None, None),  # a phone number is text
    ("+49 171 1234567", "text", None, None),
    ("4711-0815", "text", None, None),
    ("1.2,3", "text", None, None),
    ("", formats.MISSING, None, None),
    ("  ", formats.MISSING, None, None),
    (None, formats.MISSING, None, None),
    ("-", formats.MISSING, None, None),
    ("--", formats.MISSING, None, None),
    ("k.A.", formats.MISSING, None, None),
    ("k. A.", formats.MISSING, None, None),
    ("K.A.", formats.MISSING, None, None),
    ("n/a", formats.MISSING, None, None),
    ("N/A", formats.MISSING, None, None),
    ("NULL", formats.MISSING, None, None),
    ("0000-00-00", formats.MISSING, None, None),
    ("00.00.0000", formats.MISSING, None, None),
    ("#NV", formats.MISSING, None, None),
    ("?", formats.MISSING, None, None),
    ("keine Angabe", formats.MISSING, None, None),
]


def classified(values: list[str | None]) -> dict[int, dict[str, object]]:
    frame = pl.DataFrame(
        {"value": values, "index": range(len(values))},
        schema={"value": pl.String, "index": pl.Int64},
    )
    found = formats.classify(frame)
    return {row["index"]: row for row in found.iter_rows(named=True)}


@pytest.mark.parametrize(("value", "code", "number", "day"), CASES)
def test_classify(
    value: str | None, code: str, number: float | None, day: datetime.date | None
) -> None:
    row = classified([value])[0]
    assert formats.CODES[int(str(row["code"]))] == code
    assert row["number"] == number
    assert row["day"] == day


def test_classify_strips_and_says_so() -> None:
    rows = classified([" 42 ", "42"])
    assert rows[0]["text"] == "42"
    assert rows[0]["spaced"] is True
    assert rows[1]["spaced"] is False


def test_classify_keeps_other_columns_and_handles_nothing() -> None:
    found = formats.classify(pl.DataFrame(schema={"value": pl.String, "count": pl.UInt32}))
    assert found.height == 0
    assert found.columns == ["value", "count", *formats.SCHEMA]


@pytest.mark.parametrize(
    ("code", "side", "reported"),
    [
        ("decimal_de", "en", "decimal_de"),
        ("thousands_or_decimal_dot", None, "thousands_or_decimal_dot"),
        ("currency~dot", None, "currency"),
        ("percent~comma", None, "percent"),
        ("thousands_or_decimal_dot", "de", "integer_grouped_de"),
        ("thousands_or_decimal_comma", "de", "decimal_de"),
        ("thousands_or_decimal_dot", "en", "decimal_en"),
        ("thousands_or_decimal_comma", "en", "integer_grouped_en"),
        ("currency~dot", "de", "currency_de"),
        ("percent~comma", "en", "percent_en"),
    ],
)
def test_resolve(code: str, side: str | None, reported: str) -> None:
    assert formats.resolve(code, side) == reported


@pytest.mark.parametrize(
    ("text", "code", "german", "number"),
    [
        ("1.234", "thousands_or_decimal_dot", True, 1234.0),
        ("1.234", "thousands_or_decimal_dot", False, 1.234),
        ("1,234", "thousands_or_decimal_comma", True, 1.234),
        ("1,234", "thousands_or_decimal_comma", False, 1234.0),
        ("-1.234 €", "currency~dot", True, -1234.0),
        ("1,5 %", "percent~comma", False, 15.0),
    ],
)
def test_number_value_reads_the_ambiguous_by_the_side(
    text: str, code: str, german: bool, number: float
) -> None:
    frame = pl.DataFrame({"text": [text], "code": [formats.ID[code]]})
    value = formats.number_value(
        formats.core_of(pl.col("text")),
        pl.col("code"),
        formats.negative_of(pl.col("text")),
        german=german,
    )
    assert frame.select(value).item() == pytest.approx(number)


def test_every_format_has_a_type_and_every_family_a_format() -> None:
    assert set(formats.FORMATS.values()) <= {
        "number",
        "identifier",
        "date",
        "time",
        "boolean",
        "error",
        "text",
    }
    assert set(formats.FAMILIES) <= set(formats.FORMATS)
    assert len(formats.CODES) == len(set(formats.CODES)) < 255
