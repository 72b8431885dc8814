"""What a person reads for the internal values of the use-case feature.

Content and engines use short stable ids (``dokumente``, ``niedrig``, ``qualitaet``); every page,
export and message shows the label from here, in the interface language.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from startklar.core.labels import Labels

from .engine.catalogue import Effort, EntryKind, ImplementationPath, KpiCategory, Risk, Technique
from .engine.pain import Frequency, Reason, ReasonKind
from .engine.portfolio import Axis, Quadrant, Why

TECHNIQUES = Labels(
    Technique,
    {
        Technique.TEXT: _("Text & language"),
        Technique.DOCUMENTS: _("Document analysis"),
        Technique.IMAGE_SOUND: _("Image & sound"),
        Technique.TIME_SERIES: _("Time series & forecasting"),
        Technique.CLUSTER: _("Clustering & analysis"),
        Technique.ASSISTANTS: _("Assistants & generative AI"),
        Technique.SENSORS: _("Sensors"),
        Technique.ROBOTICS: _("Robotics"),
    },
)
EFFORTS = Labels(Effort, {Effort.LOW: _("low"), Effort.MEDIUM: _("medium"), Effort.HIGH: _("high")})
# Also the business case's make/buy/partner options (``businesscase.models.Option``).
PATHS = Labels(
    ImplementationPath,
    {
        ImplementationPath.MAKE: _("Build in-house"),
        ImplementationPath.BUY: _("Buy a standard product"),
        ImplementationPath.PARTNER: _("Build with a partner"),
    },
)
KINDS = Labels(
    EntryKind,
    {EntryKind.QUICK_WIN: _("Quick win"), EntryKind.STRUCTURAL_LEVER: _("Structural lever")},
)
KPI_CATEGORIES = Labels(
    KpiCategory,
    {
        KpiCategory.EFFICIENCY: _("efficiency"),
        KpiCategory.QUALITY: _("quality"),
        KpiCategory.IMPACT: _("impact"),
    },
)
# A first estimate of the catalogue; the words are those of the AI Act classification
# (``compliance/labels.py``), hedged.
RISKS = Labels(
    Risk,
    {
        Risk.MINIMAL: _("probably minimal risk"),
        Risk.TRANSPARENCY: _("transparency obligations"),
        Risk.HIGH_RISK: _("possibly high risk"),
        Risk.TO_CHECK: _("needs checking"),
    },
    styles={
        Risk.MINIMAL: "secondary",
        Risk.TRANSPARENCY: "warning",
        Risk.HIGH_RISK: "danger",
        Risk.TO_CHECK: "warning",
    },
)
QUADRANTS = Labels(
    Quadrant,
    {
        Quadrant.QUICK_WINS: _("Quick wins"),
        Quadrant.STRATEGIC_LEVERS: _("Strategic levers"),
        Quadrant.NICE_TO_HAVE: _("Nice-to-have"),
        Quadrant.AVOID: _("Avoid"),
    },
)
QUADRANT_SINGULAR = Labels(
    Quadrant,
    {
        Quadrant.QUICK_WINS: _("Quick win"),
        Quadrant.STRATEGIC_LEVERS: _("Strategic lever"),
        Quadrant.NICE_TO_HAVE: _("Nice-to-have"),
        Quadrant.AVOID: _("Avoid"),
    },
    primary=False,
)
AXES = Labels(Axis, {Axis.VALUE: _("value"), Axis.FEASIBILITY: _("feasibility")})
# Why the optimiser left a use case out (a chosen one is described with its value and cost).
WHY = Labels(
    Why,
    {
        Why.CHOSEN: _("chosen"),
        Why.OVER_BUDGET_ALONE: _("costs more than the whole budget"),
        Why.OVER_CAPACITY_ALONE: _("needs more person-days than the whole capacity"),
        Why.NO_BUDGET_LEFT: _("fits on its own, but not next to the chosen ones (budget)"),
        Why.NO_CAPACITY_LEFT: _("fits on its own, but not next to the chosen ones (capacity)"),
        Why.LESS_VALUE: _("fits, but the chosen combination brings more value"),
        Why.NO_VALUE: _("no value scored"),
    },
)
FREQUENCIES = Labels(
    Frequency,
    {Frequency.DAILY: _("daily"), Frequency.WEEKLY: _("weekly"), Frequency.MONTHLY: _("monthly")},
)


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
