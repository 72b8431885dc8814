"""The management report in the navigation (no steps of its own: it reports on the others)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from startklar.core.modules import Module


def module() -> Module:
    """This feature in the navigation (``feature.py`` refers to it)."""
    return Module(
        key="reports",
        label=gettext_lazy("Report"),
        description=gettext_lazy(
            "One PDF for the board: where the company stands, the focus set with its business "
            "cases, compliance, pilots and the next steps; made in the background, kept with "
            "its date."
        ),
        url_name="reports:list",
        icon="file-earmark-pdf",
        order=90,
    )
