"""Management report: one PDF for the board, made by a background worker and kept with its date."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="reports",
    order=90,
    app="startklar.reports",
    urls="startklar.reports.urls",
    url_prefix="reports/",
    cli="startklar.reports.cli:register",
    demo="startklar.reports.demo:seed",
    module="startklar.reports.journey:module",
    # after an archive import: runs that were under way where the archive was made never finish
    imported="startklar.reports.services:settle_imported",
    # runs whose worker did not finish within the lease, written down as failed
    housekeeping="startklar.reports.services:housekeeping",
)
