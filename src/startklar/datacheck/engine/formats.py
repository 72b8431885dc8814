"""The formats of values read as text, with German conventions first (pure, polars).

:func:`classify` takes distinct values with their counts and says for each what it is: missing
(an empty cell or a placeholder such as "k.A."), a number in one of its notations, a date, a
time, a yes/no value, a spreadsheet error or text. It works vectorised on the distinct values,
a coarse test first, the detailed patterns only on the values the coarse test let through.

Numbers are told apart by their separators: ``1.234,56`` and ``1234,56`` are German,
``1,234.56`` and ``1234.56`` English. ``1.234`` and ``1,234`` can be either (a thousand
two hundred thirty-four, or one point two three four); their column decides later
(:func:`decide`): the side its unambiguous numbers are on, German when it has none.
Whole numbers with a leading zero (``004711``) are identifiers, not numbers.

Dates: ``31.12.2026``, ``31.12.26`` (two-digit years up to :data:`PIVOT` are 20xx, later ones
19xx), ``2026-12-31``, ``31/12/2026`` (day first), each also with a time; a date that does not
exist (``31.02.2026``) or lies outside :data:`YEARS` is ``date_invalid``.
"""

from __future__ import annotations

import datetime

import polars as pl

# Codes and the types they belong to. The Django side words each code.
FORMATS: dict[str, str] = {
    "integer": "number",
    "integer_grouped_de": "number",  # 1.234.567
    "integer_grouped_en": "number",  # 1,234,567
    "decimal_de": "number",  # 1234,56 and 1.234,56
    "decimal_en": "number",  # 1234.56 and 1,234.56
    "thousands_or_decimal_dot": "number",  # 1.234, undecided
    "thousands_or_decimal_comma": "number",  # 1,234, undecided
    "currency_de": "number",  # 1.234,56 €
    "currency_en": "number",  # € 1,234.56
    "currency": "number",  # 12 € (no decimals to tell)
    "percent_de": "number",  # 12,5 %
    "percent_en": "number",  # 12.5%
    "percent": "number",  # 12 %
    "leading_zero": "identifier",  # 004711
    "date_de": "date",  # 31.12.2026
    "date_de_short": "date",  # 31.12.26
    "date_iso": "date",  # 2026-12-31
    "date_slash": "date",  # 31/12/2026
    "datetime_de": "date",  # 31.12.2026 14:30
    "datetime_iso": "date",  # 2026-12-31T14:30:00
    "date_invalid": "date",  # 31.02.2026, 01.01.0206
    "time": "time",  # 14:30
    "boolean_de": "boolean",  # ja/nein, j/n, wahr/falsch
    "boolean_en": "boolean",  # yes/no, true/false, y
    "boolean_x": "boolean",  # x (and empty for no)
    "formula_error": "error",  # #DIV/0!, #WERT! …
    "text": "text",
}
MISSING = "missing"  # not a format: an empty cell or a placeholder

# Families: two formats of one type in different families make a column "mixed".
FAMILIES: dict[str, str] = {
    "integer_grouped_de": "de",
    "decimal_de": "de",
    "currency_de": "de",
    "percent_de": "de",
    "integer_grouped_en": "en",
    "decimal_en": "en",
    "currency_en": "en",
    "percent_en": "en",
    "date_de": "date_de",
    "datetime_de": "date_de",
    "date_de_short": "date_de_short",
    "date_iso": "date_iso",
    "datetime_iso": "date_iso",
    "date_slash": "date_slash",
    "boolean_de": "boolean_de",
    "boolean_en": "boolean_en",
    "boolean_x": "boolean_x",
}
MIXED_SHARE = 0.01  # a family counts for "mixed" from this share of the values present

# What SMEs write for "no value" (compared in lower case, spaces removed).
PLACEHOLDERS = (
    "-",
    "--",
    "---",
    "k.A.",
    "k. A.",
    "n/a",
    "N/A",
    "n.a.",
    "n.v.",
    "NULL",
    "null",
    "None",
    "nan",
    "0000-00-00",
    "00.00.0000",
    "00.00.00",
    "#NV",
    "#N/A",
    "?",
    "??",
    "???",
    "-/-",
    "keine Angabe",
)

BOOLEANS = {
    "boolean_de": ("ja", "nein", "j", "n", "wahr", "falsch"),
    "boolean_en": ("yes", "no", "true", "false", "y"),
    "boolean_x": ("x", "✓", "✔"),
}

PIVOT = 40  # two-digit years 00–40 are 2000–2040, 41–99 are 1941–1999
YEARS = (1900, 2100)  # dates outside these years are typing errors

# Coarse tests: which values the detailed patterns need to look at.
_DATE_LIKE = r"^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|^\d{1,2}:\d{2}"
_NUMBER_LIKE = r"(?i)^[-+−]?\s*(?:€|eur)?\s*[-+−]?\d[\d.,]*-?\s*(?:%|€|eur)?$"

# Numbers: the digits and separators left once sign, currency and percent are taken off.
_SHAPES = (  # (shape, pattern), tried in this order
    ("leading_zero", r"^0\d+$"),
    ("integer", r"^\d+$"),
    ("ambiguous_dot", r"^[1-9]\d{0,2}\.\d{3}$"),
    ("ambiguous_comma", r"^[1-9]\d{0,2},\d{3}$"),
    ("grouped_de", r"^[1-9]\d{0,2}(?:\.\d{3})+$"),
    ("grouped_en", r"^[1-9]\d{0,2}(?:,\d{3})+$"),
    ("decimal_de", r"^(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+),\d+$"),
    ("decimal_en", r"^(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)\.\d+$"),
)
SHAPE_FAMILY = {
    "grouped_de": "de",
    "decimal_de": "de",
    "grouped_en": "en",
    "decimal_en": "en",
    "integer": "",
    "ambiguous_dot": "",
    "ambiguous_comma": "",
}
_PLAIN = {
    "integer": "integer",
    "grouped_de": "integer_grouped_de",
    "grouped_en": "integer_grouped_en",
    "decimal_de": "decimal_de",
    "decimal_en": "decimal_en",
    "ambiguous_dot": "thousands_or_decimal_dot",
    "ambiguous_comma": "thousands_or_decimal_comma",
}

# Dates: (format, pattern of the whole value); the date part is parsed afterwards.
_DATES = (
    ("date_de", r"^\d{1,2}\.\d{1,2}\.\d{4}$"),
    ("date_de_short", r"^\d{1,2}\.\d{1,2}\.\d{2}$"),
    ("date_iso", r"^\d{4}-\d{1,2}-\d{1,2}$"),
    ("date_slash", r"^\d{1,2}/\d{1,2}/\d{4}$"),
    ("datetime_de", r"^\d{1,2}\.\d{1,2}\.\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?$"),
    (
        "datetime_iso",
        r"^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
    ),
    ("time", r"^\d{1,2}:\d{2}(?::\d{2})?$"),
)

# Internal codes of ambiguous numbers with a currency or percent sign: which separator the
# column has to decide ("1.234 €"). Reported as resolve() says.
AMBIGUOUS_DECORATED = ("currency~dot", "currency~comma", "percent~dot", "percent~comma")
AMBIGUOUS = ("thousands_or_decimal_dot", "thousands_or_decimal_comma", *AMBIGUOUS_DECORATED)
# Every code classify() gives, by its number in the "code" column.
CODES: tuple[str, ...] = (MISSING, *FORMATS, *AMBIGUOUS_DECORATED)
ID = {code: number for number, code in enumerate(CODES)}

# The columns classify() adds.
SCHEMA = {
    "text": pl.String,  # the value without spaces around it
    "code": pl.UInt8,  # the format: CODES[code]
    "number": pl.Float64,  # numbers whose separators are not ambiguous
    "day": pl.Date,  # valid dates (the date of a date and time)
    "spaced": pl.Boolean,  # spaces around the value
}


def _variants(words: tuple[str, ...]) -> list[str]:
    """Spellings compared exactly (cheaper than comparing in lower case)."""
    found: set[str] = set()
    for word in words:
        for form in (word, word.replace(" ", "")):
            found.update((form, form.lower(), form.upper(), form.capitalize(), form.title()))
    return sorted(found)


_MISSING_WORDS = _variants(PLACEHOLDERS)
_BOOLEAN_WORDS = {code: _variants(words) for code, words in BOOLEANS.items()}
_ERRORS = (
    "#DIV/0!",
    "#WERT!",
    "#VALUE!",
    "#BEZUG!",
    "#REF!",
    "#NAME?",
    "#ZAHL!",
    "#NUM!",
    "#NULL!",
    "#ÜBERLAUF!",
    "#SPILL!",
)
_NUMERIC_START = r"^(?:[-+−€\d]|[Ee][Uu][Rr])"
_PURE = r"^\d+$"


def _word_codes() -> dict[str, int]:
    """Every word looked up exactly, with its code: placeholders first, then yes/no values
    and spreadsheet errors (a word in two lists is what the first says)."""
    table: dict[str, int] = dict.fromkeys(_MISSING_WORDS, ID[MISSING])
    for code, words in _BOOLEAN_WORDS.items():
        for word in words:
            table.setdefault(word, ID[code])
    for word in _ERRORS:
        table.setdefault(word, ID["formula_error"])
    return table


_WORDS = _word_codes()
_WORD_LIST = sorted(_WORDS)
# Codes of the first, coarse step that are no formats: a word to look up, a value to look at
# closer (it starts like a number or a date).
_WORD = 254
_CLOSER = 255


def _code(name: str) -> pl.Expr:
    return pl.lit(ID[name], pl.UInt8)


def classify(values: pl.DataFrame) -> pl.DataFrame:
    """``values`` (a ``value`` column of text, nulls allowed, and any others, which are kept)
    with the columns of :data:`SCHEMA` added. Rows come back grouped by kind, not in order.

    Each value passes a coarse step (spaces, one lookup among the known words, one pattern
    for a numeric start); only the values that start like a number or a date go on to the
    detailed patterns, each kind of them to its own."""
    keep = values.columns
    raw, text = pl.col("value"), pl.col("text")
    frame = values.with_columns(raw.str.strip_chars().alias("text"))
    frame = frame.with_columns(
        (raw.str.len_bytes() != text.str.len_bytes()).alias("spaced"),
        pl.when(text.is_null() | (text.str.len_bytes() == 0))
        .then(_code(MISSING))
        .when(text.is_in(_WORD_LIST))
        .then(pl.lit(_WORD, pl.UInt8))
        .when(text.str.contains(_NUMERIC_START))
        .then(pl.lit(_CLOSER, pl.UInt8))
        .otherwise(_code("text"))
        .alias("code"),
    )
    parts = frame.partition_by("code", as_dict=True)
    done = [
        _plain(part, keep)
        for (code,), part in parts.items()
        if code not in (_WORD, _CLOSER)  # missing or text
    ]
    words = parts.get((_WORD,))
    if words is not None:
        found = text.replace_strict(_WORDS, return_dtype=pl.UInt8)
        done.append(_plain(words.with_columns(found.alias("code")), keep))
    numeric = parts.get((_CLOSER,))
    if numeric is not None:
        done.extend(_closer(numeric, keep))
    if not done:
        return _plain(frame, keep)
    return pl.concat(done, how="vertical")


def _closer(numeric: pl.DataFrame, keep: list[str]) -> list[pl.DataFrame]:
    """Values that start like a number or a date: whole numbers (the most frequent, and the
    cheapest), dates and times, numbers with separators or signs, and the rest as text."""
    text = pl.col("text")
    pure = numeric.select(text.str.contains(_PURE)).to_series()
    whole = numeric.filter(pure)
    done = [
        whole.with_columns(
            pl.when(text.str.starts_with("0") & (text.str.len_bytes() > 1))
            .then(_code("leading_zero"))
            .otherwise(_code("integer"))
            .alias("code")
        )
        .with_columns(
            pl.when(pl.col("code") == ID["integer"])
            .then(text.cast(pl.Float64, strict=False))
            .otherwise(None)
            .alias("number"),
            pl.lit(None, pl.Date).alias("day"),
        )
        .select([*keep, *SCHEMA])
    ]
    rest = numeric.filter(~pure)
    if rest.height == 0:
        return done
    dated = rest.select(text.str.contains(_DATE_LIKE)).to_series()
    done.append(_dates(rest.filter(dated), keep))
    rest = rest.filter(~dated)
    numbered = rest.select(text.str.contains(_NUMBER_LIKE)).to_series()
    done.append(_numbers(rest.filter(numbered), keep))
    done.append(_plain(rest.filter(~numbered).with_columns(_code("text").alias("code")), keep))
    return done


def _plain(part: pl.DataFrame, keep: list[str]) -> pl.DataFrame:
    return part.select(
        *keep,
        "text",
        "code",
        pl.lit(None, pl.Float64).alias("number"),
        pl.lit(None, pl.Date).alias("day"),
        "spaced",
    )


_SIGNS = "+-−"
_DECORATION_CHARS = "€%EeUuRr \u00a0\u202f" + _SIGNS


def core_of(text: pl.Expr) -> pl.Expr:
    """A number's digits and separators: sign, currency, percent and spaces taken off."""
    return text.str.strip_chars(_DECORATION_CHARS)


def negative_of(text: pl.Expr) -> pl.Expr:
    """A minus before the number or (as SAP writes it) after it."""
    return text.str.contains(r"^[^\d]*[-−]|-$")


def _ids(*codes: str) -> list[int]:
    return [ID[code] for code in codes]


def number_value(core: pl.Expr, code: pl.Expr, negative: pl.Expr, german: bool) -> pl.Expr:
    """The number a value's ``core`` (digits and separators) stands for; ``code`` is its
    format's id (ID), ``german`` deciding the ambiguous ones (``1.234`` a thousand and more,
    ``1,234`` a decimal)."""
    dot = ("thousands_or_decimal_dot", "currency~dot", "percent~dot")
    comma = ("thousands_or_decimal_comma", "currency~comma", "percent~comma")
    de = ("integer_grouped_de", "decimal_de", "currency_de", "percent_de")
    dots_are_thousands = _ids(*de, *(dot + comma if german else ()))
    comma_decimal = _ids("decimal_de", "currency_de", "percent_de", *(comma if german else ()))
    plain = (
        pl.when(code.is_in(dots_are_thousands))
        .then(core.str.replace_all(".", "", literal=True))
        .otherwise(core)
    )
    plain = (
        pl.when(code.is_in(comma_decimal))
        .then(plain.str.replace(",", ".", literal=True))
        .otherwise(plain.str.replace_all(",", "", literal=True))
    )
    number = plain.cast(pl.Float64, strict=False)
    return pl.when(negative).then(-number).otherwise(number)


def _number_codes() -> dict[int, int]:
    """(decoration × 16 + shape) → format id; decoration 0 plain, 1 currency, 2 percent,
    3 plain with a sign; shape the 1-based index in _SHAPES."""
    table = {}
    for index, (shape, _pattern) in enumerate(_SHAPES, start=1):
        family = SHAPE_FAMILY.get(shape, "")
        for decoration, sign in ((1, "currency"), (2, "percent")):
            if shape.startswith("ambiguous"):
                name = f"{sign}~{shape.split('_')[1]}"
            elif shape == "leading_zero" or not family:
                name = sign
            else:
                name = f"{sign}_{family}"
            table[decoration * 16 + index] = ID[name]
        plain = "leading_zero" if shape == "leading_zero" else _PLAIN[shape]
        table[index] = ID[plain]
        table[3 * 16 + index] = ID["integer" if shape == "leading_zero" else _PLAIN[shape]]
    return table


_NUMBER_CODES = _number_codes()
_SURE = _ids(
    "integer",
    "integer_grouped_de",
    "integer_grouped_en",
    "decimal_de",
    "decimal_en",
    "currency_de",
    "currency_en",
    "currency",
    "percent_de",
    "percent_en",
    "percent",
)


# A number's core written the German way (dots grouping thousands, a decimal comma) or the
# English way: one of the two fits every shape of _SHAPES, both fit the ambiguous ones.
_GERMAN = r"^(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)(?:,\d+)?$"
_ENGLISH = r"^(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$"
_SHAPE = {name: index for index, (name, _pattern) in enumerate(_SHAPES, start=1)}


def _shape() -> pl.Expr:
    """The shape's index in _SHAPES (0 for none) from the columns _german, _english, _dot,
    _comma of the core: the same as trying the patterns of _SHAPES in order."""
    german, english = pl.col("_german"), pl.col("_english")
    dot, comma, core = pl.col("_dot"), pl.col("_comma"), pl.col("_core")

    def shape(name: str) -> pl.Expr:
        return pl.lit(_SHAPE[name], pl.UInt8)

    return (
        pl.when(german & english)
        .then(
            pl.when(dot)
            .then(shape("ambiguous_dot"))
            .when(comma)
            .then(shape("ambiguous_comma"))
            .when(core.str.starts_with("0") & (core.str.len_bytes() > 1))
            .then(shape("leading_zero"))
            .otherwise(shape("integer"))
        )
        .when(german)
        .then(pl.when(comma).then(shape("decimal_de")).otherwise(shape("grouped_de")))
        .when(english)
        .then(pl.when(dot).then(shape("decimal_en")).otherwise(shape("grouped_en")))
        .otherwise(pl.lit(0, pl.UInt8))
    )


def _numbers(part: pl.DataFrame, keep: list[str]) -> pl.DataFrame:
    text = pl.col("text")
    core = pl.col("_core")
    frame = part.with_columns(core_of(text).alias("_core"))
    # Nothing taken off the core: no sign, no currency, no percent (the cheap common case).
    undecorated = frame.select(core.str.len_bytes() == text.str.len_bytes()).to_series()
    decorated = frame.filter(~undecorated)
    frame = pl.concat(
        [
            frame.filter(undecorated).with_columns(
                pl.lit(value=False).alias("_negative"), pl.lit(0, pl.UInt8).alias("_decoration")
            ),
            decorated.with_columns(
                negative_of(text).alias("_negative"),
                pl.when(text.str.contains(r"€|[Ee][Uu][Rr]"))
                .then(pl.lit(16, pl.UInt8))
                .when(text.str.ends_with("%"))
                .then(pl.lit(32, pl.UInt8))
                .otherwise(pl.lit(0, pl.UInt8))
                .alias("_decoration"),
            ),
        ]
    ).with_columns(
        core.str.contains(_GERMAN).alias("_german"),
        core.str.contains(_ENGLISH).alias("_english"),
        core.str.contains(".", literal=True).alias("_dot"),
        core.str.contains(",", literal=True).alias("_comma"),
    )
    frame = frame.with_columns(_shape().alias("_shape"))
    shape = pl.col("_shape")
    decoration = (
        pl.when((pl.col("_decoration") == 0) & pl.col("_negative"))
        .then(pl.lit(48, pl.UInt8))
        .otherwise(pl.col("_decoration"))
    )
    frame = frame.with_columns(
        pl.when(shape == 0)
        .then(_code("text"))
        .otherwise((decoration + shape).replace_strict(_NUMBER_CODES, return_dtype=pl.UInt8))
        .alias("code")
    )
    number = number_value(core, pl.col("code"), pl.col("_negative"), german=True)
    return frame.with_columns(
        pl.when(pl.col("code").is_in(_SURE)).then(number).otherwise(None).alias("number"),
        pl.lit(None, pl.Date).alias("day"),
    ).select([*keep, *SCHEMA])


def _dates(part: pl.DataFrame, keep: list[str]) -> pl.DataFrame:
    text = pl.col("text")
    name: pl.Expr = pl.lit("text")
    for code, pattern in reversed(_DATES):
        name = pl.when(text.str.contains(pattern)).then(pl.lit(code)).otherwise(name)
    frame = part.with_columns(name.alias("_format"))
    # The date part, written day.month.year with a four-digit year.
    date_part = text.str.extract(r"^([\d./-]+)")
    iso = date_part.str.extract_groups(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
    german = date_part.str.extract_groups(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
    year = german.struct.field("3")
    long_year = (
        pl.when(year.str.len_chars() == 4)
        .then(year)
        .when(year.cast(pl.Int32, strict=False) <= PIVOT)
        .then(pl.lit("20") + year)
        .otherwise(pl.lit("19") + year)
    )
    day = (
        pl.when(iso.struct.field("1").is_not_null())
        .then(
            pl.concat_str(
                iso.struct.field("3"), iso.struct.field("2"), iso.struct.field("1"), separator="."
            )
        )
        .otherwise(
            pl.concat_str(
                german.struct.field("1"), german.struct.field("2"), long_year, separator="."
            )
        )
        .str.to_date("%d.%m.%Y", strict=False)
    )
    timeless = pl.col("_format").is_in(["time", "text"])
    frame = frame.with_columns(pl.when(timeless).then(None).otherwise(day).alias("day"))
    valid = pl.col("day").is_between(datetime.date(YEARS[0], 1, 1), datetime.date(YEARS[1], 12, 31))
    return frame.with_columns(
        pl.when(timeless | valid)
        .then(pl.col("_format"))
        .otherwise(pl.lit("date_invalid"))
        .replace_strict(ID, return_dtype=pl.UInt8)
        .alias("code"),
        pl.when(valid).then(pl.col("day")).otherwise(None).alias("day"),
        pl.lit(None, pl.Float64).alias("number"),
    ).select([*keep, *SCHEMA])


def resolve(code: str, side: str | None) -> str:
    """The reported format of a code once the column's ``side`` ("de", "en") is known; the
    neutral code while it is undecided (None)."""
    if code not in AMBIGUOUS:
        return code
    if side is None:
        return code if code in FORMATS else code.split("~")[0]
    if code in AMBIGUOUS_DECORATED:
        return f"{code.split('~')[0]}_{side}"
    dot = code == "thousands_or_decimal_dot"
    if side == "de":
        return "integer_grouped_de" if dot else "decimal_de"
    return "decimal_en" if dot else "integer_grouped_en"
