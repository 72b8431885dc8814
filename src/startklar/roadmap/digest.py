"""The weekly e-mail of the roadmap to the people responsible for its items.

Every Monday from 07:00 (``TIME_ZONE``, Europe/Berlin by default) the housekeeping
(``Feature.housekeeping``, hourly in ``startklar worker``) writes one ``DigestSent`` row for
each active member who is responsible for at least one open item of an organisation that is
overdue, or that starts or ends within the next two weeks (today and the 13 days after), and
queues the e-mail (``tasks.send_digest``). The row comes first and is unique per member and
week, so a second run on the same Monday, or a second worker at the same moment, sends nothing
more. Only Mondays: a worker that was down all Monday skips that week rather than sending a
"weekly" e-mail on some other day.

The e-mail is plain text, one per member and organisation, in the language the member chose
(``DigestSetting``, else the installation's), with links under ``STARTKLAR_BASE_URL``. A member
switches it off (and chooses its language) on the roadmap's calendar page (``set_digest``).
What is in it is read again when the worker sends it: an item done or a member gone by then is
left out, and nothing is sent when nothing is left.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from startklar.organisations.models import Membership
from startklar.organisations.tenancy import Tenant

from .models import DigestSent, DigestSetting, Item

WEEKDAY = 0  # Monday
FROM_HOUR = 7
AHEAD_DAYS = 14  # today and the 13 days after: this week and the next


# Who gets one, and when ------------------------------------------------------------------------


def due_day(now: datetime.datetime) -> datetime.date | None:
    """The Monday whose e-mails are due at ``now`` (from 07:00 local time), else None."""
    local = timezone.localtime(now)
    if local.weekday() != WEEKDAY or local.hour < FROM_HOUR:
        return None
    return local.date()


def _due(today: datetime.date) -> Q:
    """Open items that are overdue, or start or end within the next two weeks."""
    last = today + datetime.timedelta(days=AHEAD_DAYS - 1)
    return Q(done_on__isnull=True) & (
        Q(end__lt=today) | Q(start__range=(today, last)) | Q(end__range=(today, last))
    )


def _reported(today: datetime.date) -> QuerySet[Item]:
    """The items any e-mail of ``today`` reports: owned by an active member of the item's
    own organisation, which is not about to be deleted."""
    return Item.objects.filter(
        _due(today),
        owner__isnull=False,
        owner__organisation=F("organisation"),
        owner__user__is_active=True,
        organisation__deletion_due_at__isnull=True,
    )


def recipients(today: datetime.date) -> list[tuple[int, int]]:
    """(organisation id, membership id) of everyone whose e-mail of ``today`` is due and not
    yet written down, and who has not switched it off."""
    found = (
        _reported(today)
        .exclude(owner__in=DigestSetting.objects.filter(wanted=False).values("member"))
        .exclude(owner__in=DigestSent.objects.filter(week=today).values("member"))
        .values_list("organisation_id", "owner_id")
        .distinct()
    )
    return sorted(set(found))


def housekeeping(now: datetime.datetime) -> str:
    """The housekeeping's step (``Feature.housekeeping``): this Monday's e-mails, each queued
    once. Safe to run again and by several workers at once."""
    today = due_day(now)
    if today is None:
        return "roadmap e-mails queued: 0 (due on Mondays from 07:00)"
    queued = 0
    for organisation_id, member_id in recipients(today):
        try:
            with transaction.atomic():
                sent = DigestSent.objects.create(
                    organisation_id=organisation_id, member_id=member_id, week=today
                )
                transaction.on_commit(partial(_enqueue, sent.pk, today))
        except IntegrityError:
            continue  # another worker wrote it down first: it sends this one
        queued += 1
    return f"roadmap e-mails queued: {queued}"


def _enqueue(sent_id: int, today: datetime.date) -> None:
    from .tasks import send_digest

    send_digest.enqueue(sent_id, today.isoformat())


# What it says ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    start: datetime.date
    end: datetime.date
    milestone: bool
    overdue_days: int
    url: str


@dataclass(frozen=True)
class Digest:
    organisation: str
    name: str  # the member's
    email: str
    today: datetime.date
    last: datetime.date  # the last day of the two weeks
    overdue: tuple[Entry, ...]  # longest overdue first
    starting: tuple[Entry, ...]  # by start
    ending: tuple[Entry, ...]  # by end (milestones: on their day)
    roadmap_url: str
    setting_url: str

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.starting or self.ending)


def link(name: str, *args: object) -> str:
    """An absolute link to the roadmap's page ``name`` (``roadmap:plan``, ``roadmap:item`` …)."""
    return settings.STARTKLAR_BASE_URL + reverse(f"roadmap:{name}", args=list(args))


def _one_line(text: str) -> str:
    """People's text on one line: a title cannot add lines (or links) to the e-mail."""
    return " ".join(text.split())


def digest_of(member: Membership, today: datetime.date) -> Digest:
    """What the e-mail of ``today`` tells ``member`` (only items of the member's organisation
    for which the member is responsible)."""
    slug = member.organisation.slug
    items = list(_reported(today).filter(organisation_id=member.organisation_id, owner=member))
    last = today + datetime.timedelta(days=AHEAD_DAYS - 1)

    def entry(item: Item) -> Entry:
        return Entry(
            id=item.pk,
            title=_one_line(item.title),
            start=item.start,
            end=item.end,
            milestone=item.milestone,
            overdue_days=(today - item.end).days if item.end < today else 0,
            url=link("item", slug, item.pk),
        )

    entries = [entry(item) for item in items]
    return Digest(
        organisation=_one_line(member.organisation.name),
        name=_one_line(member.user.display_name),
        email=member.user.email,
        today=today,
        last=last,
        overdue=tuple(sorted((e for e in entries if e.overdue_days), key=lambda e: (e.end, e.id))),
        starting=tuple(
            sorted(
                (e for e in entries if not e.milestone and today <= e.start <= last),
                key=lambda e: (e.start, e.id),
            )
        ),
        ending=tuple(
            sorted((e for e in entries if today <= e.end <= last), key=lambda e: (e.end, e.id))
        ),
        roadmap_url=link("plan", slug),
        setting_url=link("calendar", slug),
    )


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _entry_lines(entry: Entry, what: str) -> list[str]:
    return [f"- {entry.title}", f"  {what}", f"  {entry.url}"]


def message(digest: Digest) -> tuple[str, str]:
    """The subject and the plain-text body, in the active language."""
    subject = _("Roadmap of %(organisation)s: your items for the next two weeks") % {
        "organisation": digest.organisation
    }
    lines = [
        _("Hello %(name)s,") % {"name": digest.name},
        "",
        _(
            "here is what is due on the roadmap of %(organisation)s for the items you are "
            "responsible for, from today until %(last)s."
        )
        % {"organisation": digest.organisation, "last": _date(digest.last)},
    ]
    if digest.overdue:
        lines += ["", _("Overdue") + f" ({len(digest.overdue)})", ""]
        for entry in digest.overdue:
            late = ngettext(
                "due on %(end)s, %(days)d day overdue",
                "due on %(end)s, %(days)d days overdue",
                entry.overdue_days,
            ) % {"end": _date(entry.end), "days": entry.overdue_days}
            lines += _entry_lines(entry, late)
    if digest.starting:
        lines += ["", _("Starts in the next two weeks") + f" ({len(digest.starting)})", ""]
        for entry in digest.starting:
            dates = _("from %(start)s to %(end)s") % {
                "start": _date(entry.start),
                "end": _date(entry.end),
            }
            lines += _entry_lines(entry, dates)
    if digest.ending:
        lines += ["", _("Ends in the next two weeks") + f" ({len(digest.ending)})", ""]
        for entry in digest.ending:
            if entry.milestone:
                dates = _("milestone on %(end)s") % {"end": _date(entry.end)}
            else:
                dates = _("ends on %(end)s (started %(start)s)") % {
                    "start": _date(entry.start),
                    "end": _date(entry.end),
                }
            lines += _entry_lines(entry, dates)
    lines += [
        "",
        _("On an item's page you can mark it as done or move its dates. The whole roadmap:"),
        digest.roadmap_url,
        "",
        "-- ",
        _(
            "Startklar sends you this e-mail on Mondays when one of your roadmap items is "
            "overdue or starts or ends soon. You can switch it off, or choose its language, on "
            "the roadmap's calendar page:"
        ),
        digest.setting_url,
    ]
    return subject, "\n".join(lines) + "\n"


# A member's choice -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    wanted: bool
    language: str


def _language(value: str) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return value if value in known else settings.LANGUAGE_CODE


def _choice(setting: DigestSetting | None) -> Choice:
    if setting is None:
        return Choice(wanted=True, language=settings.LANGUAGE_CODE)
    return Choice(wanted=setting.wanted, language=_language(setting.language))


def choice_of(tenant: Tenant) -> Choice:
    """Whether the signed-in member gets the weekly e-mail, and in which language."""
    return _choice(DigestSetting.objects.filter(member=tenant.membership).first())


def choice_of_member(member_id: int) -> Choice:
    return _choice(DigestSetting.objects.filter(member_id=member_id).first())


@transaction.atomic
def set_digest(tenant: Tenant, wanted: bool, language: str | None = None) -> bool:
    """The signed-in member's choice (``language`` None: as before). Saved unchanged it changes
    nothing; returns whether it changed. A person's own setting, not in the audit log."""
    member = tenant.membership
    setting = DigestSetting.objects.select_for_update().filter(member=member).first()
    before = _choice(setting)
    after = Choice(wanted=wanted, language=_language(language or before.language))
    if after == before:
        return False
    DigestSetting.objects.update_or_create(  # two requests at once: one creates, one updates
        member=member,
        defaults={"wanted": after.wanted, "language": after.language},
        create_defaults={
            "organisation": tenant.organisation,
            "wanted": after.wanted,
            "language": after.language,
        },
    )
    return True
