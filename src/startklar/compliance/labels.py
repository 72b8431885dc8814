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
# Why the screening came to its verdict (the EDPB's counting, the DSK list), under the badge.
DPIA_REASONS = Labels(
    DpiaVerdict,
    {
        DpiaVerdict.REQUIRED: _(
            "The processing is on the German DSK list of processing that always needs a data "
            "protection impact assessment (Art. 35 (4) GDPR)."
        ),
        DpiaVerdict.PROBABLY_REQUIRED: _(
            "Two or more of the EDPB's nine criteria are met: as a rule, a data protection "
            "impact assessment is then required (Art. 35 (1) GDPR)."
        ),
        DpiaVerdict.THRESHOLD: _(
            "One EDPB criterion is met – using AI on personal data already counts as an "
            "innovative technology. One criterion alone does not usually require a DPIA: record "
            "in a short threshold assessment why the processing is unlikely to result in a high "
            "risk, and repeat it when the use changes."
        ),
        DpiaVerdict.NOT_REQUIRED: _("No personal data are processed, so no DPIA is needed."),
        DpiaVerdict.UNCLEAR: _(
            "Whether personal data are processed is still open; the screening needs that answer "
            "first."
        ),
    },
    primary=False,
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
