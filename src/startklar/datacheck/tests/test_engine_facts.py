"""A profile becomes the facts the fitness rules read: grains in the rules' words, months from
the first to the last date."""

from __future__ import annotations

import datetime
from pathlib import Path

from startklar.datacheck.engine import facts, profile
from startklar.datacheck.engine.fitness import months_between


def test_a_workday_series_is_daily_data_over_its_months(tmp_path: Path) -> None:
    lines = ["Datum;Menge"]
    day = datetime.date(2025, 1, 1)
    while day <= datetime.date(2026, 6, 30):
        if day.weekday() < 5:
            lines.append(f"{day:%d.%m.%Y};{day.day}")
        day += datetime.timedelta(days=1)
    path = tmp_path / "absatz.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = facts.facts_from(profile(path, detect=lambda *_args: ()))
    assert found.coverage is not None
    assert found.coverage.grain == "day"
    assert found.coverage.column == "Datum"
    first, last = datetime.date(2025, 1, 1), datetime.date(2026, 6, 30)
    assert found.coverage.months == months_between(first, last)
    assert [c.name for c in found.columns] == ["Datum", "Menge"]
    assert found.columns[1].inferred == "number"
    assert found.rows == len(lines) - 1


def test_a_file_without_dates_has_no_coverage(tmp_path: Path) -> None:
    path = tmp_path / "artikel.csv"
    path.write_text("Artikel;Preis\nA;1,50\nB;2,00\nB;2,00\n", encoding="utf-8")
    found = facts.facts_from(profile(path, detect=lambda *_args: ()))
    assert found.coverage is None
    assert found.duplicate_rows == 1
