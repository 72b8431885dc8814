"""The SME size class after Commission Recommendation 2003/361/EC."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from startklar.organisations.engine import CompanyFigures, SizeClass, classify

M = Decimal(1_000_000)

ORDER = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE]


def size(headcount: int, turnover_m: str, balance_m: str) -> SizeClass:
    figures = CompanyFigures(headcount, Decimal(turnover_m) * M, Decimal(balance_m) * M)
    return classify(figures).size_class


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        # micro: < 10 staff and (turnover or balance sheet <= 2 M€)
        (0, "0", "0", SizeClass.MICRO),
        (9, "2", "2", SizeClass.MICRO),
        (9, "5", "2", SizeClass.MICRO),  # balance sheet alone is enough
        (9, "2", "5", SizeClass.MICRO),  # turnover alone is enough
        (9, "2.01", "2.01", SizeClass.SMALL),
        (10, "1", "1", SizeClass.SMALL),  # headcount ceiling is strict: 10 is not micro
        # small: < 50 and 10 M€
        (49, "10", "10", SizeClass.SMALL),
        (49, "40", "10", SizeClass.SMALL),
        (49, "10.01", "10.01", SizeClass.MEDIUM),
        (50, "1", "1", SizeClass.MEDIUM),
        # medium: < 250 and (turnover <= 50 M€ or balance sheet <= 43 M€)
        (85, "12.4", "8.9", SizeClass.MEDIUM),  # the demo company
        (249, "50", "43", SizeClass.MEDIUM),
        (249, "80", "43", SizeClass.MEDIUM),
        (249, "50", "60", SizeClass.MEDIUM),
        (249, "50.01", "43.01", SizeClass.LARGE),
        (250, "1", "1", SizeClass.LARGE),
        (5000, "900", "700", SizeClass.LARGE),
    ],
)
def test_size_class_follows_the_recommendation(
    headcount: int, turnover: str, balance: str, expected: SizeClass
) -> None:
    assert size(headcount, turnover, balance) is expected


def test_the_deciding_check_names_the_assigned_class_and_why() -> None:
    assessment = classify(CompanyFigures(85, Decimal(80) * M, Decimal(30) * M))
    check = assessment.deciding_check
    assert check is not None
    assert check.ceiling.size_class is SizeClass.MEDIUM
    assert (check.headcount_ok, check.turnover_ok, check.balance_sheet_ok) == (True, False, True)
    assert assessment.is_sme


def test_a_large_enterprise_has_no_deciding_check() -> None:
    assessment = classify(CompanyFigures(300, Decimal(1), Decimal(1)))
    assert assessment.deciding_check is None
    assert not assessment.is_sme


@pytest.mark.parametrize(
    "figures",
    [
        CompanyFigures(-1, Decimal(0), Decimal(0)),
        CompanyFigures(1, Decimal(-1), Decimal(0)),
        CompanyFigures(1, Decimal(0), Decimal(-1)),
    ],
)
def test_negative_figures_are_refused(figures: CompanyFigures) -> None:
    with pytest.raises(ValueError, match="negative"):
        classify(figures)


headcounts = st.integers(min_value=0, max_value=100_000)
amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False)


@given(headcounts, amounts, amounts, st.integers(0, 1000), amounts, amounts)
def test_growing_never_makes_a_company_smaller(
    headcount: int,
    turnover: Decimal,
    balance: Decimal,
    more_staff: int,
    more_t: Decimal,
    more_b: Decimal,
) -> None:
    before = classify(CompanyFigures(headcount, turnover, balance)).size_class
    after = classify(
        CompanyFigures(headcount + more_staff, turnover + more_t, balance + more_b)
    ).size_class
    assert ORDER.index(after) >= ORDER.index(before)


@given(headcounts, amounts, amounts)
def test_assigned_class_is_the_smallest_that_fits(
    headcount: int, turnover: Decimal, balance: Decimal
) -> None:
    assessment = classify(CompanyFigures(headcount, turnover, balance))
    fitting = [c.ceiling.size_class for c in assessment.checks if c.fits]
    assert assessment.size_class is (fitting[0] if fitting else SizeClass.LARGE)
