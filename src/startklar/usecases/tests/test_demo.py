"""The demo company's use cases and workshop."""

from __future__ import annotations

import pytest

from startklar import demo
from startklar.usecases.models import CriterionScore, Status, UseCase, Workshop

pytestmark = pytest.mark.django_db


def test_about_a_dozen_use_cases_in_different_states_and_a_finished_workshop() -> None:
    organisation = demo.ensure_demo().organisation
    use_cases = UseCase.objects.filter(organisation=organisation)
    assert 10 <= use_cases.count() <= 15
    assert len(set(use_cases.values_list("status", flat=True))) >= 6
    assert use_cases.filter(status=Status.DISCARDED, history__reason__gt="").exists()
    workshop = Workshop.objects.get(organisation=organisation)
    assert workshop.phase == Workshop.Phase.CLOSED
    assert workshop.votes.values("user").distinct().count() == 3
    assert CriterionScore.objects.filter(source="workshop").count() == 3 * 11
