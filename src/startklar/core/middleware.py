"""Project-wide middleware: language choice, sign-in by default, privacy headers and the idle
session timeout."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers


class LanguageMiddleware:
    """German unless the user picked another language (cookie set by the language switch).

    The browser's Accept-Language is ignored on purpose: Startklar is German first and every
    page should look the same for everyone until someone switches.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless its view is marked ``@login_not_required``.

    The JSON API is left to django-ninja, which answers 401 instead of redirecting.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "browsing-topics",
    )
)
LAST_SEEN = "startklar_last_seen"  # session key: when this session last made a request
SEEN_PRECISION = 60  # seconds; the session is written at most once a minute for this


class PrivacyMiddleware:
    """Headers and session rules for an application that holds employee data.

    * ``Permissions-Policy`` switches off browser features Startklar never uses.
    * ``Cache-Control: no-store`` on every page of a signed-in user and on every download, so
      neither the browser's history nor a shared proxy keeps a copy.
    * An idle timeout besides the absolute session age: after ``STARTKLAR_SESSION_IDLE_HOURS``
      without a request the session ends and the next page asks to sign in again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in and self._idle_too_long(request):
            logout(request)
            signed_in = False
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        download = "attachment" in response.headers.get("Content-Disposition", "")
        if signed_in or download:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _idle_too_long(request: HttpRequest) -> bool:
        now = int(time.time())
        seen = request.session.get(LAST_SEEN)
        if isinstance(seen, int) and now - seen > settings.STARTKLAR_SESSION_IDLE_HOURS * 3600:
            return True
        if not isinstance(seen, int) or now - seen >= SEEN_PRECISION:
            request.session[LAST_SEEN] = now
        return False


# C0 control characters except tab, line feed and carriage return, DEL and the C1 range: a
# person never types them, and one of them in a title broke every export of the organisation.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    return value


class ControlCharacterMiddleware:
    """Removes control characters from every submitted form field and from every text in a
    JSON body (the API) before any form or schema sees them.

    Single-line fields drop tab and line breaks themselves (Django's ``CharField`` strips and
    its widgets do not submit them); multi-line fields keep them. A JSON body that does not
    parse is left alone: the API answers it with its own 4xx.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in WRITES and request.content_type == "application/json":
            self._clean_json_body(request)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields = request.POST
            if any(CONTROL.search(v) for values in fields.lists() for v in values[1]):
                cleaned = fields.copy()
                for key, values in fields.lists():
                    cleaned.setlist(key, [CONTROL.sub("", v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned  # type: ignore[assignment]
        return self.get_response(request)

    @staticmethod
    def _clean_json_body(request: HttpRequest) -> None:
        try:
            body = request.body
            data = json.loads(body.decode(request.encoding or "utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return
        cleaned = _clean_json(data)
        if cleaned != data:
            request._body = json.dumps(cleaned, ensure_ascii=False).encode()
