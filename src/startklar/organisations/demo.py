"""The demo company's organisation: founded by its owner, colleagues in their roles, one
invitation not accepted yet, a little over a year ago; one API token for the ERP (only its hash
is stored, so its secret is nowhere – the demo shows a token as it is listed later)."""

from __future__ import annotations

from django.urls import reverse

from startklar.accounts.models import User
from startklar.core.demo import FOUNDED_DAYS_AGO, DemoCompany, days_ago

from . import services
from .models import ApiToken, Membership, Organisation, Role, TokenScope
from .tenancy import Tenant


def seed(company: DemoCompany) -> None:
    """Found the company (or find it already built: then ``company.existing``)."""
    existing = Organisation.objects.filter(slug=company.slug).first()
    if existing is not None:
        company.organisation, company.existing = existing, True
        return
    owner = User.objects.filter(email=company.owner_email).first() or User.objects.create_user(
        company.owner_email, company.owner_password, full_name=company.owner_name
    )
    organisation = services.create_organisation(owner, company.profile, slug=company.slug)
    for email, name, role in company.colleagues:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, full_name=name
        )
        Membership.objects.get_or_create(organisation=organisation, user=user, role=Role(role))
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    company.people = {m.user.email: m for m in members}
    company.organisation = organisation
    company.owner = Tenant(organisation, company.people[company.owner_email])
    services.invite_member(
        company.owner,
        company.invitation,
        Role.VIEWER,
        link_for=lambda token: reverse("organisations:invitation", args=[token]),
    )
    token, _secret = services.create_api_token(
        company.owner, "ERP (Kennzahlen-Import)", TokenScope.WRITE
    )
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=days_ago(30, hour=10), last_used_at=days_ago(1, hour=6)
    )
    founded = days_ago(FOUNDED_DAYS_AGO, hour=8)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=founded)
    Membership.objects.filter(organisation=organisation).update(created_at=founded)
    organisation.refresh_from_db()
