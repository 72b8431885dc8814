"""Compliance: AI Act classification, GDPR screening, AI register, AI literacy, DPO."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="compliance",
    order=60,
    app="startklar.compliance",
    urls="startklar.compliance.urls",
    url_prefix="compliance/",
    cli="startklar.compliance.cli:register",
    demo="startklar.compliance.demo:seed",
    module="startklar.compliance.journey:module",
    imported="startklar.compliance.services:restore_results",
)
