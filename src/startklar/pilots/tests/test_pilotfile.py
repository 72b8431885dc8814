"""Pilot files (issue 14, point 7): every key known or refused with its line, numbers finite,
dates real and at their period's start; what a good file says is what the engine gets, and a
written file reads back to the same pilot."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from startklar.core.yamlfile import YamlFileError
from startklar.pilots import engine, pilotfile
from startklar.reviews.engine import Cadence

ROOT = Path(__file__).resolve().parents[4]
TODAY = datetime.date(2026, 12, 9)
GOOD = """\
name: Belege
start: 2026-10-12
end: 2026-12-13
systems: [Belegleser]
kpis:
  - name: Zeit
    category: effizienz
    unit: min
    direction: lower
    baseline: {value: 12, date: 2026-10-05}
    target: {value: 4, date: 2026-12-14}
    measurements:
      - [2026-10-12, 11.2]
      - {period: 2026-10-19, value: 9.8}
      - [2026-10-26, 8.9]
reviews:
  - name: Stichprobe
    system: Belegleser
    threshold: 10
    precision: 5
    confidence: 95
    expected_rate: 10
    baseline: {errors: 4, items: 80}
    periods:
      - {start: 2026-10-26, items: 40, errors: 3}
      - {start: 2026-11-02, verdicts: [ok, falsch, minor, critical]}
      - {start: 2026-11-09, items: 40, errors: 9, alert: {handled: Prompt angepasst}}
gate:
  business_case: {planned: 5400, actual: 4706.53}
  classification: {done: true}
  dpia: done
  users: 2
  untrained: [Jonas]
  operation_owner: Ömer
  notes: {usage_policy: unterschrieben}
"""


def read(tmp_path: Path, text: str) -> pilotfile.PilotSpec:
    path = tmp_path / "pilot.yaml"
    path.write_text(text, encoding="utf-8")
    return pilotfile.read(path, today=TODAY)


def test_a_good_file_is_read_into_what_the_engines_take(tmp_path: Path) -> None:
    pilot = read(tmp_path, GOOD)
    assert (pilot.name, pilot.start, pilot.end, pilot.systems) == (
        "Belege",
        datetime.date(2026, 10, 12),
        datetime.date(2026, 12, 13),
        ("Belegleser",),
    )
    kpi = pilot.kpis[0]
    assert kpi.direction is engine.Direction.LOWER
    assert kpi.period == "week"  # the web form's default
    assert [m.value for m in kpi.measurements] == [11.2, 9.8, 8.9]
    assert kpi.latest == 8.9
    assert kpi.missed
    plan = pilot.reviews[0]
    assert (plan.threshold, plan.precision, plan.confidence, plan.expected_rate) == (
        0.1,
        0.05,
        0.95,
        0.1,
    )
    assert plan.cadence is Cadence.WEEKLY
    assert plan.active
    assert plan.required == 139  # 1.96² · 0.1 · 0.9 / 0.05²
    verdicts = plan.periods[1]
    assert (verdicts.items, verdicts.errors) == (4, 2)  # falsch and critical are errors
    assert plan.periods[2].alert == "handled"
    assert plan.periods[2].handled == "Prompt angepasst"
    assert pilotfile.open_alerts(plan, [False, False, True]) == 0
    assert pilotfile.open_alerts(plan, [True, False, True]) == 1
    gate = pilot.gate
    assert gate.business_case == (5400, 4706.53)
    assert gate.classified
    assert not gate.prohibited
    assert not gate.duties
    assert gate.notes == {engine.GateItem.USAGE_POLICY: "unterschrieben"}
    facts = pilotfile.evidence(pilot)
    assert facts.kpis_missed == ("Zeit",)
    assert facts.kpi_count == 1
    assert facts.untrained == ("Jonas",)
    assert facts.operation_owner
    assert (facts.planned, facts.actual) == (5400, 4706.53)


def test_a_written_pilot_reads_back_the_same(tmp_path: Path) -> None:
    pilot = read(tmp_path, GOOD)
    again = read(tmp_path, pilotfile.dump(pilot, ("Kopf", "")))
    assert again == pilot
    bare = pilotfile.PilotSpec(
        name='Mit "Anführung": und # Raute',
        goal="",
        start=pilot.start,
        end=pilot.end,
        systems=(),
        kpis=(),
        reviews=(),
        gate=pilotfile.GateSpec(business_case=(None, None), dpia=engine.Dpia.NOT_NEEDED),
    )
    assert read(tmp_path, pilotfile.dump(bare)) == bare
    stale = pilotfile.PeriodSpec(datetime.date(2026, 10, 1), 0, 0, "open")
    plan = pilot.reviews[0]
    monthly = pilotfile.PlanSpec(
        name="Monat",
        system="",
        cadence=Cadence.MONTHLY,
        active=False,
        threshold=15.5 / 100,
        precision=10 / 100,
        confidence=99.9 / 100,
        expected_rate=None,
        baseline=None,
        periods=(stale, pilotfile.PeriodSpec(datetime.date(2026, 11, 1), 25, 2)),
    )
    with_plans = dataclasses.replace(pilot, reviews=(plan, monthly))
    written = pilotfile.dump(with_plans)
    assert "{start: 2026-10-01, items: 0, errors: 0, alert: open}" in written
    assert read(tmp_path, written) == with_plans
    with pytest.raises(pilotfile.PilotFileError, match="2026-10-02 is not the 1st"):
        read(tmp_path, written.replace("start: 2026-10-01", "start: 2026-10-02"))


def test_the_example_file_is_a_good_pilot() -> None:
    pilot = pilotfile.read(ROOT / "examples" / "pilots" / "belegerfassung.yaml")
    assert [k.name for k in pilot.kpis if k.missed] == ["Bearbeitungszeit je Rechnung"]
    assert pilot.reviews[0].periods[-1].items == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Unknown keys: named with their line and the likely meant one.
        (("name: Belege", "titel: Belege"), "line 1: titel: unknown key 'titel'"),
        (("    threshold: 10", "    treshold: 10"), "line 19: reviews[1].treshold: unknown key"),
        (("    threshold: 10", "    treshold: 10"), "did you mean 'threshold'?"),
        (("    unit: min", "    units: min"), "line 8: kpis[1].units: unknown key 'units'"),
        (("{value: 12, date", "{value: 12, datum: 2026-10-01, date"), "line 10: kpis[1].baseline"),
        (("  dpia: done", "  dsfa: done"), "line 31: gate.dsfa: unknown key"),
        (("{usage_policy: unterschrieben}", "{policy: x}"), "gate.notes.policy: unknown key"),
        (
            ("alert: {handled: Prompt angepasst}", "alert: {done: x}"),
            "reviews[1].periods[3].alert.done: unknown key",
        ),
        (("name: Belege\n", "name: Belege\nname: Zwei\n"), "line 2: name: given twice (first in"),
        # Missing and wrong shapes.
        (("name: Belege\n", ""), "name: is missing"),
        (("systems: [Belegleser]", "systems: Belegleser"), "line 4: systems: needs a list"),
        (("  - name: Zeit\n", "  - Zeit\n  - name: Zeit\n"), "line 6: kpis[1]: needs a mapping"),
        (
            ("    category: effizienz", "    category: speed"),
            "line 7: kpis[1].category: must be one",
        ),
        # Direction.
        (("direction: lower", "direction: down"), "line 9: kpis[1].direction: must be one of"),
        (("    direction: lower\n", ""), "kpis[1].direction: is missing"),
        # Numbers: finite, not text, in range.
        (("[2026-10-12, 11.2]", "[2026-10-12, .nan]"), "line 13: kpis[1].measurements[1]: needs"),
        (("[2026-10-12, 11.2]", "[2026-10-12, .inf]"), "finite number (not NaN or infinity)"),
        (("[2026-10-12, 11.2]", "[2026-10-12, '11,2']"), "needs a number (write 12.5, not 12,5)"),
        (("[2026-10-12, 11.2]", "[2026-10-12, 1.0e+20]"), "must lie between -1e+12 and 1e+12"),
        (("[2026-10-12, 11.2]", "[2026-10-12, true]"), "kpis[1].measurements[1]: needs a number"),
        (("[2026-10-12, 11.2]", "[2026-10-12]"), "measurements[1]: needs [date, value]"),
        (("{value: 4, date", "{value: 12, date"), "kpis[1].target.value: must differ"),
        (("threshold: 10", "threshold: 150"), "reviews[1].threshold: must lie between 0 and 100 %"),
        (("threshold: 10", "threshold: '10 %'"), None),
        (("threshold: 10", "threshold: 'zehn %'"), "needs a percentage such as 10"),
        (("precision: 5", "precision: 0.05"), "reviews[1].precision: must lie between 1 and 25 %"),
        (("items: 40, errors: 3}", "items: 40, errors: 41}"), "41 errors in 40 items judged"),
        (("items: 40, errors: 3}", "items: 4.5, errors: 3}"), "items: needs a whole number"),
        (("items: 40, errors: 3}", "errors: 3}"), "periods[1].items: is missing"),
        (("{errors: 4, items: 80}", "{errors: 4, items: 0}"), "needs at least one item"),
        (("{errors: 4, items: 80}", "{errors: 90, items: 80}"), "90 errors in 80 items"),
        (("[ok, falsch, minor, critical]", "[ok, kaputt]"), "periods[2].verdicts[2]: must be"),
        (("verdicts: [ok", "items: 4, verdicts: [ok"), "give either verdicts or items and errors"),
        (("  users: 2", "  users: 0"), "gate.untrained: names 1 people of 0 users"),
        (("  users: 2", "  users: -1"), "gate.users: must lie between 0 and"),
        # Dates: real, without time, not before 2000, measurements not in the future, at the
        # start of their period.
        (("start: 2026-10-12", "start: 12.10.2026"), "line 2: start: needs a date such as"),
        (
            ("start: 2026-10-12", "start: 2026-02-30"),
            "line 2: start: 2026-02-30 is no date of the calendar",
        ),
        (("start: 2026-10-12", "start: '2026-10-12'"), None),
        (("start: 2026-10-12", "start: 2026-10-12T10:00:00"), "needs a date without a time"),
        (("start: 2026-10-12", "start: 1999-12-31"), "start: lies before 2000"),
        (("end: 2026-12-13", "end: 2026-10-01"), "line 3: end: lies before the start"),
        (("[2026-10-26, 8.9]", "[2027-01-04, 8.9]"), "lies in the future (today is 2026-12-09)"),
        (("[2026-10-26, 8.9]", "[2026-10-28, 8.9]"), "2026-10-28 is not a Monday"),
        (
            ("[2026-10-26, 8.9]", "[2026-10-19, 8.9]"),
            "line 15: kpis[1].measurements[3]: 2026-10-19",
        ),
        (("[2026-10-26, 8.9]", "[2026-10-19, 8.9]"), "has a value already (as in line 14)"),
        (("date: 2026-12-14}", "date: 2026-10-01}"), "target.date: must lie after the baseline"),
        (("{start: 2026-11-02, verdicts", "{start: 2026-11-04, verdicts"), "here 2026-11-02"),
        (("{start: 2026-11-02, verdicts", "{start: 2026-10-26, verdicts"), "given twice"),
        # Names that must agree.
        (("    system: Belegleser", "    system: Chatbot"), "'Chatbot' is not among the pilot's"),
        (("  dpia: done", "  dpia: done\n  dpa_missing: [X]"), "'X' is not among the pilot's"),
        (("untrained: [Jonas]", "untrained: [Jonas, Jonas]"), "names a system or person twice"),
        (("  dpia: done", "  dpia: fertig"), "gate.dpia: must be one of unknown, not_needed"),
        (("{done: true}", "{done: ja}"), "gate.classification.done: needs true or false"),
        (("  - name: Zeit\n", "  - name: ''\n"), "kpis[1].name: must not be empty"),
    ],
)
def test_a_bad_file_is_refused_naming_line_and_field(
    tmp_path: Path, change: tuple[str, str], message: str | None
) -> None:
    old, new = change
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    if message is None:
        read(tmp_path, text)  # accepted
        return
    with pytest.raises(YamlFileError) as error:
        read(tmp_path, text)
    assert message in str(error.value)
    assert str(error.value).startswith(str(tmp_path / "pilot.yaml"))


def test_files_that_are_no_pilot_at_all(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError, match="needs a mapping with the keys name"):
        read(tmp_path, "- a list\n")
    with pytest.raises(YamlFileError, match="not valid YAML"):
        read(tmp_path, "name: [unclosed\n")
    with pytest.raises(YamlFileError, match="cannot read the file"):
        pilotfile.read(tmp_path / "missing.yaml")
    assert pilotfile.key_lines("a: [") == {}
    assert pilotfile.key_lines("") == {}


def test_a_duplicate_kpi_name_is_refused(tmp_path: Path) -> None:
    twice = GOOD.replace(
        "reviews:\n", GOOD[GOOD.index("  - name: Zeit") : GOOD.index("reviews:")] + "reviews:\n", 1
    )
    with pytest.raises(pilotfile.PilotFileError, match=r"kpis\[2\]\.name: a KPI named 'Zeit'"):
        read(tmp_path, twice)


def test_a_minimal_pilot_has_every_gate_item_open_but_none_blocked(tmp_path: Path) -> None:
    pilot = read(tmp_path, "name: Leer\nstart: 2026-10-12\nend: 2026-10-12\n")
    gate = engine.gate(pilotfile.evidence(pilot))
    assert not gate.ready
    assert not gate.blocked
    assert len(gate.open) == len(engine.GateItem)
