"""The security baseline: hashing, lockout, CSRF, CSP, production settings."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client, override_settings

from startklar.accounts.models import User
from startklar.core.middleware import LAST_SEEN
from startklar.organisations.models import Organisation
from startklar.settings import base
from startklar.testing import make_user, run_startklar

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "startklar"


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "startklar.settings.production"}


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = {
        **PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "startklar.example.com",
        "STARTKLAR_VAR_DIR": str(tmp_path),
    }
    result = run_startklar("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_startklar("manage", "check", env=PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_passwords_are_hashed_with_argon2() -> None:
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("geheim").startswith("argon2$")


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account() -> None:
    user = make_user("ziel@example.com", password="richtig-Passwort-1")
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": user.email, "password": "falsch"})
    assert response.status_code == 429
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": "richtig-Passwort-1"}
    )
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_works_and_a_wrong_password_gets_a_message() -> None:
    make_user("ok@example.com", password="richtig-Passwort-1")
    client = Client()
    wrong = client.post("/accounts/login/", {"username": "ok@example.com", "password": "x"})
    assert wrong.status_code == 200
    assert "E-Mail-Adresse oder Passwort" in wrong.content.decode()
    right = client.post(
        "/accounts/login/", {"username": "ok@example.com", "password": "richtig-Passwort-1"}
    )
    assert right.status_code == 302


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password() -> None:
    user = make_user("vergessen@example.com")
    client = Client()
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert isinstance(body, str)
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body)
    assert match, body
    form_url = client.get(match.group(1), follow=True).redirect_chain[-1][0]
    data = {"new_password1": "Neues-Passwort-7", "new_password2": "Neues-Passwort-7"}
    assert client.post(form_url, data).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neues-Passwort-7")


@pytest.mark.django_db
def test_password_change_needs_the_old_password() -> None:
    user = make_user(password="alt-Passwort-1")
    client = Client()
    client.force_login(user)
    data = {"old_password": "falsch", "new_password1": "Neu-Pass-99"}
    data["new_password2"] = data["new_password1"]
    assert client.post("/accounts/password/change/", data).status_code == 200
    data["old_password"] = "alt-Passwort-1"
    assert client.post("/accounts/password/change/", data).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neu-Pass-99")


@pytest.mark.django_db
def test_state_changes_without_a_csrf_token_are_refused(owner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/o/new/", {"name": "X"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_pages_need_a_signed_in_user() -> None:
    response = Client().get("/o/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/o/"
    assert Client().get("/api/v1/organisations").status_code == 401


@pytest.mark.django_db
def test_signing_out_needs_a_post(owner: User) -> None:
    client = Client()
    client.force_login(owner)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy() -> None:
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy)
    assert script_src
    assert script_src.group(1).strip() == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"(<style[\s>])|(\sstyle\s*=)", re.IGNORECASE)


def test_templates_contain_no_inline_scripts_styles_or_handlers() -> None:
    offenders = []
    for template in PACKAGE.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
            if template.name == "500.html" and pattern is INLINE_STYLE:
                continue
            if pattern.search(text):
                offenders.append(f"{template.relative_to(PACKAGE)}: {pattern.pattern}")
    assert not offenders


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_are_never_stored(
    organisation: Organisation, owner_client: Client
) -> None:
    for url in (f"/o/{organisation.slug}/", f"/o/{organisation.slug}/usecases/export.xlsx"):
        response = owner_client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in Client().get("/accounts/login/")["Permissions-Policy"]


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_time(organisation: Organisation, owner: User) -> None:
    client = Client()
    client.force_login(owner)
    overview = f"/o/{organisation.slug}/"
    assert client.get(overview).status_code == 200
    session = client.session
    hours = 8  # the default of STARTKLAR_SESSION_IDLE_HOURS
    session[LAST_SEEN] = int(time.time()) - hours * 3600 + 120  # active two minutes short of it
    session.save()
    assert client.get(overview).status_code == 200  # still signed in, and seen again now
    session = client.session
    session[LAST_SEEN] = int(time.time()) - hours * 3600 - 1
    session.save()
    response = client.get(overview)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(overview).status_code == 302  # signed out for good


@pytest.mark.django_db
def test_the_api_schema_and_docs_need_a_signed_in_user(owner_client: Client) -> None:
    for url in ("/api/v1/openapi.json", "/api/v1/docs"):
        assert Client().get(url).status_code == 302
        assert owner_client.get(url).status_code == 200


def attempt(email: str, password: str, remote: str, forwarded: str = "") -> Any:
    headers: dict[str, Any] = {"REMOTE_ADDR": remote}  # WSGI environ, as Client(**defaults)
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**headers).post("/accounts/login/", {"username": email, "password": password})


def signed_in(response: Any) -> bool:
    return bool(response.status_code == 302)


@pytest.mark.django_db
@override_settings(STARTKLAR_TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_a_stranger_cannot_lock_someone_elses_account() -> None:
    """Lockout was keyed on the proxy's address: five wrong passwords from anywhere locked the
    account for everyone."""
    victim = make_user("chefin@example.com", password="Richtig-und-lang-1")
    for _ in range(6):
        attempt(victim.email, "falsch", "10.0.0.1", forwarded="198.51.100.7")
    assert not signed_in(attempt(victim.email, "Richtig-und-lang-1", "10.0.0.1", "198.51.100.7"))
    assert signed_in(attempt(victim.email, "Richtig-und-lang-1", "10.0.0.1", "203.0.113.5"))


@pytest.mark.django_db
def test_a_forwarded_header_from_an_untrusted_client_is_ignored() -> None:
    victim = make_user("chefin@example.com", password="Richtig-und-lang-1")
    for n in range(6):  # a new forged address each time does not reset the count
        attempt(victim.email, "falsch", "198.51.100.7", forwarded=f"192.0.2.{n}")
    assert not signed_in(attempt(victim.email, "Richtig-und-lang-1", "198.51.100.7"))
    assert signed_in(attempt(victim.email, "Richtig-und-lang-1", "203.0.113.5"))


@pytest.mark.django_db
@override_settings(STARTKLAR_LOGIN_FAILURES_PER_ADDRESS=6)
def test_password_spraying_over_many_user_names_is_stopped_per_address() -> None:
    make_user("echt@example.com", password="Richtig-und-lang-1")
    for n in range(6):
        attempt(f"person{n}@example.com", "Sommer2026!", "198.51.100.7")
    refused = attempt("echt@example.com", "Richtig-und-lang-1", "198.51.100.7")
    assert not signed_in(refused)
    assert "Zu viele fehlgeschlagene Anmeldungen" in refused.content.decode()
    assert signed_in(attempt("echt@example.com", "Richtig-und-lang-1", "203.0.113.5"))


@pytest.mark.django_db
def test_password_reset_mails_to_one_address_are_limited() -> None:
    """20 reset e-mails to one victim were all sent."""
    make_user("opfer@example.com")
    for n in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            "/accounts/password/reset/", {"email": "opfer@example.com"}
        )
    assert len(mail.outbox) == 3  # STARTKLAR_RESETS_PER_ADDRESS
    refused = Client().post("/accounts/password/reset/", {"email": "Opfer@example.com"})
    assert refused.status_code == 200
    assert "in einer Stunde" in refused.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_password_resets_from_one_client_are_limited_over_all_addresses() -> None:
    for n in range(12):
        make_user(f"person-{n}@example.com")
        Client(REMOTE_ADDR="198.51.100.9").post(
            "/accounts/password/reset/", {"email": f"person-{n}@example.com"}
        )
    assert len(mail.outbox) == 10  # STARTKLAR_RESETS_PER_CLIENT
