"""Two-factor sign-in: setting it up, signing in with password and code, recovery codes,
switching it off, and that neither a wrong code nor a password reset gets anyone in."""

from __future__ import annotations

import re
import time
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from startklar.accounts import engine, services, two_step
from startklar.accounts.models import Authenticator, RecoveryCode, User

pytestmark = pytest.mark.django_db

PASSWORD = "Richtig-und-lang-1"


def enable(user: User) -> tuple[str, list[str]]:
    """Switch two-factor sign-in on as the setup page does; the code used is one step old, so
    the current code still works for the next sign-in."""
    secret = services.start_setup(user).secret
    now = time.time()
    codes = services.confirm_setup(user, engine.totp(secret, now - 30), at=now)
    return secret, codes


def current_code(secret: str) -> str:
    return engine.totp(secret, time.time())


def password_step(client: Client, email: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password, **extra})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def person() -> User:
    # Not startklar.testing: accounts tests may not reach organisations (import-linter).
    return User.objects.create_user("olga@example.com", PASSWORD, full_name="Olga Owner")


# Setting it up ---------------------------------------------------------------------------------


def test_the_account_page_offers_two_factor_sign_in(person: User) -> None:
    page = client_for(person).get("/accounts/").content.decode()
    assert "Mein Konto" in page
    assert "Zwei-Faktor-Anmeldung einrichten" in page
    assert "olga@example.com" in page
    assert 'href="/accounts/password/change/"' in page


def test_setting_up_shows_a_qr_code_and_the_secret_and_needs_no_password(person: User) -> None:
    client = client_for(person)
    response = client.post("/accounts/two-factor/start/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/"
    page = client.get("/accounts/two-factor/setup/").content.decode()
    secret = Authenticator.objects.get(user=person).secret
    assert 'src="data:image/svg+xml;' in page
    assert engine.grouped(secret) in page
    assert 'name="password"' not in page
    assert not Authenticator.objects.get(user=person).is_confirmed


def test_a_wrong_code_does_not_switch_it_on(person: User) -> None:
    client = client_for(person)
    client.post("/accounts/two-factor/start/")
    secret = Authenticator.objects.get(user=person).secret
    wrong = engine.totp(secret, time.time() - 300)
    response = client.post("/accounts/two-factor/setup/", {"code": wrong})
    assert response.status_code == 422
    assert "Dieser Code stimmt nicht" in response.content.decode()
    response = client.post("/accounts/two-factor/setup/", {"code": "12ab"})
    assert response.status_code == 422
    assert "sechsstelligen Code" in response.content.decode()
    assert not Authenticator.objects.get(user=person).is_confirmed
    assert not RecoveryCode.objects.filter(user=person).exists()


def test_confirming_shows_ten_recovery_codes_once(person: User) -> None:
    client = client_for(person)
    client.post("/accounts/two-factor/start/")
    secret = Authenticator.objects.get(user=person).secret
    response = client.post("/accounts/two-factor/setup/", {"code": current_code(secret)})
    assert response["Location"] == "/accounts/two-factor/recovery-codes/"
    page = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    codes = re.findall(r">([a-z2-9]{4}-[a-z2-9]{4})<", page)
    assert len(codes) == 10
    assert "nur jetzt angezeigt" in page
    download = client.get("/accounts/two-factor/recovery-codes/download/")
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)
    stored = RecoveryCode.objects.filter(user=person)
    assert stored.count() == 10
    assert not any(code.replace("-", "") in c.code_hash for c in stored for code in codes)
    # "Done" forgets them: they are not shown again.
    assert client.post("/accounts/two-factor/recovery-codes/")["Location"] == "/accounts/"
    again = client.get("/accounts/two-factor/recovery-codes/")
    assert again.status_code == 302
    assert client.get("/accounts/two-factor/recovery-codes/download/").status_code == 302
    page = client.get("/accounts/").content.decode()
    assert "10 von 10 Wiederherstellungscodes ungenutzt" in page


def test_setup_leads_back_to_where_the_person_came_from(person: User) -> None:
    client = client_for(person)
    response = client.post("/accounts/two-factor/start/", {"next": "/o/firma/"})
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fo%2Ffirma%2F"
    secret = Authenticator.objects.get(user=person).secret
    response = client.post(
        "/accounts/two-factor/setup/", {"code": current_code(secret), "next": "/o/firma/"}
    )
    assert response["Location"] == "/accounts/two-factor/recovery-codes/?next=%2Fo%2Ffirma%2F"
    done = client.post("/accounts/two-factor/recovery-codes/", {"next": "/o/firma/"})
    assert done["Location"] == "/o/firma/"
    foreign = client.post("/accounts/two-factor/recovery-codes/", {"next": "https://evil.example/"})
    assert foreign["Location"] == "/accounts/"


def test_setup_cannot_start_twice_once_it_is_on(person: User) -> None:
    enable(person)
    client = client_for(person)
    secret = Authenticator.objects.get(user=person).secret
    client.post("/accounts/two-factor/start/")
    assert Authenticator.objects.get(user=person).secret == secret
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/"


# Signing in ------------------------------------------------------------------------------------


def test_a_correct_password_alone_does_not_sign_in(person: User) -> None:
    secret, _codes = enable(person)
    client = Client()
    response = password_step(client, person.email, next="/o/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"
    assert not signed_in(client)
    page = client.get("/accounts/login/code/").content.decode()
    assert "Code aus der Authenticator-App" in page
    assert "olga@example.com" in page
    response = client.post("/accounts/login/code/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/o/"
    assert signed_in(client)
    assert two_step.SESSION_KEY not in client.session


def test_without_two_factor_the_password_signs_in_directly(person: User) -> None:
    client = Client()
    assert password_step(client, person.email)["Location"] == "/"
    assert signed_in(client)


def test_the_code_step_without_a_password_leads_to_sign_in() -> None:
    client = Client()
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"
    assert client.post("/accounts/login/code/", {"code": "123456"})["Location"] == (
        "/accounts/login/"
    )
    assert not signed_in(client)


def test_a_wrong_code_is_refused_and_after_three_the_password_is_asked_again(
    person: User,
) -> None:
    secret, _codes = enable(person)
    client = Client()
    password_step(client, person.email)
    wrong = engine.totp(secret, time.time() - 600)
    for _ in range(2):
        response = client.post("/accounts/login/code/", {"code": wrong})
        assert response.status_code == 422
        assert "Dieser Code stimmt nicht" in response.content.decode()
    response = client.post("/accounts/login/code/", {"code": "nonsense"})
    assert response.status_code == 422  # a malformed code is not counted
    response = client.post("/accounts/login/code/", {"code": wrong})
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(client)
    page = client.get("/accounts/login/").content.decode()
    assert "3 falsche Codes" in page
    # The pending sign-in is gone: even the right code does not work now.
    response = client.post("/accounts/login/code/", {"code": current_code(secret)})
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(client)


def test_wrong_codes_count_towards_the_sign_in_lockout(person: User) -> None:
    secret, _codes = enable(person)
    client = Client()
    wrong = engine.totp(secret, time.time() - 600)
    password_step(client, person.email)
    for _ in range(3):
        client.post("/accounts/login/code/", {"code": wrong})
    password_step(client, person.email)
    client.post("/accounts/login/code/", {"code": wrong})
    response = client.post("/accounts/login/code/", {"code": wrong})
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert password_step(client, person.email).status_code == 429
    assert not signed_in(client)


def test_a_pending_sign_in_held_open_elsewhere_is_stopped_by_the_lockout(person: User) -> None:
    """Many password steps first, then codes in each: the lockout still counts them all."""
    secret, _codes = enable(person)
    wrong = engine.totp(secret, time.time() - 600)
    clients = [Client() for _ in range(3)]
    for client in clients:
        password_step(client, person.email)
    for client in clients[:2]:
        for _ in range(2):
            client.post("/accounts/login/code/", {"code": wrong})
    last = clients[2]
    assert last.post("/accounts/login/code/", {"code": wrong}).status_code == 429
    response = last.post("/accounts/login/code/", {"code": current_code(secret)})
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(last)


def test_the_pending_sign_in_expires_after_five_minutes(person: User) -> None:
    secret, _codes = enable(person)
    client = Client()
    password_step(client, person.email, next="/o/")
    session = client.session
    session[two_step.SESSION_KEY]["started"] = time.time() - two_step.PENDING_SECONDS - 1
    session.save()
    response = client.post("/accounts/login/code/", {"code": current_code(secret)})
    assert response["Location"] == "/accounts/login/?next=%2Fo%2F"
    assert not signed_in(client)
    assert "länger als fünf Minuten" in client.get(response["Location"]).content.decode()


def test_a_used_code_is_refused_the_second_time(person: User) -> None:
    secret, _codes = enable(person)
    code = current_code(secret)
    first = Client()
    password_step(first, person.email)
    first.post("/accounts/login/code/", {"code": code})
    assert signed_in(first)
    second = Client()
    password_step(second, person.email)
    response = second.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 422
    assert "bereits verwendet" in response.content.decode()
    assert not signed_in(second)


def test_a_recovery_code_works_once(person: User) -> None:
    _secret, codes = enable(person)
    client = Client()
    password_step(client, person.email)
    response = client.post("/accounts/login/code/", {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert signed_in(client)
    page = client.get("/accounts/").content.decode()
    assert "Noch 9 Wiederherstellungscodes" in page
    assert "9 von 10 Wiederherstellungscodes ungenutzt" in page
    again = Client()
    password_step(again, person.email)
    response = again.post("/accounts/login/code/", {"code": codes[0]})
    assert response.status_code == 422
    assert "wurde bereits verwendet. Jeder Code funktioniert einmal" in response.content.decode()
    assert not signed_in(again)


def test_few_recovery_codes_left_are_warned_about(person: User) -> None:
    _secret, codes = enable(person)
    for code in codes[:7]:
        services.check_second_factor(
            person, engine.EnteredCode(engine.CodeKind.RECOVERY, code.replace("-", ""))
        )
    client = Client()
    password_step(client, person.email)
    client.post("/accounts/login/code/", {"code": codes[7]})
    page = client.get("/accounts/").content.decode()
    assert "Noch 2 Wiederherstellungscodes" in page
    assert "Bitte erstellen Sie bald neue" in page
    assert "2 von 10 Wiederherstellungscodes ungenutzt" in page
    assert "bevor der letzte verbraucht ist" in page
    for code in codes[8:]:
        services.check_second_factor(
            person, engine.EnteredCode(engine.CodeKind.RECOVERY, code.replace("-", ""))
        )
    page = client.get("/accounts/").content.decode()
    assert "0 von 10 Wiederherstellungscodes ungenutzt." in page
    assert "Bitte erstellen Sie jetzt neue." in page


def test_the_password_reset_does_not_skip_the_code(person: User) -> None:
    secret, _codes = enable(person)
    client = Client()
    client.post("/accounts/password/reset/", {"email": person.email})
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert match
    form_url = client.get(match.group(1), follow=True).redirect_chain[-1][0]
    data = {"new_password1": "Neues-Passwort-7", "new_password2": "Neues-Passwort-7"}
    assert client.post(form_url, data).status_code == 302
    assert not signed_in(client)
    response = password_step(client, person.email, "Neues-Passwort-7")
    assert response["Location"] == "/accounts/login/code/"
    assert not signed_in(client)
    client.post("/accounts/login/code/", {"code": current_code(secret)})
    assert signed_in(client)


# Switching it off and new recovery codes -------------------------------------------------------


def test_switching_off_needs_the_password(person: User) -> None:
    enable(person)
    client = client_for(person)
    response = client.post("/accounts/two-factor/disable/", {"disable-password": "falsch"})
    assert response.status_code == 422
    assert "Das Passwort stimmt nicht" in response.content.decode()
    assert Authenticator.objects.filter(user=person).exists()
    response = client.post("/accounts/two-factor/disable/", {"disable-password": PASSWORD})
    assert response["Location"] == "/accounts/"
    assert not Authenticator.objects.filter(user=person).exists()
    assert not RecoveryCode.objects.filter(user=person).exists()
    fresh = Client()
    assert password_step(fresh, person.email)["Location"] == "/"
    assert signed_in(fresh)


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(person: User) -> None:
    _secret, old = enable(person)
    client = client_for(person)
    response = client.post("/accounts/two-factor/recovery-codes/new/", {"renew-password": "x"})
    assert response.status_code == 422
    assert RecoveryCode.objects.filter(user=person).count() == 10
    response = client.post("/accounts/two-factor/recovery-codes/new/", {"renew-password": PASSWORD})
    assert response["Location"] == "/accounts/two-factor/recovery-codes/"
    page = client.get(response["Location"]).content.decode()
    new = re.findall(r">([a-z2-9]{4}-[a-z2-9]{4})<", page)
    assert len(new) == 10
    assert set(new) != set(old)
    signing_in = Client()
    password_step(signing_in, person.email)
    assert signing_in.post("/accounts/login/code/", {"code": old[0]}).status_code == 422
    assert signing_in.post("/accounts/login/code/", {"code": new[0]}).status_code == 302


def test_switching_off_or_renewing_without_two_factor_changes_nothing(person: User) -> None:
    client = client_for(person)
    response = client.post("/accounts/two-factor/disable/", {"disable-password": PASSWORD})
    assert response["Location"] == "/accounts/"
    response = client.post("/accounts/two-factor/recovery-codes/new/", {"renew-password": PASSWORD})
    assert response["Location"] == "/accounts/"
    assert not RecoveryCode.objects.exists()


def test_the_administrator_can_switch_it_off_for_a_locked_out_person(person: User) -> None:
    enable(person)
    out = StringIO()
    call_command("reset_two_factor", "OLGA@example.com", stdout=out)
    assert "olga@example.com" in out.getvalue()
    assert not Authenticator.objects.filter(user=person).exists()
    with pytest.raises(CommandError, match="not on"):
        call_command("reset_two_factor", person.email)
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_two_factor", "niemand@example.com")
