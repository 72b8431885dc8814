"""htmx the django-htmx way: a typed request and one way to answer with a page or its partial.

A page template defines its swappable parts with ``{% partialdef name inline %}``; a view
answers with :func:`render`, which gives htmx requests ``page.html#name`` and the browser the
whole page. Both vary on the ``HX-Request`` header (``Vary``), so no cache hands one the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as django_render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An ``HttpRequest`` after django-htmx's middleware: ``request.htmx`` is typed."""

    htmx: HtmxDetails


def render(
    request: HtmxHttpRequest,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """``template`` for a page load, ``template#partial`` for an htmx request (when given)."""
    name = f"{template}#{partial}" if partial and request.htmx else template
    response = django_render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
