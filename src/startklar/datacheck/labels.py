"""The data check's codes in words (German and English through gettext): formats, types,
personal data, warnings and why a file could not be read."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

FORMATS: dict[str, Promise] = {
    "integer": _("whole number"),
    "integer_grouped_de": _("number with thousands dots (1.234)"),
    "integer_grouped_en": _("number with thousands commas (1,234)"),
    "decimal_de": _("decimal comma (1.234,56)"),
    "decimal_en": _("decimal point (1,234.56)"),
    "thousands_or_decimal_dot": _("1.234: thousands or decimal?"),
    "thousands_or_decimal_comma": _("1,234: thousands or decimal?"),
    "currency_de": _("amount in € (1.234,56 €)"),
    "currency_en": _("amount in € (€1,234.56)"),
    "currency": _("amount in €"),
    "percent_de": _("percent (12,5 %)"),
    "percent_en": _("percent (12.5%)"),
    "percent": _("percent"),
    "leading_zero": _("number with leading zeros (004711)"),
    "date_de": _("date dd.mm.yyyy"),
    "date_de_short": _("date dd.mm.yy"),
    "date_iso": _("date yyyy-mm-dd"),
    "date_slash": _("date dd/mm/yyyy"),
    "datetime_de": _("date and time dd.mm.yyyy hh:mm"),
    "datetime_iso": _("date and time yyyy-mm-ddThh:mm"),
    "date_invalid": _("impossible date (31.02.)"),
    "time": _("time of day"),
    "boolean_de": _("ja/nein"),
    "boolean_en": pgettext_lazy("format of a value", "yes/no"),
    "boolean_x": _("x for yes"),
    "formula_error": _("Excel error (#DIV/0!, #WERT!)"),
    "text": _("text"),
}

TYPES: dict[str, Promise] = {
    "number": _("numbers"),
    "date": _("dates"),
    "time": _("times"),
    "boolean": _("yes/no"),
    "identifier": _("identifiers"),
    "text": _("text"),
    "error": _("Excel errors"),
    "mixed": _("mixed"),
    "empty": _("empty"),
}

PERSONAL: dict[str, Promise] = {
    "email": _("e-mail addresses"),
    "phone": _("phone numbers"),
    "iban": _("IBANs"),
    "tax_id": _("tax IDs"),
    "social_security": _("social security numbers"),
    "birth_date": _("dates of birth"),
    "address": _("addresses (postcode next to street)"),
    "person_name": _("names of people"),
    "special_category": _("special category of personal data (Art. 9 GDPR)"),
}

SPECIAL: dict[str, Promise] = {
    "health": _("health"),
    "religion": _("religion or beliefs"),
    "trade_union": _("trade union membership"),
    "ethnic_origin": _("ethnic origin"),
    "political_opinion": _("political opinions"),
    "sex_life": _("sex life or sexual orientation"),
    "biometric": _("biometric data"),
    "genetic": _("genetic data"),
}

WARNINGS: dict[str, Promise] = {
    "title_rows": _("Lines above the header were skipped."),
    "no_header": _("The first row holds values, not column names: the columns are numbered."),
    "two_row_header": _("The header has two rows (merged cells); they were joined."),
    "empty_headers": _("Some columns have no name; they are numbered."),
    "duplicate_headers": _("Some column names occur twice; they were numbered."),
    "ragged_rows": _("Some rows have more fields than the header; the extra ones were left out."),
    "double_encoded": _("Umlauts look like “Ã¤”: the file was converted to UTF-8 twice."),
    "encoding_guessed": _(
        "The file starts as UTF-8 but later has Windows characters; it was read as Windows-1252."
    ),
}

FAILURES: dict[str, Promise] = {
    "empty": _("The file is empty or holds no table."),
    "binary": _("This is not a text file: is it a CSV at all?"),
    "encoding": _("The characters of the file could not be read (unknown encoding)."),
    "encoding_mixed": _("The file mixes encodings so that it cannot be read."),
    "quoting": _("A quotation mark is not closed: the rows cannot be told apart."),
    "line_too_long": _("A line is too long: is this really a table?"),
    "too_many_columns": _("The file has more than 2,000 columns."),
    "xlsx_broken": _("The Excel file is damaged."),
    "zip_bomb": _("The Excel file would unpack to far more than its size; it was not opened."),
    "not_a_table": _("This is no Excel workbook."),
    "xls_unsupported": _("Old Excel format (.xls): please save it as .xlsx or CSV."),
    "sheet_not_found": _("The file has no sheet of this name."),
    "timed_out": _("The check stopped before it was finished."),
    "internal": _("The check failed for a reason of our own; please try again."),
}

DELIMITERS: dict[str, Promise] = {
    ";": _("semicolon"),
    ",": _("comma"),
    "\t": _("tab"),
    "|": _("vertical bar"),
}

GRAINS: dict[str, Promise] = {
    "day": _("days"),
    "workday": _("workdays"),
    "week": _("weeks"),
    "month": _("months"),
}

STATES: dict[str, Promise] = {
    "met": _("fulfilled"),
    "not_met": _("not fulfilled"),
    "unclear": _("unclear"),
}


def word(table: dict[str, Promise], code: str) -> str:
    """A code's words; an unknown code (a newer engine's) as it is."""
    found = table.get(code)
    return str(found) if found is not None else code
