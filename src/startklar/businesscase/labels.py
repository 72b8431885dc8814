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
