"""Organisations: tenants, members and roles, invitations, audit log, data out and in."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="organisations",
    order=20,
    app="startklar.organisations",
    urls="startklar.organisations.urls",
    url_prefix="",
    org_scoped=False,  # its URL module holds the organisation pages and the ones before it
    api="startklar.organisations.api:router",
    demo="startklar.organisations.demo:seed",
)
