"""What a person reads for the internal values of the use-case feature.

Content and engines use short stable ids (``dokumente``, ``niedrig``, ``qualitaet``); every page,
export and message shows the label from here, in the interface language.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .engine.catalogue import Effort, Kind, KpiCategory, Path, Risk, Technique
from .engine.pain import Frequency, Reason, ReasonKind
from .engine.portfolio import Axis, Quadrant

TECHNIQUES: dict[Technique, Promise] = {
    Technique.TEXT: _("Text & language"),
    Technique.DOKUMENTE: _("Document analysis"),
    Technique.BILD_TON: _("Image & sound"),
    Technique.ZEITREIHEN: _("Time series & forecasting"),
    Technique.CLUSTER: _("Clustering & analysis"),
    Technique.ASSISTENZ: _("Assistants & generative AI"),
    Technique.SENSORIK: _("Sensors"),
    Technique.ROBOTIK: _("Robotics"),
}
EFFORTS: dict[Effort, Promise] = {
    Effort.NIEDRIG: _("low"),
    Effort.MITTEL: _("medium"),
    Effort.HOCH: _("high"),
}
PATHS: dict[Path, Promise] = {
    Path.MAKE: _("build in-house"),
    Path.BUY: _("buy a standard product"),
    Path.PARTNER: _("with a partner"),
}
KINDS: dict[Kind, Promise] = {
    Kind.QUICK_WIN: _("Quick win"),
    Kind.STRUKTURHEBEL: _("Structural lever"),
}
KPI_CATEGORIES: dict[KpiCategory, Promise] = {
    KpiCategory.EFFIZIENZ: _("efficiency"),
    KpiCategory.QUALITAET: _("quality"),
    KpiCategory.WIRKUNG: _("impact"),
}
RISKS: dict[Risk, Promise] = {
    Risk.MINIMAL: _("probably minimal risk"),
    Risk.TRANSPARENZ: _("transparency duties"),
    Risk.HOCHRISIKO: _("possibly high-risk"),
    Risk.PRUEFEN: _("needs checking"),
}
RISK_STYLES = {
    Risk.MINIMAL: "secondary",
    Risk.TRANSPARENZ: "warning",
    Risk.HOCHRISIKO: "danger",
    Risk.PRUEFEN: "warning",
}
QUADRANTS: dict[Quadrant, Promise] = {
    Quadrant.QUICK_WINS: _("Quick wins"),
    Quadrant.STRATEGISCHE_HEBEL: _("Strategic levers"),
    Quadrant.NICE_TO_HAVE: _("Nice-to-have"),
    Quadrant.VERMEIDEN: _("Avoid"),
}
QUADRANT_SINGULAR: dict[Quadrant, Promise] = {
    Quadrant.QUICK_WINS: _("Quick win"),
    Quadrant.STRATEGISCHE_HEBEL: _("Strategic lever"),
    Quadrant.NICE_TO_HAVE: _("Nice-to-have"),
    Quadrant.VERMEIDEN: _("Avoid"),
}
AXES: dict[Axis, Promise] = {Axis.NUTZEN: _("value"), Axis.UMSETZBARKEIT: _("feasibility")}
FREQUENCIES: dict[Frequency, Promise] = {
    Frequency.DAILY: _("daily"),
    Frequency.WEEKLY: _("weekly"),
    Frequency.MONTHLY: _("monthly"),
}


def reason(found: Reason) -> str:
    """Why a catalogue entry matches a pain point, as a sentence."""
    if found.kind is ReasonKind.WORDS:
        return gettext("matches your words: %(words)s") % {"words": found.detail}
    if found.kind is ReasonKind.TIME:
        return gettext("%(hours)s hours a week – a lot of time to win back") % {
            "hours": found.detail
        }
    return str(
        {
            ReasonKind.FREQUENT: _("comes up every day"),
            ReasonKind.ERRORS: _("error-prone today – AI can raise quality"),
            ReasonKind.MONOTONY: _(
                "monotonous and time-consuming: here overload and monotony meet"
            ),
            ReasonKind.QUICK_WIN: _("a quick win: little effort, visible effect"),
        }[found.kind]
    )
