"""What a person reads for the codes of the readiness engine (see ``startklar.core.labels``).

The question bank and the engine use stable ids (``hoch``, ``technologie``); pages show these
labels, in the interface language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from startklar.core.labels import Labels

from .engine import Area, Severity

AREAS = Labels(
    Area,
    {
        Area.TECHNOLOGY: _("Technology"),
        Area.ORGANISATION: _("Organisation"),
        Area.PEOPLE: _("People"),
        Area.GAP: _("Gap"),
        Area.STRUCTURE: _("Structure"),
    },
)
SEVERITIES = Labels(
    Severity, {Severity.HIGH: _("high"), Severity.MEDIUM: _("medium"), Severity.LOW: _("low")}
)
