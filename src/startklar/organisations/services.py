"""Every write to organisations, memberships and invitations goes through these functions.

Each runs in one transaction, so a failed step leaves nothing half-saved. Rule violations raise
:class:`MembershipError` or :class:`InvitationUnavailable` with a message fit for the user.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from startklar.accounts.models import User
from startklar.accounts.queries import has_two_factor

from . import archive, audit, personal_data, queries, tokens
from .models import ApiToken, AuditAction, Invitation, Membership, Organisation, Role, TokenScope
from .tasks import send_deletion_notice, send_invitation_email
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


RESERVED_SLUGS = frozenset({"new", "import"})  # pages under /o/ that are no organisation


def unique_slug(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "organisation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
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
    audit.record_for(organisation, owner, AuditAction.CREATED, organisation)
    return organisation


@transaction.atomic
def update_profile(tenant: Tenant, profile: dict[str, Any]) -> Organisation:
    organisation = tenant.organisation
    before = audit.snapshot(organisation, PROFILE_FIELDS)
    for field in PROFILE_FIELDS:
        setattr(organisation, field, profile[field])
    organisation.full_clean()
    organisation.save(update_fields=list(PROFILE_FIELDS))
    summary = audit.changes(organisation, before)
    if summary is not None:
        audit.record(tenant, AuditAction.CHANGED, organisation, summary=summary)
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
    role_label = Role(role).label
    audit.record(
        tenant,
        AuditAction.INVITED,
        invitation,
        label=email,
        summary=lambda: _("Invited as %(role)s") % {"role": role_label},
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
    tenant.require(invitation)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(tenant, AuditAction.INVITATION_REVOKED, invitation, label=invitation.email)


class ApiTokenError(Exception):
    """An API token that cannot be created (e.g. not an owner, or too many)."""


MAX_OPEN_API_TOKENS = 50  # per organisation: far more than integrations an SME runs


@transaction.atomic
def create_api_token(tenant: Tenant, name: str, scope: TokenScope) -> tuple[ApiToken, str]:
    """A new API token of the organisation, made by an owner; returns it with its secret.

    Only the secret's hash is stored, so the secret is returned (and shown) this once."""
    if not tenant.is_owner or tenant.token is not None:
        raise ApiTokenError(_("Only owners can create API tokens."))
    open_tokens = tenant.scoped(ApiToken.objects).filter(revoked_at__isnull=True)
    if open_tokens.count() >= MAX_OPEN_API_TOKENS:
        raise ApiTokenError(
            _("This organisation has %(count)d API tokens; please revoke unused ones first.")
            % {"count": MAX_OPEN_API_TOKENS}
        )
    secret = tokens.new_secret()
    token = ApiToken(
        organisation=tenant.organisation,
        name=name,
        scope=TokenScope(scope),
        token_hash=tokens.token_hash(secret),
        prefix=tokens.visible_prefix(secret),
        created_by=tenant.membership.user,
    )
    token.full_clean()
    token.save()
    scope_label = TokenScope(scope).label
    audit.record(
        tenant,
        AuditAction.API_TOKEN_CREATED,
        token,
        summary=lambda: _("Rights: %(scope)s") % {"scope": scope_label},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(tenant: Tenant, token: ApiToken) -> bool:
    """Revoke a token at once (owners only); returns whether it was still open."""
    tenant.require(token)
    if not tenant.is_owner or tenant.token is not None:
        raise ApiTokenError(_("Only owners can revoke API tokens."))
    revoked = (
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=tenant.membership.user
        )
        > 0
    )
    if revoked:
        token.refresh_from_db()
        audit.record(tenant, AuditAction.API_TOKEN_REVOKED, token)
    return revoked


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
    role_label = Role(invitation.role).label
    audit.record_for(
        invitation.organisation,
        user,
        AuditAction.JOINED,
        membership,
        label=user.display_name,
        summary=lambda: _("Joined as %(role)s") % {"role": role_label},
    )
    return membership


def has_account(email: str) -> bool:
    """Whether ``email`` signs in to an account here (an archive's placeholder does not)."""
    user = User.objects.filter(email__iexact=email).first()
    return user is not None and claimable_account(email) is None


def claimable_account(email: str) -> User | None:
    """The inactive, password-less account an archive import made for ``email``, if any."""
    user = User.objects.filter(email__iexact=email, is_active=False).first()
    return user if user is not None and not user.has_usable_password() else None


@transaction.atomic
def create_account_and_accept(token: str, full_name: str, password: str) -> tuple[User, Membership]:
    """Sign up with the invited address and join in one step. An inactive account of that
    address (made by an archive import for a person's answers and votes) becomes theirs."""
    invitation = find_invitation(token)
    placeholder = claimable_account(invitation.email)
    if placeholder is not None:
        placeholder.full_name = full_name
        placeholder.is_active = True
        placeholder.set_password(password)
        placeholder.save(update_fields=["full_name", "is_active", "password"])
        return placeholder, accept_invitation(token, placeholder)
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
    tenant.require(membership)
    demoted = membership.role == Role.OWNER and role != Role.OWNER
    if demoted and _owners_left_without(tenant, membership) == 0:
        raise MembershipError(
            _("The last owner cannot be demoted. Make another member owner first.")
        )
    if membership.role == role:
        return membership
    old, new = Role(membership.role).label, Role(role).label
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        tenant,
        AuditAction.ROLE_CHANGED,
        membership,
        label=membership.user.display_name,
        summary=lambda: _("From %(old)s to %(new)s") % {"old": old, "new": new},
    )
    return membership


@transaction.atomic
def remove_member(tenant: Tenant, membership: Membership) -> None:
    """An owner removes a member (or themself); the last owner cannot go."""
    tenant.require(membership)
    if membership.role == Role.OWNER and _owners_left_without(tenant, membership) == 0:
        raise MembershipError(
            _("The last owner cannot be removed. Make another member owner first.")
        )
    leaving = membership.user_id == tenant.membership.user_id
    action = AuditAction.LEFT if leaving else AuditAction.MEMBER_REMOVED
    audit.record(tenant, action, membership, label=membership.user.display_name)
    membership.delete()


@transaction.atomic
def leave(tenant: Tenant) -> None:
    """A member leaves the organisation on their own; the last owner must hand over first."""
    remove_member(tenant, tenant.membership)


@transaction.atomic
def export_audit_log(tenant: Tenant, filters: dict[str, Any]) -> bytes:
    """The audit log (with the page's filters) as an Excel file; the export is logged too."""
    form = queries.audit_filters(tenant, filters)
    events = queries.audit_events(tenant, form)
    rows = queries.audit_rows(events.iterator(), translation.get_language() or "de")
    audit.record(
        tenant,
        AuditAction.EXPORTED,
        tenant.organisation,
        summary=lambda: _("Audit log, %(count)d entries") % {"count": len(rows)},
    )
    return audit.workbook(rows)


# Deleting an organisation -------------------------------------------------------------------


class DeletionError(Exception):
    """A deletion step the rules do not allow; the message is for the user."""


@transaction.atomic
def request_deletion(tenant: Tenant, confirmation: str, link: str) -> Organisation:
    """An owner asks to delete the organisation. Nothing is deleted yet: for
    ``STARTKLAR_DELETION_GRACE_DAYS`` the organisation is read-only and any owner can take the
    request back (the other owners are told by e-mail, with ``link`` to the page where they can);
    then the worker's housekeeping deletes it with everything it owns."""
    organisation = Organisation.objects.select_for_update().get(pk=tenant.organisation.pk)
    if " ".join(confirmation.split()).casefold() != " ".join(organisation.name.split()).casefold():
        raise DeletionError(
            _("Please type the name of the organisation exactly as shown to confirm.")
        )
    if organisation.deletion_due_at is not None:
        return organisation
    now = timezone.now()
    organisation.deletion_requested_at = now
    organisation.deletion_requested_by = tenant.membership.user
    organisation.deletion_due_at = now + timedelta(days=settings.STARTKLAR_DELETION_GRACE_DAYS)
    organisation.save(
        update_fields=["deletion_requested_at", "deletion_requested_by", "deletion_due_at"]
    )
    due = organisation.deletion_due_at
    audit.record(
        tenant,
        AuditAction.DELETION_REQUESTED,
        organisation,
        summary=lambda: _("To be deleted on %(date)s") % {"date": formats.date_format(due)},
    )
    owners = list(
        Membership.objects.filter(organisation=organisation, role=Role.OWNER)
        .exclude(user=tenant.membership.user)
        .values_list("user__email", flat=True)
    )
    if owners:
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(
            lambda: send_deletion_notice.enqueue(organisation.pk, owners, link, language)
        )
    tenant.organisation.deletion_requested_at = organisation.deletion_requested_at
    tenant.organisation.deletion_due_at = organisation.deletion_due_at
    return organisation


@transaction.atomic
def cancel_deletion(tenant: Tenant) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=tenant.organisation.pk)
    if organisation.deletion_due_at is None:
        return organisation
    organisation.deletion_requested_at = None
    organisation.deletion_requested_by = None
    organisation.deletion_due_at = None
    organisation.save(
        update_fields=["deletion_requested_at", "deletion_requested_by", "deletion_due_at"]
    )
    audit.record(tenant, AuditAction.DELETION_CANCELLED, organisation)
    tenant.organisation.deletion_requested_at = None
    tenant.organisation.deletion_due_at = None
    return organisation


@transaction.atomic
def delete_organisation(organisation: Organisation) -> None:
    """Delete the organisation and everything it owns (use cases, rounds, business cases,
    register, literacy records, members, invitations, its audit log). One entry outside any
    organisation keeps that it was deleted, when, and on whose request."""
    requested_by = organisation.deletion_requested_by
    requested_at = organisation.deletion_requested_at
    audit.record_for(
        None,
        requested_by,
        AuditAction.ORGANISATION_DELETED,
        organisation,
        summary=(
            (lambda: _("Requested on %(date)s") % {"date": formats.date_format(requested_at)})
            if requested_at is not None
            else None
        ),
    )
    organisation.delete()


def delete_due_organisations(now: datetime | None = None) -> list[str]:
    """Delete every organisation whose grace period is over; returns their names."""
    now = now or timezone.now()
    deleted = []
    for organisation in Organisation.objects.filter(deletion_due_at__lte=now):
        delete_organisation(organisation)
        deleted.append(organisation.name)
    return deleted


# Data out and in -------------------------------------------------------------------------------


@transaction.atomic
def export_archive(tenant: Tenant) -> bytes:
    """Everything the organisation owns as one archive (:mod:`.archive`); the export is logged."""
    content = archive.build(tenant)
    audit.record(
        tenant,
        AuditAction.EXPORTED,
        tenant.organisation,
        summary=lambda: _("All data of the organisation as an archive"),
    )
    return content


@transaction.atomic
def import_archive(user: User, file: BinaryIO) -> archive.ImportResult:
    """A new organisation from an archive, owned by ``user``; nothing is saved if it fails."""
    data = archive.read(file)

    def create(owner: User, profile: dict[str, Any]) -> Organisation:
        try:
            organisation = create_organisation(owner, profile)
        except ValidationError as error:
            raise archive.ArchiveError(
                [" ".join(m) for m in error.message_dict.values()]
            ) from error
        except MembershipError as error:
            raise archive.ArchiveError([str(error)]) from error
        if profile.get("require_two_factor"):
            organisation.require_two_factor = True
            organisation.save(update_fields=["require_two_factor"])
        return organisation

    return archive.import_archive(data, user, create)


# People's own data -----------------------------------------------------------------------------


@transaction.atomic
def export_personal_data(user: User) -> dict[str, Any]:
    """What Startklar holds about ``user`` (GDPR Art. 15 and 20); logged in each organisation."""
    data = personal_data.collect(user)
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        audit.record_for(
            membership.organisation,
            user,
            AuditAction.EXPORTED,
            membership,
            label=user.display_name,
            summary=lambda: _("Own personal data"),
        )
    return data


class AccountDeletionError(Exception):
    """The account cannot be deleted yet; the message says what to do first."""


@dataclass(frozen=True)
class AccountDeletion:
    """What deleting an account means, for its confirmation page."""

    blocking: tuple[Organisation, ...]  # sole owner while others are members: hand over first
    deleted_with: tuple[Organisation, ...]  # organisations where the person is the only member
    kept_in: tuple[Organisation, ...]  # organisations the person leaves


def account_deletion(user: User) -> AccountDeletion:
    blocking, deleted_with, kept_in = [], [], []
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        organisation = membership.organisation
        others = Membership.objects.filter(organisation=organisation).exclude(user=user)
        if not others.exists():
            deleted_with.append(organisation)
        elif membership.role == Role.OWNER and not others.filter(role=Role.OWNER).exists():
            blocking.append(organisation)
        else:
            kept_in.append(organisation)
    return AccountDeletion(tuple(blocking), tuple(deleted_with), tuple(kept_in))


@transaction.atomic
def delete_account(user: User, password: str) -> AccountDeletion:
    """Delete ``user``'s account for good (GDPR Art. 17).

    Organisations where they are the only member go with it; where they are the only owner of
    others, they must hand over first. Their votes go; their readiness answers stay with the
    round without their name; the audit log keeps what happened without naming them.
    """
    if not user.check_password(password):
        raise AccountDeletionError(_("The password is not correct."))
    plan = account_deletion(user)
    if plan.blocking:
        raise AccountDeletionError(
            _("Make another member owner of %(names)s first, or delete it.")
            % {"names": ", ".join(o.name for o in plan.blocking)}
        )
    for organisation in plan.deleted_with:
        organisation.deletion_requested_by = user
        delete_organisation(organisation)
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        audit.record_for(
            membership.organisation,
            user,
            AuditAction.LEFT,
            membership,
            summary=lambda: _("Account deleted"),
        )
        audit.forget_object(membership)
    audit.forget_actor(user)
    personal_data.forget_sign_in_traces(user)
    user.delete()
    return plan
