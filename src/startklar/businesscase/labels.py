"""What a person reads for built-in names of the business case."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Names of the items a catalogue entry starts a business case with.
SEEDED_NAMES: dict[str, Promise] = {
    "introduction": _("Introduction"),
    "introduction_effort": _("Internal effort for the introduction"),
    "licence": _("Licence and operation"),
    "time_saved": _("Time saved"),
}

# The estimated factors of an item (three-point estimates), as its form and the tornado name them.
FACTOR_LABELS: dict[str, Promise] = {
    "amount": _("Amount (EUR)"),
    "hours": _("Hours per month"),
    "rate": _("Hourly rate (EUR)"),
    "minutes": _("Minutes saved per case"),
    "cases": _("Cases per month"),
    "errors": _("Errors avoided per month"),
    "cost": _("Cost per error (EUR)"),
    "revenue": _("Extra revenue per month (EUR)"),
    "margin": _("Margin (share, e.g. 0.3)"),
    "cash_share": _("Cash-effective share (0–1)"),
}
