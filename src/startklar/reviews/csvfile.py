"""Items to review from a CSV file: read, checked cell by cell, refused as a whole with every
problem named by its line and column (the services check the rest, all or nothing)."""

from __future__ import annotations

import csv
import datetime
import io

from django.utils.translation import gettext as _

from .services import NewItem, Problem

COLUMNS = {
    "output": "output",
    "ausgabe": "output",
    "ki-ausgabe": "output",
    "reference": "reference",
    "referenz": "reference",
    "context": "context",
    "kontext": "context",
    "eingabe": "context",
    "sampled_on": "sampled_on",
    "date": "sampled_on",
    "datum": "sampled_on",
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes every byte


def _date(value: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def read(data: bytes, today: datetime.date) -> tuple[list[NewItem], list[int], list[Problem]]:
    """The items of a CSV file, the file line of each, and the problems found (line, column).
    A missing date is today's."""
    text = _text(data).replace("\x00", "")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [], [Problem(1, "file", _("The file is empty."))]
    names = [COLUMNS.get(h.strip().lower()) for h in header]
    if "output" not in names:
        return [], [], [Problem(1, "output", _("The file needs a column “output”."))]
    items: list[NewItem] = []
    lines: list[int] = []
    problems: list[Problem] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            values = {n: row[i] for i, n in enumerate(names) if n and i < len(row)}
            day = today
            if values.get("sampled_on", "").strip():
                parsed = _date(values["sampled_on"])
                if parsed is None:
                    problems.append(
                        Problem(
                            line, "sampled_on", _("Not a date (e.g. 2026-03-02 or 02.03.2026).")
                        )
                    )
                    continue
                day = parsed
            items.append(
                NewItem(
                    output=values.get("output", ""),
                    sampled_on=day,
                    reference=values.get("reference", ""),
                    context=values.get("context", ""),
                )
            )
            lines.append(line)
    except csv.Error as error:
        problems.append(
            Problem(
                reader.line_num, "file", _("Not readable as CSV (%(error)s).") % {"error": error}
            )
        )
    return items, lines, problems
