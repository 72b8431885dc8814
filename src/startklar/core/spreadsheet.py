"""Rows of people's text written into Excel files so that Excel shows them and never runs them.

openpyxl turns every string that starts with ``=`` into a formula, so a use-case title such as
``=HYPERLINK("https://…","Angebot")`` or ``=cmd|' /C calc'!A0`` would become a live formula in
every exported file (CSV/formula injection). :func:`append_row` writes each text as a string
cell; a text that Excel would read as the start of a formula (``= + - @``, tab, carriage return)
also gets Excel's own quote prefix (the apostrophe a person types), so editing the cell in Excel
keeps it text. The value itself is unchanged, so an exported file imports back as it was.
Characters that XML cannot hold (control characters such as vertical tab, BEL, ESC) are left
out instead of making the whole export fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported where a file is written, not when the app starts
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """``value`` without the characters an .xlsx file cannot store."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append ``values`` as the next row; every text is a plain, never evaluated string."""
    row = [clean_text(v) if isinstance(v, str) else v for v in values]
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True
