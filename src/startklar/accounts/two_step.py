"""The sign-in between the password and the code: who is signing in, kept in the session.

After a correct password for an account with two-factor sign-in the person is *not* signed in
yet. The session remembers the account, the authentication backend, when the password was
given, where to go afterwards and how many wrong codes were entered. It is good for
:data:`PENDING_SECONDS`; after :data:`MAX_WRONG_CODES` wrong codes the password is asked again.
Django gives the session a new key when the person is finally signed in.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.http import HttpRequest

from .models import User

SESSION_KEY = "startklar_pending_sign_in"
PENDING_SECONDS = 5 * 60
MAX_WRONG_CODES = 3


@dataclass
class PendingSignIn:
    user_id: int
    backend: str
    started: float
    next_url: str = ""
    wrong_codes: int = 0

    @property
    def expired(self) -> bool:
        return time.time() - self.started > PENDING_SECONDS


def begin(request: HttpRequest, user: User, backend: str, next_url: str) -> PendingSignIn:
    pending = PendingSignIn(
        user_id=user.pk, backend=backend, started=time.time(), next_url=next_url
    )
    save(request, pending)
    return pending


def current(request: HttpRequest) -> PendingSignIn | None:
    """The sign-in waiting for its code, or ``None`` (also for anything malformed)."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, dict):
        return None
    try:
        pending = PendingSignIn(**value)
    except TypeError:
        return None
    valid = (
        isinstance(pending.user_id, int)
        and isinstance(pending.backend, str)
        and isinstance(pending.started, int | float)
        and isinstance(pending.next_url, str)
        and isinstance(pending.wrong_codes, int)
    )
    return pending if valid else None


def save(request: HttpRequest, pending: PendingSignIn) -> None:
    request.session[SESSION_KEY] = asdict(pending)


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
