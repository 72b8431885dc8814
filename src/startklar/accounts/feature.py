"""Accounts: people who sign in, passwords, two-factor sign-in, the account page."""

from startklar.core.features import Feature

FEATURE = Feature(
    key="accounts",
    order=10,
    app="startklar.accounts",
    urls="startklar.accounts.urls",
    url_prefix="accounts/",
    org_scoped=False,
)
