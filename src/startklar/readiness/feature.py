"""Readiness check (Reifegrad): rounds, answers, results, hurdles and first steps."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="readiness",
    order=30,
    app="startklar.readiness",
    urls="startklar.readiness.urls",
    url_prefix="readiness/",
    cli="startklar.readiness.cli:register",
    demo="startklar.readiness.demo:seed",
    module="startklar.readiness.journey:module",
)
