"""What the people feature adds to the navigation, the overview and the readiness check: the
latest pulse's acceptance as a suggestion for the readiness dimension "Akzeptanz", its
headline, and comments waiting to be checked."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core.modules import Headline, Module, Notice, Suggestion
from startklar.core.templatetags.startklar import percent
from startklar.organisations.tenancy import Tenant

from . import queries
from .models import CommentReview, PulseAnswer

ACCEPTANCE = "akzeptanz"  # the readiness dimension the pulses measure


def readiness(tenant: Tenant) -> list[Suggestion]:
    """The readiness dimension "Akzeptanz" as the staff see it: the acceptance score of the
    latest pulse with enough answers to be shown."""
    found = queries.latest_results(tenant)
    if found is None or found.acceptance is None or found.pulse.opened_on is None:
        return []
    reason = _(
        "%(title)s (opened %(date)s): %(count)d staff answered anonymously; %(concerned)s "
        "agree with at least one worry about AI."
    ) % {
        "title": found.pulse.title,
        "date": formats.date_format(found.pulse.opened_on, "SHORT_DATE_FORMAT"),
        "count": found.respondents,
        "concerned": percent(found.concerned) if found.concerned is not None else "–",
    }
    return [
        Suggestion(
            dimension=ACCEPTANCE,
            score=found.acceptance.score,
            source=_("Staff pulse"),
            reason=reason,
            url=queries.url(tenant, "results", found.pulse.pk),
        )
    ]


def headline(tenant: Tenant) -> Headline | None:
    found = queries.latest_results(tenant)
    if found is None:
        return None
    if found.acceptance is None:
        value = _("too few answers so far")
    else:
        value = _("Acceptance %(score)d of 100") % {"score": found.acceptance.score}
    detail = ""
    if found.concerned is not None:
        detail = _("%(share)s concerned") % {"share": percent(found.concerned)}
        if found.concerned_before is not None:
            detail += " " + _("(before: %(share)s)") % {"share": percent(found.concerned_before)}
    return Headline(
        title=_("Staff pulse"),
        value=value,
        detail=detail,
        url=queries.url(tenant, "results", found.pulse.pk),
    )


def notices(tenant: Tenant) -> list[Notice]:
    """Comments waiting to be checked for names (for those who may check them)."""
    if not tenant.can_edit:
        return []
    waiting = (
        PulseAnswer.objects.filter(
            pulse__organisation=tenant.organisation, comment_review=CommentReview.UNCHECKED
        )
        .exclude(comment="")
        .values_list("pulse_id", flat=True)
    )
    pulses = sorted(set(waiting))
    if not pulses:
        return []
    count = len(waiting)
    return [
        Notice(
            ngettext(
                "%(count)d comment from a staff pulse waits to be checked for names.",
                "%(count)d comments from staff pulses wait to be checked for names.",
                count,
            )
            % {"count": count},
            queries.url(tenant, "comments", pulses[-1]),
            level="info",
        )
    ]


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="people",
        label=gettext_lazy("Staff"),
        description=gettext_lazy(
            "Are the people on board? Anonymous staff pulses without an account, the works "
            "council's part in each AI system, and who is told what and when."
        ),
        url_name="people:list",
        icon="people",
        order=48,
        notices=notices,
        headline=headline,
        readiness=readiness,
    )
