"""Writes to organisations, memberships and invitations, and the rules they keep."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations import services
from startklar.organisations.models import Invitation, Membership, NaceSection, Organisation, Role
from startklar.organisations.services import InvitationProblem, InvitationUnavailable
from startklar.testing import add_member, make_user, tenant_of

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Holz & Form GmbH",
    "industry": NaceSection.C,
    "headcount": 12,
    "annual_turnover": Decimal("1500000"),
    "balance_sheet_total": Decimal("900000"),
}


def invite(owner: User, organisation: Organisation, email: str, role: Role = Role.EDITOR) -> str:
    _invitation, link = services.invite_member(
        tenant_of(owner, organisation), email, role, link_for=lambda token: token
    )
    return link


def test_creator_becomes_the_first_owner_and_the_slug_is_unique() -> None:
    user = make_user()
    first = services.create_organisation(user, PROFILE)
    second = services.create_organisation(user, PROFILE)
    assert first.slug == "holz-form-gmbh"
    assert second.slug == "holz-form-gmbh-2"
    assert Membership.objects.get(organisation=first, user=user).role == Role.OWNER


def test_invalid_profile_saves_nothing() -> None:
    user = make_user()
    with pytest.raises(ValidationError):
        services.create_organisation(user, {**PROFILE, "headcount": -5})
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_invitation_is_mailed_and_accepting_it_adds_the_member(
    owner: User, organisation: Organisation, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        token = invite(owner, organisation, "New.Person@Example.com", Role.VIEWER)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert token in mail.outbox[0].body
    stored = Invitation.objects.get()
    assert token not in stored.token_hash  # only a hash is stored

    newcomer = make_user("new.person@example.com")
    membership = services.accept_invitation(token, newcomer)
    assert membership.role == Role.VIEWER
    assert membership.organisation == organisation


def test_an_invitation_link_works_only_once(owner: User, organisation: Organisation) -> None:
    token = invite(owner, organisation, "a@example.com")
    services.accept_invitation(token, make_user("a@example.com"))
    with pytest.raises(InvitationUnavailable) as caught:
        services.accept_invitation(token, make_user("b@example.com"))
    assert caught.value.problem is InvitationProblem.USED
    assert Membership.objects.filter(organisation=organisation).count() == 2


def test_expired_and_revoked_invitations_cannot_be_accepted(
    owner: User, organisation: Organisation
) -> None:
    expired = invite(owner, organisation, "late@example.com")
    Invitation.objects.filter(email="late@example.com").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked = invite(owner, organisation, "gone@example.com")
    services.revoke_invitation(
        tenant_of(owner, organisation), Invitation.objects.get(email="gone@example.com")
    )
    for token, problem in [
        (expired, InvitationProblem.EXPIRED),
        (revoked, InvitationProblem.REVOKED),
    ]:
        with pytest.raises(InvitationUnavailable) as caught:
            services.accept_invitation(token, make_user())
        assert caught.value.problem is problem
    with pytest.raises(InvitationUnavailable) as caught:
        services.find_invitation("not-a-token")
    assert caught.value.problem is InvitationProblem.UNKNOWN


def test_inviting_an_existing_member_is_refused(
    owner: User, editor: User, organisation: Organisation
) -> None:
    with pytest.raises(services.MembershipError):
        invite(owner, organisation, editor.email.upper())
    assert not Invitation.objects.exists()


def test_only_the_invited_address_can_accept(owner: User, organisation: Organisation) -> None:
    token = invite(owner, organisation, "Invited@Example.com", Role.OWNER)
    for someone_else in (make_user("other@example.com"), owner):
        with pytest.raises(InvitationUnavailable) as caught:
            services.accept_invitation(token, someone_else)
        assert caught.value.problem is InvitationProblem.WRONG_ACCOUNT
    assert Membership.objects.get(user=owner).role == Role.OWNER
    assert not Membership.objects.filter(user__email="other@example.com").exists()
    assert Invitation.objects.get().accepted_at is None  # still usable by the invited person
    assert services.accept_invitation(token, make_user("invited@example.com")).role == Role.OWNER


@pytest.mark.parametrize("invited_role", [Role.OWNER, Role.VIEWER])
def test_an_invitation_never_changes_an_existing_members_role(
    owner: User, organisation: Organisation, invited_role: Role
) -> None:
    """A viewer who gets hold of an owner invitation to their own address (sent before they
    joined) stays a viewer; an owner is never lowered either."""
    address = "later@example.com"
    token = invite(owner, organisation, address, invited_role)
    member = add_member(organisation, make_user(address), Role.EDITOR)
    with pytest.raises(InvitationUnavailable) as caught:
        services.accept_invitation(token, member)
    assert caught.value.problem is InvitationProblem.ALREADY_MEMBER
    assert Membership.objects.get(user=member).role == Role.EDITOR


def test_the_last_owner_can_be_neither_demoted_nor_removed(
    owner: User, editor: User, organisation: Organisation
) -> None:
    tenant = tenant_of(owner, organisation)
    own = tenant.membership
    with pytest.raises(services.MembershipError):
        services.change_role(tenant, own, Role.EDITOR)
    with pytest.raises(services.MembershipError):
        services.remove_member(tenant, own)
    assert Membership.objects.get(pk=own.pk).role == Role.OWNER

    other = Membership.objects.get(user=editor)
    services.change_role(tenant, other, Role.OWNER)
    services.change_role(tenant, own, Role.VIEWER)  # now another owner is left
    assert Membership.objects.get(pk=own.pk).role == Role.VIEWER


def test_removing_a_member_keeps_the_account(owner: User, organisation: Organisation) -> None:
    member = add_member(organisation, role=Role.VIEWER)
    services.remove_member(tenant_of(owner, organisation), Membership.objects.get(user=member))
    assert not Membership.objects.filter(user=member).exists()
    assert User.objects.filter(pk=member.pk).exists()


def test_signing_up_through_an_invitation_creates_account_and_membership(
    owner: User, organisation: Organisation
) -> None:
    token = invite(owner, organisation, "fresh@example.com")
    user, membership = services.create_account_and_accept(token, "Frieda Frisch", "s3cure-Pass!")
    assert user.email == "fresh@example.com"
    assert user.check_password("s3cure-Pass!")
    assert membership.role == Role.EDITOR


@pytest.mark.django_db
def test_invitations_are_limited_per_organisation_and_per_address(
    owner: User, organisation: Organisation, settings: Any
) -> None:
    """30 invitations from a fresh organisation, or many to one victim, were all sent."""
    settings.STARTKLAR_INVITATIONS_PER_DAY = 4
    settings.STARTKLAR_INVITATIONS_PER_ADDRESS = 2
    invite(owner, organisation, "opfer@example.com")
    other = services.create_organisation(owner, PROFILE)
    invite(owner, other, "opfer@example.com")
    with pytest.raises(services.MembershipError, match=r"opfer@example\.com"):
        invite(owner, services.create_organisation(owner, PROFILE), "opfer@example.com")
    for n in range(3):
        invite(owner, organisation, f"kollege{n}@example.com")
    with pytest.raises(services.MembershipError, match="4"):
        invite(owner, organisation, "einer-zu-viel@example.com")
    assert Invitation.objects.filter(organisation=organisation).count() == 4
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    invite(owner, organisation, "morgen@example.com")  # a day later it works again


@pytest.mark.django_db
def test_a_person_creates_a_limited_number_of_organisations_a_day(settings: Any) -> None:
    settings.STARTKLAR_ORGANISATIONS_PER_DAY = 2
    user = make_user()
    services.create_organisation(user, PROFILE)
    services.create_organisation(user, PROFILE)
    with pytest.raises(services.MembershipError):
        services.create_organisation(user, PROFILE)
    assert Organisation.objects.count() == 2
