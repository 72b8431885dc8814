"""What the quality reviews add to the overview: open alerts, and items waiting for the
signed-in reviewer (overdue ones first)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Headline, Module, Notice
from startklar.organisations.tenancy import Tenant

from .models import ReviewAlert, ReviewPlan
from .queries import due_for


def notices(tenant: Tenant) -> list[Notice]:
    found: list[Notice] = []
    alerts = (
        tenant.scoped(ReviewAlert.objects)
        .filter(acknowledged_at__isnull=True)
        .order_by("plan__title", "-period")
        .values_list("plan_id", "plan__title")
        .distinct()
    )
    slug = tenant.organisation.slug
    seen: set[int] = set()
    for plan_id, title in alerts:
        if plan_id in seen:
            continue
        seen.add(plan_id)
        found.append(
            Notice(
                _("Quality review “%(title)s”: the error rate raised an alert.") % {"title": title},
                reverse("reviews:plan", args=[slug, plan_id]) + "#alerts",
                "danger",
            )
        )
    for due in due_for(tenant, tenant.membership.user):
        if due.overdue:
            text = ngettext(
                "Quality review “%(title)s”: %(count)d item is overdue for your verdict.",
                "Quality review “%(title)s”: %(count)d items are overdue for your verdict.",
                due.overdue,
            ) % {"title": due.title, "count": due.overdue}
            found.append(Notice(text, due.url, "warning"))
        else:
            text = ngettext(
                "Quality review “%(title)s”: %(count)d item waits for your verdict.",
                "Quality review “%(title)s”: %(count)d items wait for your verdict.",
                due.open,
            ) % {"title": due.title, "count": due.open}
            found.append(Notice(text, due.url, "info"))
    return found


def headline(tenant: Tenant) -> Headline | None:
    plans = tenant.scoped(ReviewPlan.objects).filter(active=True).count()
    if not plans:
        return None
    open_alerts = tenant.scoped(ReviewAlert.objects).filter(acknowledged_at__isnull=True).count()
    return Headline(
        title=_("Quality reviews"),
        value=ngettext("%(count)d active review plan", "%(count)d active review plans", plans)
        % {"count": plans},
        detail=ngettext("%(count)d open alert", "%(count)d open alerts", open_alerts)
        % {"count": open_alerts}
        if open_alerts
        else _("no open alert"),
        url=reverse("reviews:list", args=[tenant.organisation.slug]),
    )


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="reviews",
        label=gettext_lazy("Quality reviews"),
        description=gettext_lazy(
            "People judge samples of the AI's output: error rates with their uncertainty, "
            "agreement between reviewers, alerts when quality drops."
        ),
        url_name="reviews:list",
        icon="clipboard-check",
        order=45,
        notices=notices,
        headline=headline,
    )
