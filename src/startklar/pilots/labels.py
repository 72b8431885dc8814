"""How a person reads the codes of the pilots' engine."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from startklar.core.labels import Labels

from .engine import GateReason, GateState, Light, LightReason

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

GATE_STATES = Labels(
    GateState,
    {
        GateState.MET: _("met"),
        GateState.WAIVED: _("reason documented"),
        GateState.NOT_NEEDED: _("not needed"),
        GateState.OPEN: _("open"),
        GateState.BLOCKED: _("not possible"),
    },
    styles={
        GateState.MET: "success",
        GateState.WAIVED: "info",
        GateState.NOT_NEEDED: "secondary",
        GateState.OPEN: "warning",
        GateState.BLOCKED: "danger",
    },
)

# Why an item of the scale decision stands as it does; the page adds the names it is about.
GATE_REASONS = Labels(
    GateReason,
    {
        GateReason.KPIS_MET: _("Every KPI meets its target."),
        GateReason.NO_KPIS: _("The pilot has no KPIs yet, so nothing shows whether it works."),
        GateReason.KPIS_MISSED: _("Not at target yet:"),
        GateReason.REVIEWS_OK: _(
            "Enough items are reviewed and the error rate is under the agreed threshold."
        ),
        GateReason.NO_REVIEW_PLAN: _("No review plan checks the output of the pilot's AI systems."),
        GateReason.TOO_FEW_REVIEWS: _("Fewer items reviewed than the wanted precision needs:"),
        GateReason.ERROR_RATE_HIGH: _("The error rate lies above the agreed threshold:"),
        GateReason.OPEN_ALERTS: _("An alert of the quality review is still open:"),
        GateReason.PLAN_REACHED: _(
            "The realised benefits reach at least 80 % of the planned ones."
        ),
        GateReason.NO_BUSINESS_CASE: _("The use case has no business case."),
        GateReason.NO_ACTUALS: _("No realised benefits are recorded yet."),
        GateReason.BEHIND_PLAN: _("The realised benefits stay below 80 % of the planned ones."),
        GateReason.CLASSIFIED: _("Classified; no AI Act duties apply beyond AI literacy."),
        GateReason.NOT_CLASSIFIED: _(
            "The AI Act and GDPR questionnaire is not fully answered, or its answers "
            "contradict each other."
        ),
        GateReason.PROHIBITED: _(
            "The classification found a prohibited practice: it must not be used at all."
        ),
        GateReason.DUTIES_OPEN: _("AI Act duties apply; confirm in a note how they are addressed."),
        GateReason.DUTIES_ADDRESSED: _("AI Act duties apply and are addressed:"),
        GateReason.DPIA_DONE: _("The impact assessment is done for every AI system."),
        GateReason.DPIA_NOT_NEEDED: _("The GDPR screening found no impact assessment needed."),
        GateReason.DPIA_OPEN: _(
            "An impact assessment is needed and not done for every AI system yet."
        ),
        GateReason.DPIA_UNKNOWN: _("The GDPR screening is not answered yet."),
        GateReason.NO_SYSTEM: _("No AI system of the register is linked to the pilot."),
        GateReason.DPA_SIGNED: _(
            "Every AI system has a signed data-processing agreement or needs none."
        ),
        GateReason.DPA_MISSING: _("No signed data-processing agreement:"),
        GateReason.ALL_TRAINED: _("Everyone who uses the AI systems has an AI-literacy record."),
        GateReason.NO_USERS: _("Nobody is recorded as using the AI systems."),
        GateReason.UNTRAINED: _("Without an AI-literacy record:"),
        GateReason.OWNER_NAMED: _("Named:"),
        GateReason.NO_OWNER: _("Nobody is named to run the system in operation."),
        GateReason.POLICY_ACKNOWLEDGED: _("Confirmed:"),
        GateReason.POLICY_OPEN: _(
            "Confirm in a note that the users have acknowledged the usage policy."
        ),
        GateReason.WAIVED: _("Documented reason:"),
    },
)
