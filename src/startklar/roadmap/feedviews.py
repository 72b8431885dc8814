"""A member's calendar feed, fetched by Outlook, Thunderbird or Google Calendar with the secret
address alone (no session, no cookies). An unknown or switched-off address answers 404, the
same for both, so that nobody learns which addresses existed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import queries, services


@login_not_required
@never_cache
@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    found = services.feed_for(secret)
    if found is None:
        raise Http404
    language = "en" if request.GET.get("lang") == "en" else "de"
    with translation.override(language):
        body, name = queries.calendar_file(
            found.organisation, found.member, language, request.build_absolute_uri("/")
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Robots-Tag"] = "noindex"
    return response
