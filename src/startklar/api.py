"""The JSON API (django-ninja, OpenAPI at /api/v1/docs). Features add their routers here.

Authentication is the browser session (django_auth checks the CSRF token on writes).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from startklar.organisations.api import router as organisations_router
from startklar.organisations.tenancy import TwoFactorRequired

api = NinjaAPI(
    title="Startklar API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=login_required,  # schema and docs only for signed-in users
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(TwoFactorRequired)
def two_factor_required(request: HttpRequest, exc: TwoFactorRequired) -> HttpResponse:
    detail = {"detail": str(exc), "code": "two_factor_required"}
    return api.create_response(request, detail, status=403)


api.add_router("/", organisations_router)
