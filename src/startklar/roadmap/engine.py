"""The roadmap engine (pure Python, no Django): tasks in, a dated plan out.

* :func:`schedule` places every task that is not fixed at the earliest Monday where its
  dependencies have ended, its effort fits the capacity (person-days per calendar month) of
  every month it touches, and its cost fits the budget of its start year. Tasks with a deadline
  go first (earliest first; a task inherits the earliest deadline of what depends on it), then
  the higher priority, then the key, never before their dependencies. A task that cannot end by
  its deadline is placed as early as possible and marked late; a task whose effort alone would
  overfill a month is stretched to more weeks.
* :func:`phase` says in which of the three phases (0–6, 6–18, 18+ months) a date lies.
* :func:`shift` says what moves with an item the user moves; :func:`overdue` what is late.
* :func:`usecase_tasks` is a use case's chain (data → pilot → scale decision → rollout),
  :func:`competence_gaps` the competence plan per role level, :func:`duty_deadline` the date a
  legal duty must be met by.

No translated text here: tasks carry keys and kinds; the services give them titles. Efforts are
person-days, money is EUR (float), an ``end`` is the last day (inclusive).
"""

from __future__ import annotations

import datetime
import heapq
import math
from calendar import monthrange
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# Raise it when a change of this module places the same tasks differently.
REVISION = 1

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
HORIZON_YEARS = 10  # the search for a start gives up this far after the roadmap's start
MAX_WORKDAYS_IN_MONTH = 23  # Monday to Friday: at most 23 of them in a calendar month
TOLERANCE = 1e-9


class Kind(StrEnum):
    ACTION = "action"  # a readiness "first step"
    DATA = "data"  # data prerequisites of a use case
    PILOT = "pilot"
    DECISION = "decision"  # the scale decision: a milestone
    ROLLOUT = "rollout"
    COMPLIANCE = "compliance"
    LITERACY = "literacy"
    WORKS_COUNCIL = "works_council"
    COMPETENCE = "competence"


class Phase(StrEnum):
    FIND_AND_PILOT = "0-6"  # months 0–6: find and pilot
    SCALE = "6-18"  # months 6–18: scale and build skills
    STRATEGY = "18+"  # from month 18: AI as part of the strategy


@dataclass(frozen=True)
class Task:
    key: str  # stable, e.g. "usecase:12:pilot"
    kind: Kind
    effort: float = 0.0  # person-days
    weeks: int = 1  # duration (ignored for a milestone)
    cost: float = 0.0  # EUR, spent in the start month
    priority: float = 0.0  # higher first
    depends_on: tuple[str, ...] = ()
    deadline: datetime.date | None = None  # a legal date the task must end by
    earliest: datetime.date | None = None
    fixed: tuple[datetime.date, datetime.date] | None = None  # accepted or done: never moved
    milestone: bool = False
    legal: bool = False  # the deadline is a legal duty (AI Act, GDPR, BetrVG)


@dataclass(frozen=True)
class Limits:
    start: datetime.date  # the roadmap's first day
    capacity: float  # person-days per calendar month, > 0
    budget: float | None = None  # EUR per calendar year; None: unlimited


@dataclass(frozen=True)
class Placement:
    key: str
    start: datetime.date
    end: datetime.date  # the last day, inclusive
    late_days: int  # 0 when it ends by its deadline (or has none)
    stretched: bool  # given more weeks than asked so that its effort fits the capacity
    phase: Phase
    # Costs more than a year's budget: placed in a year with nothing else spent (from its start
    # month on), and still over it.
    over_budget: bool = False


@dataclass(frozen=True)
class Plan:
    placements: tuple[Placement, ...]  # by start, then key
    load: Mapping[tuple[int, int], float]  # person-days per (year, month)
    spend: Mapping[int, float]  # EUR per year

    def get(self, key: str) -> Placement:
        return next(p for p in self.placements if p.key == key)

    @property
    def late(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if p.late_days)


# Dates -------------------------------------------------------------------------------------------


def monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + (-day.weekday() % 7) * DAY


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` ``months`` calendar months later, on the month's last day where it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def phase(start: datetime.date, roadmap_start: datetime.date) -> Phase:
    """The phase of an item starting on ``start``; before the roadmap's start counts as 0–6."""
    if start < add_months(roadmap_start, 6):
        return Phase.FIND_AND_PILOT
    if start < add_months(roadmap_start, 18):
        return Phase.SCALE
    return Phase.STRATEGY


def _workdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += DAY
    return days


def _profile(
    start: datetime.date, end: datetime.date, effort: float
) -> dict[tuple[int, int], float]:
    """The effort spread evenly over the working days from ``start`` to ``end`` (over the first
    day when the span has none), per (year, month)."""
    result: dict[tuple[int, int], float] = {}
    if effort <= 0:
        return result
    days = _workdays(start, end) or [start]
    share = effort / len(days)
    for day in days:
        month = (day.year, day.month)
        result[month] = result.get(month, 0.0) + share
    return result


# Scheduling --------------------------------------------------------------------------------------


def _check(tasks: Sequence[Task], limits: Limits) -> dict[str, Task]:
    if not (math.isfinite(limits.capacity) and limits.capacity > 0):
        raise ValueError(
            f"capacity must be a positive number of person-days, not {limits.capacity}"
        )
    if limits.budget is not None and not (math.isfinite(limits.budget) and limits.budget >= 0):
        raise ValueError(f"budget must be a number ≥ 0 or unlimited, not {limits.budget}")
    by_key: dict[str, Task] = {}
    for task in tasks:
        if task.key in by_key:
            raise ValueError(f"task {task.key!r} appears twice")
        by_key[task.key] = task
        for name in ("effort", "cost"):
            value = getattr(task, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"task {task.key!r}: {name} must be a number ≥ 0, not {value}")
        if task.milestone and task.fixed is None and task.effort > limits.capacity:
            raise ValueError(f"milestone {task.key!r} takes more effort than a month's capacity")
        if not task.milestone and task.fixed is None and task.weeks < 1:
            raise ValueError(f"task {task.key!r}: needs at least one week, not {task.weeks}")
        if task.fixed is not None and task.fixed[1] < task.fixed[0]:
            raise ValueError(f"task {task.key!r}: ends before it starts")
    _order_checked(by_key)
    return by_key


def _order_checked(by_key: Mapping[str, Iterable[str] | Task]) -> list[str]:
    """The keys in a topological order (dependencies first, then by key); unknown dependencies
    and cycles are refused, naming the keys."""
    needs = {
        key: tuple(value.depends_on if isinstance(value, Task) else value)
        for key, value in by_key.items()
    }
    for key, depends in sorted(needs.items()):
        unknown = sorted(d for d in depends if d not in needs)
        if unknown:
            raise ValueError(f"task {key!r} depends on unknown {', '.join(map(repr, unknown))}")
    waiting = {key: len(set(depends)) for key, depends in needs.items()}
    users: dict[str, list[str]] = {key: [] for key in needs}
    for key, depends in needs.items():
        for dependency in set(depends):
            users[dependency].append(key)
    ready = sorted(key for key, count in waiting.items() if count == 0)
    heapq.heapify(ready)
    order = []
    while ready:
        key = heapq.heappop(ready)
        order.append(key)
        for user in users[key]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    if len(order) < len(needs):
        cycle = sorted(key for key, count in waiting.items() if count)
        raise ValueError(f"dependencies form a cycle among {', '.join(map(repr, cycle))}")
    return order


def _weeks(task: Task, capacity: float) -> tuple[int, bool]:
    """The task's duration in weeks and whether it had to be stretched: a span of ``w`` weeks
    (starting on a Monday) has ``5 w`` working days, at most 23 of them in one month, so the
    effort alone fits every month from any start when effort × min(5w, 23) / 5w ≤ capacity."""
    weeks = task.weeks

    def fits(w: int) -> bool:
        return task.effort * min(5 * w, MAX_WORKDAYS_IN_MONTH) / (5 * w) <= capacity + TOLERANCE

    if fits(weeks):
        return weeks, False
    needed = math.ceil(task.effort * MAX_WORKDAYS_IN_MONTH / (5 * capacity) - TOLERANCE)
    return max(weeks + 1, needed), True


def _first_order(by_key: Mapping[str, Task]) -> list[str]:
    """Deadlines first (earliest first, inherited from the tasks that depend on one), then
    priority (higher first), then key; never before a dependency."""
    topo = _order_checked(by_key)
    inherited: dict[str, datetime.date | None] = {key: by_key[key].deadline for key in topo}
    for key in reversed(topo):
        for dependency in by_key[key].depends_on:
            mine, theirs = inherited[dependency], inherited[key]
            if theirs is not None and (mine is None or theirs < mine):
                inherited[dependency] = theirs

    def rank(key: str) -> tuple[int, datetime.date, float, str]:
        deadline = inherited[key]
        return (
            deadline is None,
            deadline or datetime.date.max,
            -by_key[key].priority,
            key,
        )

    waiting = {key: len(set(task.depends_on)) for key, task in by_key.items()}
    users: dict[str, list[str]] = {key: [] for key in by_key}
    for key, task in by_key.items():
        for dependency in set(task.depends_on):
            users[dependency].append(key)
    ready = [rank(key) for key in by_key if waiting[key] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        key = heapq.heappop(ready)[3]
        order.append(key)
        for user in users[key]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, rank(user))
    return order


def schedule(tasks: Sequence[Task], limits: Limits) -> Plan:
    """Place every task; see the module's docstring. A task costing more than a year's budget
    takes a year with nothing else spent and is marked ``over_budget``. Raises ``ValueError``
    for unknown dependencies, cycles, broken numbers, and a task that finds no start within ten
    years."""
    by_key = _check(tasks, limits)
    load: dict[tuple[int, int], float] = {}
    spend: dict[int, float] = {}
    dates: dict[str, tuple[datetime.date, datetime.date, bool]] = {}

    def book(start: datetime.date, end: datetime.date, task: Task) -> None:
        for month, value in _profile(start, end, task.effort).items():
            load[month] = load.get(month, 0.0) + value
        if task.cost:
            spend[start.year] = spend.get(start.year, 0.0) + task.cost

    for task in by_key.values():
        if task.fixed is not None:
            start, end = task.fixed
            dates[task.key] = (start, end, False)
            book(start, end, task)

    first = monday_on_or_after(limits.start)
    horizon = add_months(limits.start, 12 * HORIZON_YEARS)
    for key in _first_order(by_key):
        task = by_key[key]
        if task.fixed is not None:
            continue
        weeks, stretched = (0, False) if task.milestone else _weeks(task, limits.capacity)
        candidate = first
        if task.earliest is not None:
            candidate = max(candidate, monday_on_or_after(task.earliest))
        for dependency in task.depends_on:
            candidate = max(candidate, monday_on_or_after(dates[dependency][1] + DAY))
        while True:
            if candidate > horizon:
                raise ValueError(
                    f"task {key!r} finds no start within {HORIZON_YEARS} years: capacity or"
                    " budget too small"
                )
            end = candidate + weeks * WEEK - DAY if weeks else candidate
            if _fits(task, candidate, end, limits, load, spend):
                break
            candidate += WEEK
        dates[key] = (candidate, end, stretched)
        book(candidate, end, task)

    placements = tuple(
        sorted(
            (
                Placement(
                    key=key,
                    start=start,
                    end=end,
                    late_days=max(0, (end - deadline).days)
                    if (deadline := by_key[key].deadline)
                    else 0,
                    stretched=stretched,
                    phase=phase(start, limits.start),
                    over_budget=limits.budget is not None and by_key[key].cost > limits.budget,
                )
                for key, (start, end, stretched) in dates.items()
            ),
            key=lambda p: (p.start, p.key),
        )
    )
    return Plan(
        placements=placements,
        load=dict(sorted(load.items())),
        spend=dict(sorted(spend.items())),
    )


def _fits(
    task: Task,
    start: datetime.date,
    end: datetime.date,
    limits: Limits,
    load: Mapping[tuple[int, int], float],
    spend: Mapping[int, float],
) -> bool:
    if (
        task.cost
        and limits.budget is not None
        # a cost above the whole budget needs a year of its own
        and spend.get(start.year, 0.0) + min(task.cost, limits.budget) > limits.budget + TOLERANCE
    ):
        return False
    return all(
        load.get(month, 0.0) + value <= limits.capacity + TOLERANCE
        for month, value in _profile(start, end, task.effort).items()
    )


# Moving and overdue items ------------------------------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """An item of a roadmap with its dates, for :func:`shift` and :func:`overdue`."""

    key: str
    start: datetime.date
    end: datetime.date
    depends_on: tuple[str, ...] = ()
    done: bool = False


@dataclass(frozen=True)
class Move:
    key: str
    old_start: datetime.date
    new_start: datetime.date
    old_end: datetime.date
    new_end: datetime.date
    conflict: bool = False  # a done item that would have to move


def shift(
    items: Sequence[Dated],
    key: str,
    new_start: datetime.date,
    new_end: datetime.date | None = None,
) -> list[Move]:
    """What moves when the user moves ``key`` to ``new_start`` (its duration kept, or ending on
    ``new_end``): the item itself and, transitively, every item that depends on it and would
    otherwise start before its dependency ends, each by the least number of days (durations
    kept). An item that ends earlier pulls nothing. Done items are reported as conflicts. The
    item first, then by new start."""
    by_key = {item.key: item for item in items}
    if len(by_key) < len(items):
        raise ValueError("an item appears twice")
    if key not in by_key:
        raise ValueError(f"unknown item {key!r}")
    order = _order_checked({k: item.depends_on for k, item in by_key.items()})
    moved = by_key[key]
    end = moved.end + (new_start - moved.start) if new_end is None else new_end
    if end < new_start:
        raise ValueError("the end lies before the start")
    new: dict[str, tuple[datetime.date, datetime.date]] = {key: (new_start, end)}
    if end > moved.end:
        for k in order:
            item = by_key[k]
            if k == key:
                continue
            ends = [new[d][1] for d in item.depends_on if d in new]
            if ends and max(ends) >= item.start:
                push = max(ends) + DAY - item.start
                new[k] = (item.start + push, item.end + push)
    moves = [
        Move(
            key=k,
            old_start=by_key[k].start,
            new_start=start,
            old_end=by_key[k].end,
            new_end=end,
            conflict=by_key[k].done,
        )
        for k, (start, end) in new.items()
        if (start, end) != (by_key[k].start, by_key[k].end)
    ]
    return sorted(moves, key=lambda m: (m.key != key, m.new_start, m.key))


def overdue(items: Iterable[Dated], today: datetime.date) -> list[Dated]:
    """Items not done whose last day is before ``today``, the longest overdue first."""
    return sorted(
        (item for item in items if not item.done and item.end < today),
        key=lambda item: (item.end, item.key),
    )


# A use case's chain ------------------------------------------------------------------------------


class Step(StrEnum):
    """The steps of a use case's chain, in their order."""

    DATA = "data"
    PILOT = "pilot"
    DECISION = "decision"
    ROLLOUT = "rollout"


STEPS = tuple(Step)


@dataclass(frozen=True)
class SequenceRules:
    """Shares and durations of a use case's chain (content ``sequence.yaml``)."""

    data_share: float  # of the use case's effort, for its data prerequisites
    data_weeks: int
    pilot_share: float
    pilot_weeks: int  # default
    pilot_weeks_min: int
    pilot_weeks_max: int
    rollout_weeks: int


def usecase_tasks(
    use_case_key: str | int,
    effort_days: float,
    cost: float,
    priority: float,
    has_data: bool,
    pilot_weeks: int | None,
    already: Collection[Step | str],
    *,
    rules: SequenceRules,
    after: tuple[str, ...] = (),
) -> list[Task]:
    """The use case's chain from where it stands: data prerequisites (only without ready data)
    → pilot (``pilot_weeks`` within the content's bounds) → scale decision (a milestone) →
    rollout (the rest of the effort and the whole cost), each depending on the one before; the
    first on ``after``. Every step up to the furthest one in ``already`` is left out. Keys:
    ``usecase:<key>:<step>``."""
    done = [STEPS.index(Step(step)) for step in already]
    begin = max(done) + 1 if done else 0
    weeks = rules.pilot_weeks if pilot_weeks is None else pilot_weeks
    weeks = min(max(weeks, rules.pilot_weeks_min), rules.pilot_weeks_max)
    rollout_share = max(0.0, 1.0 - rules.data_share - rules.pilot_share)
    made = {
        Step.DATA: Task(
            key="",
            kind=Kind.DATA,
            effort=effort_days * rules.data_share,
            weeks=rules.data_weeks,
        ),
        Step.PILOT: Task(
            key="", kind=Kind.PILOT, effort=effort_days * rules.pilot_share, weeks=weeks
        ),
        Step.DECISION: Task(key="", kind=Kind.DECISION, weeks=0, milestone=True),
        Step.ROLLOUT: Task(
            key="",
            kind=Kind.ROLLOUT,
            effort=effort_days * rollout_share,
            weeks=rules.rollout_weeks,
            cost=cost,
        ),
    }
    result: list[Task] = []
    previous = after
    for step in STEPS[begin:]:
        if step is Step.DATA and has_data:
            continue
        key = f"usecase:{use_case_key}:{step}"
        template = made[step]
        result.append(
            Task(
                key=key,
                kind=template.kind,
                effort=template.effort,
                weeks=template.weeks,
                cost=template.cost,
                priority=priority,
                depends_on=previous,
                milestone=template.milestone,
            )
        )
        previous = (key,)
    return result


# Competence plan ---------------------------------------------------------------------------------


class RoleLevel(StrEnum):
    """The role levels of the literacy register (the values of compliance's ``RoleLevel``)."""

    MANAGEMENT = "management"
    DEPARTMENT_HEAD = "department_head"
    USER = "user"
    CHAMPION = "champion"


@dataclass(frozen=True)
class Competence:
    key: str
    keywords: tuple[str, ...]  # lower case; a training measure containing one covers it
    legal: bool = False  # AI literacy under Art. 4 AI Act: due now
    ai_users_only: bool = False  # needed only by people who use an AI system

    def covered_by(self, measure: str) -> bool:
        text = measure.casefold()
        return any(word in text for word in self.keywords)


@dataclass(frozen=True)
class Training:
    effort_per_person: float  # person-days
    weeks: int


@dataclass(frozen=True)
class LevelNeeds:
    level: RoleLevel
    competences: tuple[Competence, ...]
    training: Training


@dataclass(frozen=True)
class CompetenceNeeds:
    """What the roadmap needs per role level (content ``competences.yaml``)."""

    levels: Mapping[RoleLevel, LevelNeeds]
    literacy_due_days: int  # Art. 4 applies already: due this many days after the start
    priority: float = 0.0


@dataclass(frozen=True)
class PersonSkills:
    key: str
    level: RoleLevel | str
    measures: tuple[str, ...]  # the training records' measure texts
    ai_systems: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompetenceStatus:
    competence: Competence
    has: tuple[str, ...]  # person keys
    lacks: tuple[str, ...]


@dataclass(frozen=True)
class LevelGaps:
    level: RoleLevel
    people: tuple[str, ...]
    competences: tuple[CompetenceStatus, ...]
    tasks: tuple[Task, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not any(status.lacks for status in self.competences)


def competence_gaps(
    people: Iterable[PersonSkills], needed: CompetenceNeeds, start: datetime.date
) -> list[LevelGaps]:
    """Per role level (in the register's order): each competence with who has it and who lacks
    it, and one task per competence with gaps (effort = per-person effort × people lacking it;
    AI literacy with the deadline ``start`` + the content's days, as a legal duty). A competence
    only for AI users is not needed by people who use no AI system."""
    by_level: dict[RoleLevel, list[PersonSkills]] = {level: [] for level in RoleLevel}
    for person in people:
        by_level[RoleLevel(person.level)].append(person)
    result = []
    for level in RoleLevel:
        needs = needed.levels.get(level)
        members = sorted(by_level[level], key=lambda p: p.key)
        if needs is None:
            continue
        statuses = []
        tasks = []
        for competence in needs.competences:
            concerned = [p for p in members if p.ai_systems or not competence.ai_users_only]
            has = tuple(
                p.key for p in concerned if any(competence.covered_by(m) for m in p.measures)
            )
            lacks = tuple(p.key for p in concerned if p.key not in has)
            statuses.append(CompetenceStatus(competence, has, lacks))
            if lacks:
                tasks.append(
                    Task(
                        key=f"competence:{level}:{competence.key}",
                        kind=Kind.LITERACY if competence.legal else Kind.COMPETENCE,
                        effort=needs.training.effort_per_person * len(lacks),
                        weeks=needs.training.weeks,
                        priority=needed.priority,
                        deadline=start + needed.literacy_due_days * DAY
                        if competence.legal
                        else None,
                        legal=competence.legal,
                    )
                )
        result.append(
            LevelGaps(level, tuple(p.key for p in members), tuple(statuses), tuple(tasks))
        )
    return result


# Legal dates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalDuty:
    """A duty with a legal date (content ``legal.yaml``). The keys are compliance's obligation
    ids (``literacy``, ``art50_1_disclose`` …) and the GDPR and works-council duties (``dpia``,
    ``dpa``, ``works_council``)."""

    key: str
    source: str  # the legal source, e.g. "Art. 50 Abs. 1 KI-VO"
    applies_from: datetime.date | None  # None: applies with the use (before go-live)
    effort: float  # person-days, default for its task
    weeks: int
    kind: Kind = Kind.COMPLIANCE


@dataclass(frozen=True)
class LegalCalendar:
    duties: Mapping[str, LegalDuty]
    due_now_days: int  # a duty in force already is due this many days after the start

    def get(self, key: str) -> LegalDuty:
        try:
            return self.duties[key]
        except KeyError:
            raise ValueError(f"unknown legal duty {key!r}") from None


def duty_deadline(
    calendar: LegalCalendar,
    key: str,
    start: datetime.date,
    go_live: datetime.date | None = None,
) -> datetime.date | None:
    """The day a duty must be met by: before the use case goes live (the day before
    ``go_live``), but not before the duty applies (``applies_from``); without a go-live, the day
    it applies. A date before the roadmap's ``start`` (in force already, or live already) is
    due now: ``start`` + the content's days. None for a duty that applies only with the use
    when no go-live is known: make the use case's pilot depend on it instead."""
    duty = calendar.get(key)
    candidates = [d for d in (duty.applies_from, go_live and go_live - DAY) if d is not None]
    if not candidates:
        return None
    deadline = max(candidates)
    if deadline < start:
        return start + calendar.due_now_days * DAY
    return deadline


def duty_task(
    calendar: LegalCalendar,
    key: str,
    subject: str,
    start: datetime.date,
    go_live: datetime.date | None = None,
    *,
    priority: float = 0.0,
    depends_on: tuple[str, ...] = (),
) -> Task:
    """A compliance task for a duty on a subject (e.g. ``usecase:12``), keyed
    ``compliance:<subject>:<duty>``, with the content's effort and the duty's deadline."""
    duty = calendar.get(key)
    return Task(
        key=f"compliance:{subject}:{key}",
        kind=duty.kind,
        effort=duty.effort,
        weeks=duty.weeks,
        priority=priority,
        depends_on=depends_on,
        deadline=duty_deadline(calendar, key, start, go_live),
        legal=True,
    )
