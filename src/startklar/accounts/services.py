"""Every write of two-factor sign-in: setting it up, confirming, switching it off, recovery
codes, and checking the code at the second sign-in step.

Each function runs in one transaction. Rule violations raise :class:`TwoFactorError` with a
message for the user. Changes are announced with :data:`signals.two_factor_changed` inside the
transaction (the audit log listens). Whether the person knows their password is checked by the
form before these functions are called.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import engine
from .models import Authenticator, RecoveryCode, User
from .signals import TwoFactorChange, two_factor_changed


class TwoFactorError(Exception):
    """A step of two-factor sign-in that cannot be taken now; the message is for the user."""


class WrongCode(TwoFactorError):
    """The code at the second sign-in step is wrong, or was used already (``replayed``)."""

    def __init__(self, message: str, *, replayed: bool = False):
        super().__init__(message)
        self.replayed = replayed


@dataclass(frozen=True)
class Accepted:
    """A second factor that was accepted; ``recovery_codes_left`` is set when a recovery code
    was used."""

    kind: engine.CodeKind
    recovery_codes_left: int | None = None


def _announce(
    user: User, change: TwoFactorChange, ip_address: str | None, recovery_codes_left: int
) -> None:
    two_factor_changed.send(
        sender=User,
        user=user,
        change=change,
        ip_address=ip_address,
        recovery_codes_left=recovery_codes_left,
    )


def _locked_authenticator(user: User) -> Authenticator | None:
    return Authenticator.objects.select_for_update().filter(user=user).first()


def _replace_recovery_codes(user: User) -> list[str]:
    """A new set of recovery codes (the old ones stop working); returns them for showing once."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = engine.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=engine.hash_recovery_code(code)) for code in codes
    )
    return [engine.format_recovery_code(code) for code in codes]


@transaction.atomic
def start_setup(user: User) -> Authenticator:
    """A new secret for the authenticator app, not yet in force until it is confirmed."""
    authenticator = _locked_authenticator(user)
    if authenticator is not None and authenticator.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in is already on."))
    if authenticator is None:
        return Authenticator.objects.create(user=user, secret=engine.new_secret())
    authenticator.secret = engine.new_secret()
    authenticator.last_used_step = None
    authenticator.save(update_fields=["secret", "last_used_step"])
    return authenticator


@transaction.atomic
def confirm_setup(
    user: User, code: str, *, at: float | None = None, ip_address: str | None = None
) -> list[str]:
    """Switch two-factor sign-in on with a current code from the app; returns the first set of
    recovery codes (shown once)."""
    authenticator = _locked_authenticator(user)
    if authenticator is None or authenticator.is_confirmed:
        raise TwoFactorError(
            _("This setup is no longer open. Please start setting up two-factor sign-in again.")
        )
    step = engine.verify(authenticator.secret, code, time.time() if at is None else at)
    if step is None:
        raise TwoFactorError(
            _(
                "This code is not correct. Please enter the code the app shows now; if it is "
                "refused again, check that the time on your phone is set automatically."
            )
        )
    authenticator.confirmed_at = timezone.now()
    authenticator.last_used_step = step
    authenticator.save(update_fields=["confirmed_at", "last_used_step"])
    codes = _replace_recovery_codes(user)
    _announce(user, TwoFactorChange.ENABLED, ip_address, len(codes))
    return codes


@transaction.atomic
def disable(user: User, *, ip_address: str | None = None) -> None:
    """Switch two-factor sign-in off: the secret and all recovery codes are deleted."""
    authenticator = _locked_authenticator(user)
    if authenticator is None or not authenticator.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in is not on."))
    authenticator.delete()
    RecoveryCode.objects.filter(user=user).delete()
    _announce(user, TwoFactorChange.DISABLED, ip_address, 0)


@transaction.atomic
def renew_recovery_codes(user: User, *, ip_address: str | None = None) -> list[str]:
    """A new set of recovery codes; the old ones stop working. Returns them for showing once."""
    authenticator = _locked_authenticator(user)
    if authenticator is None or not authenticator.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in is not on."))
    codes = _replace_recovery_codes(user)
    _announce(user, TwoFactorChange.RECOVERY_CODES_RENEWED, ip_address, len(codes))
    return codes


@transaction.atomic
def check_second_factor(
    user: User,
    entered: engine.EnteredCode,
    *,
    at: float | None = None,
    ip_address: str | None = None,
) -> Accepted:
    """Accept a current, unused code from the app or an unused recovery code (which is then
    used up); raise :class:`WrongCode` otherwise."""
    authenticator = _locked_authenticator(user)
    if authenticator is None or not authenticator.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in is not on for this account."))
    if entered.kind == engine.CodeKind.TOTP:
        now = time.time() if at is None else at
        secret, last_used = authenticator.secret, authenticator.last_used_step
        step = engine.verify(secret, entered.value, now, last_used)
        if step is None:
            if engine.find_step(secret, entered.value, now) is not None:
                raise WrongCode(
                    _(
                        "This code has been used already. Please wait for the next code in "
                        "your app."
                    ),
                    replayed=True,
                )
            raise WrongCode(_("This code is not correct. Please enter the code the app shows now."))
        authenticator.last_used_step = step
        authenticator.save(update_fields=["last_used_step"])
        return Accepted(engine.CodeKind.TOTP)
    unused = list(RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True))
    match = next(
        (c for c in unused if engine.recovery_code_matches(entered.value, c.code_hash)), None
    )
    if match is None:
        raise WrongCode(
            _("This recovery code is not correct or has been used already. Each code works once.")
        )
    match.used_at = timezone.now()
    match.save(update_fields=["used_at"])
    left = len(unused) - 1
    _announce(user, TwoFactorChange.RECOVERY_CODE_USED, ip_address, left)
    return Accepted(engine.CodeKind.RECOVERY, recovery_codes_left=left)
