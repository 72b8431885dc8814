"""Reads of the accounts feature: the state of a person's two-factor sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
from django.db.models import Exists, OuterRef, QuerySet

from . import engine
from .models import Authenticator, RecoveryCode, User

FEW_RECOVERY_CODES = 3  # at or below this many unused codes the account page warns


def active_user(pk: int) -> User | None:
    """A user who may still sign in (the one a half-finished sign-in belongs to)."""
    return User.objects.filter(pk=pk, is_active=True).first()


def confirmed_authenticators() -> Exists:
    """For annotating users (``OuterRef("user")`` / ``OuterRef("pk")``): two-factor is on."""
    return Exists(Authenticator.objects.filter(user=OuterRef("user"), confirmed_at__isnull=False))


def with_two_factor(users: QuerySet[User]) -> QuerySet[User]:
    """Those of ``users`` whose sign-in asks for a code."""
    return users.filter(authenticator__confirmed_at__isnull=False)


def has_two_factor(user: User) -> bool:
    """Whether sign-in asks this person for a code."""
    return Authenticator.objects.filter(user=user, confirmed_at__isnull=False).exists()


@dataclass(frozen=True)
class TwoFactorState:
    enabled: bool
    enabled_at: datetime | None
    setup_started: bool  # a secret was made but not yet confirmed with a code
    recovery_codes_left: int
    recovery_codes_total: int

    @property
    def few_recovery_codes(self) -> bool:
        return self.enabled and self.recovery_codes_left <= FEW_RECOVERY_CODES


def two_factor_state(user: User) -> TwoFactorState:
    authenticator = Authenticator.objects.filter(user=user).first()
    enabled = authenticator is not None and authenticator.is_confirmed
    codes = RecoveryCode.objects.filter(user=user)
    return TwoFactorState(
        enabled=enabled,
        enabled_at=authenticator.confirmed_at if authenticator is not None else None,
        setup_started=authenticator is not None and not enabled,
        recovery_codes_left=codes.filter(used_at__isnull=True).count() if enabled else 0,
        recovery_codes_total=codes.count() if enabled else 0,
    )


@dataclass(frozen=True)
class Setup:
    """What the setup page shows for the app: the QR code and the secret to type in."""

    secret_grouped: str
    qr_data_uri: str  # an SVG as a data: address (the CSP allows images from data:)
    uri: str


def open_setup(user: User) -> Setup | None:
    """The secret of a setup that was started and not yet confirmed, or ``None``."""
    authenticator = Authenticator.objects.filter(user=user, confirmed_at__isnull=True).first()
    if authenticator is None:
        return None
    uri = engine.provisioning_uri(authenticator.secret, user.email)
    qr = segno.make(uri, error="m")
    return Setup(
        secret_grouped=engine.grouped(authenticator.secret),
        qr_data_uri=qr.svg_data_uri(scale=5, border=2, dark="#000", light="#fff"),
        uri=uri,
    )
