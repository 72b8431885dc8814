"""Pages kept rendered until the data they show changes.

A signed-in person's page (a whole page or an htmx fragment) is kept, in the process's memory,
under a key made of everything that decides what the page shows:

* the database's :func:`generation <.generation.current>` token, which every change of data
  renews (so a kept page never outlives a change, whoever made it and in which process);
* the person (user id) and the browser session: a hash of its CSRF secret (kept forms carry
  its token) and of the session's content (the organisation last used, a sign-in step);
* the language, the address with its query, the host and scheme, every ``HX-*`` header;
* the hour, for what depends on the clock (deadlines counted in days, invitations expiring).

Only a ``GET`` that answered 200 with HTML is kept, and only if its view changed nothing: no
statement changed data, the session is as it was, no message was waiting or added, no cookie
was set, it is no download, it used no CSP nonce (one answer's only), and the view did not
forbid caching (``never_cache``). A page is
served from here only to the person it was rendered for, after the same middleware (sign-in,
idle timeout) as any page, so who may see what is decided exactly as before: a membership
ended or a role changed is a change of data.

The first view of a page after a change costs what rendering costs (``docs/performance.md``);
every further view until the next change costs about what a bare signed-in view costs.
``STARTKLAR_KEPT_PAGES_MB`` bounds the memory per process (0 switches keeping off).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone

from . import generation
from .kept import content_key, person_key
from .middleware import LAST_SEEN

MAX_PAGE_BYTES = 2 * 1024 * 1024
NOT_KEPT_HEADERS = frozenset({"content-length"})


@dataclass(frozen=True, slots=True)
class _Page:
    content: bytes
    headers: tuple[tuple[str, str], ...]


class _Store:
    """Least recently used pages, bounded by their bytes; safe to share between threads."""

    def __init__(self, limit: int):
        self.limit = limit
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: _Page) -> None:
        size = len(page.content)
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._pages[key] = page
            self._bytes += size
            while self._bytes > self.limit and self._pages:
                _key, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


store = _Store(int(getattr(settings, "STARTKLAR_KEPT_PAGES_MB", 32) * 1024 * 1024))


def _session_key(request: HttpRequest) -> str:
    session = getattr(request, "session", None)
    if session is None:
        return ""
    items = sorted((k, v) for k, v in session.items() if k != LAST_SEEN)
    return content_key(items)


def _waiting_messages(request: HttpRequest) -> int:
    storage = getattr(request, "_messages", None)
    return len(storage) if storage is not None else 0


def _keepable(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if "Content-Disposition" in response:
        return False
    cache_control = response.get("Cache-Control", "")
    if "no-cache" in cache_control or "no-store" in cache_control:
        return False
    return len(response.content) <= MAX_PAGE_BYTES  # type: ignore[attr-defined]


class KeptPageMiddleware:
    """Serves a signed-in person's page again while nothing it shows has changed (the last
    middleware: what it keeps is exactly what the view answered)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET" or store.limit <= 0:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _waiting_messages(request):
            return self.get_response(request)
        token = generation.current()
        if token is None:
            return self.get_response(request)
        session = _session_key(request)
        key = content_key(
            token,
            user.pk,
            person_key(request),
            session,
            request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "",
            request.get_host(),
            request.scheme,
            request.get_full_path(),
            sorted((k, v) for k, v in request.META.items() if k.startswith("HTTP_HX_")),
            int(time.time() // 3600),
            timezone.localdate(),
        )
        page = store.get(key)
        if page is not None:
            again = HttpResponse(page.content)
            for name, value in page.headers:
                again[name] = value
            return again
        writes = generation.writes()
        response = self.get_response(request)
        if (
            _keepable(response)
            and generation.writes() == writes
            and not _waiting_messages(request)
            and _session_key(request) == session
            and getattr(request, "_csp_nonce", None) is None  # a nonce is for one answer only
        ):
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_KEPT_HEADERS
            )
            store.put(key, _Page(bytes(response.content), headers))  # type: ignore[attr-defined]
        return response
