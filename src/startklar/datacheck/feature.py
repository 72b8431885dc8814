"""Data check: the company's exports (CSV, Excel) profiled in seconds – German formats, gaps,
duplicates, personal data – and, per use case, whether the data is ready."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="datacheck",
    order=62,
    app="startklar.datacheck",
    urls="startklar.datacheck.urls",
    url_prefix="data-check/",
    cli="startklar.datacheck.cli:register",
    demo="startklar.datacheck.demo:seed",
    module="startklar.datacheck.journey:module",
    # checks whose worker did not finish within the lease failed; files left over deleted
    housekeeping="startklar.datacheck.services:housekeeping",
)
