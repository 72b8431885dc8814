"""The roadmap engine: placing tasks by deadline, priority, capacity and budget; phases; moving
items; a use case's chain; competence gaps; legal dates. Plain functions, no database."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from startklar.roadmap.engine import (
    Competence,
    CompetenceNeeds,
    Dated,
    Kind,
    LegalCalendar,
    LegalDuty,
    LevelNeeds,
    Limits,
    Move,
    PersonSkills,
    Phase,
    RoleLevel,
    SequenceRules,
    Step,
    Task,
    Training,
    add_months,
    competence_gaps,
    duty_deadline,
    duty_task,
    monday_on_or_after,
    overdue,
    phase,
    schedule,
    shift,
    usecase_tasks,
)

D = datetime.date
START = D(2027, 1, 4)  # a Monday
LIMITS = Limits(start=START, capacity=10.0)


def task(key: str, **kwargs: object) -> Task:
    values: dict[str, object] = {"kind": Kind.ACTION, "effort": 1.0, "weeks": 2}
    values.update(kwargs)
    return Task(key=key, **values)  # type: ignore[arg-type]


def workdays_per_month(start: D, end: D) -> dict[tuple[int, int], int]:
    counts: dict[tuple[int, int], int] = defaultdict(int)
    day = start
    while day <= end:
        if day.weekday() < 5:
            counts[(day.year, day.month)] += 1
        day += datetime.timedelta(days=1)
    return counts or {(start.year, start.month): 1}  # no working day: all on the first day


# Placing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "first_monday"),
    [
        (D(2027, 1, 4), D(2027, 1, 4)),  # a Monday
        (D(2027, 1, 6), D(2027, 1, 11)),  # a Wednesday
        (D(2027, 1, 10), D(2027, 1, 11)),  # a Sunday
    ],
)
def test_a_task_starts_on_the_first_monday(start: D, first_monday: D) -> None:
    plan = schedule([task("a", weeks=2)], Limits(start, 10))
    placed = plan.get("a")
    assert (placed.start, placed.end) == (first_monday, first_monday + datetime.timedelta(13))
    assert placed.late_days == 0
    assert not placed.stretched
    assert placed.phase is Phase.FIND_AND_PILOT


def test_a_task_starts_after_its_dependencies_end_and_not_before_its_earliest_day() -> None:
    plan = schedule(
        [
            task("b", depends_on=("a",), priority=9),
            task("a", weeks=3),
            task("c", earliest=D(2027, 3, 3)),
        ],
        LIMITS,
    )
    assert plan.get("a").end == D(2027, 1, 24)
    assert plan.get("b").start == D(2027, 1, 25)
    assert plan.get("c").start == D(2027, 3, 8)
    assert [p.key for p in plan.placements] == ["a", "b", "c"]


def test_higher_priority_gets_the_capacity_first() -> None:
    # each fills January's capacity: four weeks from 4 January are 20 working days in January
    plan = schedule(
        [task("low", effort=10, weeks=4, priority=1), task("high", effort=10, weeks=4, priority=2)],
        LIMITS,
    )
    assert plan.get("high").start == START
    assert plan.get("low").start == D(2027, 2, 1)
    assert plan.load == {(2027, 1): pytest.approx(10), (2027, 2): pytest.approx(10)}


def test_equal_priority_goes_by_key() -> None:
    plan = schedule([task("b", effort=10, weeks=4), task("a", effort=10, weeks=4)], LIMITS)
    assert plan.get("a").start < plan.get("b").start


def test_a_deadline_goes_before_priority_and_the_earliest_deadline_first() -> None:
    tasks = [
        task("important", effort=10, weeks=4, priority=100),
        task("later_law", effort=10, weeks=4, deadline=D(2027, 12, 31)),
        task("law", effort=10, weeks=4, deadline=D(2027, 6, 30)),
    ]
    plan = schedule(tasks, LIMITS)
    assert [p.key for p in plan.placements] == ["law", "later_law", "important"]


def test_what_a_deadline_task_depends_on_inherits_its_deadline() -> None:
    tasks = [
        task("important", effort=10, weeks=4, priority=100),
        task("prepare", effort=10, weeks=4),
        task("notice", effort=0, weeks=1, deadline=D(2027, 3, 1), depends_on=("prepare",)),
    ]
    plan = schedule(tasks, LIMITS)
    assert plan.get("prepare").start == START
    assert plan.get("notice").start == D(2027, 2, 1)
    assert plan.get("important").start == D(2027, 2, 1)
    assert plan.get("notice").late_days == 0


def test_a_task_that_cannot_meet_its_deadline_is_placed_as_early_as_possible_and_late() -> None:
    plan = schedule([task("dpia", weeks=6, deadline=D(2027, 1, 31))], LIMITS)
    placed = plan.get("dpia")
    assert placed.start == START
    assert placed.end == D(2027, 2, 14)
    assert placed.late_days == 14
    assert plan.late == (placed,)


def test_a_milestone_takes_one_day_on_the_monday_after_what_it_waits_for() -> None:
    plan = schedule(
        [
            task("pilot", weeks=4),
            task(
                "decision",
                kind=Kind.DECISION,
                effort=0,
                weeks=0,
                milestone=True,
                depends_on=("pilot",),
            ),
        ],
        LIMITS,
    )
    decision = plan.get("decision")
    assert decision.start == decision.end == D(2027, 2, 1)


def test_a_task_too_big_for_a_month_is_stretched_and_never_overfills_one() -> None:
    plan = schedule([task("big", effort=30, weeks=2)], LIMITS)
    placed = plan.get("big")
    assert placed.stretched
    weeks = ((placed.end - placed.start).days + 1) // 7
    assert weeks == 14  # 30 × 23 / (5 × 10) = 13.8
    assert all(v <= 10 + 1e-9 for v in plan.load.values())
    assert sum(plan.load.values()) == pytest.approx(30)


@pytest.mark.parametrize(
    ("effort", "weeks", "stretched"),
    [
        (10, 4, False),  # at most 20 working days of four weeks fall in one month
        (10.5, 4, True),
        (11, 5, True),  # 11 / 25 days × 23 = 10.12
        (10, 5, False),  # 10 / 25 × 23 = 9.2
    ],
)
def test_stretching_only_when_the_effort_alone_could_overfill_a_month(
    effort: float, weeks: int, stretched: bool
) -> None:
    plan = schedule([task("t", effort=effort, weeks=weeks)], LIMITS)
    assert plan.get("t").stretched is stretched
    assert all(v <= 10 + 1e-9 for v in plan.load.values())


def test_the_budget_of_a_year_moves_a_cost_into_the_next_year() -> None:
    tasks = [task("a", cost=600, priority=2), task("b", cost=600, priority=1), task("c", cost=400)]
    plan = schedule(tasks, Limits(START, 10, budget=1000))
    assert plan.get("a").start == START
    assert plan.get("c").start == START  # 600 + 400 fits
    assert plan.get("b").start == D(2028, 1, 3)  # the first Monday of 2028
    assert plan.spend == {2027: pytest.approx(1000), 2028: pytest.approx(600)}


def test_a_cost_above_the_yearly_budget_takes_a_year_of_its_own_and_is_flagged() -> None:
    tasks = [task("small", cost=100, priority=2), task("rollout", cost=2000, priority=1)]
    plan = schedule(tasks, Limits(START, 10, budget=1000))
    rollout = plan.get("rollout")
    assert rollout.start == D(2028, 1, 3)
    assert rollout.over_budget
    assert not plan.get("small").over_budget
    assert plan.spend == {2027: pytest.approx(100), 2028: pytest.approx(2000)}
    assert not schedule(tasks, Limits(START, 10)).get("rollout").over_budget


def test_fixed_items_keep_their_dates_and_use_capacity_and_budget() -> None:
    tasks = [
        task(
            "accepted",
            effort=10,
            cost=900,
            fixed=(D(2027, 1, 4), D(2027, 1, 29)),
            deadline=D(2027, 1, 15),
        ),
        task("new", effort=5, weeks=2, cost=200),
        task("after", depends_on=("accepted",), weeks=1),
    ]
    plan = schedule(tasks, Limits(START, 10, budget=1000))
    accepted = plan.get("accepted")
    assert (accepted.start, accepted.end) == (D(2027, 1, 4), D(2027, 1, 29))
    assert accepted.late_days == 14
    assert not accepted.stretched
    assert plan.get("new").start == D(2028, 1, 3)  # no budget left in 2027
    assert plan.get("after").start == D(2027, 2, 1)
    assert plan.spend[2027] == pytest.approx(900)


def test_a_fixed_item_over_a_weekend_only_counts_in_its_start_month() -> None:
    plan = schedule([task("weekend", effort=2, fixed=(D(2027, 1, 30), D(2027, 1, 31)))], LIMITS)
    assert plan.load == {(2027, 1): pytest.approx(2)}


def test_a_fixed_milestone_keeps_its_day_whatever_effort_it_was_given() -> None:
    day = D(2027, 2, 1)
    plan = schedule([task("m", milestone=True, effort=30, fixed=(day, day))], LIMITS)
    assert plan.get("m").start == day
    assert plan.load == {(2027, 2): pytest.approx(30)}


def test_the_plan_is_deterministic() -> None:
    tasks = [
        task(
            f"t{i}",
            effort=(i * 7) % 11 + 1,
            weeks=i % 5 + 1,
            priority=i % 3,
            cost=100 * (i % 4),
            depends_on=(f"t{i - 3}",) if i >= 3 else (),
            deadline=D(2027, 6, 1) if i % 4 == 0 else None,
        )
        for i in range(30)
    ]
    limits = Limits(START, 15, budget=2000)
    first = schedule(tasks, limits)
    shuffled = tasks[:]
    random.Random(4).shuffle(shuffled)
    assert schedule(shuffled, limits) == first


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([task("a", depends_on=("x", "w"))], r"'a' depends on unknown 'w', 'x'"),
        (
            [task("a", depends_on=("b",)), task("b", depends_on=("a",)), task("c")],
            r"cycle among 'a', 'b'",
        ),
        ([task("a", depends_on=("a",))], r"cycle among 'a'"),
        ([task("a"), task("a")], r"'a' appears twice"),
        ([task("a", effort=-1)], r"'a': effort must be a number ≥ 0"),
        ([task("a", cost=float("nan"))], r"'a': cost must be a number ≥ 0"),
        ([task("a", weeks=0)], r"'a': needs at least one week"),
        ([task("m", milestone=True, effort=11)], r"milestone 'm' takes more effort"),
        ([task("a", fixed=(D(2027, 2, 1), D(2027, 1, 1)))], r"'a': ends before it starts"),
        ([task("a", earliest=D(2040, 1, 1))], r"'a' finds no start within 10 years"),
    ],
)
def test_broken_tasks_are_refused_naming_the_keys(tasks: list[Task], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule(tasks, LIMITS)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(START, 0), "capacity must be a positive"),
        (Limits(START, float("inf")), "capacity must be a positive"),
        (Limits(START, 10, budget=-1), "budget must be"),
    ],
)
def test_broken_limits_are_refused(limits: Limits, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule([task("a")], limits)


# Every task set ----------------------------------------------------------------------------------


@st.composite
def task_sets(draw: st.DrawFn) -> tuple[list[Task], Limits]:
    capacity = draw(st.sampled_from([6.0, 10.0, 17.5]))
    budget = draw(st.sampled_from([None, 5000.0, 20000.0]))
    start = START + datetime.timedelta(days=draw(st.integers(0, 40)))
    count = draw(st.integers(1, 12))
    tasks = []
    for i in range(count):
        milestone = draw(st.booleans()) and i % 3 == 2
        depends = draw(st.sets(st.integers(0, i - 1), max_size=2)) if i else set()
        fixed = None
        if not milestone and draw(st.integers(0, 9)) == 0:
            first = start + datetime.timedelta(days=draw(st.integers(0, 200)))
            fixed = (first, first + datetime.timedelta(days=draw(st.integers(0, 30))))
        tasks.append(
            Task(
                key=f"k{i}",
                kind=Kind.DECISION if milestone else Kind.ACTION,
                effort=0.0 if milestone else draw(st.floats(0, 15)),
                weeks=0 if milestone else draw(st.integers(1, 8)),
                cost=0.0 if milestone or fixed else draw(st.sampled_from([0.0, 800.0, 2500.0])),
                priority=draw(st.integers(0, 3)),
                depends_on=tuple(f"k{d}" for d in sorted(depends)),
                deadline=draw(st.none() | st.dates(D(2026, 6, 1), D(2028, 12, 31))),
                fixed=fixed,
                milestone=milestone,
            )
        )
    # fixed items keep their dates even where the capacity would say otherwise: keep them small
    tasks = [replace(t, effort=min(t.effort, capacity / 4)) if t.fixed else t for t in tasks]
    return tasks, Limits(start, capacity, budget)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_sets())
def test_every_plan_respects_dependencies_capacity_budget_and_deadlines(
    case: tuple[list[Task], Limits],
) -> None:
    tasks, limits = case
    plan = schedule(tasks, limits)
    by_key = {t.key: t for t in tasks}
    placed = {p.key: p for p in plan.placements}
    assert set(placed) == set(by_key)
    assert list(plan.placements) == sorted(plan.placements, key=lambda p: (p.start, p.key))
    load: dict[tuple[int, int], float] = defaultdict(float)
    fixed_load: dict[tuple[int, int], float] = defaultdict(float)
    spend: dict[int, float] = defaultdict(float)
    for p in plan.placements:
        t = by_key[p.key]
        if t.fixed:
            assert (p.start, p.end) == t.fixed
        else:
            assert p.start.weekday() == 0
            assert p.start >= limits.start
            for d in t.depends_on:
                assert placed[d].end < p.start
            days = (p.end - p.start).days + 1
            if t.milestone:
                assert days == 1
            else:
                assert days > 7 * t.weeks if p.stretched else days == 7 * t.weeks
        assert p.late_days == (max(0, (p.end - t.deadline).days) if t.deadline else 0)
        assert p.phase is phase(p.start, limits.start)
        counts = workdays_per_month(p.start, p.end)
        days = sum(counts.values())
        for month, n in counts.items():
            (fixed_load if t.fixed else load)[month] += t.effort * n / days
        spend[p.start.year] += t.cost
    for month, value in load.items():
        # never over the capacity, except where fixed items alone take it
        assert value + fixed_load[month] <= limits.capacity + 1e-6 or value == 0
    if limits.budget is not None:
        for value in spend.values():
            assert value <= limits.budget + 1e-6  # no task costs more than a year's budget here
    for month, value in plan.load.items():
        assert value == pytest.approx(load[month] + fixed_load[month])
    assert schedule(list(reversed(tasks)), limits) == plan


# Phases ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2026, 12, 1), Phase.FIND_AND_PILOT),  # before the start
        (D(2027, 1, 4), Phase.FIND_AND_PILOT),
        (D(2027, 7, 3), Phase.FIND_AND_PILOT),
        (D(2027, 7, 4), Phase.SCALE),
        (D(2028, 7, 3), Phase.SCALE),
        (D(2028, 7, 4), Phase.STRATEGY),
        (D(2035, 1, 1), Phase.STRATEGY),
    ],
)
def test_phases_at_their_boundaries(start: D, expected: Phase) -> None:
    assert phase(start, START) is expected
    assert str(expected) in {"0-6", "6-18", "18+"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2027, 12, 15), 1, D(2028, 1, 15)),
        (D(2027, 7, 4), 18, D(2029, 1, 4)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(
    day: D, months: int, expected: D
) -> None:
    assert add_months(day, months) == expected


def test_monday_on_or_after() -> None:
    assert [monday_on_or_after(D(2027, 1, d)) for d in (3, 4, 5)] == [
        D(2027, 1, 4),
        D(2027, 1, 4),
        D(2027, 1, 11),
    ]


# Moving and overdue ------------------------------------------------------------------------------

CHAIN = [
    Dated("a", D(2027, 1, 4), D(2027, 1, 17)),
    Dated("b", D(2027, 1, 18), D(2027, 1, 31), depends_on=("a",)),
    Dated("c", D(2027, 2, 15), D(2027, 2, 28), depends_on=("b",)),
    Dated("d", D(2027, 1, 4), D(2027, 3, 31)),
    Dated("e", D(2027, 3, 1), D(2027, 3, 1), depends_on=("a", "d")),
]


def test_moving_an_item_later_moves_what_would_start_before_it_ends() -> None:
    moves = shift(CHAIN, "a", D(2027, 1, 11))
    assert moves == [
        Move("a", D(2027, 1, 4), D(2027, 1, 11), D(2027, 1, 17), D(2027, 1, 24)),
        Move("b", D(2027, 1, 18), D(2027, 1, 25), D(2027, 1, 31), D(2027, 2, 7)),
    ]  # c starts on 15 February, after b's new end: it stays


def test_a_longer_move_reaches_further_by_the_least_amount() -> None:
    moves = shift(CHAIN, "a", D(2027, 1, 25))  # ends 7 February
    by_key = {m.key: m for m in moves}
    assert [m.key for m in moves] == ["a", "b", "c"]
    assert (by_key["b"].new_start, by_key["b"].new_end) == (D(2027, 2, 8), D(2027, 2, 21))
    assert (by_key["c"].new_start, by_key["c"].new_end) == (D(2027, 2, 22), D(2027, 3, 7))
    assert not any(m.conflict for m in moves)


def test_moving_an_item_earlier_pulls_nothing() -> None:
    assert shift(CHAIN, "b", D(2027, 1, 11)) == [
        Move("b", D(2027, 1, 18), D(2027, 1, 11), D(2027, 1, 31), D(2027, 1, 24))
    ]
    assert shift(CHAIN, "b", D(2027, 1, 18)) == []


def test_a_done_item_that_would_have_to_move_is_a_conflict() -> None:
    items = [*CHAIN[:1], Dated("b", D(2027, 1, 18), D(2027, 1, 31), ("a",), done=True), *CHAIN[2:]]
    moves = shift(items, "a", D(2027, 1, 25))
    assert [(m.key, m.conflict) for m in moves] == [("a", False), ("b", True), ("c", False)]
    assert shift(items, "b", D(2027, 2, 1))[0].conflict


def test_moving_reaches_items_with_several_dependencies() -> None:
    moves = shift(CHAIN, "d", D(2027, 2, 1))  # d now ends 28 April
    assert [m.key for m in moves] == ["d", "e"]
    assert moves[1].new_start == moves[1].new_end == D(2027, 4, 29)


def test_an_item_that_ends_later_pushes_what_waits_for_it() -> None:
    moves = shift(CHAIN, "a", D(2027, 1, 4), D(2027, 1, 24))  # same start, a week longer
    assert moves == [
        Move("a", D(2027, 1, 4), D(2027, 1, 4), D(2027, 1, 17), D(2027, 1, 24)),
        Move("b", D(2027, 1, 18), D(2027, 1, 25), D(2027, 1, 31), D(2027, 2, 7)),
    ]


def test_an_item_that_ends_earlier_pulls_nothing() -> None:
    assert shift(CHAIN, "b", D(2027, 1, 18), D(2027, 1, 24)) == [
        Move("b", D(2027, 1, 18), D(2027, 1, 18), D(2027, 1, 31), D(2027, 1, 24))
    ]


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="end lies before the start"):
        shift(CHAIN, "a", D(2027, 1, 4), D(2027, 1, 3))


@pytest.mark.parametrize(
    ("items", "key", "message"),
    [
        (CHAIN, "x", r"unknown item 'x'"),
        ([*CHAIN, CHAIN[0]], "a", r"appears twice"),
        ([Dated("a", D(2027, 1, 4), D(2027, 1, 5), ("b",))], "a", r"unknown 'b'"),
    ],
)
def test_moving_refuses_unknown_items(items: list[Dated], key: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        shift(items, key, D(2027, 2, 1))


def test_overdue_items_are_not_done_and_ended_before_today() -> None:
    items = [
        Dated("open_late", D(2027, 1, 4), D(2027, 1, 10)),
        Dated("done_late", D(2027, 1, 4), D(2027, 1, 10), done=True),
        Dated("ends_today", D(2027, 1, 4), D(2027, 1, 20)),
        Dated("older", D(2026, 12, 1), D(2026, 12, 31)),
    ]
    assert [i.key for i in overdue(items, D(2027, 1, 20))] == ["older", "open_late"]


# A use case's chain ------------------------------------------------------------------------------

RULES = SequenceRules(
    data_share=0.2,
    data_weeks=6,
    pilot_share=0.3,
    pilot_weeks=6,
    pilot_weeks_min=4,
    pilot_weeks_max=6,
    rollout_weeks=12,
)


@pytest.mark.parametrize(
    ("has_data", "already", "steps"),
    [
        (False, set(), ["data", "pilot", "decision", "rollout"]),
        (True, set(), ["pilot", "decision", "rollout"]),
        (False, {"data"}, ["pilot", "decision", "rollout"]),
        (False, {Step.PILOT}, ["decision", "rollout"]),  # a pilot running or done
        (True, {"pilot", "decision"}, ["rollout"]),
        (False, {"decision"}, ["rollout"]),  # the furthest step counts
        (True, {"rollout"}, []),
    ],
)
def test_a_use_case_chain_starts_where_the_use_case_stands(
    has_data: bool, already: set[str], steps: list[str]
) -> None:
    tasks = usecase_tasks(12, 40, 5000, 3.5, has_data, None, already, rules=RULES)
    assert [t.key for t in tasks] == [f"usecase:12:{s}" for s in steps]
    previous: tuple[str, ...] = ()
    for t in tasks:
        assert t.depends_on == previous
        assert t.priority == 3.5
        previous = (t.key,)


def test_a_use_case_chain_shares_its_effort_and_puts_the_cost_on_the_rollout() -> None:
    data, pilot, decision, rollout = usecase_tasks(
        "x", 40, 5000, 1, False, None, (), rules=RULES, after=("compliance:usecase:x:dpia",)
    )
    assert data.depends_on == ("compliance:usecase:x:dpia",)
    assert [t.kind for t in (data, pilot, decision, rollout)] == [
        Kind.DATA,
        Kind.PILOT,
        Kind.DECISION,
        Kind.ROLLOUT,
    ]
    assert [t.effort for t in (data, pilot, decision, rollout)] == pytest.approx([8, 12, 0, 20])
    assert [t.weeks for t in (data, pilot, rollout)] == [6, 6, 12]
    assert decision.milestone
    assert rollout.cost == 5000
    assert data.cost == pilot.cost == decision.cost == 0


@pytest.mark.parametrize(("asked", "weeks"), [(None, 6), (3, 4), (5, 5), (12, 6)])
def test_a_pilot_takes_four_to_six_weeks(asked: int | None, weeks: int) -> None:
    pilot = usecase_tasks("x", 10, 0, 0, True, asked, (), rules=RULES)[0]
    assert pilot.weeks == weeks


def test_a_chain_is_scheduled_in_its_order() -> None:
    plan = schedule(usecase_tasks(1, 40, 1000, 1, False, 4, (), rules=RULES), LIMITS)
    keys = [p.key for p in plan.placements]
    assert keys == ["usecase:1:data", "usecase:1:pilot", "usecase:1:decision", "usecase:1:rollout"]


# Competences -------------------------------------------------------------------------------------

BASICS = Competence("ai_basics", ("grundlagen", "ai literacy"), legal=True)
TOOL = Competence("tool_use", ("einweisung", "prompt"), ai_users_only=True)
STRATEGY = Competence("strategy", ("strategie",))
NEEDS = CompetenceNeeds(
    levels={
        RoleLevel.MANAGEMENT: LevelNeeds(
            RoleLevel.MANAGEMENT, (BASICS, STRATEGY), Training(0.5, 4)
        ),
        RoleLevel.USER: LevelNeeds(RoleLevel.USER, (BASICS, TOOL), Training(1, 2)),
    },
    literacy_due_days=60,
    priority=5,
)


def test_competence_gaps_per_role_level() -> None:
    people = [
        PersonSkills("anna", "management", ("KI-Grundlagen (halber Tag)", "KI-Strategie 2027")),
        PersonSkills("bernd", RoleLevel.MANAGEMENT, ()),
        PersonSkills("cem", "user", ("AI LITERACY online course",), ai_systems=("chat",)),
        PersonSkills("dora", "user", ("Einweisung Chat-Assistent",), ai_systems=("chat",)),
        PersonSkills("emil", "user", ()),  # uses no AI system: needs no tool training
        PersonSkills("fritz", "champion", ()),  # no needs for champions here
    ]
    management, users = competence_gaps(people, NEEDS, START)
    assert management.level is RoleLevel.MANAGEMENT
    assert management.people == ("anna", "bernd")
    assert [(s.competence.key, s.has, s.lacks) for s in management.competences] == [
        ("ai_basics", ("anna",), ("bernd",)),
        ("strategy", ("anna",), ("bernd",)),
    ]
    assert [(s.competence.key, s.has, s.lacks) for s in users.competences] == [
        ("ai_basics", ("cem",), ("dora", "emil")),
        ("tool_use", ("dora",), ("cem",)),
    ]
    literacy, tool = users.tasks
    assert literacy == Task(
        key="competence:user:ai_basics",
        kind=Kind.LITERACY,
        effort=2,
        weeks=2,
        priority=5,
        deadline=D(2027, 3, 5),
        legal=True,
    )
    assert (tool.kind, tool.effort, tool.deadline, tool.legal) == (Kind.COMPETENCE, 1, None, False)
    assert not users.complete


def test_a_level_where_everyone_has_everything_proposes_nothing() -> None:
    people = [PersonSkills("anna", "management", ("Grundlagen und Strategie",))]
    management, users = competence_gaps(people, NEEDS, START)
    assert management.complete
    assert management.tasks == ()
    assert users.people == ()
    assert users.complete


# Legal dates -------------------------------------------------------------------------------------

CALENDAR = LegalCalendar(
    duties={
        "literacy": LegalDuty("literacy", "Art. 4 KI-VO", D(2025, 2, 2), 1, 4, Kind.LITERACY),
        "art50_1_disclose": LegalDuty("art50_1_disclose", "Art. 50 KI-VO", D(2026, 8, 2), 1, 2),
        "fria": LegalDuty("fria", "Art. 27 KI-VO", D(2027, 12, 2), 5, 8),
        "dpia": LegalDuty("dpia", "Art. 35 DSGVO", None, 4, 6),
    },
    due_now_days=30,
)
EARLY = D(2026, 3, 2)  # a roadmap starting before the Art. 50 date


@pytest.mark.parametrize(
    ("key", "start", "go_live", "expected"),
    [
        ("literacy", START, None, D(2027, 2, 3)),  # in force: due now
        ("literacy", START, D(2027, 6, 1), D(2027, 5, 31)),  # before go-live
        ("art50_1_disclose", EARLY, None, D(2026, 8, 2)),
        ("art50_1_disclose", EARLY, D(2026, 5, 1), D(2026, 8, 2)),  # live before it applies
        ("art50_1_disclose", EARLY, D(2026, 10, 1), D(2026, 9, 30)),
        ("art50_1_disclose", START, None, D(2027, 2, 3)),
        ("fria", START, D(2027, 3, 1), D(2027, 12, 2)),
        ("fria", START, D(2028, 3, 1), D(2028, 2, 29)),
        ("dpia", START, D(2027, 5, 3), D(2027, 5, 2)),
        ("dpia", START, D(2026, 5, 3), D(2027, 2, 3)),  # live already: due now
        ("dpia", START, None, None),  # the pilot waits for it instead
    ],
)
def test_a_duty_is_due_before_go_live_and_not_before_it_applies(
    key: str, start: D, go_live: D | None, expected: D | None
) -> None:
    assert duty_deadline(CALENDAR, key, start, go_live) == expected


def test_a_duty_task_carries_its_deadline_and_the_legal_flag() -> None:
    made = duty_task(
        CALENDAR, "art50_1_disclose", "usecase:7", EARLY, priority=2, depends_on=("x",)
    )
    assert made == Task(
        key="compliance:usecase:7:art50_1_disclose",
        kind=Kind.COMPLIANCE,
        effort=1,
        weeks=2,
        priority=2,
        depends_on=("x",),
        deadline=D(2026, 8, 2),
        legal=True,
    )
    assert duty_task(CALENDAR, "literacy", "org", START).kind is Kind.LITERACY


def test_an_unknown_duty_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown legal duty 'gone'"):
        duty_deadline(CALENDAR, "gone", START)
