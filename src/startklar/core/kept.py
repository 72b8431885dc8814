"""Keys for parts of pages kept rendered (``{% cache None name key %}``).

A long list is rendered once for what it shows and kept in the process's cache under a key
made of everything it shows (:func:`content_key`): any change gives another key, so a kept
part is never stale. A part with forms carries the person's CSRF token; it is kept per person
as well (:func:`person_key`: a hash of the CSRF secret, never the secret itself), so nobody
is served another's token.
"""

from __future__ import annotations

import hashlib
import io
import pickle

from django.http import HttpRequest
from django.middleware.csrf import get_token


def content_key(*parts: object) -> str:
    """A key for what is shown from ``parts`` (plain values): equal only for equal parts.
    Pickled without a memo, so the bytes depend on the values only, not on which of them
    happen to be the same object."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getvalue(), digest_size=20).hexdigest()


def person_key(request: HttpRequest) -> str:
    """A key that differs for every CSRF secret (every browser session), for kept parts
    that carry the CSRF token."""
    get_token(request)  # makes sure the request has its secret
    secret = str(request.META.get("CSRF_COOKIE", ""))
    return hashlib.blake2b(secret.encode(), digest_size=16, person=b"kept-csrf").hexdigest()
