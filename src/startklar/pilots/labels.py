"""How a person reads the codes of the pilots' engine."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from startklar.core.labels import Labels

from .engine import Light, LightReason

LIGHTS = Labels(
    Light,
    {
        Light.GREEN: _("on track"),
        Light.YELLOW: _("at risk"),
        Light.RED: _("off track"),
        Light.GREY: _("too early to say"),
    },
    styles={
        Light.GREEN: "success",
        Light.YELLOW: "warning",
        Light.RED: "danger",
        Light.GREY: "secondary",
    },
)

LIGHT_REASONS = Labels(
    LightReason,
    {
        LightReason.REACHED: _("The latest measurement meets the target."),
        LightReason.ON_TRACK: _(
            "The trend reaches the target by the target date, even at the cautious end of its "
            "range."
        ),
        LightReason.AT_RISK: _(
            "The trend reaches the target by the target date, but its range also allows a miss."
        ),
        LightReason.OFF_TRACK: _("The trend misses the target at the target date."),
        LightReason.TOO_FEW: _("Fewer than three measurements: no trend yet."),
    },
)
