"""Pilots: KPIs against baseline and target, and the evidence-based decision to scale."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="pilots",
    order=70,
    app="startklar.pilots",
    urls="startklar.pilots.urls",
    url_prefix="pilots/",
    api="startklar.pilots.api:router",
    cli="startklar.pilots.cli:register",
    demo="startklar.pilots.demo:seed",
    module="startklar.pilots.journey:module",
    # after an archive import: the KPIs' figures worked out from their measurements
    imported="startklar.pilots.services:restore_results",
)
