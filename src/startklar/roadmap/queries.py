"""Every read the roadmap's pages show: one page query per screen, each a frozen dataclass.

The plan's rows, its Gantt chart and "the next 90 days" are also what the management report
reads (:func:`plan`), so both say the same."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from startklar.compliance.models import RoleLevel
from startklar.core.deletion import Confirmation, preview
from startklar.organisations.models import Membership, Organisation
from startklar.organisations.tenancy import Tenant

from . import calendar, charts, content, engine, proposals
from .models import CalendarFeed, Dismissal, Item, Kind, Settings

NEXT_DAYS = 90
BAND_ROOM_DAYS = 42
# The strategy phase is drawn this long after its start when nothing is planned later.
STRATEGY_MONTHS = 12
VIEWS = ("phases", "list", "next")


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"roadmap:{name}", args=[tenant.organisation.slug, *args])


def phase_names() -> dict[engine.Phase, str]:
    return {
        engine.Phase.FIND_AND_PILOT: _("Months 0–6: find and pilot"),
        engine.Phase.SCALE: _("Months 6–18: scale and build skills"),
        engine.Phase.STRATEGY: _("From month 18: AI as part of the strategy"),
    }


def phase_short_names() -> dict[engine.Phase, str]:
    """The phases' names in the Gantt chart, where a band may be narrow."""
    return {
        engine.Phase.FIND_AND_PILOT: _("Months 0–6"),
        engine.Phase.SCALE: _("Months 6–18"),
        engine.Phase.STRATEGY: _("Month 18+"),
    }


def state_names() -> dict[str, str]:
    return {
        "open": _("open"),
        "done": _("done"),
        "overdue": _("overdue"),
        "late": _("after its legal date"),
    }


@dataclass(frozen=True)
class Row:
    """One item as the pages, the calendar and the report show it."""

    id: int
    title: str
    kind: str  # the kind's name
    kind_key: str
    why: str
    owner_id: int | None
    owner_name: str
    start: datetime.date
    end: datetime.date
    effort: Decimal
    cost: Decimal
    milestone: bool
    deadline: datetime.date | None
    done_on: datetime.date | None
    state: str  # "open", "done", "overdue", "late"
    state_name: str
    phase: engine.Phase
    overdue_days: int
    late_days: int  # days its end lies after its legal date (not done)
    depends_on: tuple[int, ...]
    depends_on_titles: tuple[str, ...]
    source_key: str  # the proposal it was accepted from ("" for an item added by hand)
    source_url: str  # where it comes from
    url: str  # its page
    updated_at: datetime.datetime

    @property
    def done(self) -> bool:
        return self.done_on is not None


def _state(item: Item, today: datetime.date) -> tuple[str, int, int]:
    """The state, the days overdue and the days after the legal date."""
    if item.done_on is not None:
        return "done", 0, 0
    overdue = (today - item.end).days if item.end < today else 0
    late = (item.end - item.deadline).days if item.deadline and item.end > item.deadline else 0
    if overdue:
        return "overdue", overdue, late
    return ("late" if late else "open"), 0, late


def rows(tenant: Tenant, today: datetime.date, start: datetime.date) -> list[Row]:
    """Every item of the roadmap, by start (two queries: the items with their owners, and the
    dependency links)."""
    items = list(
        Item.objects.filter(organisation=tenant.organisation).select_related("owner__user")
    )
    needs: dict[int, list[int]] = {}
    for user, needed in Item.depends_on.through.objects.filter(
        from_item__organisation=tenant.organisation
    ).values_list("from_item_id", "to_item_id"):
        needs.setdefault(user, []).append(needed)
    titles = {item.pk: item.title for item in items}
    sources = proposals.source_links(tenant, items)
    states = state_names()
    kinds = dict(Kind.choices)
    found = []
    for item in items:
        state, overdue, late = _state(item, today)
        depends = tuple(sorted(needs.get(item.pk, []), key=lambda pk: titles.get(pk, "")))
        found.append(
            Row(
                id=item.pk,
                title=item.title,
                kind=str(kinds.get(item.kind, item.kind)),
                kind_key=item.kind,
                why=item.why,
                owner_id=item.owner_id,
                owner_name=item.owner.user.display_name if item.owner else "",
                start=item.start,
                end=item.end,
                effort=item.effort,
                cost=item.cost,
                milestone=item.milestone,
                deadline=item.deadline,
                done_on=item.done_on,
                state=state,
                state_name=states[state],
                phase=engine.phase(item.start, start),
                overdue_days=overdue,
                late_days=late,
                depends_on=depends,
                depends_on_titles=tuple(titles[pk] for pk in depends if pk in titles),
                source_key=item.source_key,
                source_url=sources.get(item.pk, ""),
                url=url(tenant, "item", item.pk),
                updated_at=item.updated_at,
            )
        )
    return found


def next_rows(found: Sequence[Row], today: datetime.date, days: int = NEXT_DAYS) -> list[Row]:
    """What is due: the overdue items and the open ones that start within ``days``."""
    horizon = today + datetime.timedelta(days=days)
    return [r for r in found if not r.done and (r.start <= horizon)]


def phase_ranges(
    start: datetime.date, found: Sequence[Row]
) -> list[tuple[engine.Phase, datetime.date, datetime.date]]:
    """Each phase's first and last day: 0–6 and 6–18 months from the roadmap's start; the
    strategy phase to the last item's end (at least a year)."""
    six, eighteen = engine.add_months(start, 6), engine.add_months(start, 18)
    last = max([engine.add_months(eighteen, STRATEGY_MONTHS), *(r.end for r in found)])
    day = datetime.timedelta(days=1)
    return [
        (engine.Phase.FIND_AND_PILOT, start, six - day),
        (engine.Phase.SCALE, six, eighteen - day),
        (engine.Phase.STRATEGY, eighteen, last),
    ]


def chart_labels() -> dict[str, str]:
    return {
        **state_names(),
        "start": _("Start"),
        "end": _("End"),
        "owner": _("Responsible"),
        "today": _("Today"),
        "milestone": _("Milestone"),
    }


def gantt(
    found: Sequence[Row],
    today: datetime.date,
    start: datetime.date,
    *,
    with_phases: bool = True,
) -> dict[str, Any]:
    """The Gantt chart of these rows (the page and the report draw the same spec)."""
    names = phase_short_names()
    shown = {r.id for r in found}
    bars = [
        charts.Bar(
            key=str(r.id),
            title=r.title,
            start=r.start,
            end=r.end,
            state=r.state,
            milestone=r.milestone,
            owner=r.owner_name,
            depends_on=tuple(str(pk) for pk in r.depends_on if pk in shown),
        )
        for r in found
    ]
    bands = []
    if with_phases:
        first = min([today, *(r.start for r in found)])
        # a few weeks beyond the last item: room for the last phase's name
        last = max([today, *(r.end for r in found)]) + datetime.timedelta(days=BAND_ROOM_DAYS)
        for key, begin, end in phase_ranges(start, found):
            if end >= first and begin <= last:  # only phases the chart reaches
                bands.append((names[key], max(begin, first), min(end, last)))
    return charts.gantt(bars, today, bands, chart_labels())


# The plan ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseGroup:
    key: str
    title: str
    first: datetime.date
    last: datetime.date
    rows: tuple[Row, ...]
    done: int


@dataclass(frozen=True)
class Plan:
    """The roadmap page (and what the report reads of it)."""

    view: str  # "phases", "list" or "next"
    start: datetime.date
    settings_saved: bool
    rows: tuple[Row, ...]
    phases: tuple[PhaseGroup, ...]
    next: tuple[Row, ...]  # overdue, and open items starting within NEXT_DAYS
    horizon: datetime.date
    chart: dict[str, Any] | None
    total: int
    done: int
    overdue: int
    late: int
    mine: int  # open items the signed-in member owns

    @property
    def empty(self) -> bool:
        return not self.rows


DEFAULT_CAPACITY = Decimal(10)


def settings_of(tenant: Tenant, today: datetime.date) -> Settings:
    """The organisation's settings, or (unsaved) the defaults: from the Monday of this week,
    ten person-days a month, no budget limit."""
    found = Settings.objects.filter(organisation=tenant.organisation).first()
    if found is not None:
        return found
    return Settings(
        organisation=tenant.organisation,
        start=today - datetime.timedelta(days=today.weekday()),
        capacity=DEFAULT_CAPACITY,
    )


def plan(tenant: Tenant, today: datetime.date, view: str = "phases") -> Plan:
    settings = settings_of(tenant, today)
    found = rows(tenant, today, settings.start)
    due = next_rows(found, today)
    groups = []
    names = phase_names()
    for key, first, last in phase_ranges(settings.start, found):
        members = tuple(r for r in found if r.phase is key)
        groups.append(
            PhaseGroup(
                key=str(key),
                title=names[key],
                first=first,
                last=last,
                rows=members,
                done=sum(1 for r in members if r.done),
            )
        )
    chart = None
    if view == "next" and due:
        chart = gantt(due, today, settings.start, with_phases=False)
    elif view != "next" and found:
        chart = gantt(found, today, settings.start)
    return Plan(
        view=view,
        start=settings.start,
        settings_saved=settings.pk is not None,
        rows=tuple(found),
        phases=tuple(groups),
        next=tuple(due),
        horizon=today + datetime.timedelta(days=NEXT_DAYS),
        chart=chart,
        total=len(found),
        done=sum(1 for r in found if r.done),
        overdue=sum(1 for r in found if r.state == "overdue"),
        late=sum(1 for r in found if r.late_days),
        mine=sum(1 for r in found if not r.done and r.owner_id == tenant.membership.pk),
    )


# One item ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPage:
    row: Row
    dependents: tuple[Row, ...]  # the items that wait for this one


def item_page(tenant: Tenant, item: Item, today: datetime.date) -> ItemPage:
    settings = settings_of(tenant, today)
    found = rows(tenant, today, settings.start)
    row = next(r for r in found if r.id == item.pk)
    return ItemPage(row, tuple(r for r in found if item.pk in r.depends_on))


@dataclass(frozen=True)
class MoveRow:
    title: str
    old_start: datetime.date
    new_start: datetime.date
    old_end: datetime.date
    new_end: datetime.date
    conflict: bool  # done: cannot move
    itself: bool


def move_rows(tenant: Tenant, item: Item, moves: Sequence[engine.Move]) -> list[MoveRow]:
    titles = dict(
        Item.objects.filter(
            organisation=tenant.organisation, pk__in=[int(m.key) for m in moves]
        ).values_list("pk", "title")
    )
    return [
        MoveRow(
            title=titles.get(int(m.key), ""),
            old_start=m.old_start,
            new_start=m.new_start,
            old_end=m.old_end,
            new_end=m.new_end,
            conflict=m.conflict,
            itself=int(m.key) == item.pk,
        )
        for m in moves
    ]


def owners(tenant: Tenant) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=tenant.organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


# Proposals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalRow:
    key: str
    title: str
    why: str
    kind: str
    start: datetime.date
    end: datetime.date
    effort: float
    cost: float
    phase: str
    milestone: bool
    deadline: datetime.date | None
    late_days: int
    stretched: bool
    over_budget: bool
    source_url: str
    source_label: str
    depends_on: tuple[str, ...]  # titles (proposals or items on the roadmap)


@dataclass(frozen=True)
class Dismissed:
    id: int
    title: str
    source_url: str


@dataclass(frozen=True)
class ProposalPage:
    settings: Settings
    proposals: tuple[ProposalRow, ...]
    dismissed: tuple[Dismissed, ...]
    late: int
    on_roadmap: int


def proposal_page(tenant: Tenant, language: str, today: datetime.date) -> ProposalPage:
    settings = settings_of(tenant, today)
    found, dismissed = proposals.proposals(tenant, language, settings)
    kinds = dict(Kind.choices)
    titles = {p.key: p.source.title for p in found}
    titles.update(
        {
            f"item:{pk}": title
            for pk, title in Item.objects.filter(organisation=tenant.organisation).values_list(
                "pk", "title"
            )
        }
    )
    names = phase_names()
    proposal_rows = tuple(
        ProposalRow(
            key=p.key,
            title=p.source.title,
            why=p.source.why,
            kind=str(kinds.get(p.task.kind.value, p.task.kind.value)),
            start=p.placement.start,
            end=p.placement.end,
            effort=p.task.effort,
            cost=p.task.cost,
            phase=names[p.placement.phase],
            milestone=p.task.milestone,
            deadline=p.task.deadline,
            late_days=p.placement.late_days,
            stretched=p.placement.stretched,
            over_budget=p.placement.over_budget,
            source_url=p.source.url,
            source_label=p.source.link_label,
            depends_on=tuple(titles[k] for k in p.task.depends_on if k in titles),
        )
        for p in found
    )
    return ProposalPage(
        settings=settings,
        proposals=proposal_rows,
        dismissed=tuple(
            Dismissed(d.pk, source.title if source else d.source_key, source.url if source else "")
            for d, source in dismissed
        ),
        late=sum(1 for p in proposal_rows if p.late_days),
        on_roadmap=Item.objects.filter(organisation=tenant.organisation).count(),
    )


# Calendar ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedRow:
    id: int
    member_name: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    mine: bool


@dataclass(frozen=True)
class CalendarPage:
    mine: FeedRow | None  # the signed-in member's live address
    others: tuple[FeedRow, ...]  # other members' live addresses (shown to owners)
    items: int  # the member's open items and the organisation's milestones
    digest: bool  # the member receives the weekly e-mail


def _feed_row(feed: CalendarFeed, tenant: Tenant) -> FeedRow:
    return FeedRow(
        id=feed.pk,
        member_name=feed.member.user.display_name,
        created_at=feed.created_at,
        last_used_at=feed.last_used_at,
        mine=feed.member_id == tenant.membership.pk,
    )


def calendar_page(tenant: Tenant, digest: bool) -> CalendarPage:
    live = list(
        CalendarFeed.objects.filter(
            organisation=tenant.organisation, revoked_at__isnull=True
        ).select_related("member__user")
    )
    mine = next((f for f in live if f.member_id == tenant.membership.pk), None)
    others = [f for f in live if f.member_id != tenant.membership.pk] if tenant.is_owner else []
    return CalendarPage(
        mine=_feed_row(mine, tenant) if mine else None,
        others=tuple(_feed_row(f, tenant) for f in others),
        items=calendar_items(tenant.organisation.pk, tenant.membership.pk).count(),
        digest=digest,
    )


def calendar_items(organisation_id: int, member_id: int | None) -> QuerySet[Item]:
    """A member's items and the organisation's milestones (``member_id`` None: every item)."""
    found = Item.objects.filter(organisation_id=organisation_id)
    if member_id is not None:
        found = found.filter(Q(owner_id=member_id) | Q(milestone=True))
    return found


# Competence plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetenceRow:
    key: str
    name: str
    description: str
    legal: bool
    has: tuple[str, ...]  # names
    lacks: tuple[str, ...]
    item: Row | None  # the training on the roadmap
    proposed: bool  # a training is proposed (not yet accepted)


@dataclass(frozen=True)
class LevelRow:
    key: str
    title: str
    people: int
    competences: tuple[CompetenceRow, ...]

    @property
    def complete(self) -> bool:
        return not any(c.lacks for c in self.competences)


@dataclass(frozen=True)
class CompetencePage:
    levels: tuple[LevelRow, ...]
    people: int
    gaps: int  # competences someone lacks
    planned: int  # of them with a training on the roadmap


def competence_page(tenant: Tenant, language: str, today: datetime.date) -> CompetencePage:
    settings = settings_of(tenant, today)
    loaded = content.load_competences()
    people, names = proposals.people_skills(tenant.organisation)
    gaps = engine.competence_gaps(people, loaded.needs, settings.start)
    by_source = {r.source_key: r for r in rows(tenant, today, settings.start) if r.source_key}
    dismissed = set(
        Dismissal.objects.filter(organisation=tenant.organisation).values_list(
            "source_key", flat=True
        )
    )
    titles = dict(RoleLevel.choices)
    levels = []
    for level in gaps:
        competences = []
        for status in level.competences:
            key = f"competence:{level.level}:{status.competence.key}"
            on_roadmap = by_source.get(key)
            competences.append(
                CompetenceRow(
                    key=status.competence.key,
                    name=loaded.names[status.competence.key].get(language),
                    description=loaded.descriptions[status.competence.key].get(language),
                    legal=status.competence.legal,
                    has=tuple(sorted(names[int(k)] for k in status.has)),
                    lacks=tuple(sorted(names[int(k)] for k in status.lacks)),
                    item=on_roadmap,
                    proposed=bool(status.lacks) and not on_roadmap and key not in dismissed,
                )
            )
        levels.append(
            LevelRow(
                key=str(level.level),
                title=str(titles.get(str(level.level), level.level)),
                people=len(level.people),
                competences=tuple(competences),
            )
        )
    lacking = [c for level in levels for c in level.competences if c.lacks]
    return CompetencePage(
        levels=tuple(levels),
        people=len(people),
        gaps=len(lacking),
        planned=sum(1 for c in lacking if c.item is not None),
    )


def feed_path(secret: str, language: str) -> str:
    """The path of a calendar address (the page makes it absolute); the language of its texts
    is part of it, as calendar programs send no preference."""
    path = reverse("roadmap_feed:feed", args=[secret])
    return path + "?lang=en" if language == "en" else path


def calendar_file(
    organisation: Organisation, member: Membership | None, language: str, base_url: str
) -> tuple[bytes, str]:
    """The .ics of a member's items and the organisation's milestones (``member`` None: every
    item), and its file name; ``base_url`` makes the items' links absolute."""
    items = calendar_items(organisation.pk, member.pk if member else None).select_related(
        "owner__user"
    )
    slug = organisation.slug
    host = base_url.split("//", 1)[-1].split("/", 1)[0] or "startklar"
    states = state_names()
    entries = []
    for item in items:
        lines = [item.why] if item.why else []
        if item.owner is not None:
            lines.append(f"{gettext('Responsible')}: {item.owner.user.display_name}")
        if item.done_on is not None:
            lines.append(states["done"])
        entries.append(
            calendar.Entry(
                uid=f"roadmap-item-{item.pk}@{host}",
                title=("✓ " if item.done_on else "") + item.title,
                description="\n".join(lines),
                start=item.start,
                end=item.end,
                stamp=item.updated_at,
                url=base_url.rstrip("/") + reverse("roadmap:item", args=[slug, item.pk]),
                done=item.done_on is not None,
                milestone=item.milestone,
            )
        )
    if member is None:
        name = gettext("Roadmap of %(organisation)s") % {"organisation": organisation.name}
        file_name = f"roadmap-{slug}.ics"
    else:
        name = gettext("Roadmap of %(organisation)s: %(member)s") % {
            "organisation": organisation.name,
            "member": member.user.display_name,
        }
        file_name = f"roadmap-{slug}-{member.pk}.ics"
    return calendar.ics(name, entries, language=language), file_name


def deletion(tenant: Tenant, item: Item) -> Confirmation:
    deleted, unlinked = preview(item)
    waiting = item.dependents.count()
    kept = [gettext("Items that depend on it stay; they no longer wait for it.")] if waiting else []
    if item.source_key:
        kept.append(gettext("Its proposal is offered again as long as its source exists."))
    return Confirmation(
        title=gettext("Remove roadmap item"),
        name=item.title,
        consequences=deleted,
        unlinked=unlinked,
        kept=tuple(kept),
        action_url=url(tenant, "delete", item.pk),
        cancel_url=url(tenant, "item", item.pk),
        button=gettext("Remove for good"),
    )
