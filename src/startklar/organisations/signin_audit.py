"""Sign-ins and two-factor changes in the audit log of every organisation the person is in.

Accounts may not import organisations, so it only sends signals; this module listens and is
connected once from :meth:`OrganisationsConfig.ready`:

* Django's ``user_logged_in`` → :attr:`AuditAction.SIGNED_IN`;
* Django's ``user_login_failed`` for an existing account → :attr:`AuditAction.SIGN_IN_FAILED`
  (a wrong password, or a wrong code at the second step, which accounts reports with
  ``second_factor=True``); attempts refused by the lockout are not logged (this listener is
  connected before django-axes', so it sees the lockout as it was before this attempt);
* ``accounts.signals.two_factor_changed`` → :attr:`AuditAction.TWO_FACTOR`, written inside
  the transaction of the change.

The client address comes from :func:`startklar.accounts.security.client_ip`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from startklar.accounts.models import User
from startklar.accounts.queries import has_two_factor
from startklar.accounts.security import client_ip
from startklar.accounts.signals import TwoFactorChange, two_factor_changed

from . import audit
from .models import AuditAction, Organisation


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="startklar.audit.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="startklar.audit.sign_in_failed")
    two_factor_changed.connect(two_factor, dispatch_uid="startklar.audit.two_factor")


def _organisations(user: User) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).order_by("pk"))


def _address(request: HttpRequest | None) -> str | None:
    return (client_ip(request) or None) if request is not None else None


def _record(
    user: User, action: AuditAction, summary: Callable[[], str], ip_address: str | None
) -> None:
    for organisation in _organisations(user):
        audit.record_for(organisation, user, action, summary=summary, ip_address=ip_address)


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if isinstance(user, User):
        with_code = has_two_factor(user)
        _record(
            user,
            AuditAction.SIGNED_IN,
            (lambda: _("With password and app code"))
            if with_code
            else (lambda: _("With password")),
            _address(request),
        )


def sign_in_failed(
    sender: Any,
    credentials: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    username = (credentials or {}).get("username")
    if not isinstance(username, str) or not username.strip():
        return
    if request is not None and AxesProxyHandler.is_locked(request, {"username": username}):
        return  # refused by the lockout: nothing was tried, and logging it would invite floods
    user = User.objects.filter(email__iexact=username.strip()).first()
    if user is None:
        return
    if kwargs.get("second_factor"):
        summary = lambda: _("Wrong code at the second sign-in step")  # noqa: E731
    else:
        summary = lambda: _("Wrong password")  # noqa: E731
    _record(user, AuditAction.SIGN_IN_FAILED, summary, _address(request))


def _two_factor_summary(change: TwoFactorChange, left: int) -> Callable[[], str]:
    def summary() -> str:
        if change == TwoFactorChange.ENABLED:
            return _("Two-factor sign-in switched on")
        if change == TwoFactorChange.DISABLED:
            return _("Two-factor sign-in switched off")
        if change == TwoFactorChange.RECOVERY_CODES_RENEWED:
            return _("New recovery codes created")
        return ngettext(
            "Signed in with a recovery code; %(count)d left",
            "Signed in with a recovery code; %(count)d left",
            left,
        ) % {"count": left}

    return summary


def two_factor(
    sender: Any,
    user: User,
    change: TwoFactorChange,
    ip_address: str | None = None,
    recovery_codes_left: int = 0,
    **kwargs: Any,
) -> None:
    summary = _two_factor_summary(TwoFactorChange(change), recovery_codes_left)
    _record(user, AuditAction.TWO_FACTOR, summary, ip_address)
