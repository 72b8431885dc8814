"""URL map of the whole project: every feature's pages (from its ``feature.py``), the JSON API,
the language switch and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from startklar.core.features import features
from startklar.core.views import health

from .api import api

urlpatterns = [
    *(path(f.url_route, include(f.urls)) for f in features() if f.urls),
    *(path(f.public_prefix, include(f.public_urls)) for f in features() if f.public_urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("health/", health, name="health"),
]
