"""Two-factor sign-in per organisation: owners require it, members without it are sent to the
setup (that organisation only, the API answers 403), and sign-ins and changes reach the audit
log of every organisation of the person."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings

from startklar.accounts import engine, services
from startklar.accounts.models import User
from startklar.organisations.models import AuditAction, AuditEvent, Organisation, Role
from startklar.testing import add_member, client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Richtig-und-lang-1"


def enable(user: User) -> tuple[str, list[str]]:
    secret = services.start_setup(user).secret
    now = time.time()
    codes = services.confirm_setup(user, engine.totp(secret, now - 30), at=now)
    return secret, codes


def entries(organisation: Organisation, action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organisation=organisation, action=action).order_by("pk"))


@pytest.fixture
def strict(organisation: Organisation) -> Organisation:
    organisation.require_two_factor = True
    organisation.save()
    return organisation


@pytest.fixture
def other() -> Organisation:
    return make_organisation("Andere Firma GmbH")


# Enforcement -----------------------------------------------------------------------------------


def test_a_member_without_two_factor_is_sent_to_the_setup_of_that_organisation_only(
    strict: Organisation, other: Organisation, editor: User
) -> None:
    add_member(other, editor, Role.EDITOR)
    client = client_for(editor)
    response = client.get(f"/o/{strict.slug}/members/")
    assert response.status_code == 302
    assert response["Location"] == (f"/accounts/?next=%2Fo%2F{strict.slug}%2Fmembers%2F#two-factor")
    page = client.get(response["Location"]).content.decode()
    assert "Muster Metallbau GmbH schreibt allen Mitgliedern die Zwei-Faktor-Anmeldung vor" in page
    assert 'name="next" value="/o/' in page
    assert client.get(f"/o/{other.slug}/").status_code == 200


def test_a_change_without_two_factor_is_refused_and_changes_nothing(
    strict: Organisation, owner: User, editor: User
) -> None:
    enable(owner)
    client = client_for(editor)
    response = client.post(f"/o/{strict.slug}/usecases/new/", {"title": "Neu"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/?next=%2Fo%2F{strict.slug}%2F#two-factor"
    htmx = client.get(f"/o/{strict.slug}/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == f"/accounts/?next=%2Fo%2F{strict.slug}%2F#two-factor"


def test_with_two_factor_the_member_gets_in(strict: Organisation, editor: User) -> None:
    enable(editor)
    assert client_for(editor).get(f"/o/{strict.slug}/").status_code == 200


def test_the_api_answers_403_with_a_reason(
    strict: Organisation, other: Organisation, editor: User
) -> None:
    add_member(other, editor, Role.VIEWER)
    client = client_for(editor, language="en")
    response = client.get(f"/api/v1/o/{strict.slug}/")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "two_factor_required"
    assert "Muster Metallbau GmbH requires two-factor sign-in" in body["detail"]
    assert client.get(f"/api/v1/o/{strict.slug}/members").status_code == 403
    assert client.get(f"/api/v1/o/{other.slug}/").status_code == 200
    listed = [o["slug"] for o in client.get("/api/v1/organisations").json()]
    assert listed == [other.slug]
    enable(editor)
    listed = [o["slug"] for o in client.get("/api/v1/organisations").json()]
    assert sorted(listed) == sorted([strict.slug, other.slug])


def test_outsiders_still_get_404(strict: Organisation) -> None:
    client = client_for(make_user())
    assert client.get(f"/o/{strict.slug}/").status_code == 404
    assert client.get(f"/api/v1/o/{strict.slug}/").status_code == 404


# The owner's switch ----------------------------------------------------------------------------


def test_an_owner_without_two_factor_cannot_require_it(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"/o/{organisation.slug}/members/").content.decode()
    assert "schalten Sie die Zwei-Faktor-Anmeldung zuerst für Ihr eigenes Konto ein" in page
    response = owner_client.post(f"/o/{organisation.slug}/security/", {"require_two_factor": "on"})
    assert response.status_code == 422
    assert "erst dann können Sie sie allen Mitgliedern vorschreiben" in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.require_two_factor
    assert entries(organisation, AuditAction.CHANGED) == []


def test_an_owner_with_two_factor_requires_it_and_the_log_says_so(
    organisation: Organisation, owner: User, owner_client: Client, editor: User
) -> None:
    enable(owner)
    url = f"/o/{organisation.slug}/security/"
    response = owner_client.post(url, {"require_two_factor": "on"})
    assert response["Location"] == f"/o/{organisation.slug}/members/#security"
    organisation.refresh_from_db()
    assert organisation.require_two_factor
    [entry] = entries(organisation, AuditAction.CHANGED)
    assert entry.actor == owner
    assert entry.summary["de"] == "Zwei-Faktor-Anmeldung ist jetzt für alle Mitglieder Pflicht"
    assert entry.summary["en"] == "Two-factor sign-in is now required of all members"
    page = owner_client.get(f"/o/{organisation.slug}/members/").content.decode()
    assert "1 Mitglied hat sie noch nicht eingerichtet" in page
    # Saved unchanged: nothing happens, nothing is logged.
    owner_client.post(url, {"require_two_factor": "on"})
    assert len(entries(organisation, AuditAction.CHANGED)) == 1
    owner_client.post(url, {})
    organisation.refresh_from_db()
    assert not organisation.require_two_factor
    assert entries(organisation, AuditAction.CHANGED)[-1].summary["en"] == (
        "Two-factor sign-in is no longer required"
    )


def test_only_owners_switch_it_and_see_who_uses_it(
    organisation: Organisation, owner: User, owner_client: Client, editor: User
) -> None:
    enable(owner)
    editor_client = client_for(editor)
    url = f"/o/{organisation.slug}/security/"
    assert editor_client.post(url, {"require_two_factor": "on"}).status_code == 403
    organisation.refresh_from_db()
    assert not organisation.require_two_factor
    owner_page = owner_client.get(f"/o/{organisation.slug}/members/").content.decode()
    assert owner_page.count("Zwei-Faktor an") == 1
    assert owner_page.count("Zwei-Faktor aus") == 1
    assert "1 von 2 Mitgliedern nutzen die Zwei-Faktor-Anmeldung" in owner_page
    editor_page = editor_client.get(f"/o/{organisation.slug}/members/").content.decode()
    assert "Zwei-Faktor an" not in editor_page
    assert 'id="security"' not in editor_page


# The audit log ---------------------------------------------------------------------------------


def test_two_factor_changes_are_logged_in_every_organisation_of_the_person(
    organisation: Organisation, other: Organisation, owner: User
) -> None:
    add_member(other, owner, Role.VIEWER)
    bystander = make_organisation()
    client = client_for(owner)
    client.post("/accounts/two-factor/start/")
    secret = owner.authenticator.secret
    client.post("/accounts/two-factor/setup/", {"code": engine.totp(secret, time.time())})
    client.post("/accounts/two-factor/recovery-codes/new/", {"renew-password": "pw"})
    client.post("/accounts/two-factor/disable/", {"disable-password": "pw"})
    for org in (organisation, other):
        logged = entries(org, AuditAction.TWO_FACTOR)
        assert [e.summary["en"] for e in logged] == [
            "Two-factor sign-in switched on",
            "New recovery codes created",
            "Two-factor sign-in switched off",
        ]
        assert all(e.actor == owner and e.ip_address == "127.0.0.1" for e in logged)
    assert not AuditEvent.objects.filter(organisation=bystander).exists()


def test_sign_ins_are_logged_with_the_client_address(
    organisation: Organisation, other: Organisation
) -> None:
    person = add_member(organisation, make_user("p@example.com", password=PASSWORD))
    add_member(other, person, Role.VIEWER)
    with override_settings(STARTKLAR_TRUSTED_PROXIES=["10.0.0.1"]):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    for org in (organisation, other):
        [entry] = entries(org, AuditAction.SIGNED_IN)
        assert entry.actor == person
        assert entry.ip_address == "198.51.100.7"
        assert entry.summary == {"de": "Mit Passwort", "en": "With password"}


def test_failed_sign_ins_of_an_existing_account_are_logged(organisation: Organisation) -> None:
    person = add_member(organisation, make_user("p@example.com", password=PASSWORD))
    secret, _codes = enable(person)
    client = Client()
    client.post("/accounts/login/", {"username": "P@example.com", "password": "falsch"})
    client.post("/accounts/login/", {"username": "niemand@example.com", "password": "falsch"})
    client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": engine.totp(secret, time.time() - 600)})
    failed = entries(organisation, AuditAction.SIGN_IN_FAILED)
    assert [e.summary["en"] for e in failed] == [
        "Wrong password",
        "Wrong code at the second sign-in step",
    ]
    assert all(e.actor == person and e.ip_address == "127.0.0.1" for e in failed)
    assert entries(organisation, AuditAction.SIGNED_IN) == []
    client.post("/accounts/login/code/", {"code": engine.totp(secret, time.time())})
    assert len(entries(organisation, AuditAction.SIGNED_IN)) == 1


def test_attempts_refused_by_the_lockout_are_not_logged(organisation: Organisation) -> None:
    person = add_member(organisation, make_user("p@example.com", password=PASSWORD))
    client = Client()
    for _ in range(8):
        client.post("/accounts/login/", {"username": person.email, "password": "falsch"})
    assert len(entries(organisation, AuditAction.SIGN_IN_FAILED)) == 5


def test_a_used_recovery_code_is_logged(organisation: Organisation) -> None:
    person = add_member(organisation, make_user("p@example.com", password=PASSWORD))
    _secret, codes = enable(person)
    client = Client()
    client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": codes[3]})
    assert entries(organisation, AuditAction.TWO_FACTOR)[-1].summary == {
        "de": "Mit einem Wiederherstellungscode angemeldet; noch 9 übrig",
        "en": "Signed in with a recovery code; 9 left",
    }
    assert len(entries(organisation, AuditAction.SIGNED_IN)) == 1
