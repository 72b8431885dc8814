"""Reads for the organisations feature: what the pages and the API show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from startklar.accounts.models import User
from startklar.accounts.queries import confirmed_authenticators, has_two_factor, with_two_factor
from startklar.core.modules import (
    Action,
    Headline,
    Module,
    Notice,
    Step,
    built_modules,
    journey,
    next_step,
)

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
    """The members, each with ``two_factor``: whether their sign-in asks for a code."""
    return (
        tenant.scoped(Membership.objects)
        .select_related("user")
        .annotate(two_factor=confirmed_authenticators())
        .order_by("user__full_name", "user__email")
    )


@dataclass(frozen=True)
class Security:
    """The "Security" section of the members page (owners only)."""

    two_factor_required: bool
    member_count: int
    members_with_two_factor: int
    you_have_two_factor: bool

    @property
    def members_without_two_factor(self) -> int:
        return self.member_count - self.members_with_two_factor


def security(tenant: Tenant) -> Security:
    people = User.objects.filter(memberships__organisation=tenant.organisation)
    return Security(
        two_factor_required=tenant.organisation.require_two_factor,
        member_count=people.count(),
        members_with_two_factor=with_two_factor(people).count(),
        you_have_two_factor=has_two_factor(tenant.membership.user),
    )


def open_invitations(tenant: Tenant) -> QuerySet[Invitation]:
    return (
        tenant.scoped(Invitation.objects)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class FocusRow:
    """A use case of the focus set with its figures and its next step."""

    use_case: Any
    values: dict[str, str]  # step key → short figure (e.g. "business_case" → "59.023 €")
    next_step: Step | None


@dataclass(frozen=True)
class Overview:
    """ "Wo stehen wir, was ist als Nächstes dran?" """

    tenant: Tenant
    size: SizeAssessment
    member_count: int
    role_counts: dict[Role, int]
    open_invitation_count: int
    modules: tuple[Module, ...]
    headlines: tuple[Headline, ...]
    focus: tuple[FocusRow, ...]
    notices: tuple[Notice, ...]
    first_steps: tuple[Action, ...]  # what an empty organisation does first


def overview(tenant: Tenant) -> Overview:
    roles = Counter(Role(r) for r in members(tenant).values_list("role", flat=True))
    modules = built_modules()
    headlines = tuple(h for m in modules if m.headline for h in [m.headline(tenant)] if h)
    focus_cases = [uc for m in modules if m.focus for uc in m.focus(tenant)]
    steps = journey(tenant, focus_cases)
    focus = tuple(
        FocusRow(
            use_case=uc,
            values={s.key: s.value for s in steps[uc.pk] if s.value},
            next_step=next_step(steps[uc.pk]),
        )
        for uc in focus_cases
    )
    return Overview(
        tenant=tenant,
        size=tenant.organisation.size,
        member_count=sum(roles.values()),
        role_counts={role: roles.get(role, 0) for role in reversed(Role)},
        open_invitation_count=open_invitations(tenant).count(),
        modules=modules,
        headlines=headlines,
        focus=focus,
        notices=tuple(n for m in modules if m.notices for n in m.notices(tenant)),
        first_steps=tuple(a for m in modules if m.start for a in [m.start(tenant)] if a),
    )
