"""The JSON API (django-ninja, OpenAPI at /api/v1/docs): every feature's router (from its
``feature.py``) under ``/api/v1/``.

Authentication is the browser session (django_auth checks the CSRF token on writes).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from startklar.core.features import each

api = NinjaAPI(
    title="Startklar API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=login_required,  # schema and docs only for signed-in users
)


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
