"""The demo company's dates are counted back from the day it is built, never into the future.

Each test builds the demo with "now" frozen to a different moment (and once unfrozen), so a
date written into the demo by hand shows up as soon as the calendar moves on.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
from collections.abc import Iterator
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from startklar import demo
from startklar.businesscase.models import Actual, BusinessCase
from startklar.compliance.models import AISystem, TrainingRecord
from startklar.organisations.models import Invitation, Organisation
from startklar.readiness.models import Round
from startklar.usecases.models import Status, UseCase, Workshop

# Dates are computed in Python: the SQLite run checks them (the demo on PostgreSQL is built
# and checked by the features' demo tests).
pytestmark = [pytest.mark.django_db, pytest.mark.any_database]

BERLIN = ZoneInfo("Europe/Berlin")
# Written out here on purpose: the demo must not depend on the server's locale.
GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
# Fields that look ahead: everything else of the demo must lie in the past.
FORWARD_FIELDS = {
    ("organisations", "Invitation", "expires_at"),
    ("compliance", "AISystem", "next_review"),
    ("businesscase", "BusinessCase", "start"),
    ("usecases", "UseCase", "goal_date"),
    ("people", "CommunicationItem", "due_on"),  # the plan's steps still to come
}
FEATURES = ("organisations", "readiness", "usecases", "businesscase", "compliance", "people")
MOMENTS = [
    None,  # the real now
    datetime.datetime(2027, 3, 15, 11, 0, tzinfo=BERLIN),
    datetime.datetime(2026, 12, 4, 8, 30, tzinfo=BERLIN),
    datetime.datetime(2027, 1, 1, 0, 30, tzinfo=BERLIN),  # still 2026 in UTC
    datetime.datetime(2028, 2, 29, 17, 0, tzinfo=BERLIN),
    datetime.datetime(2026, 7, 31, 23, 50, tzinfo=BERLIN),
]


def month_title(prefix: str, moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{prefix} {GERMAN_MONTHS[local.month - 1]} {local.year}"


@contextlib.contextmanager
def frozen_at(moment: datetime.datetime | None) -> Iterator[None]:
    """Freeze "now" at ``moment`` (``None``: keep the real clock)."""
    if moment is None:
        yield
        return
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(datetime.UTC)):
        yield


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: "today" if m is None else f"{m:%Y-%m-%d}")
def test_the_demo_built_on_any_day_keeps_its_dates_plausible(
    db: None, moment: datetime.datetime | None
) -> None:
    with frozen_at(moment):
        organisation = demo.ensure_demo().organisation
        now = timezone.now()  # for the real clock: just after the demo was built
    for check in (
        no_date_lies_in_the_future,
        the_pilot_started_months_ago_and_has_actuals_only_for_completed_months,
        status_histories_run_forward_in_the_past_and_end_in_the_current_status,
        the_workshop_is_titled_with_the_month_it_was_held,
        readiness_rounds_are_titled_with_their_month_and_were_answered_while_open,
        training_records_and_reviews_are_plausible,
    ):
        check(organisation, now)


def no_date_lies_in_the_future(organisation: Organisation, now: datetime.datetime) -> None:
    today = timezone.localdate(now)
    late = []
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in FEATURES:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField)
            and (label, model.__name__, f.name) not in FORWARD_FIELDS
        ]
        for obj in model._default_manager.all():
            for field in fields:
                value = getattr(obj, field.attname)
                if value is None:
                    continue
                limit = now if isinstance(value, datetime.datetime) else today
                if value > limit:
                    late.append(f"{model.__name__}.{field.name} = {value} ({obj})")
    assert not late, "after now:\n" + "\n".join(late)


def the_pilot_started_months_ago_and_has_actuals_only_for_completed_months(
    organisation: Organisation, now: datetime.datetime
) -> None:
    this_month = timezone.localdate(now).replace(day=1)
    pilot = BusinessCase.objects.get(organisation=organisation, use_case__status=Status.PILOT)
    assert pilot.start < this_month
    months = sorted(
        Actual.objects.filter(item__business_case=pilot).values_list("month", flat=True)
    )
    assert months, "the pilot shows plan against actual"
    assert months[0] > pilot.start  # month 0 is the start; benefits flow from month 1
    assert months[-1] < this_month  # only completed months
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    assert months[-1] == last_month
    assert pilot.decided_at is not None
    assert pilot.decided_at.date() < pilot.start
    assert pilot.use_case.history.filter(to_status=Status.PILOT).get().changed_at.date() >= (
        pilot.start - datetime.timedelta(days=1)
    )
    planned = BusinessCase.objects.filter(organisation=organisation).exclude(pk=pilot.pk)
    assert planned.exists()
    assert all(case.start > timezone.localdate(now) for case in planned)


def status_histories_run_forward_in_the_past_and_end_in_the_current_status(
    organisation: Organisation, now: datetime.datetime
) -> None:
    for use_case in UseCase.objects.filter(organisation=organisation):
        history = list(use_case.history.order_by("pk"))
        moments = [change.changed_at for change in history]
        assert moments == sorted(moments), use_case
        assert use_case.created_at <= moments[0] <= moments[-1] <= now, use_case
        assert history[0].from_status == ""
        assert history[-1].to_status == use_case.status
        assert all(a.to_status == b.from_status for a, b in itertools.pairwise(history))
        assert use_case.created_at >= organisation.created_at


def the_workshop_is_titled_with_the_month_it_was_held(
    organisation: Organisation, now: datetime.datetime
) -> None:
    workshop = Workshop.objects.get(organisation=organisation)
    assert workshop.created_at <= now
    assert workshop.title == month_title("Use-Case-Workshop", workshop.created_at)
    assert all(workshop.created_at <= v.updated_at <= now for v in workshop.votes.all())


def readiness_rounds_are_titled_with_their_month_and_were_answered_while_open(
    organisation: Organisation, now: datetime.datetime
) -> None:
    rounds = Round.objects.filter(organisation=organisation).order_by("created_at")
    assert len(rounds) == 2
    for round_ in rounds:
        assert round_.closed_at is not None
        assert organisation.created_at <= round_.created_at < round_.closed_at <= now
        assert round_.title == month_title("Reifegrad-Check", round_.created_at)
        for respondent in round_.respondents.all():
            assert respondent.submitted_at is not None
            assert round_.created_at <= respondent.added_at <= respondent.submitted_at
            assert respondent.submitted_at <= round_.closed_at
    earlier, latest = rounds
    assert (latest.created_at - earlier.created_at).days > 300


def training_records_and_reviews_are_plausible(
    organisation: Organisation, now: datetime.datetime
) -> None:
    today = timezone.localdate(now)
    records = TrainingRecord.objects.filter(organisation=organisation)
    assert records.exists()
    for record in records:
        assert record.date <= today
        if record.evidence.startswith("Teilnehmerliste"):
            assert record.evidence == f"Teilnehmerliste {record.date:%m/%Y}"
    reviews = [
        s.next_review
        for s in AISystem.objects.filter(organisation=organisation)
        if s.next_review is not None
    ]
    assert any(review > today for review in reviews)
    # Counted from today (an overdue review may be part of the story, but not by years).
    assert all(abs((review - today).days) <= 400 for review in reviews)
    assert all(i.expires_at > now for i in Invitation.objects.filter(organisation=organisation))


@pytest.mark.parametrize(
    ("moment", "workshop", "latest_round"),
    [
        (
            datetime.datetime(2027, 3, 15, 11, 0, tzinfo=BERLIN),
            "Use-Case-Workshop März 2027",
            "Reifegrad-Check Februar 2027",
        ),
        (
            datetime.datetime(2026, 12, 4, 9, 0, tzinfo=BERLIN),
            "Use-Case-Workshop November 2026",
            "Reifegrad-Check Oktober 2026",
        ),
    ],
)
def test_the_titles_follow_the_day_the_demo_is_built(
    db: None, moment: datetime.datetime, workshop: str, latest_round: str
) -> None:
    with frozen_at(moment):
        organisation = demo.ensure_demo().organisation
    assert Workshop.objects.get(organisation=organisation).title == workshop
    latest = Round.objects.filter(organisation=organisation).first()
    assert latest is not None
    assert latest.title == latest_round
