"""URL map of the whole project. Features bring their own ``urls.py`` and ``api.py``."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from startklar.core.views import health

from .api import api

urlpatterns = [
    path("", include("startklar.organisations.urls")),
    path("o/<slug:org_slug>/readiness/", include("startklar.readiness.urls")),
    path("o/<slug:org_slug>/usecases/", include("startklar.usecases.urls")),
    path("o/<slug:org_slug>/business-cases/", include("startklar.businesscase.urls")),
    path("o/<slug:org_slug>/compliance/", include("startklar.compliance.urls")),
    path("accounts/", include("startklar.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("health/", health, name="health"),
]
