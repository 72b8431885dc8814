"""The safety tests' view of the database tells a change from none, on either database."""

from __future__ import annotations

import datetime

import pytest

from startklar.organisations.models import Organisation
from startklar.testing import make_organisation

from .dbstate import changed_tables, fingerprint, rolled_back, writes

pytestmark = pytest.mark.django_db


def test_the_fingerprint_sees_every_change_and_only_changes() -> None:
    organisation = make_organisation("Fingerabdruck GmbH", headcount=12)
    before = fingerprint()
    assert fingerprint() == before
    count = writes()
    with rolled_back():
        Organisation.objects.filter(pk=organisation.pk).update(headcount=13)
        assert writes() > count
        changed = fingerprint()
        assert changed != before
        assert changed_tables(before, changed) == "organisations.Organisation (1 → 1 rows)"
    assert fingerprint() == before


def test_without_times_two_writes_of_the_same_values_look_the_same() -> None:
    organisation = make_organisation("Zeitstempel GmbH", headcount=12)
    with_times, without = fingerprint(), fingerprint(times=False)
    later = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=later)
    assert fingerprint(times=False) == without
    assert fingerprint() != with_times
