"""What the pilots add to the navigation, the overview and a use case's journey."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from startklar.core.modules import Module


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="pilots",
        label=gettext_lazy("Pilots"),
        description=gettext_lazy(
            "Does it work? KPIs against baseline and target, human review of the AI's output, "
            "and the decision to scale on the evidence."
        ),
        url_name="pilots:list",
        icon="flag",
        order=50,
    )
