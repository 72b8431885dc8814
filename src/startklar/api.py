"""The JSON API (django-ninja, OpenAPI at /api/v1/docs): every feature's router (from its
``feature.py``) under ``/api/v1/``.

Authentication is the browser session (django_auth checks the CSRF token on writes); the
operations that other programs may call also take an organisation API token
(``Authorization: Bearer sk_…``, ``organisations.tokens.API_AUTH``). A token that does not
open the API answers 401 with ``detail`` and ``code`` (``token_invalid``, ``token_revoked``,
``token_inactive``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from startklar.core.features import each
from startklar.organisations.tokens import TokenRejected

api = NinjaAPI(
    title="Startklar API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=login_required,  # schema and docs only for signed-in users
    description=(
        "Startklar's JSON API. Programs sign in with an organisation API token "
        "(`Authorization: Bearer sk_…`, created by an owner under Organisation → API access); "
        "the browser uses its session. Errors are JSON with `detail` and, where there is one, "
        "a machine-readable `code`.\n\n"
        "Die JSON-API von Startklar. Programme melden sich mit einem Organisations-API-Token an "
        "(`Authorization: Bearer sk_…`, von Inhaberinnen und Inhabern unter Organisation → "
        "API-Zugänge angelegt); der Browser nutzt seine Sitzung. Fehler kommen als JSON mit "
        "`detail` und, wo es einen gibt, einem maschinenlesbaren `code`."
    ),
)


@api.exception_handler(TokenRejected)
def token_rejected(request: HttpRequest, exc: TokenRejected) -> HttpResponse:
    """401 for an unknown, revoked or inactive API token, with its reason."""
    body = {"detail": exc.detail, "code": exc.code}
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """403; a refusal that says why (e.g. two-factor sign-in required) gives its reason and
    a ``code`` for programs."""
    code = getattr(exc, "code", None)
    if code is None:
        return api.create_response(request, {"detail": "Forbidden"}, status=403)
    return api.create_response(request, {"detail": str(exc), "code": code}, status=403)


for _feature, router in each("api"):
    api.add_router("/", router)
