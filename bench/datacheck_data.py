"""The data check benchmark's file: a messy ERP export with known ground truth, made at run time.

``write(path, rows)`` writes a semicolon-separated UTF-8 CSV of ``rows`` data rows and 20 columns
the way German SME exports look (German numbers and dates, two columns with mixed formats, a few
rows exported twice, personal data next to article numbers that only look like phone numbers)
and returns what a profile has to find in it (``Truth``). The columns are built with numpy and
polars, not row by row in Python, so a million rows take a few seconds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

SEED = 20261207
DUPLICATE_SHARE = 0.01  # rows exported twice
FIRST_NAMES = (
    "Anna",
    "Jonas",
    "Lea",
    "Ömer",
    "Petra",
    "Lukas",
    "Mia",
    "Felix",
    "Sophie",
    "Jürgen",
    "Sabine",
    "Thomas",
    "Ayşe",
    "Elias",
    "Greta",
    "Karl",
    "Ursula",
    "Hannah",
    "Paul",
    "Emilia",
    "Ben",
    "Clara",
    "Noah",
    "Marie",
    "Leon",
    "Ida",
    "Finn",
    "Lina",
    "Jan",
    "Frieda",
)
LAST_NAMES = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Kaya",
    "Yılmaz",
)
GROUPS = ("Handel", "Industrie", "Handwerk", "Öffentlich", "-")
NOTES = ("Eilauftrag", "Rückfrage Preis", "Teillieferung", "Gutschrift folgt")
DOMAINS = ("example.com", "beispiel.de", "firma-gmbh.de", "mail.example.org")


@dataclass(frozen=True)
class Truth:
    rows: int  # data rows in the file, the planted duplicates included
    duplicate_rows: int  # rows that repeat an earlier row
    columns: tuple[str, ...]
    mixed: frozenset[str]  # columns with two formats of one type
    personal: frozenset[str]  # columns that hold personal data
    duplicate_key: str  # the id column the duplicate rows repeat
    date_column: str  # the main date column


COLUMNS = (
    "Belegnr",
    "Belegdatum",  # mixed: dd.mm.yyyy and (after a system change) yyyy-mm-dd
    "Lieferdatum",  # dd.mm.yy throughout
    "Artikelnr",  # six digits with leading zeros: an identifier, not a number, not a phone
    "Menge",  # integers with "k.A."
    "Einzelpreis",  # German decimals with thousands dots
    "Umsatz",  # mixed: German and English decimals
    "Rabatt",  # percent
    "Betrag",  # euro amounts
    "Bezahlt",  # ja/nein
    "Kundengruppe",  # a category with "-" for missing
    "Bemerkung",  # mostly empty
    "Mandant",  # constant
    "E-Mail",
    "Telefon",
    "IBAN",
    "Kundenname",
    "Geburtsdatum",
    "PLZ",  # postcodes with leading zeros, no street beside them
    "Lagerbestand",  # German integers with thousands dots ("1.234" is 1234 here)
)
TRUTH_MIXED = frozenset({"Belegdatum", "Umsatz"})
TRUTH_PERSONAL = frozenset({"E-Mail", "Telefon", "IBAN", "Kundenname", "Geburtsdatum"})


def _german(values: pl.Expr, decimals: int = 2) -> pl.Expr:
    """1234567.5 → "1.234.567,50" (thousands dots, decimal comma; no comma for 0 decimals)."""
    scaled = (values * 10**decimals).round(0).cast(pl.Int64)
    whole = scaled // 10**decimals
    millions, thousands, rest = whole // 1_000_000, whole // 1000 % 1000, whole % 1000
    grouped = (
        pl.when(millions > 0)
        .then(
            pl.concat_str(
                millions.cast(pl.String),
                pl.lit("."),
                thousands.cast(pl.String).str.zfill(3),
                pl.lit("."),
                rest.cast(pl.String).str.zfill(3),
            )
        )
        .when(thousands > 0)
        .then(
            pl.concat_str(thousands.cast(pl.String), pl.lit("."), rest.cast(pl.String).str.zfill(3))
        )
        .otherwise(rest.cast(pl.String))
    )
    if decimals == 0:
        return grouped
    fraction = (scaled % 10**decimals).cast(pl.String).str.zfill(decimals)
    return pl.concat_str(grouped, pl.lit(","), fraction)


def _ascii(name: pl.Expr) -> pl.Expr:
    """A name as it goes into an e-mail address: "Müller" → "mueller"."""
    return name.str.to_lowercase().str.replace_many(
        ["ä", "ö", "ü", "ß", "ı", "ş"], ["ae", "oe", "ue", "ss", "i", "s"]
    )


def _ibans(rng: np.random.Generator, count: int) -> pl.Series:
    """Valid German IBANs (DE, check digits per ISO 7064 mod 97-10, 18-digit BBAN)."""
    bban = rng.integers(10**17, 10**18, size=count, dtype=np.int64)
    # "DE" is 13 14, check digits 00 appended: BBAN · 10^6 + 131400, mod 97 step by step.
    high, low = bban // 10**9, bban % 10**9
    remainder = (high % 97 * (10**9 % 97) + low % 97) % 97
    remainder = (remainder * (10**6 % 97) + 131400) % 97
    check = 98 - remainder
    return pl.Series(
        [f"DE{c:02d}{b:018d}" for c, b in zip(check.tolist(), bban.tolist(), strict=True)]
    )


def frame(rows: int, seed: int = SEED) -> tuple[pl.DataFrame, Truth]:
    rng = np.random.default_rng(seed)
    unique = rows - int(rows * DUPLICATE_SHARE)
    n = unique
    start = datetime.date(2023, 1, 1)
    offsets = np.sort(rng.integers(0, 3 * 365, size=n))
    days = pl.Series(offsets).cast(pl.Int32)
    day = pl.lit(start) + pl.duration(days=pl.col("offset"))
    switch = int(0.71 * 3 * 365)  # the new ERP writes ISO dates from here on
    quantity = rng.integers(1, 60, size=n)
    price = np.round(rng.lognormal(3.0, 1.2, size=n), 2)
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), size=n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), size=n)]
    base = pl.DataFrame(
        {
            "id": np.arange(100001, 100001 + n),
            "offset": days,
            "quantity": quantity,
            "price": price,
            "revenue": np.round(quantity * price, 2),
            "english": rng.random(n) < 0.3,
            "discount": rng.choice([0.0, 2.0, 3.0, 5.0, 7.5, 10.0, 12.5], size=n),
            "paid": rng.random(n) < 0.8,
            "group": np.array(GROUPS)[rng.integers(0, len(GROUPS), size=n)],
            "note": pl.Series(
                np.where(
                    rng.random(n) < 0.03,
                    np.array(NOTES)[rng.integers(0, len(NOTES), size=n)],
                    "",
                )
            ).replace("", None),
            "first": first,
            "last": last,
            "mail_n": rng.integers(1, 999, size=n),
            "domain": np.array(DOMAINS)[rng.integers(0, len(DOMAINS), size=n)],
            "phone": rng.integers(1_000_000, 99_999_999, size=n),
            "mobile": rng.random(n) < 0.5,
            "birth": rng.integers(0, 365 * 50, size=n),
            "plz": rng.integers(1067, 99999, size=n),
            "article": rng.integers(1, 60_000, size=n),
            "stock": np.where(
                rng.random(n) < 0.02,
                rng.integers(1_000_000, 3_000_000, size=n),
                rng.integers(0, 20_000, size=n),
            ),
            "missing_quantity": rng.random(n) < 0.02,
        }
    )
    base = base.with_columns(_ibans(rng, n).alias("iban"))
    out = base.select(
        pl.col("id").cast(pl.String).alias("Belegnr"),
        pl.when(pl.col("offset") < switch)
        .then(day.dt.strftime("%d.%m.%Y"))
        .otherwise(day.dt.strftime("%Y-%m-%d"))
        .alias("Belegdatum"),
        (day + pl.duration(days=3)).dt.strftime("%d.%m.%y").alias("Lieferdatum"),
        pl.col("article").cast(pl.String).str.zfill(6).alias("Artikelnr"),
        pl.when(pl.col("missing_quantity"))
        .then(pl.lit("k.A."))
        .otherwise(pl.col("quantity").cast(pl.String))
        .alias("Menge"),
        _german(pl.col("price")).alias("Einzelpreis"),
        pl.when(pl.col("english"))
        .then(pl.col("revenue").round(2).cast(pl.String))
        .otherwise(_german(pl.col("revenue")))
        .alias("Umsatz"),
        pl.concat_str(
            pl.col("discount").cast(pl.String).str.replace(r"\.0$", "").str.replace(r"\.", ","),
            pl.lit(" %"),
        ).alias("Rabatt"),
        pl.concat_str(_german(pl.col("revenue") * 1.19), pl.lit(" €")).alias("Betrag"),
        pl.when(pl.col("paid")).then(pl.lit("ja")).otherwise(pl.lit("nein")).alias("Bezahlt"),
        pl.col("group").alias("Kundengruppe"),
        pl.col("note").alias("Bemerkung"),
        pl.lit("01").alias("Mandant"),
        pl.concat_str(
            _ascii(pl.col("first")),
            pl.lit("."),
            _ascii(pl.col("last")),
            pl.col("mail_n").cast(pl.String),
            pl.lit("@"),
            pl.col("domain"),
        ).alias("E-Mail"),
        pl.when(pl.col("mobile"))
        .then(pl.concat_str(pl.lit("+49 171 "), pl.col("phone").cast(pl.String)))
        .otherwise(pl.concat_str(pl.lit("0711/"), pl.col("phone").cast(pl.String)))
        .alias("Telefon"),
        pl.col("iban").alias("IBAN"),
        pl.concat_str(pl.col("first"), pl.lit(" "), pl.col("last")).alias("Kundenname"),
        (pl.lit(datetime.date(1950, 1, 1)) + pl.duration(days=pl.col("birth")))
        .dt.strftime("%d.%m.%Y")
        .alias("Geburtsdatum"),
        pl.col("plz").cast(pl.String).str.zfill(5).alias("PLZ"),
        _german(pl.col("stock").cast(pl.Float64), 0).alias("Lagerbestand"),
    )
    extra = rows - n
    if extra:
        picks = pl.Series(rng.choice(n, size=extra, replace=False)).sort()
        copies = out[picks]
        out = pl.concat([out, copies]).sort(pl.col("Belegnr").cast(pl.Int64), maintain_order=True)
    truth = Truth(
        rows=rows,
        duplicate_rows=extra,
        columns=COLUMNS,
        mixed=TRUTH_MIXED,
        personal=TRUTH_PERSONAL,
        duplicate_key="Belegnr",
        date_column="Belegdatum",
    )
    return out, truth


def write(path: Path, rows: int, seed: int = SEED) -> Truth:
    data, truth = frame(rows, seed)
    data.write_csv(path, separator=";", null_value="")
    return truth
