"""Reads for the organisations feature: what the pages and the API show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from startklar.accounts.models import User
from startklar.core.modules import Module, built_modules

from .engine import SizeAssessment
from .models import Invitation, Membership, Role
from .tenancy import Tenant


def memberships_of(user: User) -> QuerySet[Membership]:
    """The organisations a user belongs to, for the switcher and the list page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def members(tenant: Tenant) -> QuerySet[Membership]:
    return (
        tenant.scoped(Membership.objects)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def open_invitations(tenant: Tenant) -> QuerySet[Invitation]:
    return (
        tenant.scoped(Invitation.objects)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class Overview:
    tenant: Tenant
    size: SizeAssessment
    member_count: int
    role_counts: dict[Role, int]
    open_invitation_count: int
    modules: tuple[tuple[Module, str], ...]  # each with what waits for the member there


def overview(tenant: Tenant) -> Overview:
    roles = Counter(Role(r) for r in members(tenant).values_list("role", flat=True))
    return Overview(
        tenant=tenant,
        size=tenant.organisation.size,
        member_count=sum(roles.values()),
        role_counts={role: roles.get(role, 0) for role in reversed(Role)},
        open_invitation_count=open_invitations(tenant).count(),
        modules=tuple((m, m.attention(tenant) if m.attention else "") for m in built_modules()),
    )
