"""Every write of the communication plan and the staff FAQ: steps made, changed, marked done and
deleted; the starter plan and FAQ adopted once; questions reordered. Bad input names its field
and saves nothing; another organisation's objects are refused; every change is in the audit
log."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import Http404
from django.utils import translation

from startklar.organisations.models import AuditEvent, Role
from startklar.organisations.tenancy import Tenant
from startklar.people import communication_services as services
from startklar.people.communication_services import CommunicationError
from startklar.people.content.communication import load_starter
from startklar.people.models import CommunicationItem, FaqEntry
from startklar.testing import add_member, make_organisation, tenant_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _tenant(name: str | None = None) -> Tenant:
    organisation = make_organisation(name)
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


@pytest.fixture
def tenant() -> Tenant:
    return _tenant()


def step(tenant: Tenant, **changes: Any) -> CommunicationItem:
    given: dict[str, Any] = {
        "kind": "announcement",
        "audience": "  All   staff ",
        "message": "We plan to use AI for quotes.  \nNobody's work is monitored.",
        "channel": "staff_meeting",
        "due_on": TODAY + datetime.timedelta(days=7),
        "today": TODAY,
    }
    given.update(changes)
    return services.create_item(tenant, **given)


def actions(tenant: Tenant) -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=tenant.organisation)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_step_is_made_cleaned_changed_marked_done_and_deleted(tenant: Tenant) -> None:
    item = step(tenant)
    assert item.audience == "All staff"
    assert item.message == "We plan to use AI for quotes.\nNobody's work is monitored."
    assert item.done_on is None
    services.update_item(
        tenant,
        item,
        kind="results",
        audience="All teams",
        message=item.message,
        channel="team_meeting",
        due_on=TODAY,
        today=TODAY,
    )
    item.refresh_from_db()
    assert (item.kind, item.audience, item.channel, item.due_on) == (
        "results",
        "All teams",
        "team_meeting",
        TODAY,
    )
    # Saved unchanged: nothing written, nothing in the log.
    services.update_item(
        tenant,
        item,
        kind="results",
        audience="All teams",
        message=item.message,
        channel="team_meeting",
        due_on=TODAY,
        today=TODAY,
    )
    services.set_done(tenant, item, True, TODAY)
    services.set_done(tenant, item, True, TODAY + datetime.timedelta(days=3))  # keeps its day
    item.refresh_from_db()
    assert item.done_on == TODAY
    services.set_done(tenant, item, False)
    services.set_done(tenant, item, False)
    item.refresh_from_db()
    assert item.done_on is None
    services.delete_item(tenant, item)
    assert not CommunicationItem.objects.exists()
    assert actions(tenant) == [
        "created",
        "changed",
        "status_changed",
        "status_changed",
        "deleted",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"audience": "   "}, "audience"),
        ({"audience": "x" * 121}, "audience"),
        ({"message": ""}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"due_on": "2027-01-01"}, "due_on"),
        ({"due_on": datetime.datetime(2027, 1, 1, 10, 0)}, "due_on"),
        ({"due_on": datetime.date(1999, 12, 31)}, "due_on"),
        ({"due_on": datetime.date(2031, 12, 31)}, "due_on"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(
    tenant: Tenant, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(CommunicationError) as raised:
        step(tenant, **changes)
    assert raised.value.field == field
    assert str(raised.value)
    assert not CommunicationItem.objects.exists()
    assert not AuditEvent.objects.filter(organisation=tenant.organisation).exists()


def test_a_bad_change_leaves_the_step_as_it_was(tenant: Tenant) -> None:
    item = step(tenant)
    with pytest.raises(CommunicationError) as raised:
        services.update_item(
            tenant,
            item,
            kind="results",
            audience="Everyone",
            message="",
            channel="email",
            due_on=TODAY,
            today=TODAY,
        )
    assert raised.value.field == "message"
    stored = CommunicationItem.objects.get()
    assert (stored.kind, stored.audience, stored.channel) == (
        "announcement",
        "All staff",
        "staff_meeting",
    )


def test_the_starter_plan_is_adopted_once_in_the_language_asked(tenant: Tenant) -> None:
    made = services.adopt_starter_plan(tenant, TODAY, "de")
    starter = load_starter()
    assert len(made) == len(starter.steps) >= 5
    assert [i.due_on for i in made] == [
        TODAY + datetime.timedelta(days=s.days) for s in starter.steps
    ]
    assert {i.kind for i in made} >= {"announcement", "faq", "contact", "results", "training"}
    assert made[1].audience == "Alle Mitarbeitenden"
    with pytest.raises(CommunicationError):
        services.adopt_starter_plan(tenant, TODAY)
    assert CommunicationItem.objects.count() == len(made)
    # The current language when none is asked for; the clock's day when none is given.
    other = _tenant("Andere GmbH")
    english = services.adopt_starter_plan(other)
    assert english[1].audience == "All staff"
    assert english[0].due_on >= TODAY


def test_faq_entries_are_added_at_the_end_changed_moved_and_deleted(tenant: Tenant) -> None:
    first = services.create_faq(tenant, " Will AI   monitor my work? ", "No.\n")
    second = services.create_faq(tenant, "Will my job go?", "No.")
    third = services.create_faq(tenant, "Who sees my answers?", "Nobody.")
    assert (first.question, first.answer) == ("Will AI monitor my work?", "No.")
    assert [first.position, second.position, third.position] == [0, 1, 2]

    def order() -> list[int]:
        return list(FaqEntry.objects.order_by("position", "pk").values_list("pk", flat=True))

    services.move_faq(tenant, third, "up")
    assert order() == [first.pk, third.pk, second.pk]
    services.move_faq(tenant, first, "up")  # first already: nothing moves
    services.move_faq(tenant, second, "down")  # last already
    assert order() == [first.pk, third.pk, second.pk]
    services.move_faq(tenant, first, "down")
    assert order() == [third.pk, first.pk, second.pk]
    with pytest.raises(CommunicationError) as raised:
        services.move_faq(tenant, first, "sideways")
    assert raised.value.field == "direction"
    services.update_faq(tenant, first, "Will AI monitor my work?", "No, never.")
    services.update_faq(tenant, first, "Will AI monitor my work?", "No, never.")  # unchanged
    first.refresh_from_db()
    assert first.answer == "No, never."
    services.delete_faq(tenant, third)
    fourth = services.create_faq(tenant, "Where can I ask?", "The office hour.")
    assert order() == [first.pk, second.pk, fourth.pk]
    assert actions(tenant).count("created") == 4
    assert actions(tenant).count("changed") == 3  # two moves that moved, one change
    assert actions(tenant).count("deleted") == 1


@pytest.mark.parametrize(
    ("question", "answer", "field"),
    [("", "No.", "question"), ("x" * 301, "No.", "question"), ("Why?", " \n ", "answer")],
)
def test_a_bad_faq_entry_names_its_field(
    tenant: Tenant, question: str, answer: str, field: str
) -> None:
    with pytest.raises(CommunicationError) as raised:
        services.create_faq(tenant, question, answer)
    assert raised.value.field == field
    entry = services.create_faq(tenant, "Why?", "Because.")
    with pytest.raises(CommunicationError):
        services.update_faq(tenant, entry, question, answer)
    entry.refresh_from_db()
    assert (entry.question, entry.answer) == ("Why?", "Because.")


def test_the_faq_has_a_limit(tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "MAX_FAQ", 2)
    services.create_faq(tenant, "One?", "Yes.")
    services.create_faq(tenant, "Two?", "Yes.")
    with pytest.raises(CommunicationError) as raised:
        services.create_faq(tenant, "Three?", "Yes.")
    assert raised.value.field == "question"
    assert FaqEntry.objects.count() == 2


def test_the_starter_faq_is_adopted_into_an_empty_faq_only(tenant: Tenant) -> None:
    made = services.adopt_starter_faq(tenant, "de")
    assert [e.position for e in made] == list(range(len(made)))
    assert made[0].question == "Wird KI meine Arbeit überwachen?"
    with pytest.raises(CommunicationError):
        services.adopt_starter_faq(tenant)
    assert FaqEntry.objects.count() == len(made)
    english = services.adopt_starter_faq(_tenant("Andere GmbH"))
    assert english[0].question == "Will AI monitor my work?"


def test_another_organisations_objects_are_refused(tenant: Tenant) -> None:
    other = _tenant("Andere GmbH")
    item = step(other)
    entry = services.create_faq(other, "Will my job go?", "No.")
    calls = [
        lambda: services.update_item(
            tenant,
            item,
            kind="faq",
            audience="Everyone",
            message="Hello",
            channel="email",
            due_on=TODAY,
            today=TODAY,
        ),
        lambda: services.set_done(tenant, item, True, TODAY),
        lambda: services.delete_item(tenant, item),
        lambda: services.update_faq(tenant, entry, "Q?", "A."),
        lambda: services.move_faq(tenant, entry, "up"),
        lambda: services.delete_faq(tenant, entry),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()
    item.refresh_from_db()
    entry.refresh_from_db()
    assert (item.kind, item.done_on, entry.question) == ("announcement", None, "Will my job go?")
