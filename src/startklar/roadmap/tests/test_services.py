"""The roadmap's services on their edges: items with dependencies (no cycles, no other
organisation's people or items), moving an item and what depends on it, done, settings, dismissed
proposals, and the calendar's secret address."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar

from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.roadmap import calendar, queries, services
from startklar.roadmap.models import CalendarFeed, Dismissal, Item, Kind
from startklar.testing import make_organisation, make_user

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 1, 4)


@pytest.fixture
def tenant() -> Tenant:
    organisation = make_organisation("Plan GmbH")
    owner = Membership.objects.create(organisation=organisation, user=make_user(), role=Role.OWNER)
    return Tenant(organisation=organisation, membership=owner)


def item(tenant: Tenant, title: str, start: datetime.date, weeks: int, *after: Item) -> Item:
    new = Item(
        title=title,
        kind=Kind.OTHER,
        start=start,
        end=start + datetime.timedelta(weeks=weeks, days=-1),
        effort=Decimal(3),
    )
    return services.add_item(tenant, new, list(after))


def test_dependencies_refuse_cycles_themselves_and_other_organisations(tenant: Tenant) -> None:
    data = item(tenant, "Daten", MONDAY, 2)
    pilot = item(tenant, "Pilot", MONDAY + datetime.timedelta(weeks=2), 6, data)
    rollout = item(tenant, "Rollout", MONDAY + datetime.timedelta(weeks=8), 4, pilot)
    with pytest.raises(services.RoadmapError) as refused:
        services.update_item(tenant, data, [rollout])
    assert refused.value.field == "depends_on"
    assert "Rollout" in str(refused.value)
    with pytest.raises(services.RoadmapError):
        services.update_item(tenant, data, [data])
    other = make_organisation("Andere GmbH")
    stranger = Membership.objects.create(organisation=other, user=make_user(), role=Role.OWNER)
    foreign = services.add_item(
        Tenant(organisation=other, membership=stranger),
        Item(title="Fremd", start=MONDAY, end=MONDAY),
        [],
    )
    with pytest.raises(Exception):  # noqa: B017,PT011 - tenant.require refuses: a 404 for the view
        services.update_item(tenant, data, [foreign])
    data.owner = stranger
    with pytest.raises(services.RoadmapError) as refused:
        services.update_item(tenant, data, [])
    assert refused.value.field == "owner"
    backwards = Item(title="Rückwärts", start=MONDAY, end=MONDAY - datetime.timedelta(1))
    with pytest.raises(services.RoadmapError) as refused:
        services.add_item(tenant, backwards, [])
    assert refused.value.field == "end"
    assert Item.objects.filter(organisation=tenant.organisation).count() == 3


def test_moving_an_item_moves_what_depends_on_it_and_never_a_done_one(tenant: Tenant) -> None:
    data = item(tenant, "Daten", MONDAY, 2)
    pilot = item(tenant, "Pilot", MONDAY + datetime.timedelta(weeks=2), 6, data)
    rollout = item(tenant, "Rollout", MONDAY + datetime.timedelta(weeks=8), 4, pilot)
    unrelated = item(tenant, "Schulung", MONDAY, 1)
    later = MONDAY + datetime.timedelta(weeks=3)
    preview = services.move_preview(tenant, data, later)
    assert {m.key for m in preview} == {str(data.pk), str(pilot.pk), str(rollout.pk)}
    services.move(tenant, data, later)
    for moved in (data, pilot, rollout, unrelated):
        moved.refresh_from_db()
    assert data.start == later
    assert pilot.start > data.end
    assert rollout.start > pilot.end
    assert (rollout.end - rollout.start).days == 4 * 7 - 1  # durations kept
    assert unrelated.start == MONDAY
    services.mark_done(tenant, rollout, timezone.localdate())
    with pytest.raises(services.RoadmapError):
        services.move(tenant, data, later + datetime.timedelta(weeks=10))
    data.refresh_from_db()
    assert data.start == later  # nothing half-moved
    with pytest.raises(services.RoadmapError):
        services.mark_done(tenant, data, timezone.localdate() + datetime.timedelta(1))


def test_settings_default_and_saved(tenant: Tenant) -> None:
    today = datetime.date(2027, 1, 7)  # a Thursday
    defaults = queries.settings_of(tenant, today)
    assert defaults.pk is None
    assert defaults.start == MONDAY
    assert defaults.capacity == queries.DEFAULT_CAPACITY
    with pytest.raises(services.RoadmapError):
        services.save_settings(tenant, MONDAY, Decimal(0), None)
    saved = services.save_settings(tenant, MONDAY, Decimal("12.5"), Decimal(50000))
    assert queries.settings_of(tenant, today) == saved
    assert services.save_settings(tenant, MONDAY, Decimal("12.5"), Decimal(50000)) == saved


def test_a_dismissed_proposal_is_kept_once_and_can_be_taken_back(tenant: Tenant) -> None:
    services.dismiss(tenant, "usecase:1:pilot")
    services.dismiss(tenant, "usecase:1:pilot")
    dismissal = Dismissal.objects.get(organisation=tenant.organisation)
    with pytest.raises(services.RoadmapError):
        services.dismiss(tenant, "x" * 121)
    services.take_back(tenant, dismissal)
    assert not Dismissal.objects.exists()


def test_a_calendar_address_is_shown_once_stored_hashed_and_revocable(tenant: Tenant) -> None:
    feed, secret = services.create_feed(tenant)
    assert secret.startswith(services.FEED_PREFIX)
    assert secret not in feed.token_hash
    assert services.feed_for(secret) == feed
    assert services.feed_for(secret + "x") is None
    assert services.feed_for("not-a-feed") is None
    second, newer = services.create_feed(tenant)  # one address at a time
    assert services.feed_for(secret) is None
    assert services.feed_for(newer) == second
    services.revoke_feed(tenant, second)
    assert services.feed_for(newer) is None
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0


def test_the_calendar_file_is_valid_icalendar_with_all_day_events() -> None:
    stamp = datetime.datetime(2027, 1, 4, 9, 30, tzinfo=datetime.UTC)
    entries = [
        calendar.Entry(
            "roadmap-item-1@example.com",
            'Pilot; Rechnungen, "Eingang"',
            "Warum:\nweil",
            MONDAY,
            MONDAY + datetime.timedelta(days=41),
            stamp,
            "https://example.com/o/x/roadmap/items/1/",
            False,
            False,
        ),
        calendar.Entry(
            "roadmap-item-2@example.com",
            "Skalierungsentscheidung",
            "",
            MONDAY + datetime.timedelta(weeks=6),
            MONDAY + datetime.timedelta(weeks=6),
            stamp,
            "",
            True,
            True,
        ),
    ]
    parsed = Calendar.from_ical(calendar.ics("Roadmap", entries, language="de"))
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"]
    events = list(parsed.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        'Pilot; Rechnungen, "Eingang"',
        "Skalierungsentscheidung",
    ]
    first, milestone = events
    assert first.decoded("DTSTART") == MONDAY
    assert first.decoded("DTEND") == MONDAY + datetime.timedelta(days=42)  # exclusive end
    assert milestone.decoded("DTEND") == milestone.decoded("DTSTART") + datetime.timedelta(days=1)
    assert all(e["UID"] and e["DTSTAMP"] for e in events)
    assert str(first["DESCRIPTION"]) == "Warum:\nweil"
