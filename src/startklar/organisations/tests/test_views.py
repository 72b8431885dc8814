"""The organisation pages: forms with bad input, roles, invitations, htmx partials."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations.models import Invitation, Membership, Organisation, Role
from startklar.testing import add_member, client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Muster Metallbau GmbH",
    "industry": "C",
    "headcount": "85",
    "annual_turnover": "12.400.000",
    "balance_sheet_total": "8.900.000,50",
}


def test_creating_an_organisation_parses_german_amounts_and_shows_the_sme_class() -> None:
    client = client_for(make_user())
    response = client.post("/o/new/", VALID, follow=True)
    organisation = Organisation.objects.get()
    assert organisation.annual_turnover == Decimal("12400000")
    assert organisation.balance_sheet_total == Decimal("8900000.50")
    page = response.content.decode()
    assert "Mittleres Unternehmen" in page
    assert "12.400.000\xa0€" in page


@pytest.mark.parametrize(
    ("field", "value", "german"),
    [
        ("headcount", "-3", "Zahl der Beschäftigten darf nicht negativ sein"),
        ("annual_turnover", "zwölf Millionen", "Bitte geben Sie einen Betrag in Euro ein"),
        ("annual_turnover", "1000000000000000", "höchstens einer Billion Euro"),
        ("balance_sheet_total", "-1", "Der Betrag darf nicht negativ sein"),
        ("name", "", "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_bad_organisation_data_gets_a_german_message_at_the_field(
    field: str, value: str, german: str
) -> None:
    client = client_for(make_user())
    response = client.post("/o/new/", {**VALID, field: value})
    assert response.status_code == 422
    assert german in response.content.decode()
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_bad_organisation_data_gets_an_english_message_in_english() -> None:
    client = client_for(make_user(), language="en")
    response = client.post("/o/new/", {**VALID, "annual_turnover": "1,000,000,000,000,000"})
    assert response.status_code == 422
    assert "at most one trillion euros" in response.content.decode()


def test_an_unknown_industry_is_a_tampered_request() -> None:
    client = client_for(make_user())
    response = client.post("/o/new/", {**VALID, "industry": "Z"})
    assert response.status_code == 422
    assert not Organisation.objects.exists()


def test_unknown_organisation_is_404(owner_client: Client) -> None:
    assert owner_client.get("/o/gibt-es-nicht/").status_code == 404


def test_only_owners_edit_the_profile(
    organisation: Organisation, owner_client: Client, editor: User
) -> None:
    url = f"/o/{organisation.slug}/profile/"
    assert client_for(editor).post(url, {**VALID, "headcount": "3"}).status_code == 403
    response = owner_client.post(url, {**VALID, "headcount": "300"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.headcount == 300
    assert organisation.size.size_class == "large"


def test_a_tampered_role_is_rejected_and_changes_nothing(
    organisation: Organisation, owner_client: Client, editor: User
) -> None:
    membership = Membership.objects.get(user=editor)
    url = f"/o/{organisation.slug}/members/{membership.pk}/role/"
    response = owner_client.post(url, {"role": "superuser"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_changing_a_role_with_htmx_returns_only_the_member_area(
    organisation: Organisation, owner_client: Client, editor: User
) -> None:
    membership = Membership.objects.get(user=editor)
    url = f"/o/{organisation.slug}/members/{membership.pk}/role/"
    response = owner_client.post(url, {"role": "viewer"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="member-area">')
    assert "<html" not in page
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    # The owner sees that it worked, next to the member.
    assert 'id="role-changed"' in page
    assert "Ed Editor ist jetzt Leser:in." in page


def test_the_last_owner_is_told_why_they_cannot_leave(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    membership = Membership.objects.get(user=owner)
    url = f"/o/{organisation.slug}/members/{membership.pk}/remove/"
    response = owner_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Inhaber:in" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_inviting_shows_the_link_once_and_lists_the_invitation(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"/o/{organisation.slug}/invitations/"
    response = owner_client.post(url, {"email": "neu@example.com", "role": "editor"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="invite-link"' in page
    assert "http://testserver/invitation/" in page
    assert Invitation.objects.get().email == "neu@example.com"


def test_an_invalid_invitation_address_is_shown_at_the_field(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"/o/{organisation.slug}/invitations/"
    response = owner_client.post(url, {"email": "kein-adresse", "role": "editor"})
    assert response.status_code == 422
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert not Invitation.objects.exists()


def _invitation_link(owner_client: Client, organisation: Organisation, email: str) -> str:
    response = owner_client.post(
        f"/o/{organisation.slug}/invitations/", {"email": email, "role": "viewer"}
    )
    link: str = response.context["new_link"]
    return link.removeprefix("http://testserver")


def test_a_newcomer_signs_up_through_the_invitation_and_lands_in_the_organisation(
    organisation: Organisation, owner_client: Client
) -> None:
    link = _invitation_link(owner_client, organisation, "neu@example.com")
    newcomer = Client()
    assert newcomer.get(link).status_code == 200
    weak = newcomer.post(link, {"full_name": "Nina Neu", "password1": "123", "password2": "123"})
    assert weak.status_code == 422
    assert not User.objects.filter(email="neu@example.com").exists()
    data = {"full_name": "Nina Neu", "password1": "Blech-Biege-42", "password2": "Blech-Biege-42"}
    response = newcomer.post(link, data)
    assert response.status_code == 302
    assert response["Location"] == f"/o/{organisation.slug}/"
    assert newcomer.get(response["Location"]).status_code == 200


def test_a_used_invitation_shows_a_clear_page(
    organisation: Organisation, owner_client: Client
) -> None:
    link = _invitation_link(owner_client, organisation, "zwei@example.com")
    client_for(make_user("zwei@example.com")).post(link)
    response = client_for(make_user()).get(link)
    assert response.status_code == 410
    assert "bereits verwendet" in response.content.decode()


def test_an_expired_invitation_shows_a_clear_page(
    organisation: Organisation, owner_client: Client
) -> None:
    link = _invitation_link(owner_client, organisation, "spaet@example.com")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().post(link, {"full_name": "x", "password1": "x", "password2": "x"})
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert not User.objects.filter(email="spaet@example.com").exists()


def test_a_link_opened_in_another_account_explains_and_changes_nothing(
    organisation: Organisation, owner_client: Client, viewer: User
) -> None:
    """The privilege escalation: a viewer opening an owner invitation meant for someone else."""
    response = owner_client.post(
        f"/o/{organisation.slug}/invitations/", {"email": "chefin@example.com", "role": "owner"}
    )
    link = response.context["new_link"].removeprefix("http://testserver")
    intruder = client_for(viewer)
    page = intruder.get(link)
    assert page.status_code == 403
    text = page.content.decode()
    assert "chefin@example.com" in text
    assert "Abmelden und die eingeladene Adresse verwenden" in text
    assert intruder.post(link).status_code == 403
    assert Membership.objects.get(user=viewer).role == Role.VIEWER
    assert Invitation.objects.get().accepted_at is None
    # The button signs out and comes back to the link, ready for the invited address.
    signed_out = intruder.post("/accounts/logout/", {"next": link})
    assert signed_out["Location"] == link
    assert intruder.get(link).status_code == 200


def test_a_member_opening_an_invitation_to_their_address_keeps_their_role(
    organisation: Organisation, owner_client: Client
) -> None:
    link = _invitation_link(owner_client, organisation, "spaeter@example.com")  # as viewer
    member = add_member(organisation, make_user("spaeter@example.com"), Role.EDITOR)
    client = client_for(member)
    page = client.get(link)
    assert page.status_code == 409
    assert "bereits Mitglied" in page.content.decode()
    assert client.post(link).status_code == 409
    assert Membership.objects.get(user=member).role == Role.EDITOR


def test_an_unknown_invitation_token_is_404() -> None:
    response = Client().get("/invitation/falsch/")
    assert response.status_code == 404
    assert "Einladungslink ist ungültig" in response.content.decode()


def test_home_takes_a_member_of_one_organisation_straight_there(
    organisation: Organisation, owner_client: Client
) -> None:
    response = owner_client.get("/")
    assert response["Location"] == f"/o/{organisation.slug}/"


def test_home_lists_the_organisations_of_a_consultant() -> None:
    consultant = make_user()
    for name in ("Alpha GmbH", "Beta KG"):
        add_member(make_organisation(name), consultant, Role.EDITOR)
    client = client_for(consultant)
    assert client.get("/")["Location"] == "/o/"
    page = client.get("/o/").content.decode()
    assert "Alpha GmbH" in page
    assert "Beta KG" in page


def test_the_switcher_remembers_the_last_organisation() -> None:
    consultant = make_user()
    alpha, beta = make_organisation("Alpha GmbH"), make_organisation("Beta KG")
    for organisation in (alpha, beta):
        add_member(organisation, consultant, Role.VIEWER)
    client = client_for(consultant)
    client.get(f"/o/{beta.slug}/")
    assert client.get("/")["Location"] == f"/o/{beta.slug}/"
    client.get(f"/o/{alpha.slug}/profile/")
    assert client.get("/")["Location"] == f"/o/{alpha.slug}/"


def test_an_organisation_page_reads_the_memberships_once_and_writes_no_session() -> None:
    """The session is written when the organisation changes, not on every page (a write takes
    SQLite's lock); the tenant and the switcher share one query of the memberships."""
    consultant = make_user()
    alpha, beta = make_organisation("Alpha GmbH"), make_organisation("Beta KG")
    for organisation in (alpha, beta):
        add_member(organisation, consultant, Role.VIEWER)
    client = client_for(consultant)
    client.get(f"/o/{alpha.slug}/profile/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/o/{alpha.slug}/profile/")
    assert page.status_code == 200
    assert "Beta KG" in page.content.decode()  # the switcher lists the other organisation
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in statements if "django_session" in s and not s.startswith("SELECT")]
    assert len([s for s in statements if "organisations_membership" in s]) == 1


def test_a_tampered_invitation_role_is_rejected(
    organisation: Organisation, owner_client: Client
) -> None:
    url = f"/o/{organisation.slug}/invitations/"
    response = owner_client.post(url, {"email": "x@example.com", "role": "superuser"})
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_english_users_see_english_pages(organisation: Organisation, owner: User) -> None:
    page = client_for(owner, language="en").get(f"/o/{organisation.slug}/").content.decode()
    assert "Medium-sized enterprise" in page
    assert "€6,000,000" in page


def test_an_owner_who_leaves_is_sent_to_the_organisation_list(
    organisation: Organisation, owner: User, owner_client: Client
) -> None:
    add_member(organisation, role=Role.OWNER)
    membership = Membership.objects.get(user=owner)
    url = f"/o/{organisation.slug}/members/{membership.pk}/remove/"
    response = owner_client.post(url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/o/"
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert owner_client.get(f"/o/{organisation.slug}/").status_code == 404
