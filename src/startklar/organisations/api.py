"""JSON API of the organisations feature."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from startklar.accounts.models import User
from startklar.accounts.queries import has_two_factor
from startklar.core.api import ORGANISATION_ERRORS, SIGNED_IN_ERRORS

from . import queries
from .engine import SizeClass
from .models import Role
from .tenancy import Tenant, resolve_tenant
from .tokens import API_AUTH

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    industry: str
    headcount: int
    annual_turnover: Decimal
    balance_sheet_total: Decimal
    size_class: SizeClass
    role: Role


class MemberOut(Schema):
    email: str
    name: str
    role: Role


def _out(tenant: Tenant) -> OrganisationOut:
    organisation = tenant.organisation
    return OrganisationOut(
        slug=organisation.slug,
        name=organisation.name,
        industry=organisation.industry,
        headcount=organisation.headcount,
        annual_turnover=organisation.annual_turnover,
        balance_sheet_total=organisation.balance_sheet_total,
        size_class=organisation.size.size_class,
        role=tenant.role,
    )


@router.get("/organisations", response={200: list[OrganisationOut], **SIGNED_IN_ERRORS})
def my_organisations(request: HttpRequest) -> list[OrganisationOut]:
    """The person's organisations; one that requires two-factor sign-in is left out until the
    person has set it up (``/o/{org_slug}/`` answers 403 and says so)."""
    assert isinstance(request.user, User)
    two_factor = has_two_factor(request.user)
    return [
        _out(Tenant(organisation=m.organisation, membership=m))
        for m in queries.memberships_of(request.user)
        if two_factor or not m.organisation.require_two_factor
    ]


@router.get("/o/{org_slug}/", response={200: OrganisationOut, **ORGANISATION_ERRORS}, auth=API_AUTH)
def organisation(request: HttpRequest, org_slug: str) -> OrganisationOut:
    """The organisation's profile and size class, and the role the request acts with (with an
    API token: its creator's). A quick way to check a token works.

    Profil und Größenklasse der Organisation und die Rolle, mit der die Anfrage handelt (mit
    einem API-Token: die der Person, die ihn angelegt hat). So lässt sich ein Token prüfen."""
    return _out(resolve_tenant(request, org_slug, write_role=Role.EDITOR))


@router.get("/o/{org_slug}/members", response={200: list[MemberOut], **ORGANISATION_ERRORS})
def members(request: HttpRequest, org_slug: str) -> list[MemberOut]:
    tenant = resolve_tenant(request, org_slug, write_role=Role.EDITOR)
    return [
        MemberOut(email=m.user.email, name=m.user.display_name, role=m.role_enum)
        for m in queries.members(tenant)
    ]
