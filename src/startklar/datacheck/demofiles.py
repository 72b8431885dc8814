"""The demo company's two exports, made the same way every time (a fixed random seed), with the
faults real SME exports have:

* ``verkauf_export.csv`` from the ERP: Windows-1252, semicolons, German numbers and dates, and
  from a system change on ISO dates in part of the rows; article numbers with leading zeros,
  "k.A." for missing customer groups, a few rows exported twice, one month missing – 30 months
  of daily sales, enough for a demand forecast once the gaps are explained (an export three
  months earlier had a tenth of its rows twice: the source's history shows the mend);
* ``wartungsprotokoll.xlsx``, kept by hand: the faults and a sheet of notes; dates typed
  in two ways, durations as "1,5" and "ca. 2", the technician's name and phone number (personal
  data), a column nobody fills in – 14 months of faults, enough history; whether the failures
  are documented well enough is a question the data check asks.
"""

from __future__ import annotations

import datetime
import io
import random

from openpyxl import Workbook

SEED = 20261207
MACHINES = ("FR-01 Fräse", "FR-02 Fräse", "DR-01 Drehbank", "LS-01 Laser", "BP-01 Biegepresse")
ARTICLES = ("004711", "004712", "010250", "010251", "020300", "020315", "031000", "031010")
GROUPS = ("Handel", "Industrie", "Handwerk", "k.A.")
TECHNICIANS = (
    ("Jonas Weber", "0171 2345678"),
    ("Ömer Kaya", "+49 160 9876543"),
    ("Petra Lange", "0151/23456789"),
)
FAULTS = (
    "Spindel läuft heiß",
    "Kühlmittelpumpe ausgefallen",
    "Sensor Schutztür defekt",
    "Hydraulikdruck zu niedrig",
    "Werkzeugwechsler klemmt",
    "Planmäßige Wartung",
)


def _months_back(today: datetime.date, months: int) -> datetime.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return datetime.date(year, month + 1, 1)


def _german(value: float) -> str:
    whole, cents = f"{value:,.2f}".split(".")
    return whole.replace(",", ".") + "," + cents


def sales_export(today: datetime.date, repeated: int = 4) -> bytes:
    """The ERP's sales export (CSV, Windows-1252) as exported on ``today``, with ``repeated``
    rows exported twice (the first export, before the ERP's export was mended, had many)."""
    rng = random.Random(SEED)  # noqa: S311 - made-up demo data, the same every time
    first = _months_back(today, 30)
    switch = _months_back(today, 8)  # the new ERP writes ISO dates
    gap = _months_back(today, 14)  # a month the old system lost
    lines = ["Belegdatum;Artikelnr;Menge;Umsatz (€);Kundengruppe;Bemerkung"]
    day = first
    while day < today.replace(day=1):
        if day.weekday() < 5 and (day.year, day.month) != (gap.year, gap.month):
            for _ in range(rng.randint(1, 3)):
                quantity = rng.randint(1, 40)
                amount = quantity * rng.choice((12.5, 18.9, 24.0, 129.0, 1450.0))
                date = day.isoformat() if day >= switch else day.strftime("%d.%m.%Y")
                note = rng.choice(("", "", "", "Eilauftrag", "Rückfrage Preis"))
                lines.append(
                    f"{date};{rng.choice(ARTICLES)};{quantity};{_german(amount)};"
                    f"{rng.choice(GROUPS)};{note}"
                )
        day += datetime.timedelta(days=1)
    lines.extend(lines[10 : 10 + repeated])  # rows exported twice
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def maintenance_log(today: datetime.date) -> bytes:
    """The maintenance log kept in Excel (.xlsx, one sheet per year)."""
    rng = random.Random(SEED + 1)  # noqa: S311 - made-up demo data
    first = _months_back(today, 14)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Störungen"
    sheet.append(
        ["Datum", "Maschine", "Störung", "Dauer (h)", "Techniker", "Telefon", "Ersatzteil-Nr"]
    )
    day = first
    while day < today:
        if rng.random() < 0.18:
            name, phone = rng.choice(TECHNICIANS)
            typed = day.strftime("%d.%m.%y") if rng.random() < 0.35 else day.strftime("%d.%m.%Y")
            hours = rng.choice(("1,5", "2", "0,5", "ca. 2", "3", "4,25"))
            sheet.append(
                [typed, rng.choice(MACHINES), rng.choice(FAULTS), hours, name, phone, None]
            )
        day += datetime.timedelta(days=1)
    notes = book.create_sheet("Hinweise")
    notes.append(["Bitte jede Störung am selben Tag eintragen."])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
