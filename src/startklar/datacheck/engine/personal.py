"""Personal data in one column of a file (pure Python with polars; no Django).

:func:`detect_column` looks at a column's header, its values (read as text) and the headers of
the columns near it, and returns what it found as :class:`PersonalFinding`\\ s: the kind, how
many values match, their share of the values present, and why (a reason code). A finding never
holds a value.

Kinds and how each is recognised:

* ``email``: an address (``name@domain.tld``) in the value;
* ``phone``: German and international numbers (``+49``, ``0049``, ``0``; spaces, slashes,
  dashes, brackets) that the ``phonenumbers`` library takes for valid; never in a column whose
  header names an identifier (article or order number …) unless it also names a phone;
* ``iban``: an IBAN whose mod-97 checksum holds (``stdnum.iban``);
* ``tax_id``: the German tax identification number (Steuer-IdNr, 11 digits) with its check
  (``stdnum.de.idnr``);
* ``social_security``: the German pension insurance number (Versicherungsnummer: area number,
  birth date ``DDMMYY``, the initial of the birth name, serial number, check digit) with the
  check digit of § 2 (6) VKVV;
* ``birth_date``: plausible past dates under a header that speaks of birth;
* ``address``: postcodes next to a street column, and streets with house numbers under a street
  header;
* ``person_name``: values starting with first names of the shipped list (half of the values
  and three different names; under a header that may name people, such as Name, Kunde,
  Bearbeiter, a fifth and two), or a header that says it holds names (Vorname, Nachname,
  Ansprechpartner …) over values that look like names;
* ``special_category``: data of the special categories of Art. 9 GDPR (health, religion, trade
  union …), by header only; ``special`` names the category.

Speed: the detectors run vectorised on a column's distinct values with their counts. A column
of more than :data:`SCREEN_ROWS` values is read through a random sample of that many (with a
fixed seed: the same file gives the same findings; random rather than every n-th value, which
could keep in step with subtotal rows), and the counts are scaled to the whole column (off by
about one per cent of it); only a detector for which a few hits are enough (one whose header
hint is present) searches the whole column when the sample has none. Checks in Python
(checksums, ``phonenumbers``) see at most :data:`CHECK_CAP` evenly spread candidates; their
result is scaled to all candidates.

Thresholds: a column is flagged only with at least :data:`MIN_HITS` matching values (fewer only
when the column has fewer values present) and, without a header hint, with a minimum share:
:data:`STRONG_SHARE` for patterns that are unmistakable with their check (e-mail, IBAN, tax id,
pension insurance number), :data:`PHONE_SHARE` for phone numbers, :data:`NAME_SHARE` for first
names. A header hint plus a few hits is enough.

The header hints and the first names are content (``startklar.datacheck.content``); a caller
may pass its own :class:`Vocabulary`.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lazy import LazyModule

if TYPE_CHECKING:
    import phonenumbers
    import polars as pl
    from stdnum import iban as stdnum_iban
    from stdnum.de import idnr
else:  # imported on first use: the findings and hints alone need none of them
    phonenumbers = LazyModule("phonenumbers")
    pl = LazyModule("polars")
    stdnum_iban = LazyModule("stdnum.iban")
    idnr = LazyModule("stdnum.de.idnr")

# Kinds -------------------------------------------------------------------------------------

EMAIL = "email"
PHONE = "phone"
IBAN = "iban"
TAX_ID = "tax_id"
SOCIAL_SECURITY = "social_security"
BIRTH_DATE = "birth_date"
ADDRESS = "address"
PERSON_NAME = "person_name"
SPECIAL_CATEGORY = "special_category"
KINDS = (
    EMAIL,
    PHONE,
    IBAN,
    TAX_ID,
    SOCIAL_SECURITY,
    BIRTH_DATE,
    ADDRESS,
    PERSON_NAME,
    SPECIAL_CATEGORY,
)

# Special categories of personal data (Art. 9 (1) GDPR).
SPECIAL_CATEGORIES = (
    "health",
    "religion",  # religious or philosophical beliefs
    "trade_union",
    "ethnic_origin",  # racial or ethnic origin
    "political_opinion",
    "sex_life",  # sex life or sexual orientation
    "biometric",
    "genetic",
)

# Why a column was flagged.
PATTERN = "pattern"  # the values have the kind's form
HEADER = "header"  # the header alone (special categories; names under a naming header)
PATTERN_HEADER = "pattern+header"
CHECKSUM = "checksum"  # the form and its check digit(s)
CHECKSUM_HEADER = "checksum+header"
FIRST_NAMES = "first_names"  # the values start with first names of the shipped list
FIRST_NAMES_HEADER = "first_names+header"
STREET_NEIGHBOUR = "street_neighbour"  # postcodes next to a street column
REASONS = (
    PATTERN,
    HEADER,
    PATTERN_HEADER,
    CHECKSUM,
    CHECKSUM_HEADER,
    FIRST_NAMES,
    FIRST_NAMES_HEADER,
    STREET_NEIGHBOUR,
)

# The header hints a vocabulary has (besides one per special category).
HINT_KEYS = (
    EMAIL,
    PHONE,
    IBAN,
    TAX_ID,
    SOCIAL_SECURITY,
    BIRTH_DATE,
    "postcode",
    "street",
    PERSON_NAME,  # names people: Vorname, Ansprechpartner …
    "person_name_weak",  # may name people: Name, Kunde …
    "identifier",  # article, order, invoice numbers …: no phone numbers, no names
    "not_person",  # colours, products, companies, places …: no names
)

# Thresholds --------------------------------------------------------------------------------

MIN_HITS = 3  # matching values below which no column is flagged (one stray value never is)
STRONG_SHARE = 0.05  # e-mail, IBAN, tax id, pension insurance number without a header hint
PHONE_SHARE = 0.6  # phone numbers without a header hint
NAME_SHARE = 0.5  # values starting with a first name, without a header hint
WEAK_NAME_SHARE = 0.2  # the same under a header that may name people ("Name", "Kunde")
NAME_DISTINCT = 3  # different first names needed (a colour column of "Rosa" is no name list)
NAME_DISTINCT_HINTED = 2  # the same under a header that names or may name people
NAME_LIKE_SHARE = 0.5  # values that look like names under a header that names people
POSTCODE_SHARE = 0.8  # postcode-shaped values without a postcode header
STREET_SHARE = 0.5  # "street house-number" values under a street header
SCREEN_ROWS = 20_000  # a longer column is read through a random sample of this many values
SEED = 16  # of that sample: the same file gives the same findings
CHECK_CAP = 1_000  # candidates checked in Python (checksums, phonenumbers) at most
NEIGHBOUR_SPAN = 3  # columns on either side whose headers count as neighbours
OLDEST_AGE_YEARS = 120  # a birth date further back is not plausible

# Patterns ----------------------------------------------------------------------------------

EMAIL_PATTERN = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
# A phone number starts with +, 00 or 0 (German national form), optionally in brackets, and has
# only digits, spaces, slashes, dashes, brackets and dots.
PHONE_CANDIDATE = r"^(?:\+|\(?0)[0-9 ()/.\-]+$"
PHONE_DIGITS = (7, 15)  # digits of a phone number (E.164 allows 15)
DATE_LIKE = r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$"
IBAN_FORM = r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$"
TAX_ID_FORM = r"^[1-9]\d{10}$"
SOCIAL_SECURITY_FORM = r"^\d{8}[A-Z]\d{3}$"
POSTCODE_FORM = r"^(?:D-? ?)?(?:0[1-9]|[1-9]\d)\d{3}(?:\s+\S.*)?$"
STREET_FORM = r"^[^\d,]{3,}\s\d{1,4}\s?[A-Za-z]?(?:\s?[-/]\s?\d{1,4}\s?[A-Za-z]?)?(?:\s*,.*)?$"
# A name: letters (Latin with accents), spaces, hyphens, apostrophes, dots, a comma.
NAME_LIKE = r"^[A-Za-zÀ-ÖØ-öø-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’.\- ,]{1,59}$"
NAME_TOKENS_MAX = 5
TITLES = r"^(?:(?:herr|frau|hr|fr|dr|prof|dipl|ing|mr|mrs|ms)\.?(?:-ing\.?)?\s+)+"
# Formats of a date of birth: (shape, strptime format); two-digit years count back from today.
BIRTH_FORMATS = (
    (r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
    (r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?$", "%Y-%m-%d"),
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "%d/%m/%Y"),
)
BIRTH_FORMAT_SHORT = (r"^\d{1,2}\.\d{1,2}\.\d{2}$", "%d.%m.%y")

VALUE = "value"
COUNT = "n"


# Findings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalFinding:
    """One kind of personal data found in a column: counts only, never a value."""

    kind: str  # one of KINDS
    count: int  # values that match
    share: float  # of the values present (not missing), 0 to 1
    reason: str  # one of REASONS
    special: str | None = None  # the Art. 9 category of a SPECIAL_CATEGORY finding

    def to_dict(self) -> dict[str, str | int | float | None]:
        return {
            "kind": self.kind,
            "count": self.count,
            "share": self.share,
            "reason": self.reason,
            "special": self.special,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PersonalFinding:
        """A finding as :meth:`to_dict` wrote it; ``ValueError`` for anything else."""
        kind, count, share = data.get("kind"), data.get("count"), data.get("share")
        reason, special = data.get("reason"), data.get("special")
        if kind not in KINDS or reason not in REASONS:
            raise ValueError(f"unknown kind or reason: {kind!r}, {reason!r}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"count must be a whole number ≥ 0: {count!r}")
        if not isinstance(share, int | float) or isinstance(share, bool) or not 0 <= share <= 1:
            raise ValueError(f"share must be a number from 0 to 1: {share!r}")
        if (special is None) != (kind != SPECIAL_CATEGORY) or (
            special is not None and special not in SPECIAL_CATEGORIES
        ):
            raise ValueError(f"special category {special!r} does not fit kind {kind!r}")
        return cls(
            str(kind), count, float(share), str(reason), None if special is None else str(special)
        )


# Header hints ------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ])|(?<=[A-ZÄÖÜ])(?=[A-ZÄÖÜ][a-zäöüß])")
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_TOKEN = re.compile(r"[a-z]+|\d+")


def header_tokens(header: str) -> tuple[str, ...]:
    """A header's words in lower case, umlauts written out, accents dropped: ``"AU-Tage"`` →
    ``("au", "tage")``, ``"KundenName"`` → ``("kunden", "name")``, ``"Straße"`` →
    ``("strasse",)``."""
    spaced = _CAMEL.sub(" ", header).lower().translate(_TRANSLITERATE)
    return tuple(_TOKEN.findall(_fold(spaced)))


@dataclass(frozen=True)
class Hint:
    """Matches a header that has one of ``words`` as a word of its own or one of ``parts``
    anywhere (German compounds), unless one of ``unless`` is in it too. Every entry is written
    as :func:`header_tokens` writes headers (lower case, no umlauts)."""

    words: frozenset[str] = frozenset()
    parts: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        tokens = header_tokens(header)
        squashed = "".join(tokens)
        found = (
            squashed in self.words  # "KiSt"
            or any(t in self.words for t in tokens)
            or any(p in squashed for p in self.parts)
        )
        return found and not any(u in squashed for u in self.unless)


@dataclass(frozen=True)
class Vocabulary:
    """What the detectors know beyond the values: header hints (by :data:`HINT_KEYS`), a hint
    per special category (by :data:`SPECIAL_CATEGORIES`) and first names (lower case)."""

    hints: Mapping[str, Hint]
    special: Mapping[str, Hint]
    first_names: frozenset[str]

    def hinted(self, key: str, header: str) -> bool:
        return self.hints[key].matches(header)


def default_vocabulary() -> Vocabulary:
    """The current content's vocabulary (imported here: the content module builds on this
    one)."""
    from startklar.datacheck.content import load_vocabulary

    return load_vocabulary()


def neighbours_of(headers: Sequence[str], position: int) -> tuple[str, ...]:
    """The headers of the columns up to :data:`NEIGHBOUR_SPAN` places either side of
    ``position``: what :func:`detect_column` takes as ``neighbours``."""
    low, high = max(0, position - NEIGHBOUR_SPAN), position + NEIGHBOUR_SPAN + 1
    return tuple(h for i, h in enumerate(headers[low:high], start=low) if i != position)


# Checks in Python --------------------------------------------------------------------------

SOCIAL_SECURITY_WEIGHTS = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)


def social_security_valid(number: str) -> bool:
    """Whether a pension insurance number (12 characters, no spaces) has its check digit: the
    letter becomes its place in the alphabet as two digits (A = 01 … Z = 26), the twelve digits
    before the check digit are multiplied by 2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1, the digit sums
    of the products are added up, and the check digit is that sum modulo 10 (§ 2 (6) VKVV)."""
    if not re.fullmatch(SOCIAL_SECURITY_FORM, number):
        return False
    digits = number[:8] + f"{ord(number[8]) - ord('A') + 1:02d}" + number[9:11]
    total = sum(
        sum(divmod(int(d) * w, 10)) for d, w in zip(digits, SOCIAL_SECURITY_WEIGHTS, strict=True)
    )
    return total % 10 == int(number[11])


def iban_valid(compact: str) -> bool:
    return bool(stdnum_iban.is_valid(compact))


def tax_id_valid(compact: str) -> bool:
    return bool(idnr.is_valid(compact))


def phone_valid(value: str) -> bool:
    """A valid phone number to ``phonenumbers``, read as German unless it has a country code."""
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


# Detection ---------------------------------------------------------------------------------


def _view(values: pl.Series, *, distinct: bool) -> pl.DataFrame:
    """Values present (trimmed, not blank) as ``value`` with their count ``n``: distinct
    values with counts (sorted, so that samples of them are the same in every run), or every
    value with a count of 1 (a long column, where counting distinct values would cost more than
    it saves)."""
    present = values.cast(pl.String).drop_nulls().str.strip_chars()
    present = present.filter(present.str.len_bytes() > 0).alias(VALUE)
    if distinct:
        counted = present.value_counts(name=COUNT).sort(VALUE)
        return counted.with_columns(pl.col(COUNT).cast(pl.Int64))
    return pl.DataFrame({VALUE: present, COUNT: pl.repeat(1, present.len(), eager=True)})


def _total(view: pl.DataFrame) -> int:
    return int(view[COUNT].sum())


def _weight(view: pl.DataFrame, mask: pl.Expr) -> int:
    return _total(view.filter(mask))


def _checked(candidates: pl.DataFrame, check: Callable[[str], bool]) -> int:
    """How many of ``candidates`` (``value``, ``n``) pass ``check``: all of them checked, or at
    most :data:`CHECK_CAP` evenly spread ones and their rate scaled to all."""
    if candidates.height == 0:
        return 0
    step = -(-candidates.height // CHECK_CAP)  # ceiling division
    sample = candidates.gather_every(step)
    values, counts = sample[VALUE].to_list(), sample[COUNT].to_list()
    valid = sum(int(n) for v, n in zip(values, counts, strict=True) if check(str(v)))
    if step == 1:
        return valid
    return round(_total(candidates) * valid / _total(sample))


def _email(view: pl.DataFrame) -> int:
    return _weight(view, pl.col(VALUE).str.contains(EMAIL_PATTERN))


def _phone(view: pl.DataFrame) -> int:
    v = pl.col(VALUE)
    shaped = view.filter(v.str.contains(PHONE_CANDIDATE))  # the cheap test first
    candidates = shaped.filter(
        v.str.count_matches(r"\d").is_between(*PHONE_DIGITS) & ~v.str.contains(DATE_LIKE)
    )
    return _checked(candidates, phone_valid)


def _by_form(
    view: pl.DataFrame, plausible: str, strip: str, form: str, check: Callable[[str], bool]
) -> int:
    """Values that match ``form`` once the characters ``strip`` are taken out and the rest is
    in upper case, and pass ``check``. ``plausible`` is a test of the value as written that
    every such value passes (cheaper than writing every value anew)."""
    compact = pl.col(VALUE).str.replace_all(strip, "").str.to_uppercase()
    shaped = view.filter(pl.col(VALUE).str.contains(plausible))
    candidates = shaped.with_columns(compact.alias(VALUE)).filter(pl.col(VALUE).str.contains(form))
    return _checked(candidates, check)


# What the compact forms need of a value as written: letters and digits (or what turns into
# them in upper case) besides the characters taken out, and a digit.
def _iban(view: pl.DataFrame) -> int:
    return _by_form(view, r"^[\w\s\-]*\d[\w\s\-]*$", r"[\s\-]", IBAN_FORM, iban_valid)


def _tax_id(view: pl.DataFrame) -> int:
    return _by_form(view, r"^[\d\s/\-]+$", r"[\s/\-]", TAX_ID_FORM, tax_id_valid)


def _social_security(view: pl.DataFrame) -> int:
    return _by_form(view, r"^[\w\s]*\d[\w\s]*$", r"\s", SOCIAL_SECURITY_FORM, social_security_valid)


def _birth_dates(view: pl.DataFrame, today: datetime.date) -> int:
    """Values that are dates between :data:`OLDEST_AGE_YEARS` years ago and ``today``."""
    v = pl.col(VALUE)

    def parse(form: str) -> pl.Expr:
        return v.str.slice(0, 10).str.to_date(form, strict=False)

    (shape_1, form_1), (shape_2, form_2), (shape_3, form_3) = BIRTH_FORMATS
    shape_short, form_short = BIRTH_FORMAT_SHORT
    short = parse(form_short)
    parsed = (
        pl.when(v.str.contains(shape_1))
        .then(parse(form_1))
        .when(v.str.contains(shape_2))
        .then(parse(form_2))
        .when(v.str.contains(shape_3))
        .then(parse(form_3))
        .when(v.str.contains(shape_short))
        .then(pl.when(short > today).then(short.dt.offset_by("-100y")).otherwise(short))
        .otherwise(None)
    )
    oldest = today.replace(year=today.year - OLDEST_AGE_YEARS, day=min(today.day, 28))
    return _weight(view, parsed.is_between(oldest, today).fill_null(value=False))


def _postcodes(view: pl.DataFrame) -> int:
    return _weight(view, pl.col(VALUE).str.contains(POSTCODE_FORM))


def _streets(view: pl.DataFrame) -> int:
    return _weight(view, pl.col(VALUE).str.contains(STREET_FORM))


def _name_like() -> pl.Expr:
    v = pl.col(VALUE)
    return v.str.contains(NAME_LIKE) & (v.str.count_matches(r"\s+") < NAME_TOKENS_MAX)


def _name_like_count(view: pl.DataFrame) -> int:
    return _weight(view, _name_like())


@dataclass(frozen=True)
class _Names:
    count: int  # values that look like names and start with (or have after a comma) a first name
    distinct: int  # different first names among them


def _fold(text: str) -> str:
    """``text`` without accents: "zoltán" → "zoltan"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4)
def _known(names: frozenset[str]) -> pl.Series:
    """The first names as they are and without accents (exports often drop them)."""
    return pl.Series(sorted(names | {_fold(n) for n in names}), dtype=pl.String).implode()


def _first_names(view: pl.DataFrame, names: frozenset[str]) -> _Names:
    known = _known(names)
    view = view.filter(_name_like())  # only names count (and the test is cheaper than these)
    lower = pl.col(VALUE).str.to_lowercase().str.replace(TITLES, "")
    whole = lower.str.extract(r"^([^\s,]+)", 1)  # "hans müller"
    head = lower.str.extract(r"^([^\s,\-]+)", 1)  # "anna-lena" when only "anna" is known
    after_comma = lower.str.extract(r",\s*([^\s,]+)", 1)  # "müller, hans"
    found = (
        pl.when(whole.is_in(known))
        .then(whole)
        .when(head.is_in(known))
        .then(head)
        .when(after_comma.is_in(known))
        .then(after_comma)
        .otherwise(None)
    )
    hits = view.with_columns(found.alias("name")).filter(pl.col("name").is_not_null())
    return _Names(_total(hits), hits["name"].n_unique())


class _Column:
    """A column's values: all of them, or for a long column a sample, from which counts are
    scaled to the whole column."""

    def __init__(self, values: pl.Series) -> None:
        self._values = values
        not_null = values.len() - values.null_count()
        self.sampled = not_null > SCREEN_ROWS
        sample = values.drop_nulls().sample(SCREEN_ROWS, seed=SEED) if self.sampled else values
        self.screen = _view(sample, distinct=True)
        self._screened = _total(self.screen)
        # Values present: counted, or in a long column estimated from the sample's blank ones.
        self.present = (
            round(not_null * self._screened / sample.len()) if self.sampled else self._screened
        )

    @functools.cached_property
    def full(self) -> pl.DataFrame:
        return _view(self._values, distinct=False)

    def _scaled(self, hits: int) -> int:
        return min(self.present, round(hits * self.present / self._screened))

    def run(self, detector: Callable[[pl.DataFrame], int], *, rare: bool = False) -> int:
        """Matches of ``detector`` in the column: counted, or in a long column scaled from the
        sample. With ``rare`` (a header hint, when a few hits are enough), a long column whose
        sample has none is searched whole."""
        hits = detector(self.screen)
        if not self.sampled:
            return hits
        if hits:
            return self._scaled(hits)
        return min(self.present, detector(self.full)) if rare else 0

    def names(self, names: frozenset[str]) -> _Names:
        found = _first_names(self.screen, names)
        if not self.sampled:
            return found
        return _Names(self._scaled(found.count), found.distinct)

    def enough(self, count: int, share: float, *, hinted: bool) -> bool:
        """At least MIN_HITS matches (or every value present, if fewer), and with no header
        hint at least ``share`` of the values present."""
        if count == 0 or count < min(MIN_HITS, self.present):
            return False
        return hinted or count >= share * self.present

    def finding(
        self, kind: str, count: int, reason: str, special: str | None = None
    ) -> PersonalFinding:
        return PersonalFinding(kind, count, round(count / self.present, 4), reason, special)


def _with_header(reason: str, *, hinted: bool) -> str:
    return f"{reason}+{HEADER}" if hinted else reason


def detect_column(
    header: str,
    values: pl.Series,
    neighbours: Sequence[str] = (),
    *,
    vocabulary: Vocabulary | None = None,
    today: datetime.date | None = None,
) -> tuple[PersonalFinding, ...]:
    """The personal data in a column.

    ``values`` are the column's values as text with ``None`` for missing ones (blank strings
    count as missing too; a caller that knows placeholders such as "k.A." makes them ``None``
    first). ``neighbours`` are the headers of the columns near it (:func:`neighbours_of`).
    ``today`` bounds dates of birth (default: today)."""
    words = vocabulary or default_vocabulary()
    column = _Column(values)
    if column.screen.height == 0:
        return ()
    hinted = {key: words.hinted(key, header) for key in HINT_KEYS}
    found: list[PersonalFinding] = []

    patterns: tuple[tuple[str, Callable[[pl.DataFrame], int], float, str], ...] = (
        (EMAIL, _email, STRONG_SHARE, PATTERN),
        (IBAN, _iban, STRONG_SHARE, CHECKSUM),
        (TAX_ID, _tax_id, STRONG_SHARE, CHECKSUM),
        (SOCIAL_SECURITY, _social_security, STRONG_SHARE, CHECKSUM),
        (PHONE, _phone, PHONE_SHARE, PATTERN),
    )
    for kind, detector, share, reason in patterns:
        if kind == PHONE and hinted["identifier"] and not hinted[PHONE]:
            continue  # article and order numbers look like phone numbers far too often
        count = column.run(detector, rare=hinted[kind])
        if column.enough(count, share, hinted=hinted[kind]):
            found.append(column.finding(kind, count, _with_header(reason, hinted=hinted[kind])))

    if hinted[BIRTH_DATE]:
        day = today or datetime.date.today()
        count = column.run(lambda view: _birth_dates(view, day), rare=True)
        if column.enough(count, 1.0, hinted=True):
            found.append(column.finding(BIRTH_DATE, count, PATTERN_HEADER))

    found.extend(_address(column, hinted, neighbours, words))
    found.extend(_person_name(column, hinted, words))
    found.extend(
        column.finding(SPECIAL_CATEGORY, column.present, HEADER, category)
        for category in SPECIAL_CATEGORIES
        if words.special[category].matches(header)
    )
    return tuple(found)


def _address(
    column: _Column, hinted: Mapping[str, bool], neighbours: Iterable[str], words: Vocabulary
) -> list[PersonalFinding]:
    """A street column with house numbers, or postcodes next to a street column."""
    if hinted["street"]:
        count = column.run(_streets)
        if column.enough(count, STREET_SHARE, hinted=False):
            return [column.finding(ADDRESS, count, PATTERN_HEADER)]
        return []
    postcode = hinted["postcode"]
    if (hinted["identifier"] and not postcode) or not any(
        words.hinted("street", n) for n in neighbours
    ):
        return []
    count = column.run(_postcodes, rare=postcode)
    if column.enough(count, POSTCODE_SHARE, hinted=postcode):
        return [column.finding(ADDRESS, count, STREET_NEIGHBOUR)]
    return []


def _person_name(
    column: _Column, hinted: Mapping[str, bool], words: Vocabulary
) -> list[PersonalFinding]:
    """First names of the shipped list, or a header that names people over name-like values."""
    strong, weak = hinted[PERSON_NAME], hinted["person_name_weak"]
    if not strong and (hinted["identifier"] or hinted["not_person"]):
        return []
    names = column.names(words.first_names)
    share, distinct = (
        (WEAK_NAME_SHARE, NAME_DISTINCT_HINTED) if strong or weak else (NAME_SHARE, NAME_DISTINCT)
    )
    if names.distinct >= distinct and column.enough(names.count, share, hinted=False):
        reason = _with_header(FIRST_NAMES, hinted=strong or weak)
        return [column.finding(PERSON_NAME, names.count, reason)]
    if strong:
        count = column.run(_name_like_count)
        if column.enough(count, NAME_LIKE_SHARE, hinted=False):
            return [column.finding(PERSON_NAME, count, HEADER)]
    return []
