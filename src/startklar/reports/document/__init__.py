"""The management report as one PDF (issue 15, point 5).

``build(tenant, language)`` returns the PDF; ``gather(tenant, language, today)`` the
:class:`~.model.Report` it prints (frozen dataclasses with every text and figure as printed),
so tests compare the pages' numbers with it. Sections: ``gather.SECTIONS``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from startklar.organisations.tenancy import Tenant

from .gather import content_versions as _content_versions
from .gather import gather_report
from .model import Report
from .render import pdf

__all__ = ["Report", "build", "content_versions", "gather"]


def gather(tenant: Tenant, language: str, today: datetime.date | None = None) -> Report:
    """Everything the report prints, in ``language`` ("de" or "en")."""
    with translation.override(language):
        return gather_report(tenant, language, today or timezone.localdate())


def build(tenant: Tenant, language: str, *, today: datetime.date | None = None) -> bytes:
    """The management report of ``tenant``'s organisation as PDF, in ``language``."""
    report = gather(tenant, language, today)
    with translation.override(language):
        return pdf(report)


def content_versions(tenant: Tenant, language: str) -> dict[str, str]:
    """The content versions the report uses (question bank, criteria, calculation, rule base,
    roadmap rules), by key; the same in every language."""
    with translation.override(language):
        return _content_versions(tenant)
