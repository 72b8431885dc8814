"""Every write of the communication plan and the staff FAQ. One transaction per call; input the
rules do not allow raises :class:`CommunicationError` naming the field, and nothing is saved."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction
from startklar.organisations.tenancy import Tenant

from .content.communication import load_starter
from .models import (
    MAX_AUDIENCE,
    MAX_FAQ_ANSWER,
    MAX_FAQ_QUESTION,
    MAX_MESSAGE,
    Channel,
    CommunicationItem,
    CommunicationKind,
    FaqEntry,
)

# A step is due at most this many years ahead (the roadmap places it within its horizon).
YEARS_AHEAD = 5
EARLIEST = datetime.date(2000, 1, 1)
MAX_FAQ = 100  # entries in one FAQ


class CommunicationError(Exception):
    """Input the rules do not allow; ``field`` names the input it concerns, if one."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _today(today: datetime.date | None) -> datetime.date:
    return today if today is not None else timezone.localdate()


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _text(value: str) -> str:
    """Trailing spaces gone, lines kept (a message may list points)."""
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


def _required(value: str, longest: int, field: str) -> str:
    if not value:
        raise CommunicationError(_("Please fill in this field."), field)
    if len(value) > longest:
        raise CommunicationError(
            _("At most %(count)d characters, please.") % {"count": longest}, field
        )
    return value


def _date(value: object, field: str, today: datetime.date) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise CommunicationError(_("Please enter a date."), field)
    latest = today + datetime.timedelta(days=365 * YEARS_AHEAD)
    if not EARLIEST <= value <= latest:
        raise CommunicationError(
            _("Please enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST.strftime("%d.%m.%Y"), "last": latest.strftime("%d.%m.%Y")},
            field,
        )
    return value


def _checked(
    kind: str, audience: str, message: str, channel: str, due_on: object, today: datetime.date
) -> tuple[str, str, str, str, datetime.date]:
    if kind not in CommunicationKind.values:
        raise CommunicationError(_("Please choose what kind of step this is."), "kind")
    if channel not in Channel.values:
        raise CommunicationError(_("Please choose how staff are told."), "channel")
    return (
        kind,
        _required(_one_line(audience), MAX_AUDIENCE, "audience"),
        _required(_text(message), MAX_MESSAGE, "message"),
        channel,
        _date(due_on, "due_on", today),
    )


# The plan ----------------------------------------------------------------------------------------


@transaction.atomic
def create_item(
    tenant: Tenant,
    *,
    kind: str,
    audience: str,
    message: str,
    channel: str,
    due_on: datetime.date,
    today: datetime.date | None = None,
) -> CommunicationItem:
    """A step of the plan: who is told what, how and by when."""
    kind, audience, message, channel, due_on = _checked(
        kind, audience, message, channel, due_on, _today(today)
    )
    item = CommunicationItem.objects.create(
        organisation=tenant.organisation,
        kind=kind,
        audience=audience,
        message=message,
        channel=channel,
        due_on=due_on,
    )
    audit.record(tenant, AuditAction.CREATED, item)
    return item


@transaction.atomic
def update_item(
    tenant: Tenant,
    item: CommunicationItem,
    *,
    kind: str,
    audience: str,
    message: str,
    channel: str,
    due_on: datetime.date,
    today: datetime.date | None = None,
) -> CommunicationItem:
    tenant.require(item)
    checked = _checked(kind, audience, message, channel, due_on, _today(today))
    fields = ("kind", "audience", "message", "channel", "due_on")
    changed = [f for f, value in zip(fields, checked, strict=True) if getattr(item, f) != value]
    if not changed:
        return item
    for field, value in zip(fields, checked, strict=True):
        setattr(item, field, value)
    item.save(update_fields=changed)
    audit.record(tenant, AuditAction.CHANGED, item)
    return item


@transaction.atomic
def set_done(
    tenant: Tenant,
    item: CommunicationItem,
    done: bool,
    today: datetime.date | None = None,
) -> CommunicationItem:
    """Mark the step done today, or open again (``done=False``)."""
    tenant.require(item)
    done_on = _today(today) if done else None
    if (item.done_on is None) == (done_on is None):
        return item  # done already (keeps its day), or open already
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    audit.record(
        tenant,
        AuditAction.STATUS_CHANGED,
        item,
        summary=lambda: _("done") if done else _("open again"),
    )
    return item


@transaction.atomic
def delete_item(tenant: Tenant, item: CommunicationItem) -> None:
    tenant.require(item)
    audit.record(tenant, AuditAction.DELETED, item)
    item.delete()


@transaction.atomic
def adopt_starter_plan(
    tenant: Tenant, today: datetime.date | None = None, language: str | None = None
) -> list[CommunicationItem]:
    """The starter plan's steps, due from ``today`` on, in ``language`` (default: the current
    one). Only into an empty plan, so that a second click adds nothing twice."""
    day = _today(today)
    words = (language or get_language() or "de")[:2]
    organisation = tenant.organisation
    if CommunicationItem.objects.select_for_update().filter(organisation=organisation).exists():
        raise CommunicationError(_("The plan has steps already; add more one by one."))
    made = [
        CommunicationItem.objects.create(
            organisation=organisation,
            kind=step.kind,
            audience=step.audience.get(words)[:MAX_AUDIENCE],
            message=step.message.get(words)[:MAX_MESSAGE],
            channel=step.channel,
            due_on=day + datetime.timedelta(days=step.days),
        )
        for step in load_starter().steps
    ]
    audit.record(
        tenant,
        AuditAction.CREATED,
        summary=lambda: (
            _("Starter communication plan adopted (%(count)d steps).") % {"count": len(made)}
        ),
        label=_("Communication plan"),
    )
    return made


# The FAQ -----------------------------------------------------------------------------------------


def _faq_texts(question: str, answer: str) -> tuple[str, str]:
    return (
        _required(_one_line(question), MAX_FAQ_QUESTION, "question"),
        _required(_text(answer), MAX_FAQ_ANSWER, "answer"),
    )


def _entries(tenant: Tenant) -> list[FaqEntry]:
    """The organisation's entries in their order, locked while they are renumbered."""
    return list(
        FaqEntry.objects.select_for_update()
        .filter(organisation=tenant.organisation)
        .order_by("position", "pk")
    )


@transaction.atomic
def create_faq(tenant: Tenant, question: str, answer: str) -> FaqEntry:
    """A question and its answer, at the end of the list."""
    question, answer = _faq_texts(question, answer)
    entries = _entries(tenant)
    if len(entries) >= MAX_FAQ:
        raise CommunicationError(
            _("The FAQ holds at most %(count)d questions.") % {"count": MAX_FAQ}, "question"
        )
    entry = FaqEntry.objects.create(
        organisation=tenant.organisation,
        question=question,
        answer=answer,
        position=max((e.position for e in entries), default=-1) + 1,
    )
    audit.record(tenant, AuditAction.CREATED, entry)
    return entry


@transaction.atomic
def update_faq(tenant: Tenant, entry: FaqEntry, question: str, answer: str) -> FaqEntry:
    tenant.require(entry)
    question, answer = _faq_texts(question, answer)
    if (entry.question, entry.answer) == (question, answer):
        return entry
    entry.question, entry.answer = question, answer
    entry.save(update_fields=["question", "answer"])
    audit.record(tenant, AuditAction.CHANGED, entry)
    return entry


@transaction.atomic
def delete_faq(tenant: Tenant, entry: FaqEntry) -> None:
    tenant.require(entry)
    audit.record(tenant, AuditAction.DELETED, entry)
    entry.delete()


@transaction.atomic
def move_faq(tenant: Tenant, entry: FaqEntry, direction: str) -> None:
    """One place up or down (``"up"``/``"down"``); the list is numbered 0, 1, 2 … again."""
    tenant.require(entry)
    if direction not in ("up", "down"):
        raise CommunicationError(_("Please choose up or down."), "direction")
    entries = _entries(tenant)
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(entries):
        return  # first or last already
    entries[index], entries[other] = entries[other], entries[index]
    changed = []
    for position, found in enumerate(entries):
        if found.position != position:
            found.position = position
            changed.append(found)
    FaqEntry.objects.bulk_update(changed, ["position"])
    audit.record(tenant, AuditAction.CHANGED, entry, summary=lambda: _("order changed"))


@transaction.atomic
def adopt_starter_faq(tenant: Tenant, language: str | None = None) -> list[FaqEntry]:
    """The first questions with draft answers, into an empty FAQ."""
    words = (language or get_language() or "de")[:2]
    if _entries(tenant):
        raise CommunicationError(_("The FAQ has questions already; add more one by one."))
    made = [
        FaqEntry.objects.create(
            organisation=tenant.organisation,
            question=q.question.get(words)[:MAX_FAQ_QUESTION],
            answer=q.answer.get(words)[:MAX_FAQ_ANSWER],
            position=position,
        )
        for position, q in enumerate(load_starter().faq)
    ]
    audit.record(
        tenant,
        AuditAction.CREATED,
        summary=lambda: _("Starter FAQ adopted (%(count)d questions).") % {"count": len(made)},
        label=_("Staff FAQ"),
    )
    return made
