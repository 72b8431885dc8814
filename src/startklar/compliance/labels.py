"""What a person reads for the codes of the compliance engine (see ``startklar.core.labels``).

The AI Act classes, the DPIA verdicts and the reasons for a data protection officer are named
here once, in the interface language; badges, the why-trail, the journey, the audit log and
the Excel export all read them from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from startklar.core.labels import Labels

from .engine import DpiaVerdict, DpoCheck, DpoReason, RiskLabel

RISK_LABELS = Labels(
    RiskLabel,
    {
        RiskLabel.PROHIBITED: _("Prohibited"),
        RiskLabel.HIGH_RISK: _("High risk"),
        RiskLabel.TRANSPARENCY: _("Transparency obligations"),
        RiskLabel.MINIMAL: _("Minimal risk"),
        RiskLabel.CONTRADICTION: _("Contradiction"),
        RiskLabel.UNCLEAR: _("Unclear – expert review recommended"),
    },
)
DPIA_VERDICTS = Labels(
    DpiaVerdict,
    {
        DpiaVerdict.REQUIRED: _("DPIA required"),
        DpiaVerdict.PROBABLY_REQUIRED: _("DPIA probably required"),
        DpiaVerdict.THRESHOLD: _("Document the threshold assessment"),
        DpiaVerdict.NOT_REQUIRED: _("No DPIA required"),
        DpiaVerdict.UNCLEAR: _("DPIA unclear"),
    },
    styles={
        DpiaVerdict.REQUIRED: "danger",
        DpiaVerdict.PROBABLY_REQUIRED: "warning",
        DpiaVerdict.THRESHOLD: "info",
        DpiaVerdict.NOT_REQUIRED: "secondary",
        DpiaVerdict.UNCLEAR: "light",
    },
)
DPO_REASONS = Labels(
    DpoReason,
    {
        DpoReason.TWENTY_PERSONS: _(
            "At least 20 people regularly process personal data by computer "
            "(§ 38 Abs. 1 Satz 1 BDSG)."
        ),
        DpoReason.DPIA: _("Processing that needs a DPIA (§ 38 Abs. 1 Satz 2 BDSG): %(names)s."),
        DpoReason.COMMERCIAL_TRANSFER: _(
            "Personal data are processed commercially for transfer or market research "
            "(§ 38 Abs. 1 Satz 2 BDSG)."
        ),
        DpoReason.CORE_MONITORING: _(
            "Core activity: large-scale regular and systematic monitoring "
            "(Art. 37 Abs. 1 Buchst. b DSGVO)."
        ),
        DpoReason.CORE_SPECIAL: _(
            "Core activity: large-scale processing of special categories "
            "(Art. 37 Abs. 1 Buchst. c DSGVO)."
        ),
    },
)


def risk_labels(labels: Sequence[RiskLabel]) -> str:
    """A classification's result in one line, e.g. "High risk, Transparency obligations"."""
    return ", ".join(str(RISK_LABELS[label]) for label in labels) or str(
        RISK_LABELS[RiskLabel.UNCLEAR]
    )


def dpo_reasons(check: DpoCheck, dpia_use_cases: Sequence[str]) -> list[str]:
    """Why a data protection officer is mandatory, one sentence per reason."""
    return [
        str(DPO_REASONS[reason]) % {"names": ", ".join(dpia_use_cases)}
        if reason is DpoReason.DPIA
        else str(DPO_REASONS[reason])
        for reason in check.reasons
    ]
