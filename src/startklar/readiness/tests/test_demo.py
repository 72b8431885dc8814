"""The demo company's readiness rounds."""

from __future__ import annotations

import pytest

from startklar import demo
from startklar.readiness import queries
from startklar.readiness.models import Round

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_round_with_three_differing_views_and_an_earlier_one() -> None:
    organisation = demo.ensure_demo().organisation
    rounds = list(Round.objects.filter(organisation=organisation).order_by("created_at"))
    assert [r.status for r in rounds] == ["closed", "closed"]
    earlier, latest = (queries.result(r) for r in rounds)
    assert latest.respondents == 3
    assert latest.gaps, "the demo round must show a perception gap"
    assert {g.high_perspective for g in latest.gaps} == {"geschaeftsfuehrung"}
    assert latest.combined.stage is not None
    assert latest.combined.findings
    assert (latest.combined.overall or 0) > (earlier.combined.overall or 0)
