"""The roadmap's pages as a person uses them: the plan in its three views, accepting and setting
aside proposals, editing an item (and what moves along), done, owner, removing, the calendar
with its secret address, and the competence plan. Bad input gets a message naming the field
and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.roadmap import queries, services
from startklar.roadmap.models import CalendarFeed, Dismissal, Item, Kind, Settings
from startklar.testing import (
    add_member,
    client_for,
    demo_company,
    form_index,
    make_organisation,
    make_user,
    submitted_form,
)

pytestmark = pytest.mark.django_db
INVALID = 422


@pytest.fixture
def empty() -> tuple[Tenant, Client]:
    organisation = make_organisation("Leer GmbH")
    user = make_user()
    owner = Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    return Tenant(organisation=organisation, membership=owner), client_for(user)


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"roadmap:{name}", args=[tenant.organisation.slug, *args])


def add(tenant: Tenant, title: str, start: datetime.date, days: int, *after: Item) -> Item:
    return services.add_item(
        tenant,
        Item(title=title, kind=Kind.OTHER, start=start, end=start + datetime.timedelta(days)),
        list(after),
    )


@pytest.fixture
def demo() -> tuple[Tenant, Client]:
    organisation = demo_company()
    membership = Membership.objects.select_related("user").get(
        organisation=organisation, role=Role.OWNER
    )
    return Tenant(organisation=organisation, membership=membership), client_for(membership.user)


# The plan ----------------------------------------------------------------------------------------


def test_the_demo_plan_shows_phases_chart_and_the_overdue_item(
    demo: tuple[Tenant, Client],
) -> None:
    tenant, client = demo
    today = timezone.localdate()
    plan = queries.plan(tenant, today)
    assert plan.overdue == 1
    assert plan.done > 0
    assert all(group.rows for group in plan.phases)  # items in all three phases
    page = client.get(url(tenant, "plan")).content.decode()
    assert 'data-chart="gantt-spec"' in page
    for group in plan.phases:
        assert group.title in page
    overdue = next(r for r in plan.rows if r.state == "overdue")
    assert overdue.title in page
    assert "überfällig" in page
    listed = client.get(url(tenant, "plan") + "?view=list").content.decode()
    assert 'id="plan-table"' in listed
    assert listed.count('assign-form"') == plan.total
    due = client.get(url(tenant, "plan") + "?view=next").content.decode()
    assert overdue.title in due
    assert all(r.title in due for r in plan.next)
    later = [r for r in plan.rows if r.start > plan.horizon]
    assert later
    assert later[-1].title not in due
    # an unknown view is the default one, not an error
    assert client.get(url(tenant, "plan") + "?view=<x>").status_code == 200


def test_an_empty_organisation_is_led_to_the_proposal(empty: tuple[Tenant, Client]) -> None:
    tenant, client = empty
    page = client.get(url(tenant, "plan")).content.decode()
    assert "Noch keine Einträge" in page
    assert url(tenant, "proposals") in page
    assert "gantt-spec" not in page
    proposals = client.get(url(tenant, "proposals")).content.decode()
    # without a readiness check or use cases only the legal duty of AI literacy is proposed
    assert "KI-Kompetenz" in proposals or "Noch gibt es nichts" in proposals


# Proposals ---------------------------------------------------------------------------------------


def test_accepting_chosen_proposals_and_setting_one_aside(empty: tuple[Tenant, Client]) -> None:
    tenant, client = empty
    page = queries.proposal_page(tenant, "de", timezone.localdate())
    assert page.proposals  # AI literacy (Art. 4) is due for every company
    key = page.proposals[0].key
    refused = client.post(url(tenant, "proposals"), {})
    assert refused.status_code == INVALID
    assert "mindestens einen Vorschlag" in refused.content.decode()
    unknown = client.post(url(tenant, "proposals"), {"key": ["readiness:nope:1"]})
    assert unknown.status_code == INVALID
    assert not Item.objects.filter(organisation=tenant.organisation)
    accepted = client.post(url(tenant, "proposals"), {"key": [key]})
    assert accepted.status_code == 302
    assert accepted["Location"] == url(tenant, "plan")
    item = Item.objects.get(organisation=tenant.organisation)
    assert item.source_key == key
    assert item.owner == tenant.membership
    again = client.post(url(tenant, "proposals"), {"key": [key]})
    assert again.status_code == INVALID  # accepted once: no longer proposed
    assert Item.objects.filter(organisation=tenant.organisation).count() == 1


def test_a_dismissed_proposal_comes_back_when_taken_back(demo: tuple[Tenant, Client]) -> None:
    tenant, client = demo
    dismissal = Dismissal.objects.get(organisation=tenant.organisation)
    page = client.get(url(tenant, "proposals")).content.decode()
    assert "Zurückgestellt" in page or "Zurückstellen" in page
    response = client.post(url(tenant, "take_back", dismissal.pk))
    assert response.status_code == 302
    keys = [p.key for p in queries.proposal_page(tenant, "de", timezone.localdate()).proposals]
    assert dismissal.source_key in keys
    client.post(url(tenant, "dismiss"), {"key": dismissal.source_key})
    assert Dismissal.objects.filter(
        organisation=tenant.organisation, source_key=dismissal.source_key
    ).exists()
    assert client.post(url(tenant, "dismiss"), {"key": "x" * 500}).status_code == 302  # message


def test_settings_name_the_field_and_save_nothing_when_wrong(empty: tuple[Tenant, Client]) -> None:
    tenant, client = empty
    for data, field in (
        ({"start": "2027-01-04", "capacity": "0", "budget": ""}, "capacity"),
        ({"start": "1900-01-01", "capacity": "10", "budget": ""}, "start"),
        ({"start": "2027-01-04", "capacity": "10", "budget": "-5"}, "budget"),
        ({"start": "", "capacity": "zehn", "budget": ""}, "capacity"),
    ):
        response = client.post(url(tenant, "settings"), data)
        assert response.status_code == INVALID, data
        assert f'id="id_{field}"' in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
    assert not Settings.objects.filter(organisation=tenant.organisation).exists()
    saved = client.post(
        url(tenant, "settings"), {"start": "2027-01-04", "capacity": "7,5", "budget": "20.000"}
    )
    assert saved.status_code == 302
    settings = queries.settings_of(tenant, timezone.localdate())
    assert (settings.start, settings.capacity, settings.budget) == (
        datetime.date(2027, 1, 4),
        Decimal("7.5"),
        Decimal(20000),
    )


# Items -------------------------------------------------------------------------------------------


def test_editing_an_item_keeps_what_it_does_not_show_and_moves_what_waits(
    empty: tuple[Tenant, Client],
) -> None:
    tenant, client = empty
    monday = datetime.date(2027, 1, 4)
    data = add(tenant, "Daten", monday, 13)
    pilot = add(tenant, "Pilot", monday + datetime.timedelta(14), 34, data)
    Item.objects.filter(pk=data.pk).update(source_key="usecase:1:data", cost=Decimal(1234))
    page = client.get(url(tenant, "item", data.pk)).content.decode()
    sent = submitted_form(page, form_index(page, 'data-form="edit"'))
    unchanged = client.post(url(tenant, "item", data.pk), sent)
    assert unchanged.status_code == 302
    data.refresh_from_db()
    assert data.source_key == "usecase:1:data"
    assert data.cost == Decimal(1234)
    # a week later: the pilot, which waits for it, moves a week too
    preview = client.get(
        url(tenant, "move_preview", data.pk),
        {"start": "2027-01-11", "end": "2027-01-24"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Pilot" in preview
    assert "18.01.2027" in preview
    assert "25.01.2027" in preview
    moved = client.post(
        url(tenant, "item", data.pk), {**sent, "start": ["2027-01-11"], "end": ["2027-01-24"]}
    )
    assert moved.status_code == 302
    pilot.refresh_from_db()
    assert pilot.start == datetime.date(2027, 1, 25)
    # a done item that would have to move: refused, nothing saved
    services.mark_done(tenant, pilot, datetime.date(2026, 1, 1))
    refused = client.post(
        url(tenant, "item", data.pk), {**sent, "start": ["2027-03-01"], "end": ["2027-03-14"]}
    )
    assert refused.status_code == INVALID
    assert "erledigt" in refused.content.decode()
    data.refresh_from_db()
    assert data.start == datetime.date(2027, 1, 11)


def test_wrong_item_input_names_the_field(empty: tuple[Tenant, Client]) -> None:
    tenant, client = empty
    before = Item.objects.count()
    for data, field in (
        ({"title": "", "kind": "other", "start": "2027-01-04", "end": "2027-01-05"}, "title"),
        ({"title": "X", "kind": "other", "start": "2027-01-04", "end": "2027-01-01"}, "end"),
        ({"title": "X", "kind": "nonsense", "start": "2027-01-04", "end": "2027-01-05"}, "kind"),
        ({"title": "X", "kind": "other", "start": "3000-01-04", "end": "3000-01-05"}, "start"),
        (
            {
                "title": "X",
                "kind": "other",
                "start": "2027-01-04",
                "end": "2027-01-05",
                "effort": "-1",
            },
            "effort",
        ),
        (
            {
                "title": "X",
                "kind": "other",
                "start": "2027-01-04",
                "end": "2027-01-05",
                "depends_on": ["99999999999999999999"],
            },
            "depends_on",
        ),
        (
            {
                "title": "X",
                "kind": "other",
                "start": "2027-01-04",
                "end": "2027-01-05",
                "owner": "abc",
            },
            "owner",
        ),
    ):
        response = client.post(url(tenant, "add"), {"effort": "0", "cost": "0", **data})
        assert response.status_code == INVALID, data
        assert f'id="id_{field}' in response.content.decode()
    assert Item.objects.count() == before
    created = client.post(
        url(tenant, "add"),
        {
            "title": "Workshop mit dem Betriebsrat",
            "kind": "works_council",
            "start": "2027-02-01",
            "end": "2027-02-01",
            "effort": "1,5",
            "cost": "0",
            "milestone": "on",
        },
    )
    assert created.status_code == 302
    item = Item.objects.get(organisation=tenant.organisation)
    assert item.milestone
    assert item.effort == Decimal("1.5")
    assert item.why == ""


def test_done_owner_and_removal(empty: tuple[Tenant, Client]) -> None:
    tenant, client = empty
    item = add(tenant, "Schulung", datetime.date(2026, 1, 5), 4)
    colleague = add_member(tenant.organisation, role=Role.VIEWER)
    membership = Membership.objects.get(user=colleague)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client.post(url(tenant, "done", item.pk), {"done": "on", "done_on": future})
    item.refresh_from_db()
    assert item.done_on is None  # not in the future
    response = client.post(url(tenant, "done", item.pk), {"done": "on", "view": "next"})
    assert response["Location"].endswith(f"?view=next#item-{item.pk}")
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    client.post(url(tenant, "done", item.pk), {})
    item.refresh_from_db()
    assert item.done_on is None
    client.post(url(tenant, "assign", item.pk), {"owner": membership.pk, "view": "list"})
    item.refresh_from_db()
    assert item.owner == membership
    stranger = Membership.objects.create(
        organisation=make_organisation("Fremd GmbH"), user=make_user(), role=Role.OWNER
    )
    client.post(url(tenant, "assign", item.pk), {"owner": stranger.pk})
    item.refresh_from_db()
    assert item.owner == membership  # another organisation's member is no choice
    confirm = client.get(url(tenant, "delete", item.pk)).content.decode()
    assert "Schulung" in confirm
    client.post(url(tenant, "delete", item.pk))
    assert not Item.objects.filter(pk=item.pk).exists()


# Calendar ----------------------------------------------------------------------------------------


def test_the_calendar_address_is_shown_once_works_alone_and_can_be_switched_off(
    empty: tuple[Tenant, Client],
) -> None:
    tenant, client = empty
    mine = add(tenant, "Meine Aufgabe", datetime.date(2027, 1, 4), 4)
    Item.objects.filter(pk=mine.pk).update(owner=tenant.membership)
    theirs = add(tenant, "Fremde Aufgabe", datetime.date(2027, 1, 4), 4)
    Item.objects.filter(pk=theirs.pk).update(owner=None)
    milestone = services.add_item(
        tenant,
        Item(
            title="Entscheidung",
            start=datetime.date(2027, 2, 1),
            end=datetime.date(2027, 2, 1),
            milestone=True,
        ),
        [],
    )
    other = make_organisation("Andere GmbH")
    Item.objects.create(
        organisation=other,
        title="Geheim",
        start=datetime.date(2027, 1, 4),
        end=datetime.date(2027, 1, 4),
        milestone=True,
    )
    client.post(url(tenant, "feed_create"))
    page = client.get(url(tenant, "calendar")).content.decode()
    start = page.index("/calendar/skc_")
    address = page[start : page.index('"', start)]
    assert "/calendar/skc_" not in client.get(url(tenant, "calendar")).content.decode()  # once
    anonymous = Client()
    response = anonymous.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert titles == {"Meine Aufgabe", "Entscheidung"}
    event = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Entscheidung")
    assert event.decoded("DTSTART") == milestone.start
    assert event.decoded("DTEND") == milestone.start + datetime.timedelta(days=1)
    feed = CalendarFeed.objects.get(organisation=tenant.organisation)
    assert feed.last_used_at is not None
    client.post(url(tenant, "feed_revoke", feed.pk))
    assert anonymous.get(address).status_code == 404
    assert anonymous.get("/calendar/skc_unknown/roadmap.ics").status_code == 404
    download = client.get(url(tenant, "download") + "?all=1")
    everything = {str(e["summary"]) for e in Calendar.from_ical(download.content).walk("VEVENT")}
    assert everything == {"Meine Aufgabe", "Fremde Aufgabe", "Entscheidung"}


def test_the_competence_plan_names_who_lacks_what(demo: tuple[Tenant, Client]) -> None:
    tenant, client = demo
    page = queries.competence_page(tenant, "de", timezone.localdate())
    assert page.people
    assert page.levels
    lacking = next(c for level in page.levels for c in level.competences if c.lacks)
    html = client.get(url(tenant, "competences")).content.decode()
    assert lacking.name in html
    assert lacking.lacks[0] in html
    assert "Geschäftsführung" in html


# Overview ----------------------------------------------------------------------------------------


def test_the_overview_names_my_overdue_item_and_where_the_plan_stands(
    demo: tuple[Tenant, Client],
) -> None:
    tenant, client = demo
    overdue = Item.objects.get(
        organisation=tenant.organisation, done_on__isnull=True, end__lt=timezone.localdate()
    )
    page = client.get(reverse("organisations:overview", args=[tenant.organisation.slug]))
    html = page.content.decode()
    assert f"Roadmap: „{overdue.title}“ war am" in html
    assert url(tenant, "item", overdue.pk) in html
    plan = queries.plan(tenant, timezone.localdate())
    assert f"{plan.done} von {plan.total} Einträgen erledigt" in html
    assert "Nächster Meilenstein" in html
    # someone else's overdue item is counted, not named
    colleague = add_member(tenant.organisation)
    other = client_for(colleague).get(
        reverse("organisations:overview", args=[tenant.organisation.slug])
    )
    assert "1 weiterer Eintrag der Roadmap ist überfällig." in other.content.decode()


def test_an_empty_organisation_is_offered_the_proposal_on_its_overview(
    empty: tuple[Tenant, Client],
) -> None:
    tenant, client = empty
    page = client.get(reverse("organisations:overview", args=[tenant.organisation.slug]))
    assert "Vorgeschlagene Roadmap prüfen" in page.content.decode()
    add(tenant, "Erster Schritt", timezone.localdate(), 3)
    page = client.get(reverse("organisations:overview", args=[tenant.organisation.slug]))
    assert "Vorgeschlagene Roadmap prüfen" not in page.content.decode()
