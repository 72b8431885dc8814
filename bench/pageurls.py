"""The project's URL map plus ``/bench/hello/``, the baseline of ``bench/pages.py``.

The hello page is a signed-in request through the same middleware as every page (session,
user, language, CSRF, security headers) that renders a few words.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    name = getattr(request.user, "full_name", "") or "?"
    return HttpResponse(f"<!doctype html><title>Hallo</title><p>Hallo, {name}!</p>")


urlpatterns = [path("bench/hello/", hello), path("", include("startklar.urls"))]
