"""Every write to organisations, memberships and invitations goes through these functions.

Each runs in one transaction, so a failed step leaves nothing half-saved. Rule violations raise
:class:`MembershipError` or :class:`InvitationUnavailable` with a message fit for the user.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from startklar.accounts.models import User
from startklar.accounts.queries import has_two_factor

from . import audit
from .models import AuditAction, Invitation, Membership, Organisation, Role
from .tasks import send_invitation_email
from .tenancy import Tenant

PROFILE_FIELDS = ("name", "industry", "headcount", "annual_turnover", "balance_sheet_total")


class MembershipError(Exception):
    """A change to the members that the rules do not allow (e.g. removing the last owner)."""


class InvitationProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    WRONG_ACCOUNT = "wrong_account"  # signed in with another address than the invited one
    ALREADY_MEMBER = "already_member"  # an invitation never changes an existing member's role


class InvitationUnavailable(Exception):
    def __init__(self, problem: InvitationProblem, invitation: Invitation | None = None):
        super().__init__(problem.value)
        self.problem = problem
        self.invitation = invitation


def unique_slug(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(
    owner: User, profile: dict[str, Any], slug: str | None = None
) -> Organisation:
    """A new organisation with ``owner`` as its first owner; at most
    ``STARTKLAR_ORGANISATIONS_PER_DAY`` a day per person (each can send invitations)."""
    recent = Membership.objects.filter(
        user=owner, role=Role.OWNER, created_at__gte=timezone.now() - timedelta(days=1)
    )
    if recent.count() >= settings.STARTKLAR_ORGANISATIONS_PER_DAY:
        raise MembershipError(
            _("You have created %(count)d organisations today; please try again tomorrow.")
            % {"count": settings.STARTKLAR_ORGANISATIONS_PER_DAY}
        )
    organisation = Organisation(slug=slug or unique_slug(profile["name"]))
    for field in PROFILE_FIELDS:
        setattr(organisation, field, profile[field])
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=owner, role=Role.OWNER)
    return organisation


@transaction.atomic
def update_profile(tenant: Tenant, profile: dict[str, Any]) -> Organisation:
    organisation = tenant.organisation
    for field in PROFILE_FIELDS:
        setattr(organisation, field, profile[field])
    organisation.full_clean()
    organisation.save(update_fields=list(PROFILE_FIELDS))
    return organisation


class TwoFactorRequirementError(Exception):
    """Two-factor sign-in cannot be required (the owner has not switched it on themself)."""


@transaction.atomic
def set_two_factor_requirement(tenant: Tenant, required: bool) -> bool:
    """Require two-factor sign-in of every member, or stop requiring it; returns whether
    anything changed. Only an owner who uses it themself may switch it on."""
    organisation = Organisation.objects.select_for_update().get(pk=tenant.organisation.pk)
    if organisation.require_two_factor == required:
        return False
    if required and not has_two_factor(tenant.membership.user):
        raise TwoFactorRequirementError(
            _(
                "Please switch on two-factor sign-in for your own account first (on your "
                "account page); only then can you require it of all members."
            )
        )
    organisation.require_two_factor = required
    organisation.save(update_fields=["require_two_factor"])
    tenant.organisation.require_two_factor = required
    audit.record(
        tenant,
        AuditAction.CHANGED,
        organisation,
        summary=lambda: (
            _("Two-factor sign-in is now required of all members")
            if required
            else _("Two-factor sign-in is no longer required")
        ),
    )
    return True


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_member(
    tenant: Tenant, email: str, role: Role, link_for: Callable[[str], str]
) -> tuple[Invitation, str]:
    """Create an invitation and send its link by e-mail; returns it with the link.

    The link holds a random token; only its hash is stored, so the link is shown once.
    """
    email = email.strip().lower()
    if tenant.scoped(Membership.objects).filter(user__email__iexact=email).exists():
        raise MembershipError(_("%(email)s is already a member.") % {"email": email})
    _check_invitation_limits(tenant, email)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=tenant.organisation,
        email=email,
        role=role,
        token_hash=_hash(token),
        invited_by=tenant.membership.user,
        expires_at=timezone.now() + timedelta(days=settings.STARTKLAR_INVITATION_DAYS),
    )
    link = link_for(token)
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk, link, language))
    return invitation, link


def _check_invitation_limits(tenant: Tenant, email: str) -> None:
    """Invitations are e-mails to any address: at most ``STARTKLAR_INVITATIONS_PER_DAY`` per
    organisation and ``STARTKLAR_INVITATIONS_PER_ADDRESS`` to one address (from all
    organisations) within a day."""
    since = timezone.now() - timedelta(days=1)
    recent = Invitation.objects.filter(created_at__gte=since)
    if recent.filter(organisation=tenant.organisation).count() >= (
        settings.STARTKLAR_INVITATIONS_PER_DAY
    ):
        raise MembershipError(
            _("This organisation has sent %(count)d invitations today; please try again tomorrow.")
            % {"count": settings.STARTKLAR_INVITATIONS_PER_DAY}
        )
    if recent.filter(email=email).count() >= settings.STARTKLAR_INVITATIONS_PER_ADDRESS:
        raise MembershipError(
            _("%(email)s has received several invitations today; please try again tomorrow.")
            % {"email": email}
        )


@transaction.atomic
def revoke_invitation(tenant: Tenant, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, if it can still be accepted."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnavailable(InvitationProblem.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnavailable(InvitationProblem.USED, invitation)
    if invitation.revoked_at is not None:
        raise InvitationUnavailable(InvitationProblem.REVOKED, invitation)
    if invitation.is_expired:
        raise InvitationUnavailable(InvitationProblem.EXPIRED, invitation)
    return invitation


def check_invitee(invitation: Invitation, user: User) -> None:
    """Only the invited address may accept, and only to join: a link found in someone else's
    mail does not work for another account, and an existing member's role is changed by an
    owner on the members page, never by an invitation."""
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise InvitationUnavailable(InvitationProblem.WRONG_ACCOUNT, invitation)
    if Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
        raise InvitationUnavailable(InvitationProblem.ALREADY_MEMBER, invitation)


@transaction.atomic
def accept_invitation(token: str, user: User) -> Membership:
    """Make ``user`` – the invited address – a member with the invited role; a link works once."""
    invitation = find_invitation(token)
    # Lock the row so two simultaneous clicks cannot both use the link.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationUnavailable(InvitationProblem.USED, invitation)
    check_invitee(invitation, user)
    membership = Membership.objects.create(
        organisation=invitation.organisation, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def create_account_and_accept(token: str, full_name: str, password: str) -> tuple[User, Membership]:
    """Sign up with the invited address and join in one step."""
    invitation = find_invitation(token)
    user = User.objects.create_user(invitation.email, password, full_name=full_name)
    return user, accept_invitation(token, user)


def _owners_left_without(tenant: Tenant, membership: Membership) -> int:
    owners = (
        tenant.scoped(Membership.objects)
        .select_for_update()
        .filter(role=Role.OWNER)
        .exclude(pk=membership.pk)
    )
    return len(owners)


@transaction.atomic
def change_role(tenant: Tenant, membership: Membership, role: Role) -> Membership:
    demoted = membership.role == Role.OWNER and role != Role.OWNER
    if demoted and _owners_left_without(tenant, membership) == 0:
        raise MembershipError(
            _("The last owner cannot be demoted. Make another member owner first.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(tenant: Tenant, membership: Membership) -> None:
    if membership.role == Role.OWNER and _owners_left_without(tenant, membership) == 0:
        raise MembershipError(
            _("The last owner cannot be removed. Make another member owner first.")
        )
    membership.delete()
