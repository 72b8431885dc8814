"""Organisation API tokens: how another program (ERP, CRM, ticket system) signs in to the API.

A request sends ``Authorization: Bearer sk_…``. :data:`API_AUTH` is the authentication list
for django-ninja routers and operations that programs may call: a bearer token first, else the
browser session (which keeps its CSRF check on writes; a token request needs none, it carries
no cookie a browser would send by itself).

What a token is allowed to do:

* it belongs to one organisation: :func:`~startklar.organisations.tenancy.resolve_tenant` gives
  that organisation's tenant and answers 404 for any other ``org_slug``, as if it did not exist;
* ``read`` tokens answer 403 (``code`` ``token_read_only``) on POST, PUT, PATCH, DELETE;
* it acts with its creator's membership (the audit log names the creator, the service may name
  the token as the source). It works while the creator is an owner or editor of the
  organisation; when they leave or become a viewer the token stops (401, ``token_inactive``),
  so a token never outlives the rights of the person who made it;
* an unknown, malformed or revoked token answers 401 with ``detail`` and ``code`` at once – it
  does not fall back to the session.

``last_used_at`` is written at most once a minute per token (:data:`LAST_USED_PRECISION`), so
a busy integration does not write a row on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken, Membership, Role

PREFIX = "sk_"
VISIBLE = 8  # characters after ``sk_`` shown in the list to recognise a token
LAST_USED_PRECISION = timedelta(minutes=1)
REQUEST_ATTRIBUTE = "startklar_token_access"


def new_secret() -> str:
    """A fresh token: ``sk_`` and 256 random bits (43 URL-safe characters)."""
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(secret: str) -> str:
    """The SHA-256 of the token as hex: what is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def visible_prefix(secret: str) -> str:
    return secret.removeprefix(PREFIX)[:VISIBLE]


class TokenRejected(AuthenticationError):
    """A bearer token that does not open the API: 401 with a reason and a ``code``."""

    def __init__(self, code: str, detail: str):
        super().__init__(401, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class TokenAccess:
    """A request signed in with a token: the token and the membership it acts with."""

    token: ApiToken
    membership: Membership


def authenticate(secret: str) -> TokenAccess:
    """The token behind ``secret`` and its creator's membership, or :class:`TokenRejected`."""
    found = None
    if secret.startswith(PREFIX) and len(secret) <= 200:
        found = (
            ApiToken.objects.select_related("organisation", "created_by")
            .filter(token_hash=token_hash(secret))
            .first()
        )
    if found is None:
        raise TokenRejected("token_invalid", _("This API token is not valid."))
    if found.revoked_at is not None:
        raise TokenRejected("token_revoked", _("This API token has been revoked."))
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=found.organisation_id, user=found.created_by_id)
        .first()
        if found.created_by_id is not None
        else None
    )
    if membership is None or not membership.role_enum.at_least(Role.EDITOR):
        raise TokenRejected(
            "token_inactive",
            _(
                "This API token no longer works: the person who created it is no longer an "
                "owner or editor of the organisation. An owner can create a new one."
            ),
        )
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return TokenAccess(token=found, membership=membership)


def access_of(request: HttpRequest) -> TokenAccess | None:
    """The token a request signed in with (None for a browser session)."""
    access = getattr(request, REQUEST_ATTRIBUTE, None)
    return access if isinstance(access, TokenAccess) else None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sk_…`` – an organisation API token."""

    openapi_description = (
        "Organisation API token, created by an owner under Organisation → API access "
        "(`Authorization: Bearer sk_…`). Read tokens may only read. / Organisations-API-Token, "
        "von einer Inhaberin oder einem Inhaber unter Organisation → API-Zugänge angelegt. "
        "Lese-Token dürfen nur lesen."
    )
    openapi_bearerFormat = "sk_…"

    def authenticate(self, request: HttpRequest, token: str) -> TokenAccess:
        access = authenticate(token.strip())
        setattr(request, REQUEST_ATTRIBUTE, access)
        return access


API_AUTH: list[Any] = [TokenAuth(), django_auth]
"""For ``Router(auth=API_AUTH)`` or ``@router.get(..., auth=API_AUTH)``: token, else session."""
