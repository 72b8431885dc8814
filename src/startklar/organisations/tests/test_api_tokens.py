"""Organisation API tokens: made and revoked by owners, shown once, stored hashed, scoped,
and the way in for programs (``Authorization: Bearer sk_…``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest
from django.test import Client, RequestFactory
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations import services, tokens
from startklar.organisations.models import (
    ApiToken,
    AuditAction,
    AuditEvent,
    Membership,
    Organisation,
    Role,
    TokenScope,
)
from startklar.organisations.tenancy import TokenReadOnly, resolve_tenant
from startklar.testing import add_member, client_for, make_organisation, make_user, tenant_of

pytestmark = pytest.mark.django_db


def make_token(
    owner: User, organisation: Organisation, scope: TokenScope = TokenScope.READ
) -> tuple[ApiToken, str]:
    return services.create_api_token(tenant_of(owner, organisation), "DATEV-Export", scope)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def every_text_in_the_database() -> str:
    """All rows of all tables as text (to look for a secret)."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            parts.extend(str(row) for row in cursor.fetchall())
    return "\n".join(parts)


# Services ----------------------------------------------------------------------------------------


def test_the_secret_is_returned_once_and_only_its_hash_is_stored(
    owner: User, organisation: Organisation
) -> None:
    token, secret = make_token(owner, organisation, TokenScope.WRITE)
    assert secret.startswith("sk_")
    assert len(secret) >= 40
    assert token.token_hash == tokens.token_hash(secret) != secret
    assert token.prefix == secret[3:11]
    assert str(token) == f"DATEV-Export (sk_{token.prefix}…)"
    assert secret not in every_text_in_the_database()
    assert secret[3:] not in every_text_in_the_database()
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_CREATED)
    assert event.actor == owner
    assert event.object_id == token.pk
    assert event.summary == {"de": "Rechte: Lesen und schreiben", "en": "Rights: Read and write"}


def test_only_owners_create_and_revoke_tokens(
    owner: User, editor: User, organisation: Organisation
) -> None:
    with pytest.raises(services.ApiTokenError):
        services.create_api_token(tenant_of(editor, organisation), "CRM", TokenScope.READ)
    token, _secret = make_token(owner, organisation)
    with pytest.raises(services.ApiTokenError):
        services.revoke_api_token(tenant_of(editor, organisation), token)
    assert ApiToken.objects.get().revoked_at is None


def test_revoking_is_recorded_once_and_stops_the_token_at_once(
    owner: User, organisation: Organisation
) -> None:
    token, secret = make_token(owner, organisation)
    assert tokens.authenticate(secret).token == token
    assert services.revoke_api_token(tenant_of(owner, organisation), token)
    assert not services.revoke_api_token(tenant_of(owner, organisation), token)  # already
    token.refresh_from_db()
    assert token.revoked_by == owner
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).count() == 1
    with pytest.raises(tokens.TokenRejected) as rejected:
        tokens.authenticate(secret)
    assert rejected.value.code == "token_revoked"


def test_another_organisations_token_cannot_be_revoked(
    owner: User, organisation: Organisation
) -> None:
    other = make_organisation()
    token, _secret = make_token(add_member(other, role=Role.OWNER), other)
    with pytest.raises(Http404):
        services.revoke_api_token(tenant_of(owner, organisation), token)


def test_at_most_fifty_open_tokens(
    owner: User, organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_OPEN_API_TOKENS", 2)
    make_token(owner, organisation)
    make_token(owner, organisation)
    with pytest.raises(services.ApiTokenError, match="2 API"):
        make_token(owner, organisation)


# Authentication ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret", ["", "sk_", "sk_unknown", "nonsense", "sk_" + "x" * 500, "Bearer sk_x"]
)
def test_unknown_tokens_are_rejected(secret: str) -> None:
    with pytest.raises(tokens.TokenRejected) as rejected:
        tokens.authenticate(secret)
    assert rejected.value.code == "token_invalid"


@pytest.mark.parametrize("role", [Role.VIEWER, None])
def test_a_token_stops_when_its_creator_is_no_longer_owner_or_editor(
    owner: User, organisation: Organisation, role: Role | None
) -> None:
    add_member(organisation, role=Role.OWNER)  # someone else stays owner
    _token, secret = make_token(owner, organisation)
    membership = Membership.objects.get(user=owner, organisation=organisation)
    if role is None:
        membership.delete()
    else:
        membership.role = role
        membership.save()
    with pytest.raises(tokens.TokenRejected) as rejected:
        tokens.authenticate(secret)
    assert rejected.value.code == "token_inactive"


def test_a_token_of_a_deleted_account_stops(owner: User, organisation: Organisation) -> None:
    _token, secret = make_token(owner, organisation)
    owner.delete()
    with pytest.raises(tokens.TokenRejected) as rejected:
        tokens.authenticate(secret)
    assert rejected.value.code == "token_inactive"


def test_an_editors_token_still_works_after_the_owner_became_editor(
    owner: User, organisation: Organisation
) -> None:
    _token, secret = make_token(owner, organisation)
    Membership.objects.filter(user=owner).update(role=Role.EDITOR)
    assert tokens.authenticate(secret).membership.role == Role.EDITOR


def test_last_use_is_written_at_most_once_a_minute(
    owner: User, organisation: Organisation, django_assert_num_queries: object
) -> None:
    token, secret = make_token(owner, organisation)
    assert token.last_used_at is None
    first = tokens.authenticate(secret).token.last_used_at
    assert first is not None
    assert ApiToken.objects.get().last_used_at == first
    with django_assert_num_queries(2):  # type: ignore[operator]  # token, membership; no write
        tokens.authenticate(secret)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    tokens.authenticate(secret)
    written = ApiToken.objects.get().last_used_at
    assert written is not None
    assert written > first - timedelta(seconds=1)


# The tenant of a token request ------------------------------------------------------------------


def token_request(secret: str, method: str = "GET") -> HttpRequest:
    request = getattr(RequestFactory(), method.lower())("/api/v1/x")
    tokens.TokenAuth().authenticate(request, secret)
    return request


def test_a_token_is_its_organisations_tenant_and_no_other(
    owner: User, organisation: Organisation
) -> None:
    token, secret = make_token(owner, organisation)
    other = make_organisation()
    add_member(other, owner, Role.OWNER)  # the creator is a member there too
    request = token_request(secret)
    tenant = resolve_tenant(request, organisation.slug, write_role=Role.EDITOR)
    assert tenant.organisation == organisation
    assert tenant.token == token
    assert tenant.membership.user == owner
    with pytest.raises(Http404):
        resolve_tenant(request, other.slug, write_role=Role.EDITOR)


def test_a_read_token_may_not_write_and_a_write_token_may(
    owner: User, organisation: Organisation
) -> None:
    _read, read_secret = make_token(owner, organisation, TokenScope.READ)
    _write, write_secret = make_token(owner, organisation, TokenScope.WRITE)
    with pytest.raises(TokenReadOnly) as refused:
        resolve_tenant(
            token_request(read_secret, "POST"), organisation.slug, write_role=Role.EDITOR
        )
    assert refused.value.code == "token_read_only"
    tenant = resolve_tenant(
        token_request(write_secret, "POST"),
        organisation.slug,
        write_role=Role.EDITOR,
    )
    assert tenant.token is not None
    Membership.objects.filter(user=owner).update(role=Role.EDITOR)
    with pytest.raises(PermissionDenied) as refused_by_role:  # the creator's role still counts
        resolve_tenant(
            token_request(write_secret, "DELETE"),
            organisation.slug,
            write_role=Role.OWNER,
        )
    assert not isinstance(refused_by_role.value, TokenReadOnly)


# Over HTTP ---------------------------------------------------------------------------------------


def test_a_program_reads_its_organisation_with_a_token(
    owner: User, organisation: Organisation
) -> None:
    _token, secret = make_token(owner, organisation)
    response = Client().get(f"/api/v1/o/{organisation.slug}/", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["slug"] == organisation.slug
    assert response.json()["role"] == "owner"
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("revoke", [False, True])
def test_wrong_or_revoked_tokens_answer_401_with_a_reason(
    owner: User, organisation: Organisation, revoke: bool
) -> None:
    token, secret = make_token(owner, organisation)
    if revoke:
        services.revoke_api_token(tenant_of(owner, organisation), token)
    else:
        secret = secret[:-2] + "xx"
    response = Client().get(f"/api/v1/o/{organisation.slug}/", headers=bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == ("token_revoked" if revoke else "token_invalid")
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_does_not_fall_back_to_the_session(
    owner: User, organisation: Organisation
) -> None:
    response = client_for(owner).get(
        f"/api/v1/o/{organisation.slug}/",
        headers=bearer("sk_wrong"),
    )
    assert response.status_code == 401


def test_a_token_for_one_organisation_finds_no_other(
    owner: User, organisation: Organisation
) -> None:
    other = make_organisation()
    add_member(other, owner, Role.OWNER)
    _token, secret = make_token(owner, organisation)
    response = Client().get(f"/api/v1/o/{other.slug}/", headers=bearer(secret))
    assert response.status_code == 404


def test_operations_without_token_support_ignore_tokens(
    owner: User, organisation: Organisation
) -> None:
    _token, secret = make_token(owner, organisation)
    response = Client().get("/api/v1/organisations", headers=bearer(secret))
    assert response.status_code == 401  # the list of a person's organisations needs a session


def test_the_schema_documents_the_bearer_scheme(owner_client: Client) -> None:
    schema = owner_client.get("/api/v1/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["TokenAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert "API-Zugänge" in scheme["description"]
    operation = schema["paths"]["/api/v1/o/{org_slug}/"]["get"]
    assert {"TokenAuth": []} in operation["security"]
    assert {"SessionAuth": []} in operation["security"]


# The page ----------------------------------------------------------------------------------------


def test_the_owner_creates_a_token_and_sees_it_once(
    owner: User, organisation: Organisation
) -> None:
    owner_client = client_for(owner, "en")
    url = f"/o/{organisation.slug}/api-tokens/"
    page = owner_client.get(url)
    assert page.status_code == 200
    assert "No API tokens yet." in page.content.decode()
    response = owner_client.post(
        f"{url}new/", {"name": "  Ticket   system ", "scope": "write"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.name == "Ticket system"
    assert token.scope == TokenScope.WRITE
    html = response.content.decode()
    secret = html.split('id="new-token"')[1].split(">")[1].split("<")[0]
    assert tokens.token_hash(secret) == token.token_hash
    again = owner_client.get(url).content.decode()
    assert secret not in again
    assert f"sk_{token.prefix}…" in again
    assert "never used" in again


@pytest.mark.parametrize(
    "data",
    [{"name": "", "scope": "read"}, {"name": "x", "scope": "admin"}, {"name": "x" * 101}, {}],
)
def test_bad_input_saves_nothing(
    owner: User, organisation: Organisation, data: dict[str, str]
) -> None:
    response = client_for(owner, "en").post(f"/o/{organisation.slug}/api-tokens/new/", data)
    assert response.status_code == 422
    assert not ApiToken.objects.exists()
    assert 'id="new-token"' not in response.content.decode()


def test_the_owner_revokes_a_token(owner: User, organisation: Organisation) -> None:
    token, _secret = make_token(owner, organisation)
    response = client_for(owner, "en").post(
        f"/o/{organisation.slug}/api-tokens/{token.pk}/revoke/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "has been revoked" in html
    assert "revoked by Olga Owner" in html
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_last_use_and_a_token_that_stopped_are_shown(
    owner: User, organisation: Organisation
) -> None:
    _token, _secret = make_token(owner, organisation)
    ApiToken.objects.update(last_used_at=timezone.now())
    co_owner = add_member(organisation, make_user(name="Co Owner"), Role.OWNER)
    _other, _s = make_token(co_owner, organisation)
    Membership.objects.filter(user=co_owner).update(role=Role.VIEWER)
    html = client_for(owner, "en").get(f"/o/{organisation.slug}/api-tokens/").content.decode()
    assert "last used" in html
    assert "no longer works" in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_non_owners_see_nothing_of_tokens(
    owner: User, organisation: Organisation, role: Role
) -> None:
    token, _secret = make_token(owner, organisation)
    client = client_for(add_member(organisation, role=role))
    base = f"/o/{organisation.slug}/api-tokens/"
    assert client.get(base).status_code == 403
    assert client.post(f"{base}new/", {"name": "x", "scope": "write"}).status_code == 403
    assert client.post(f"{base}{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None
    members = client.get(f"/o/{organisation.slug}/members/").content.decode()
    assert "api-tokens" not in members


def test_the_page_is_in_german(owner: User, organisation: Organisation) -> None:
    html = client_for(owner, "de").get(f"/o/{organisation.slug}/api-tokens/").content.decode()
    assert "API-Zugänge" in html
    assert "Authorization: Bearer" in html
