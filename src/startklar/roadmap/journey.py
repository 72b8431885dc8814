"""What the roadmap adds to the overview (overdue items, where the plan stands, the first step
while it is empty) and to the navigation."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Action, Headline, Module, Notice
from startklar.organisations.tenancy import Tenant

from .models import Item
from .queries import url


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def notices(tenant: Tenant) -> list[Notice]:
    """The signed-in member's overdue items one by one (the longest overdue first, at most
    three), and how many other items are overdue."""
    today = timezone.localdate()
    overdue = list(
        tenant.scoped(Item.objects)
        .filter(done_on__isnull=True, end__lt=today)
        .order_by("end", "pk")
        .values_list("pk", "title", "end", "owner_id")
    )
    mine = [row for row in overdue if row[3] == tenant.membership.pk]
    found = [
        Notice(
            ngettext(
                "Roadmap: “%(title)s” was due on %(date)s (%(days)d day ago) and is yours.",
                "Roadmap: “%(title)s” was due on %(date)s (%(days)d days ago) and is yours.",
                (today - end).days,
            )
            % {"title": title, "date": _day(end), "days": (today - end).days},
            url(tenant, "item", pk),
            "danger",
        )
        for pk, title, end, _owner in mine[:3]
    ]
    others = len(overdue) - len(found)
    if others:
        found.append(
            Notice(
                ngettext(
                    "%(count)d more item on the roadmap is overdue.",
                    "%(count)d more items on the roadmap are overdue.",
                    others,
                )
                % {"count": others},
                url(tenant, "plan") + "?view=next",
                "warning",
            )
        )
    return found


def headline(tenant: Tenant) -> Headline | None:
    today = timezone.localdate()
    counts = tenant.scoped(Item.objects).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        overdue=Count("pk", filter=Q(done_on__isnull=True, end__lt=today)),
    )
    if not counts["total"]:
        return None
    upcoming = (
        tenant.scoped(Item.objects)
        .filter(milestone=True, done_on__isnull=True, start__gte=today)
        .order_by("start", "pk")
        .values_list("title", "start")
        .first()
    )
    facts = []
    if counts["overdue"]:
        facts.append(
            ngettext("%(count)d overdue", "%(count)d overdue", counts["overdue"])
            % {"count": counts["overdue"]}
        )
    if upcoming:
        facts.append(
            _("Next milestone: %(title)s on %(date)s")
            % {"title": upcoming[0], "date": _day(upcoming[1])}
        )
    return Headline(
        title=_("Roadmap"),
        value=_("%(done)d of %(total)d items done") % counts,
        detail=" · ".join(facts),
        url=url(tenant, "plan"),
    )


def start(tenant: Tenant) -> Action | None:
    if tenant.scoped(Item.objects).exists():
        return None
    return Action(_("Review the proposed roadmap"), url(tenant, "proposals"))


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="roadmap",
        label=gettext_lazy("Roadmap"),
        description=gettext_lazy(
            "The plan with owners and dates: proposed from the readiness check, the focus set, "
            "the legal dates and the skills the team lacks; in phases, as a Gantt chart and in "
            "each member's calendar."
        ),
        url_name="roadmap:plan",
        icon="signpost-split",
        order=60,
        notices=notices,
        headline=headline,
        start=start,
    )
