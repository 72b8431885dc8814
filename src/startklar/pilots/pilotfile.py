"""Pilots as YAML files (``startklar pilot evaluate`` and ``export``), read strictly.

A pilot file holds what the pilot's pages compute from: the KPIs with their measurements, the
review plans of the pilot's AI systems with items judged and errors per period, and the other
evidence of the scale decision. The format is documented with a full example in
``docs/pilot-file.md`` (and ``examples/pilots/``). Every key is known or refused with its line
(a typo such as ``treshold:`` must not leave the threshold at a default); numbers are finite,
dates are dates, a period's date is the first day of its period.

Pure Python (no Django): the file is read into plain dataclasses; :func:`evidence` builds the
gate's :class:`startklar.pilots.engine.Evidence` from them as ``pilots.queries.evidence`` does
from the database.
"""

from __future__ import annotations

import datetime
import difflib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from startklar.core.yamlfile import YamlFileError, read_yaml
from startklar.reviews.engine import Cadence, period_start, sample_size

from .engine import Direction, Dpia, Evidence, GateItem, Measurement, ReviewFacts, meets

PILOT_KEYS = ("name", "goal", "start", "end", "systems", "kpis", "reviews", "gate")
KPI_KEYS = (
    "name",
    "category",
    "unit",
    "direction",
    "period",
    "baseline",
    "target",
    "waiver",
    "measurements",
)
BASELINE_KEYS = ("value", "date", "method")
TARGET_KEYS = ("value", "date")
MEASUREMENT_KEYS = ("period", "value")
PLAN_KEYS = (
    "name",
    "system",
    "cadence",
    "active",
    "threshold",
    "precision",
    "confidence",
    "expected_rate",
    "baseline",
    "periods",
)
PLAN_BASELINE_KEYS = ("errors", "items")
PERIOD_KEYS = ("start", "items", "errors", "verdicts", "alert")
ALERT_KEYS = ("handled",)
GATE_KEYS = (
    "business_case",
    "classification",
    "dpia",
    "dpa_missing",
    "users",
    "untrained",
    "operation_owner",
    "notes",
)
BUSINESS_CASE_KEYS = ("planned", "actual")
CLASSIFICATION_KEYS = ("done", "prohibited", "duties")

CATEGORIES = ("effizienz", "qualitaet", "wirkung", "nutzung")  # pilots.models.Category
KPI_PERIODS = ("day", "week", "month")  # pilots.models.Period
# Items a person's note counts for (``pilots.queries.NOTE_ITEMS``).
NOTE_ITEMS = (GateItem.KPIS, GateItem.BUSINESS_CASE, GateItem.AI_ACT, GateItem.USAGE_POLICY)
# A reviewer's verdict on one item: its worst severity (German words welcome).
VERDICTS = {
    "ok": False,
    "richtig": False,
    "minor": False,
    "kleine_maengel": False,
    "error": True,
    "falsch": True,
    "critical": True,
    "gefaehrlich": True,
}
MAX_VALUE = 1e12  # a KPI value (pilots.models.MAX_VALUE)
MAX_ITEMS = 10_000_000  # items judged in a period or a baseline
MAX_TEXT = 2000
EARLIEST = datetime.date(2000, 1, 1)

TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Where a key or list entry stands: ("kpis", 0, "target", "date") → line.
Lines = Mapping[tuple[Any, ...], int]


class PilotFileError(YamlFileError):
    """The file cannot be read as a pilot; the message names the line and the field."""


# The file's content -------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSpec:
    name: str
    category: str
    unit: str
    direction: Direction
    period: str  # day, week or month: a measurement's date is its period's first day
    baseline: float
    baseline_date: datetime.date
    baseline_method: str
    target: float
    target_date: datetime.date
    waiver: str  # a documented reason to scale although the target is missed ("" none)
    measurements: tuple[Measurement, ...]  # in order of time

    @property
    def latest(self) -> float | None:
        return self.measurements[-1].value if self.measurements else None

    @property
    def missed(self) -> bool:
        """Counts as missed for the gate: the latest value misses the target, no waiver."""
        if self.waiver:
            return False
        return self.latest is None or not meets(self.direction, self.latest, self.target)


@dataclass(frozen=True)
class PeriodSpec:
    start: datetime.date
    items: int
    errors: int
    alert: str = ""  # "" as the figures say, "open", or "handled"
    handled: str = ""  # what was done about the alert


@dataclass(frozen=True)
class PlanSpec:
    name: str
    system: str
    cadence: Cadence
    active: bool
    threshold: float  # the agreed maximum error rate, a share 0–1
    precision: float  # the wanted precision, ± a share (0.05: ± 5 points)
    confidence: float  # for the sample size, a share (0.95)
    expected_rate: float | None  # a share; None: unknown (0.5, the most cautious)
    baseline: tuple[int, int] | None  # (errors, items)
    periods: tuple[PeriodSpec, ...]

    @property
    def required(self) -> int:
        """Items needed for the wanted precision (as ``ReviewPlan.required``)."""
        expected = 0.5 if self.expected_rate is None else self.expected_rate
        return sample_size(self.precision, self.confidence, expected)


@dataclass(frozen=True)
class GateSpec:
    business_case: tuple[float | None, float | None] | None = None  # (planned, actual)
    classified: bool = False
    prohibited: bool = False
    duties: bool = False
    dpia: Dpia = Dpia.UNKNOWN
    dpa_missing: tuple[str, ...] = ()
    users: int = 0
    untrained: tuple[str, ...] = ()
    operation_owner: str = ""
    notes: dict[GateItem, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PilotSpec:
    name: str
    goal: str
    start: datetime.date
    end: datetime.date
    systems: tuple[str, ...]
    kpis: tuple[KpiSpec, ...]
    reviews: tuple[PlanSpec, ...]
    gate: GateSpec


def open_alerts(plan: PlanSpec, alerting: Sequence[bool]) -> int:
    """The plan's open alerts: periods that alert (``alerting``, in the order of
    ``plan.periods``) and were not handled, plus alerts recorded as still open."""
    return sum(
        1
        for period, alerts in zip(plan.periods, alerting, strict=True)
        if period.alert == "open" or (alerts and period.alert != "handled")
    )


def evidence(
    pilot: PilotSpec, reviews: Sequence[tuple[PlanSpec, ReviewFacts]] | None = None
) -> Evidence:
    """The gate's evidence from the file (``reviews``: the plans' facts as the caller computed
    them with the reviews engine; only active plans count, as on the pages)."""
    gate = pilot.gate
    case = gate.business_case
    return Evidence(
        kpis_missed=tuple(k.name for k in pilot.kpis if k.missed),
        kpi_count=len(pilot.kpis),
        reviews=tuple(facts for plan, facts in reviews or () if plan.active),
        has_business_case=case is not None,
        planned=None if case is None or case[1] is None else case[0],
        actual=None if case is None or case[0] is None else case[1],
        classified=gate.classified,
        prohibited=gate.prohibited,
        duties=gate.duties,
        dpia=gate.dpia,
        systems=pilot.systems,
        dpa_missing=gate.dpa_missing,
        users=gate.users,
        untrained=gate.untrained,
        operation_owner=bool(gate.operation_owner.strip()),
        notes=frozenset(gate.notes),
    )


# Lines --------------------------------------------------------------------------------------


def key_lines(text: str, source: str = "pilot") -> dict[tuple[Any, ...], int]:
    """The line (1-based) of every key and list entry; a key given twice is an error (YAML
    would silently keep the second)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # read_yaml has said what is wrong already
        return {}
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = (*path, str(key.value))
                line = key.start_mark.line + 1
                if here in lines:
                    raise PilotFileError(
                        f"{source}: line {line}: {_where(here)}: given twice (first in line "
                        f"{lines[here]})"
                    )
                lines[here] = line
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                lines[(*path, n)] = item.start_mark.line + 1
                walk(item, (*path, n))
        elif node.tag == TIMESTAMP:
            try:  # YAML takes 2026-02-30 for a date and fails constructing it
                datetime.date.fromisoformat(str(node.value)[:10])
            except ValueError:
                raise PilotFileError(
                    f"{source}: line {node.start_mark.line + 1}: {_where(path)}: "
                    f"{node.value} is no date of the calendar"
                ) from None

    if root is not None:
        walk(root, ())
    return lines


def _where(path: Sequence[Any]) -> str:
    """``kpis[1].target.date`` for ("kpis", 0, "target", "date"): list entries count from 1."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "the file"


class _Reader:
    def __init__(self, source: str, lines: Lines, today: datetime.date):
        self.source = source
        self.lines = lines
        self.today = today

    def error(self, path: tuple[Any, ...], message: str) -> PilotFileError:
        line = None
        for n in range(len(path), 0, -1):  # the nearest place the file names
            line = self.lines.get(path[:n])
            if line:
                break
        at = f" line {line}:" if line else ""
        return PilotFileError(f"{self.source}:{at} {_where(path)}: {message}")

    # Shapes -------------------------------------------------------------------------------

    def mapping(
        self, value: Any, path: tuple[Any, ...], known: tuple[str, ...], required: Sequence[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(path, f"needs a mapping with the keys {', '.join(known)}")
        for key in value:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.error(
                (*path, str(key)),
                f"unknown key '{key}' (allowed: {', '.join(known)}){hint}",
            )
        for key in required:
            if value.get(key) is None:
                raise self.error((*path, key), "is missing")
        return value

    def listing(self, value: Any, path: tuple[Any, ...]) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(path, "needs a list")
        return value

    # Values -------------------------------------------------------------------------------

    def text(self, value: Any, path: tuple[Any, ...], required: bool = False) -> str:
        if value is None:
            if required:
                raise self.error(path, "is missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(path, "needs a text")
        text = str(value).strip()
        if required and not text:
            raise self.error(path, "must not be empty")
        if len(text) > MAX_TEXT:
            raise self.error(path, f"longer than {MAX_TEXT} characters")
        return text

    def names(self, value: Any, path: tuple[Any, ...]) -> tuple[str, ...]:
        found = [self.text(v, (*path, n), True) for n, v in enumerate(self.listing(value, path))]
        if len(set(found)) != len(found):
            raise self.error(path, "names a system or person twice")
        return tuple(found)

    def number(
        self,
        value: Any,
        path: tuple[Any, ...],
        low: float = -MAX_VALUE,
        high: float = MAX_VALUE,
        unit: str = "",
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = " (write 12.5, not 12,5)" if isinstance(value, str) and "," in value else ""
            raise self.error(path, f"needs a number{hint}")
        number = float(value)
        if not math.isfinite(number):
            raise self.error(path, "needs a finite number (not NaN or infinity)")
        if not low <= number <= high:
            raise self.error(path, f"must lie between {low:g} and {high:g}{unit}")
        return number

    def whole(self, value: Any, path: tuple[Any, ...], high: int = MAX_ITEMS) -> int:
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not whole:
            raise self.error(path, "needs a whole number")
        number = int(value)
        if not 0 <= number <= high:
            raise self.error(path, f"must lie between 0 and {high:,}")
        return number

    def flag(self, value: Any, path: tuple[Any, ...], default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(path, "needs true or false")
        return value

    def date(self, value: Any, path: tuple[Any, ...], past: bool = False) -> datetime.date:
        day: datetime.date | None = None
        if isinstance(value, datetime.datetime):
            raise self.error(path, "needs a date without a time, such as 2026-10-12")
        if isinstance(value, datetime.date):
            day = value
        elif isinstance(value, str):
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                day = None
        if day is None:
            raise self.error(path, "needs a date such as 2026-10-12")
        if day < EARLIEST:
            raise self.error(path, "lies before 2000")
        if past and day > self.today:
            raise self.error(path, f"lies in the future (today is {self.today.isoformat()})")
        return day

    def choice(
        self, value: Any, path: tuple[Any, ...], choices: Sequence[str], default: str | None = None
    ) -> str:
        if value is None and default is not None:
            return default
        if not isinstance(value, str) or value not in choices:
            raise self.error(path, f"must be one of {', '.join(choices)}")
        return value

    def percent(self, value: Any, path: tuple[Any, ...], low: float, high: float) -> float:
        """A percentage as the web form takes it (10 or "10 %"), as a share (0.1)."""
        if isinstance(value, str) and value.strip().endswith("%"):
            try:
                value = float(value.strip()[:-1].strip())
            except ValueError:
                raise self.error(path, "needs a percentage such as 10 or '10 %'") from None
        number = self.number(value, path, low, high, " %")
        return number / 100

    def period_start(
        self, day: datetime.date, path: tuple[Any, ...], kind: str, cadence: Cadence | None
    ) -> None:
        """A period's date must be the first day of the period (a Monday, the 1st)."""
        if cadence is None:
            return
        start = period_start(day, cadence)
        if start != day:
            what = "a Monday (the week's start)" if cadence is Cadence.WEEKLY else "the 1st"
            raise self.error(
                path,
                f"{day.isoformat()} is not {what}: {kind} is counted from its first day, "
                f"here {start.isoformat()}",
            )


# Parsing ------------------------------------------------------------------------------------

KPI_CADENCE = {"day": None, "week": Cadence.WEEKLY, "month": Cadence.MONTHLY}


def _kpi(r: _Reader, raw: Any, path: tuple[Any, ...]) -> KpiSpec:
    data = r.mapping(raw, path, KPI_KEYS, ("name", "category", "direction", "baseline", "target"))
    name = r.text(data.get("name"), (*path, "name"), True)
    category = r.choice(data.get("category"), (*path, "category"), CATEGORIES)
    direction = Direction(
        r.choice(data.get("direction"), (*path, "direction"), [d.value for d in Direction])
    )
    period = r.choice(data.get("period"), (*path, "period"), KPI_PERIODS, "week")
    base = r.mapping(data["baseline"], (*path, "baseline"), BASELINE_KEYS, ("value", "date"))
    target = r.mapping(data["target"], (*path, "target"), TARGET_KEYS, ("value", "date"))
    baseline_value = r.number(base["value"], (*path, "baseline", "value"))
    target_value = r.number(target["value"], (*path, "target", "value"))
    if baseline_value == target_value:
        raise r.error((*path, "target", "value"), "must differ from the baseline")
    baseline_date = r.date(base["date"], (*path, "baseline", "date"))
    target_date = r.date(target["date"], (*path, "target", "date"))
    if target_date <= baseline_date:
        raise r.error((*path, "target", "date"), "must lie after the baseline's date")
    cadence = KPI_CADENCE[period]
    measurements: dict[datetime.date, tuple[float, int]] = {}
    entries = r.listing(data.get("measurements"), (*path, "measurements"))
    for n, entry in enumerate(entries):
        where = (*path, "measurements", n)
        if isinstance(entry, list):
            if len(entry) != 2:
                raise r.error(where, "needs [date, value]")
            day_raw, value_raw, day_path, value_path = entry[0], entry[1], where, where
        else:
            m = r.mapping(entry, where, MEASUREMENT_KEYS, MEASUREMENT_KEYS)
            day_raw, value_raw = m["period"], m["value"]
            day_path, value_path = (*where, "period"), (*where, "value")
        day = r.date(day_raw, day_path, past=True)
        r.period_start(day, day_path, f"a {period}ly KPI's period", cadence)
        value = r.number(value_raw, value_path)
        if day in measurements:
            first = r.lines.get((*path, "measurements", measurements[day][1]))
            also = f" (as in line {first})" if first else ""
            raise r.error(day_path, f"{day.isoformat()} has a value already{also}")
        measurements[day] = (value, n)
    return KpiSpec(
        name=name,
        category=category,
        unit=r.text(data.get("unit"), (*path, "unit")),
        direction=direction,
        period=period,
        baseline=baseline_value,
        baseline_date=baseline_date,
        baseline_method=r.text(base.get("method"), (*path, "baseline", "method")),
        target=target_value,
        target_date=target_date,
        waiver=r.text(data.get("waiver"), (*path, "waiver")),
        measurements=tuple(Measurement(d, v) for d, (v, _n) in sorted(measurements.items())),
    )


def _period(r: _Reader, raw: Any, path: tuple[Any, ...], cadence: Cadence) -> PeriodSpec:
    data = r.mapping(raw, path, PERIOD_KEYS, ("start",))
    start = r.date(data["start"], (*path, "start"), past=True)
    r.period_start(start, (*path, "start"), f"a {cadence.value} plan's period", cadence)
    if data.get("verdicts") is not None:
        if data.get("items") is not None or data.get("errors") is not None:
            raise r.error((*path, "verdicts"), "give either verdicts or items and errors")
        verdicts = r.listing(data["verdicts"], (*path, "verdicts"))
        errors = 0
        for n, verdict in enumerate(verdicts):
            word = str(verdict).strip().lower().replace("ä", "ae").replace(" ", "_")
            if isinstance(verdict, bool) or word not in VERDICTS:
                raise r.error(
                    (*path, "verdicts", n),
                    "must be one of ok, minor, error, critical "
                    "(or richtig, kleine_maengel, falsch, gefaehrlich)",
                )
            errors += VERDICTS[word]
        items = len(verdicts)
    else:
        if data.get("items") is None:
            raise r.error((*path, "items"), "is missing (or give the verdicts)")
        items = r.whole(data["items"], (*path, "items"))
        errors = r.whole(data.get("errors", 0), (*path, "errors"))
        if errors > items:
            raise r.error((*path, "errors"), f"{errors} errors in {items} items judged")
    alert, handled = "", ""
    raw_alert = data.get("alert")
    if raw_alert == "open":
        alert = "open"
    elif raw_alert is not None:
        if not isinstance(raw_alert, dict):
            raise r.error((*path, "alert"), "needs 'open' or {handled: what was done}")
        found = r.mapping(raw_alert, (*path, "alert"), ALERT_KEYS, ALERT_KEYS)
        alert, handled = "handled", r.text(found["handled"], (*path, "alert", "handled"), True)
    return PeriodSpec(start, items, errors, alert, handled)


def _plan(r: _Reader, raw: Any, path: tuple[Any, ...], systems: tuple[str, ...]) -> PlanSpec:
    data = r.mapping(raw, path, PLAN_KEYS, ("name", "threshold"))
    system = r.text(data.get("system"), (*path, "system"))
    if system and systems and system not in systems:
        raise r.error(
            (*path, "system"), f"'{system}' is not among the pilot's systems ({', '.join(systems)})"
        )
    cadence = Cadence(
        r.choice(data.get("cadence"), (*path, "cadence"), [c.value for c in Cadence], "weekly")
    )
    baseline = None
    if data.get("baseline") is not None:
        b = r.mapping(data["baseline"], (*path, "baseline"), PLAN_BASELINE_KEYS, PLAN_BASELINE_KEYS)
        errors = r.whole(b["errors"], (*path, "baseline", "errors"))
        items = r.whole(b["items"], (*path, "baseline", "items"))
        if items < 1:
            raise r.error((*path, "baseline", "items"), "needs at least one item")
        if errors > items:
            raise r.error((*path, "baseline", "errors"), f"{errors} errors in {items} items")
        baseline = (errors, items)
    periods: list[PeriodSpec] = []
    seen: dict[datetime.date, int] = {}
    for n, entry in enumerate(r.listing(data.get("periods"), (*path, "periods"))):
        period = _period(r, entry, (*path, "periods", n), cadence)
        if period.start in seen:
            first = r.lines.get((*path, "periods", seen[period.start]))
            also = f" (as in line {first})" if first else ""
            raise r.error(
                (*path, "periods", n, "start"), f"{period.start.isoformat()} is given twice{also}"
            )
        seen[period.start] = n
        periods.append(period)
    expected = data.get("expected_rate")
    return PlanSpec(
        name=r.text(data["name"], (*path, "name"), True),
        system=system,
        cadence=cadence,
        active=r.flag(data.get("active"), (*path, "active"), True),
        threshold=r.percent(data["threshold"], (*path, "threshold"), 0, 100),
        precision=r.percent(data.get("precision", 5), (*path, "precision"), 1, 25),
        confidence=r.percent(data.get("confidence", 95), (*path, "confidence"), 80, 99.9),
        expected_rate=None
        if expected is None
        else r.percent(expected, (*path, "expected_rate"), 0, 100),
        baseline=baseline,
        periods=tuple(sorted(periods, key=lambda p: p.start)),
    )


def _gate(r: _Reader, raw: Any, systems: tuple[str, ...]) -> GateSpec:
    path: tuple[Any, ...] = ("gate",)
    if raw is None:
        return GateSpec()
    data = r.mapping(raw, path, GATE_KEYS, ())
    case = None
    if data.get("business_case") is not None:
        c = r.mapping(data["business_case"], (*path, "business_case"), BUSINESS_CASE_KEYS, ())
        planned = actual = None
        if c.get("planned") is not None:
            planned = r.number(c["planned"], (*path, "business_case", "planned"))
        if c.get("actual") is not None:
            actual = r.number(c["actual"], (*path, "business_case", "actual"))
        case = (planned, actual)
    classification = r.mapping(
        data.get("classification") or {}, (*path, "classification"), CLASSIFICATION_KEYS, ()
    )
    done = r.flag(classification.get("done"), (*path, "classification", "done"), False)
    prohibited = r.flag(
        classification.get("prohibited"), (*path, "classification", "prohibited"), False
    )
    duties = r.flag(classification.get("duties"), (*path, "classification", "duties"), False)
    dpia = Dpia(r.choice(data.get("dpia"), (*path, "dpia"), [d.value for d in Dpia], "unknown"))
    dpa_missing = r.names(data.get("dpa_missing"), (*path, "dpa_missing"))
    strangers = [s for s in dpa_missing if s not in systems]
    if strangers:
        raise r.error((*path, "dpa_missing"), f"'{strangers[0]}' is not among the pilot's systems")
    users = r.whole(data.get("users", 0), (*path, "users"))
    untrained = r.names(data.get("untrained"), (*path, "untrained"))
    if len(untrained) > users:
        raise r.error((*path, "untrained"), f"names {len(untrained)} people of {users} users")
    notes: dict[GateItem, str] = {}
    if data.get("notes") is not None:
        keys = tuple(str(i) for i in NOTE_ITEMS)
        found = r.mapping(data["notes"], (*path, "notes"), keys, ())
        for key, text in found.items():
            note = r.text(text, (*path, "notes", key))
            if note:
                notes[GateItem(key)] = note
    return GateSpec(
        business_case=case,
        classified=done,
        prohibited=prohibited,
        duties=duties,
        dpia=dpia,
        dpa_missing=dpa_missing,
        users=users,
        untrained=untrained,
        operation_owner=r.text(data.get("operation_owner"), (*path, "operation_owner")),
        notes=notes,
    )


def parse(
    data: Any,
    source: str = "pilot",
    lines: Lines | None = None,
    today: datetime.date | None = None,
) -> PilotSpec:
    """A pilot from loaded YAML; ``today`` (default: today) bounds the measurements' dates."""
    r = _Reader(source, lines or {}, today or datetime.date.today())
    if not isinstance(data, dict):
        raise PilotFileError(f"{source}: needs a mapping with the keys {', '.join(PILOT_KEYS)}")
    r.mapping(data, (), PILOT_KEYS, ("name", "start", "end"))
    start = r.date(data["start"], ("start",))
    end = r.date(data["end"], ("end",))
    if end < start:
        raise r.error(("end",), "lies before the start")
    systems = r.names(data.get("systems"), ("systems",))
    kpis = [
        _kpi(r, raw, ("kpis", n)) for n, raw in enumerate(r.listing(data.get("kpis"), ("kpis",)))
    ]
    names: dict[str, int] = {}
    for n, kpi in enumerate(kpis):
        if kpi.name in names:
            raise r.error(("kpis", n, "name"), f"a KPI named '{kpi.name}' is given already")
        names[kpi.name] = n
    plans = [
        _plan(r, raw, ("reviews", n), systems)
        for n, raw in enumerate(r.listing(data.get("reviews"), ("reviews",)))
    ]
    return PilotSpec(
        name=r.text(data["name"], ("name",), True),
        goal=r.text(data.get("goal"), ("goal",)),
        start=start,
        end=end,
        systems=systems,
        kpis=tuple(kpis),
        reviews=tuple(plans),
        gate=_gate(r, data.get("gate"), systems),
    )


def read(path: Path, today: datetime.date | None = None) -> PilotSpec:
    """A pilot file; errors (``YamlFileError``, ``PilotFileError``) name the line or field."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""  # read_yaml says what is wrong
    lines = key_lines(text, str(path))  # first: it names a date that does not exist
    return parse(read_yaml(path), str(path), lines, today)


# Writing ------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML scalar for any text: a JSON string is a YAML double-quoted one."""
    return json.dumps(text, ensure_ascii=False)


def _n(value: float) -> str:
    """A number as short as it reads back the same (11.2, not 11.200000000000001)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _share(value: float) -> str:
    """A share written as the percentage the file takes (0.1 → 10)."""
    return _n(round(value * 100, 9))


def dump(pilot: PilotSpec, header: Sequence[str] = ()) -> str:
    """The pilot in the file format: :func:`parse` reads it back to the same pilot."""
    out = [f"# {line}" if line else "#" for line in header]
    out += [
        f"name: {_q(pilot.name)}",
        *([f"goal: {_q(pilot.goal)}"] if pilot.goal else []),
        f"start: {pilot.start.isoformat()}",
        f"end: {pilot.end.isoformat()}  # geplantes Ende",
        "systems:" if pilot.systems else "systems: []",
        *(f"  - {_q(s)}" for s in pilot.systems),
        "",
        "kpis:" if pilot.kpis else "kpis: []",
    ]
    for kpi in pilot.kpis:
        method = f", method: {_q(kpi.baseline_method)}" if kpi.baseline_method else ""
        out += [
            f"  - name: {_q(kpi.name)}",
            f"    category: {kpi.category}",
            f"    unit: {_q(kpi.unit)}",
            f"    direction: {kpi.direction}",
            f"    period: {kpi.period}",
            f"    baseline: {{value: {_n(kpi.baseline)}, date: {kpi.baseline_date}{method}}}",
            f"    target: {{value: {_n(kpi.target)}, date: {kpi.target_date}}}",
            *([f"    waiver: {_q(kpi.waiver)}"] if kpi.waiver else []),
            "    measurements:" if kpi.measurements else "    measurements: []",
            *(f"      - [{m.day.isoformat()}, {_n(m.value)}]" for m in kpi.measurements),
        ]
    out += ["", "reviews:" if pilot.reviews else "reviews: []"]
    for plan in pilot.reviews:
        out += [
            f"  - name: {_q(plan.name)}",
            *([f"    system: {_q(plan.system)}"] if plan.system else []),
            f"    cadence: {plan.cadence}",
            f"    active: {'true' if plan.active else 'false'}",
            f"    threshold: {_share(plan.threshold)}  # höchste vereinbarte Fehlerquote, %",
            f"    precision: {_share(plan.precision)}  # gewünschte Genauigkeit, ± Prozentpunkte",
            f"    confidence: {_share(plan.confidence)}  # %",
        ]
        if plan.expected_rate is not None:
            out.append(f"    expected_rate: {_share(plan.expected_rate)}  # erwartete Quote, %")
        if plan.baseline is not None:
            out.append(f"    baseline: {{errors: {plan.baseline[0]}, items: {plan.baseline[1]}}}")
        out.append("    periods:" if plan.periods else "    periods: []")
        for period in plan.periods:
            alert = ""
            if period.alert == "open":
                alert = ", alert: open"
            elif period.alert == "handled":
                alert = f", alert: {{handled: {_q(period.handled)}}}"
            out.append(
                f"      - {{start: {period.start}, items: {period.items}, "
                f"errors: {period.errors}{alert}}}"
            )
    gate = pilot.gate
    out += ["", "gate:"]
    if gate.business_case is not None:
        planned, actual = gate.business_case
        out.append(
            f"  business_case: {{planned: {'null' if planned is None else _n(planned)}, "
            f"actual: {'null' if actual is None else _n(actual)}}}"
        )
    flags = {
        k: "true" if v else "false"
        for k, v in (
            ("done", gate.classified),
            ("prohibited", gate.prohibited),
            ("duties", gate.duties),
        )
    }
    out += [
        "  classification: {" + ", ".join(f"{k}: {v}" for k, v in flags.items()) + "}",
        f"  dpia: {gate.dpia}",
        f"  dpa_missing: [{', '.join(_q(s) for s in gate.dpa_missing)}]",
        f"  users: {gate.users}",
        f"  untrained: [{', '.join(_q(s) for s in gate.untrained)}]",
    ]
    if gate.operation_owner:
        out.append(f"  operation_owner: {_q(gate.operation_owner)}")
    if gate.notes:
        out.append("  notes:")
        out += [f"    {item}: {_q(text)}" for item, text in gate.notes.items()]
    return "\n".join(out) + "\n"
