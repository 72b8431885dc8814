"""The error pages Django renders itself (400, 403, 404) wear the application's layout, in the
person's language, with what to do next."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults


@pytest.mark.parametrize(
    ("view", "exception", "status", "title"),
    [
        (defaults.bad_request, BadRequest(), 400, "Invalid request"),
        (defaults.permission_denied, PermissionDenied(), 403, "Not allowed"),
        (defaults.page_not_found, Http404(), 404, "Page not found"),
    ],
)
def test_error_pages_use_the_layout(
    view: Callable[[HttpRequest, Exception], HttpResponse],
    exception: Exception,
    status: int,
    title: str,
) -> None:
    request = RequestFactory().get("/somewhere/")
    with translation.override("en"):
        response = view(request, exception)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<title>{title}" in html
    assert 'class="navbar' in html  # the application's layout, not Django's bare page
