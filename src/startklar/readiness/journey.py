"""What the readiness check says on the overview: the stage, its trend, and rounds to answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from startklar.core.modules import Action, Headline, Module, Notice
from startklar.core.templatetags.startklar import number
from startklar.organisations.tenancy import Tenant

from .models import Round
from .queries import latest


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"readiness:{name}", args=[tenant.organisation.slug, *args])


def headline(tenant: Tenant) -> Headline | None:
    """The latest round with results: stage and score, and the change since the one before."""
    points = latest(tenant, 2)  # latest first
    if not points:
        return None
    language = get_language() or "de"
    scores = points[0].assessment
    stage = scores.stage.name.get(language) if scores.stage else _("no stage yet")
    score = number(scores.overall) if scores.overall is not None else "–"
    detail = ""
    if len(points) > 1 and points[1].assessment.overall is not None and scores.overall:
        change = scores.overall - points[1].assessment.overall
        detail = _("%(change)s points since “%(title)s”") % {
            "change": f"{'+' if change >= 0 else '−'}{number(abs(change))}",
            "title": points[1].round.title,
        }
    return Headline(
        title=_("Readiness"),
        value=_("%(stage)s · %(score)s of 100") % {"stage": stage, "score": score},
        detail=detail,
        url=_url(tenant, "results", points[0].round.pk),
    )


def notices(tenant: Tenant) -> list[Notice]:
    """Open rounds that wait for the member's answers."""
    waiting = tenant.scoped(Round.objects).filter(
        status=Round.Status.OPEN,
        respondents__user=tenant.membership.user,
        respondents__submitted_at__isnull=True,
    )
    return [
        Notice(
            _('The readiness round "%(title)s" awaits your answers.') % {"title": r.title},
            _url(tenant, "answer", r.pk),
            "info",
        )
        for r in waiting
    ]


def start(tenant: Tenant) -> Action | None:
    if tenant.scoped(Round.objects).exists():
        return None
    return Action(_("Start the readiness check"), _url(tenant, "create"))


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="readiness",
        label=gettext_lazy("Readiness"),
        description=gettext_lazy(
            "Where do we stand? Several people answer; the result names hurdles and first steps."
        ),
        url_name="readiness:rounds",
        icon="speedometer2",
        order=10,
        notices=notices,
        headline=headline,
        start=start,
    )
