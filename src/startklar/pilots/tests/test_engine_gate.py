"""The scale decision's gate (issue 14, point 6): every item missing alone blocks, all present
passes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from startklar.pilots.engine import (
    Dpia,
    Evidence,
    GateItem,
    GateReason,
    GateState,
    ReviewFacts,
    gate,
)

GOOD_REVIEW = ReviewFacts("Belegerfassung", enough=True, rate=0.04, threshold=0.1, open_alerts=0)
READY = Evidence(
    kpis_missed=(),
    kpi_count=3,
    reviews=(GOOD_REVIEW,),
    has_business_case=True,
    planned=1000.0,
    actual=900.0,
    classified=True,
    prohibited=False,
    duties=True,
    dpia=Dpia.DONE,
    systems=("Belegerfassung",),
    dpa_missing=(),
    users=4,
    untrained=(),
    operation_owner=True,
    notes=frozenset({GateItem.AI_ACT, GateItem.USAGE_POLICY}),
)


def test_all_evidence_present_passes() -> None:
    result = gate(READY)
    assert result.ready
    assert result.open == ()
    assert not result.blocked
    assert [item.item for item in result.items] == list(GateItem)
    assert {item.state for item in result.items} == {GateState.MET}


NO_NOTES = frozenset({GateItem.USAGE_POLICY})


@pytest.mark.parametrize(
    ("change", "item", "state", "reason", "names"),
    [
        ({"kpi_count": 0}, GateItem.KPIS, GateState.OPEN, GateReason.NO_KPIS, ()),
        (
            {"kpis_missed": ("Durchlaufzeit",)},
            GateItem.KPIS,
            GateState.OPEN,
            GateReason.KPIS_MISSED,
            ("Durchlaufzeit",),
        ),
        ({"reviews": ()}, GateItem.ERROR_RATE, GateState.OPEN, GateReason.NO_REVIEW_PLAN, ()),
        (
            {"reviews": (replace(GOOD_REVIEW, enough=False),)},
            GateItem.ERROR_RATE,
            GateState.OPEN,
            GateReason.TOO_FEW_REVIEWS,
            ("Belegerfassung",),
        ),
        (
            {"reviews": (replace(GOOD_REVIEW, rate=0.12),)},
            GateItem.ERROR_RATE,
            GateState.OPEN,
            GateReason.ERROR_RATE_HIGH,
            ("Belegerfassung",),
        ),
        (
            {"reviews": (replace(GOOD_REVIEW, open_alerts=1),)},
            GateItem.ERROR_RATE,
            GateState.OPEN,
            GateReason.OPEN_ALERTS,
            ("Belegerfassung",),
        ),
        (
            {"has_business_case": False},
            GateItem.BUSINESS_CASE,
            GateState.OPEN,
            GateReason.NO_BUSINESS_CASE,
            (),
        ),
        (
            {"planned": None, "actual": None},
            GateItem.BUSINESS_CASE,
            GateState.OPEN,
            GateReason.NO_ACTUALS,
            (),
        ),
        ({"actual": 799.0}, GateItem.BUSINESS_CASE, GateState.OPEN, GateReason.BEHIND_PLAN, ()),
        ({"classified": False}, GateItem.AI_ACT, GateState.OPEN, GateReason.NOT_CLASSIFIED, ()),
        ({"prohibited": True}, GateItem.AI_ACT, GateState.BLOCKED, GateReason.PROHIBITED, ()),
        ({"notes": NO_NOTES}, GateItem.AI_ACT, GateState.OPEN, GateReason.DUTIES_OPEN, ()),
        ({"dpia": Dpia.OPEN}, GateItem.DPIA, GateState.OPEN, GateReason.DPIA_OPEN, ()),
        ({"dpia": Dpia.UNKNOWN}, GateItem.DPIA, GateState.OPEN, GateReason.DPIA_UNKNOWN, ()),
        (
            {"dpa_missing": ("Belegerfassung",)},
            GateItem.DPA,
            GateState.OPEN,
            GateReason.DPA_MISSING,
            ("Belegerfassung",),
        ),
        ({"users": 0}, GateItem.LITERACY, GateState.OPEN, GateReason.NO_USERS, ()),
        (
            {"untrained": ("Tim Becker",)},
            GateItem.LITERACY,
            GateState.OPEN,
            GateReason.UNTRAINED,
            ("Tim Becker",),
        ),
        (
            {"operation_owner": False},
            GateItem.OPERATION_OWNER,
            GateState.OPEN,
            GateReason.NO_OWNER,
            (),
        ),
        (
            {"notes": frozenset({GateItem.AI_ACT})},
            GateItem.USAGE_POLICY,
            GateState.OPEN,
            GateReason.POLICY_OPEN,
            (),
        ),
    ],
)
def test_each_item_missing_alone_blocks(
    change: dict[str, object],
    item: GateItem,
    state: GateState,
    reason: GateReason,
    names: tuple[str, ...],
) -> None:
    result = gate(replace(READY, **change))  # type: ignore[arg-type]
    assert not result.ready
    assert result.open == (item,)
    found = next(r for r in result.items if r.item is item)
    assert (found.state, found.reason, found.names) == (state, reason, names)
    assert result.blocked is (state is GateState.BLOCKED)


def test_without_a_system_the_register_items_are_open() -> None:
    result = gate(replace(READY, systems=(), users=0))
    assert result.open == (GateItem.DPA, GateItem.LITERACY)
    assert {r.reason for r in result.items if not r.passes} == {GateReason.NO_SYSTEM}


@pytest.mark.parametrize(
    ("change", "item"),
    [
        ({"kpis_missed": ("Durchlaufzeit",)}, GateItem.KPIS),
        ({"has_business_case": False}, GateItem.BUSINESS_CASE),
        ({"actual": 10.0}, GateItem.BUSINESS_CASE),
    ],
)
def test_a_documented_reason_waives_kpis_and_business_case(
    change: dict[str, object], item: GateItem
) -> None:
    evidence = replace(READY, **change, notes=READY.notes | {item})  # type: ignore[arg-type]
    result = gate(evidence)
    assert result.ready
    found = next(r for r in result.items if r.item is item)
    assert (found.state, found.reason) == (GateState.WAIVED, GateReason.WAIVED)


def test_minimal_risk_needs_no_note_and_no_dpia() -> None:
    result = gate(replace(READY, duties=False, dpia=Dpia.NOT_NEEDED, notes=NO_NOTES))
    assert result.ready
    states = {r.item: (r.state, r.reason) for r in result.items}
    assert states[GateItem.AI_ACT] == (GateState.MET, GateReason.CLASSIFIED)
    assert states[GateItem.DPIA] == (GateState.NOT_NEEDED, GateReason.DPIA_NOT_NEEDED)


def test_a_review_plan_without_verdicts_has_no_rate_but_too_few_items() -> None:
    review = replace(GOOD_REVIEW, enough=False, rate=None)
    assert gate(replace(READY, reviews=(review,))).open == (GateItem.ERROR_RATE,)
