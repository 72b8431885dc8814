"""What a person reads for the codes of the quality reviews (see ``startklar.core.labels``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from startklar.core.labels import Labels

from .engine import AlertReason, Cadence, Trend

REASONS = Labels(
    AlertReason,
    {
        AlertReason.ABOVE_THRESHOLD: _(
            "The error rate lies above the agreed threshold, even at the low end of its interval."
        ),
        AlertReason.RISE: _("The error rate rose significantly against the baseline."),
    },
)
REASONS_SHORT = Labels(
    AlertReason,
    {
        AlertReason.ABOVE_THRESHOLD: _("above the threshold"),
        AlertReason.RISE: _("rise against the baseline"),
    },
    primary=False,
)
TRENDS = Labels(
    Trend,
    {
        Trend.RISING: _("rising"),
        Trend.FALLING: _("falling"),
        Trend.STEADY: _("steady"),
        Trend.UNKNOWN: _("not known yet"),
    },
    styles={
        Trend.RISING: "danger",
        Trend.FALLING: "success",
        Trend.STEADY: "secondary",
        Trend.UNKNOWN: "secondary",
    },
)


def reason_texts(reasons: Iterable[str], short: bool = False) -> list[str]:
    """The reasons of an alert in words (unknown codes are left out)."""
    known = {str(r): r for r in AlertReason}
    words = REASONS_SHORT if short else REASONS
    return [str(words[known[r]]) for r in reasons if r in known]


def period_label(start: datetime.date, cadence: str) -> str:
    """How a period reads: "KW 23/2026" for a week (ISO week), "Jun. 2026" for a month."""
    if cadence == Cadence.WEEKLY:
        year, week, _day = start.isocalendar()
        return gettext_now("Week %(week)d/%(year)d") % {"week": week, "year": year}
    return date_format(start, "M Y")
