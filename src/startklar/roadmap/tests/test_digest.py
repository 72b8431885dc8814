"""The weekly roadmap e-mail: who gets what, once a week from Monday 07:00, only what is open
and due, only the member's own organisation, switched off by the member, in their language."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.roadmap import digest
from startklar.roadmap.models import DigestSent, DigestSetting, Item, Kind
from startklar.roadmap.tasks import send_digest
from startklar.testing import client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime.date(2027, 1, 4)
AT_SEVEN = datetime.datetime(2027, 1, 4, 7, 0, tzinfo=BERLIN)
BASE = "https://ki.example.de"
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _base_url() -> Iterator[None]:
    with override_settings(STARTKLAR_BASE_URL=BASE):
        yield


def member(organisation: Organisation, name: str, role: Role = Role.EDITOR) -> Membership:
    user = make_user(f"{name.lower()}-{organisation.slug}@example.com", name=name)
    return Membership.objects.create(organisation=organisation, user=user, role=role)


def item(
    owner: Membership | None,
    title: str,
    start: datetime.date,
    end: datetime.date,
    *,
    organisation: Organisation | None = None,
    milestone: bool = False,
    done_on: datetime.date | None = None,
) -> Item:
    where = organisation or (owner.organisation if owner else None)
    assert where is not None
    return Item.objects.create(
        organisation=where,
        owner=owner,
        kind=Kind.OTHER,
        title=title,
        start=start,
        end=end,
        milestone=milestone,
        done_on=done_on,
    )


@pytest.fixture
def world() -> dict[str, Any]:
    organisation = make_organisation("Plan GmbH")
    olga = member(organisation, "Olga", Role.OWNER)
    erik = member(organisation, "Erik")
    vera = member(organisation, "Vera", Role.VIEWER)
    return {
        "organisation": organisation,
        "olga": olga,
        "erik": erik,
        "vera": vera,
        # Olga's: overdue, starting, ending, a milestone, and what does not belong in it
        "overdue": item(olga, "Daten bereinigen", MONDAY - 20 * DAY, MONDAY - 3 * DAY),
        "starting": item(olga, "Pilot Angebote", MONDAY + 5 * DAY, MONDAY + 30 * DAY),
        "ending": item(olga, "Schulung Vertrieb", MONDAY - 10 * DAY, MONDAY + 9 * DAY),
        "milestone": item(
            olga, "Entscheidung", MONDAY + 13 * DAY, MONDAY + 13 * DAY, milestone=True
        ),
        "later": item(olga, "Rollout", MONDAY + 14 * DAY, MONDAY + 40 * DAY),
        "running": item(olga, "Betriebsrat einbinden", MONDAY - 5 * DAY, MONDAY + 14 * DAY),
        "done": item(
            olga, "Schon erledigt", MONDAY - 9 * DAY, MONDAY - 2 * DAY, done_on=MONDAY - 2 * DAY
        ),
        # Erik's only item is months away; nobody owns the last one.
        "erik_later": item(erik, "Strategie", MONDAY + 90 * DAY, MONDAY + 120 * DAY),
        "nobody": item(
            None, "Ohne Verantwortliche", MONDAY, MONDAY + DAY, organisation=organisation
        ),
    }


def run(now: datetime.datetime, capture: Callable[..., Any]) -> str:
    with capture(execute=True):
        return digest.housekeeping(now)


def url(name: str, *args: object) -> str:
    return BASE + reverse(f"roadmap:{name}", args=list(args))


def test_the_owner_of_due_items_gets_one_e_mail_with_them(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    assert run(AT_SEVEN, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 1"
    assert [m.to for m in mail.outbox] == [[world["olga"].user.email]]
    sent = mail.outbox[0]
    assert sent.subject == "Roadmap von Plan GmbH: Ihre Einträge der nächsten zwei Wochen"
    body = sent.body
    slug = world["organisation"].slug
    overdue, starts, ends = (
        body.index("Überfällig (1)"),
        body.index("Beginnt in den nächsten zwei Wochen (1)"),
        body.index("Endet in den nächsten zwei Wochen (2)"),
    )
    assert overdue < starts < ends
    assert "Guten Tag Olga," in body
    assert "bis 17.01.2027" in body  # the two weeks: Monday 4 to Sunday 17 January
    section = body[overdue:starts]
    assert "- Daten bereinigen\n  fällig am 01.01.2027, seit 3 Tagen überfällig\n" in section
    assert url("item", slug, world["overdue"].pk) in section
    section = body[starts:ends]
    assert "- Pilot Angebote\n  vom 09.01.2027 bis 03.02.2027\n" in section
    assert url("item", slug, world["starting"].pk) in section
    section = body[ends:]
    assert "- Schulung Vertrieb\n  endet am 13.01.2027 (begonnen am 25.12.2026)\n" in section
    assert "- Entscheidung\n  Meilenstein am 17.01.2027\n" in section
    assert section.index("Schulung Vertrieb") < section.index("Entscheidung")
    for left_out in ("Rollout", "Betriebsrat einbinden", "Schon erledigt", "Ohne Verantwort"):
        assert left_out not in body
    assert url("plan", slug) in body
    assert url("calendar", slug) in body  # where it is switched off
    assert "abschalten" in body
    assert DigestSent.objects.get().member == world["olga"]


def test_once_a_week_however_often_the_housekeeping_runs(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    run(AT_SEVEN, django_capture_on_commit_callbacks)
    for hour in (8, 9, 23):
        later = AT_SEVEN.replace(hour=hour)
        assert run(later, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 0"
    assert len(mail.outbox) == 1
    next_monday = AT_SEVEN + datetime.timedelta(weeks=1)
    assert run(next_monday, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 1"
    assert len(mail.outbox) == 2
    assert DigestSent.objects.count() == 2


def test_a_second_worker_at_the_same_moment_sends_nothing_more(
    world: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both workers found Olga due; the other one wrote her row down first."""
    found = digest.recipients

    def raced(today: datetime.date) -> list[tuple[int, int]]:
        due = found(today)
        for organisation_id, member_id in due:
            DigestSent.objects.create(
                organisation_id=organisation_id, member_id=member_id, week=today
            )
        return due

    monkeypatch.setattr(digest, "recipients", raced)
    mail.outbox.clear()
    assert run(AT_SEVEN, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 0"
    assert mail.outbox == []  # the other worker's task sends it
    assert DigestSent.objects.count() == 1


def test_a_task_delivered_twice_sends_once(world: dict[str, Any]) -> None:
    sent = DigestSent.objects.create(
        organisation=world["organisation"], member=world["olga"], week=MONDAY
    )
    mail.outbox.clear()
    send_digest.call(sent.pk, MONDAY.isoformat())
    send_digest.call(sent.pk, MONDAY.isoformat())
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2027, 1, 4, 6, 59, tzinfo=BERLIN),
        datetime.datetime(2027, 1, 4, 5, 59, tzinfo=datetime.UTC),  # 06:59 in Berlin
        datetime.datetime(2027, 1, 3, 23, 0, tzinfo=BERLIN),  # Sunday
        datetime.datetime(2027, 1, 5, 8, 0, tzinfo=BERLIN),  # Tuesday: that week is over
    ],
)
def test_nothing_before_monday_seven_in_berlin_nor_later_in_the_week(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any, now: datetime.datetime
) -> None:
    mail.outbox.clear()
    assert run(now, django_capture_on_commit_callbacks).startswith("roadmap e-mails queued: 0")
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_monday_seven_in_berlin_is_six_o_clock_utc_in_winter(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    run(
        datetime.datetime(2027, 1, 4, 6, 0, tzinfo=datetime.UTC), django_capture_on_commit_callbacks
    )
    assert len(mail.outbox) == 1


def test_nothing_for_done_items_even_when_done_before_the_worker_sends(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    olga = world["olga"]
    Item.objects.filter(owner=olga).exclude(pk=world["overdue"].pk).update(done_on=MONDAY)
    assert digest.recipients(MONDAY) == [(world["organisation"].pk, olga.pk)]
    sent = DigestSent.objects.create(organisation=world["organisation"], member=olga, week=MONDAY)
    Item.objects.filter(pk=world["overdue"].pk).update(done_on=MONDAY)  # done in the meantime
    mail.outbox.clear()
    send_digest.call(sent.pk, MONDAY.isoformat())
    assert mail.outbox == []
    assert digest.recipients(MONDAY) == []


def test_each_organisation_sends_its_own_e_mail_with_its_own_items(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    other = make_organisation("Andere AG")
    olga_there = Membership.objects.create(
        organisation=other, user=world["olga"].user, role=Role.EDITOR
    )
    item(olga_there, "Fremdes Vorhaben", MONDAY + 2 * DAY, MONDAY + 3 * DAY)
    # Broken data: an item of the other organisation with a membership of Plan GmbH as owner.
    item(world["olga"], "Verirrt", MONDAY, MONDAY + DAY, organisation=other)
    mail.outbox.clear()
    assert run(AT_SEVEN, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 2"
    by_subject = {str(m.subject): str(m.body) for m in mail.outbox}
    plan = by_subject["Roadmap von Plan GmbH: Ihre Einträge der nächsten zwei Wochen"]
    there = by_subject["Roadmap von Andere AG: Ihre Einträge der nächsten zwei Wochen"]
    assert "Daten bereinigen" in plan
    assert "Fremdes Vorhaben" not in plan
    assert "Fremdes Vorhaben" in there
    assert "Daten bereinigen" not in there
    assert "Verirrt" not in plan + there
    assert f"/o/{other.slug}/" in there
    assert f"/o/{world['organisation'].slug}/" not in there


def test_nobody_inactive_and_no_organisation_about_to_be_deleted(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    item(world["erik"], "Eriks Termin", MONDAY + DAY, MONDAY + 2 * DAY)
    User.objects.filter(pk=world["olga"].user_id).update(is_active=False)
    assert digest.recipients(MONDAY) == [(world["organisation"].pk, world["erik"].pk)]
    Organisation.objects.filter(pk=world["organisation"].pk).update(deletion_due_at=AT_SEVEN)
    mail.outbox.clear()
    assert run(AT_SEVEN, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 0"
    assert mail.outbox == []


def tenant_of(membership: Membership) -> Tenant:
    return Tenant(organisation=membership.organisation, membership=membership)


def test_a_member_who_switched_it_off_gets_none(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    olga = tenant_of(world["olga"])
    assert digest.set_digest(olga, False)
    assert not digest.set_digest(olga, False)  # saved unchanged: nothing changes
    assert digest.choice_of(olga) == digest.Choice(wanted=False, language="de")
    mail.outbox.clear()
    assert run(AT_SEVEN, django_capture_on_commit_callbacks) == "roadmap e-mails queued: 0"
    assert mail.outbox == []
    # Switched off after the row was written: the worker sends nothing either.
    assert digest.set_digest(olga, True)
    sent = DigestSent.objects.create(
        organisation=world["organisation"], member=world["olga"], week=MONDAY
    )
    digest.set_digest(olga, False)
    send_digest.call(sent.pk, MONDAY.isoformat())
    assert mail.outbox == []


def test_the_default_choice_writes_nothing(world: dict[str, Any]) -> None:
    assert not digest.set_digest(tenant_of(world["erik"]), True, "de")
    assert not digest.set_digest(tenant_of(world["erik"]), True)
    assert not DigestSetting.objects.exists()


def test_in_german_unless_the_member_chose_english(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with translation.override("en"):  # whatever language the worker's thread has
        run(AT_SEVEN, django_capture_on_commit_callbacks)
    assert "Überfällig" in mail.outbox[0].body
    assert digest.set_digest(tenant_of(world["olga"]), True, "en")
    mail.outbox.clear()
    run(AT_SEVEN + datetime.timedelta(weeks=1), django_capture_on_commit_callbacks)
    sent = mail.outbox[0]
    assert sent.subject == "Roadmap of Plan GmbH: your items for the next two weeks"
    assert sent.body.startswith("Hello Olga,\n")
    assert "- Daten bereinigen\n  due on 1 Jan 2027, 10 days overdue\n" in sent.body
    assert "Starts in the next two weeks" in sent.body
    assert "- Entscheidung\n  milestone on 17 Jan 2027\n" in sent.body
    assert translation.get_language() == "de"


def test_a_title_cannot_add_lines_to_the_e_mail(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    Item.objects.filter(pk=world["overdue"].pk).update(title="Eins\n\nhttps://evil.example\r\nZwei")
    Organisation.objects.filter(pk=world["organisation"].pk).update(name="Plan\nGmbH")
    mail.outbox.clear()
    run(AT_SEVEN, django_capture_on_commit_callbacks)
    assert "- Eins https://evil.example Zwei\n" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Roadmap von Plan GmbH:")


# The switch ------------------------------------------------------------------------------------


def test_a_viewer_switches_the_e_mail_off_and_chooses_english(world: dict[str, Any]) -> None:
    vera = world["vera"]
    client = client_for(vera.user)
    slug = world["organisation"].slug
    response = client.post(
        reverse("roadmap:digest_setting", args=[slug]), {"language": "en"}
    )  # the box unticked
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:calendar", args=[slug])
    assert digest.choice_of(tenant_of(vera)) == digest.Choice(wanted=False, language="en")
    response = client.post(
        reverse("roadmap:digest_setting", args=[slug]), {"wanted": "on"}
    )  # the language left out: as before
    assert digest.choice_of(tenant_of(vera)) == digest.Choice(wanted=True, language="en")


def test_an_unknown_language_is_refused_with_a_message_and_nothing_saved(
    world: dict[str, Any],
) -> None:
    client = client_for(world["erik"].user)
    slug = world["organisation"].slug
    response = client.post(
        reverse("roadmap:digest_setting", args=[slug]), {"wanted": "", "language": "fr"}
    )
    assert response.status_code == 422
    assert "Sprache der E-Mail" in response.content.decode()
    assert not DigestSetting.objects.exists()
