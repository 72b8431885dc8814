"""The profile as JSON-ready data: what to_dict writes, from_dict reads back, and nothing else."""

from __future__ import annotations

import copy
import json

import pytest

from startklar.datacheck.engine.model import (
    ColumnProfile,
    DateCoverage,
    FormatShare,
    Profile,
    Sniffed,
)
from startklar.datacheck.engine.personal import PersonalFinding


def column(name: str = "Umsatz", personal: bool = False) -> ColumnProfile:
    return ColumnProfile(
        name=name,
        position=0,
        inferred="number",
        formats=(
            FormatShare("decimal_de", 0.71, 71, "" if personal else "1.234,56"),
            FormatShare("decimal_en", 0.29, 29, "" if personal else "1234.56"),
        ),
        mixed=True,
        missing=3,
        placeholders={"k.A.": 2, "": 1},
        distinct=90,
        top=() if personal else (("12,50", 4),),
        minimum=None if personal else "0,50",
        maximum=None if personal else "99.999,00",
        outliers=1,
        constant=False,
        near_empty=False,
        numbers_as_text=False,
        both_decimal_separators=True,
        ambiguous=0,
        whitespace=2,
        personal=(PersonalFinding("iban", 100, 1.0, "checksum"),) if personal else (),
    )


def profile() -> Profile:
    return Profile(
        engine_version="1.0",
        sniffed=Sniffed(
            kind="csv",
            encoding="windows-1252",
            delimiter=";",
            quote='"',
            header_row=0,
            sheets=(),
            sheet="",
            columns=("Umsatz", "IBAN"),
        ),
        rows=103,
        blank_rows=1,
        columns=(column(), column("IBAN", personal=True)),
        duplicate_rows=2,
        candidate_keys=("IBAN",),
        duplicate_keys={"Belegnr": 2},
        coverage=DateCoverage(
            column="Datum",
            first="2026-01-01",
            last="2026-03-31",
            grain="month",
            expected_periods=3,
            missing_periods=1,
            longest_gap_days=28,
            gaps=(("2026-02-01", "2026-02-28"),),
        ),
        personal_columns=("IBAN",),
        warnings=("title_rows",),
    )


def test_round_trip_through_json() -> None:
    original = profile()
    data = json.loads(json.dumps(original.to_dict()))
    assert Profile.from_dict(data) == original
    without = Profile(**{**original.__dict__, "coverage": None})
    assert Profile.from_dict(json.loads(json.dumps(without.to_dict()))) == without


def test_a_column_by_name_and_its_values_present() -> None:
    found = profile()
    assert found.column("IBAN").personal[0].kind == "iban"
    assert found.column("Umsatz").present == 100
    with pytest.raises(KeyError):
        found.column("nowhere")


def spoiled(path: tuple[object, ...], value: object) -> dict[str, object]:
    data = copy.deepcopy(profile().to_dict())
    target: object = data
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    if value is KeyError:
        del target[path[-1]]  # type: ignore[attr-defined]
    else:
        target[path[-1]] = value  # type: ignore[index]
    return data


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema",), 99),
        (("rows",), KeyError),
        (("rows",), "many"),
        (("rows",), True),
        (("engine_version",), 1),
        (("sniffed",), []),
        (("sniffed", "kind"), "pdf"),
        (("sniffed", "header_row"), "0"),
        (("sniffed", "sheets"), "Tabelle1"),
        (("sniffed", "sheets"), [1]),
        (("columns",), {}),
        (("columns", 0, "inferred"), "money"),
        (("columns", 0, "mixed"), "yes"),
        (("columns", 0, "minimum"), 5),
        (("columns", 0, "formats", 0, "share"), "71 %"),
        (("columns", 0, "formats", 0, "share"), False),
        (("columns", 0, "placeholders"), [["k.A.", 2]]),
        (("columns", 0, "placeholders", "k.A."), 2.5),
        (("columns", 0, "top"), [["12,50"]]),
        (("columns", 0, "top"), [[12, 4]]),
        (("columns", 1, "personal", 0, "kind"), "shoe_size"),
        (("coverage", "grain"), "hour"),
        (("coverage", "gaps"), [["2026-02-01"]]),
        (("coverage", "gaps"), [[1, 2]]),
        (("coverage",), "monthly"),
    ],
)
def test_from_dict_refuses_what_to_dict_never_writes(
    path: tuple[object, ...], value: object
) -> None:
    with pytest.raises(ValueError, match=r"."):
        Profile.from_dict(spoiled(path, value))
