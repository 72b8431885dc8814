"""Every write of the roadmap. One transaction per call; a rule broken raises ``RoadmapError``
with a message for the user (and the field it is about, where there is one)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction, Membership
from startklar.organisations.tenancy import Tenant

from . import engine
from .models import CalendarFeed, Dismissal, Item, Settings
from .queries import settings_of

FEED_PREFIX = "skc_"  # a calendar address's secret, recognisable in logs and support requests


# What the item form edits (besides what it depends on).
EDITED = (
    "title",
    "kind",
    "why",
    "owner_id",
    "start",
    "end",
    "effort",
    "cost",
    "milestone",
    "deadline",
)


class RoadmapError(Exception):
    """A step the rules do not allow; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# Settings ----------------------------------------------------------------------------------------


@transaction.atomic
def save_settings(
    tenant: Tenant, start: datetime.date, capacity: Decimal, budget: Decimal | None
) -> Settings:
    if capacity <= 0:
        raise RoadmapError(_("Please give a capacity above zero."), "capacity")
    if budget is not None and budget < 0:
        raise RoadmapError(_("The budget cannot be negative."), "budget")
    found, created = Settings.objects.get_or_create(
        organisation=tenant.organisation,
        defaults={"start": start, "capacity": capacity, "budget": budget},
    )
    if not created:
        if (found.start, found.capacity, found.budget) == (start, capacity, budget):
            return found  # saved unchanged changes nothing
        found.start, found.capacity, found.budget = start, capacity, budget
        found.save()
    audit.record(tenant, AuditAction.CHANGED, found, label=str(_("Roadmap settings")))
    return found


# Items -------------------------------------------------------------------------------------------


def _check_item(tenant: Tenant, item: Item, depends_on: Iterable[Item]) -> list[Item]:
    if item.end < item.start:
        raise RoadmapError(_("The end lies before the start."), "end")
    if item.owner is not None and item.owner.organisation_id != tenant.organisation.pk:
        raise RoadmapError(_("The owner must be a member of the organisation."), "owner")
    needed = list(depends_on)
    for other in needed:
        tenant.require(other)
        if item.pk is not None and other.pk == item.pk:
            raise RoadmapError(_("An item cannot depend on itself."), "depends_on")
    if item.pk is not None and needed:
        # No cycles: none of what it depends on may (through others) depend on it.
        after = _dependents_of(tenant, item.pk)
        looped = [other.title for other in needed if other.pk in after]
        if looped:
            raise RoadmapError(
                _("%(titles)s already depends on this item.") % {"titles": ", ".join(looped)},
                "depends_on",
            )
    return needed


def _dependents_of(tenant: Tenant, pk: int) -> set[int]:
    """Every item that depends on ``pk``, directly or through others."""
    links = list(
        Item.depends_on.through.objects.filter(
            from_item__organisation=tenant.organisation
        ).values_list("from_item_id", "to_item_id")
    )
    users: dict[int, list[int]] = {}
    for user, needed in links:
        users.setdefault(needed, []).append(user)
    found: set[int] = set()
    todo = [pk]
    while todo:
        for user in users.get(todo.pop(), []):
            if user not in found:
                found.add(user)
                todo.append(user)
    return found


@transaction.atomic
def add_item(tenant: Tenant, item: Item, depends_on: list[Item]) -> Item:
    """An item added by hand (``item`` holds the form's fields)."""
    for other in depends_on:
        tenant.require(other)
    if item.pk is not None:
        tenant.require(item)
        raise RoadmapError(_("This item is on the roadmap already."))
    item.organisation = tenant.organisation
    needed = _check_item(tenant, item, depends_on)
    item.save()
    item.depends_on.set(needed)
    audit.record(tenant, AuditAction.CREATED, item)
    return item


@transaction.atomic
def update_item(tenant: Tenant, item: Item, depends_on: list[Item]) -> Item:
    """Save the form's fields; when the dates change, the items waiting for this one move
    along as far as they must (see ``move_preview``)."""
    tenant.require(item)
    needed = _check_item(tenant, item, depends_on)
    before = Item.objects.get(pk=item.pk)
    links = set(before.depends_on.values_list("pk", flat=True))
    if links == {other.pk for other in needed} and all(
        getattr(before, name) == getattr(item, name) for name in EDITED
    ):
        return item  # saved unchanged changes nothing
    stored = (before.start, before.end)
    if (item.start, item.end) != stored:
        moves = move_preview(tenant, item, item.start, item.end)
        _apply(tenant, [m for m in moves if m.key != str(item.pk)])
    item.save()
    item.depends_on.set(needed)
    audit.record(tenant, AuditAction.CHANGED, item)
    return item


def move_preview(
    tenant: Tenant, item: Item, new_start: datetime.date, new_end: datetime.date | None = None
) -> list[engine.Move]:
    """What moves when ``item`` starts on ``new_start`` (and ends on ``new_end``, else keeps its
    length): the item and every item after it that would otherwise start before what it
    depends on has ended."""
    tenant.require(item)
    if new_end is not None and new_end < new_start:
        raise RoadmapError(_("The end lies before the start."), "end")
    try:
        return engine.shift(_dated(tenant), str(item.pk), new_start, new_end)
    except ValueError:  # dependencies that loop (only ever through data edited elsewhere)
        raise RoadmapError(_("The items depend on each other in a circle."), "start") from None


def _dated(tenant: Tenant) -> list[engine.Dated]:
    items = list(
        Item.objects.filter(organisation=tenant.organisation).values_list(
            "pk", "start", "end", "done_on"
        )
    )
    needs: dict[int, list[str]] = {}
    for user, needed in Item.depends_on.through.objects.filter(
        from_item__organisation=tenant.organisation
    ).values_list("from_item_id", "to_item_id"):
        needs.setdefault(user, []).append(str(needed))
    return [
        engine.Dated(str(pk), start, end, tuple(sorted(needs.get(pk, []))), done_on is not None)
        for pk, start, end, done_on in items
    ]


@transaction.atomic
def move(tenant: Tenant, item: Item, new_start: datetime.date) -> list[engine.Move]:
    """Move ``item`` to start on ``new_start`` and what depends on it along (see
    ``move_preview``). Refused when a done item would have to move."""
    moves = move_preview(tenant, item, new_start)
    _apply(tenant, moves)
    return moves


def _apply(tenant: Tenant, moves: list[engine.Move]) -> None:
    blocked = [m for m in moves if m.conflict]
    if blocked:
        titles = Item.objects.filter(pk__in=[int(m.key) for m in blocked]).values_list(
            "title", flat=True
        )
        raise RoadmapError(
            _("This would move items that are done: %(titles)s.") % {"titles": ", ".join(titles)},
            "start",
        )
    by_pk = Item.objects.filter(organisation=tenant.organisation).in_bulk(
        [int(m.key) for m in moves]
    )
    changed, now = [], timezone.now()
    for m in moves:
        other = by_pk[int(m.key)]
        other.start, other.end, other.updated_at = m.new_start, m.new_end, now
        changed.append(other)
    Item.objects.bulk_update(changed, ["start", "end", "updated_at"])
    for other in changed:
        audit.record(tenant, AuditAction.CHANGED, other)


@transaction.atomic
def assign(tenant: Tenant, item: Item, owner: Membership | None) -> Item:
    tenant.require(item)
    if owner is not None and owner.organisation_id != tenant.organisation.pk:
        raise RoadmapError(_("The owner must be a member of the organisation."), "owner")
    if item.owner_id == (owner.pk if owner else None):
        return item
    item.owner = owner
    item.save(update_fields=["owner", "updated_at"])
    audit.record(tenant, AuditAction.CHANGED, item)
    return item


@transaction.atomic
def mark_done(tenant: Tenant, item: Item, done_on: datetime.date | None) -> Item:
    """Done on a day (not after today), or open again with None."""
    tenant.require(item)
    if done_on is not None and done_on > timezone.localdate():
        raise RoadmapError(_("The day it was done cannot lie in the future."), "done_on")
    if item.done_on == done_on:
        return item
    item.done_on = done_on
    item.save(update_fields=["done_on", "updated_at"])
    audit.record(tenant, AuditAction.CHANGED, item)
    return item


@transaction.atomic
def delete_item(tenant: Tenant, item: Item) -> None:
    tenant.require(item)
    audit.record(tenant, AuditAction.DELETED, item)
    item.delete()


# Proposals ---------------------------------------------------------------------------------------


@transaction.atomic
def accept(tenant: Tenant, keys: Sequence[str], language: str, today: datetime.date) -> list[Item]:
    """Put the proposals ``keys`` on the roadmap with the dates the proposal gives them (worked
    out afresh, so nothing stale is accepted), linked to what they depend on; each item's owner
    is the accepting member until someone else is assigned."""
    from . import proposals  # it reads every feature below; only accepting needs it

    settings = settings_of(tenant, today)
    if settings.pk is None:
        settings.save()
    found, _dismissed = proposals.proposals(tenant, language, settings)
    by_key = {p.key: p for p in found}
    missing = [k for k in keys if k not in by_key]
    if missing or not keys:
        raise RoadmapError(_("This proposal does not exist (any more)."))
    wanted = [p for p in found if p.key in set(keys)]  # in the proposal's order
    items = []
    for proposal in wanted:
        item = proposals.item_from(proposal)
        item.organisation = tenant.organisation
        item.owner = tenant.membership
        item.save()
        items.append(item)
    created = {i.source_key: i for i in items}
    links = []
    for item, proposal in zip(items, wanted, strict=True):
        for needed in proposal.task.depends_on:
            if needed.startswith("item:"):
                links.append(Item.depends_on.through(from_item=item, to_item_id=int(needed[5:])))
            elif needed in created:
                links.append(Item.depends_on.through(from_item=item, to_item=created[needed]))
    Item.depends_on.through.objects.bulk_create(links)
    for item in items:
        audit.record(tenant, AuditAction.CREATED, item)
    return items


# Proposals that are not wanted -------------------------------------------------------------------


@transaction.atomic
def dismiss(tenant: Tenant, source_key: str) -> None:
    if not source_key or len(source_key) > 120:
        raise RoadmapError(_("This proposal does not exist (any more)."))
    Dismissal.objects.get_or_create(
        organisation=tenant.organisation,
        source_key=source_key,
        defaults={"dismissed_by": tenant.membership.user},
    )


@transaction.atomic
def take_back(tenant: Tenant, dismissal: Dismissal) -> None:
    tenant.require(dismissal)
    dismissal.delete()


# Calendars ---------------------------------------------------------------------------------------


def feed_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_feed(tenant: Tenant) -> tuple[CalendarFeed, str]:
    """A new calendar address for the signed-in member; the secret is returned once, only its
    hash is kept. Earlier addresses of the member stop working (one address at a time)."""
    now = timezone.now()
    CalendarFeed.objects.filter(
        organisation=tenant.organisation, member=tenant.membership, revoked_at__isnull=True
    ).update(revoked_at=now)
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        organisation=tenant.organisation, member=tenant.membership, token_hash=feed_hash(secret)
    )
    audit.record(tenant, AuditAction.CREATED, feed)
    return feed, secret


@transaction.atomic
def revoke_feed(tenant: Tenant, feed: CalendarFeed) -> None:
    tenant.require(feed)
    if feed.member_id != tenant.membership.pk and not tenant.can_administer:
        raise RoadmapError(_("Only the member or an owner can switch this calendar off."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(tenant, AuditAction.DELETED, feed)


def feed_for(secret: str) -> CalendarFeed | None:
    """The live feed a calendar address stands for (None: unknown or switched off); notes
    when it was last fetched (at most once an hour, so polling writes little)."""
    if not secret.startswith(FEED_PREFIX) or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("member__user", "organisation")
        .filter(token_hash=feed_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.member.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed
