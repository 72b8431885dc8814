"""Two-factor sign-in without Django: one-time passwords and recovery codes.

* HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA-1, six digits and 30-second steps, the
  settings every authenticator app understands.
* :func:`verify` accepts a code of the current step or one step either side (clocks drift) and
  returns the step it matched, so the caller can store it and refuse the same code, or an older
  one, a second time (no replay).
* Recovery codes: ten per set, eight characters written ``abcd-efgh`` from an alphabet without
  the look-alikes 0/O, 1/l/I; people may type them in any case, with spaces or without the dash.
  Only a salted SHA-256 hash is kept. The codes carry 39 bits of chance, are tried only after
  the password, a few times per sign-in and under the sign-in lockout, and work once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlencode

ISSUER = "Startklar"
DIGITS = 6
PERIOD = 30  # seconds per time step
WINDOW = 1  # steps accepted either side of the current one
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
RECOVERY_LENGTH = 8
RECOVERY_GROUP = 4
RECOVERY_CODES_PER_SET = 10
_HASH_PREFIX = "sha256"


# One-time passwords -----------------------------------------------------------------------------


def new_secret() -> str:
    """A random shared secret, base32 without padding (32 characters for 160 bits)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_key(secret: str) -> bytes:
    """The bytes behind a base32 secret, read in any case and with spaces (as apps show it)."""
    text = "".join(secret.split()).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def grouped(secret: str, size: int = 4) -> str:
    """The secret in groups of four for typing it into an app by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """The HMAC-based one-time password of RFC 4226 for ``counter``."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(at: float, period: int = PERIOD) -> int:
    """The TOTP time step of the Unix time ``at``."""
    return int(at // period)


def totp(secret: str, at: float, digits: int = DIGITS) -> str:
    """The time-based one-time password of RFC 6238 at the Unix time ``at``."""
    return hotp(secret_key(secret), time_step(at), digits)


def provisioning_uri(secret: str, email: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{email}", safe="@:")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": PERIOD,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def clean_totp(text: str) -> str | None:
    """Six digits as typed (spaces allowed, e.g. "123 456"), or ``None``."""
    digits = "".join(text.split())
    return digits if len(digits) == DIGITS and digits.isascii() and digits.isdigit() else None


def find_step(secret: str, code: str, at: float, window: int = WINDOW) -> int | None:
    """The time step within ``window`` steps of ``at`` whose code is ``code``, or ``None``.

    The current step is tried first; every candidate is compared in constant time.
    """
    digits = clean_totp(code)
    if digits is None:
        return None
    key = secret_key(secret)
    now = time_step(at)
    for step in sorted(range(now - window, now + window + 1), key=lambda s: abs(s - now)):
        if hmac.compare_digest(hotp(key, step), digits):
            return step
    return None


def verify(
    secret: str, code: str, at: float, last_used_step: int | None = None, window: int = WINDOW
) -> int | None:
    """The matched time step, or ``None`` when the code is wrong or its step is not newer than
    ``last_used_step`` (a code that was used already)."""
    step = find_step(secret, code, at, window)
    if step is None or (last_used_step is not None and step <= last_used_step):
        return None
    return step


# Recovery codes ---------------------------------------------------------------------------------


def new_recovery_code() -> str:
    """One recovery code in its normal form (eight characters, no dash)."""
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


def new_recovery_codes(count: int = RECOVERY_CODES_PER_SET) -> list[str]:
    """A set of distinct recovery codes in their normal form."""
    codes: list[str] = []
    while len(codes) < count:
        code = new_recovery_code()
        if code not in codes:
            codes.append(code)
    return codes


def format_recovery_code(code: str) -> str:
    """``abcdefgh`` → ``abcd-efgh``, as shown and printed."""
    return f"{code[:RECOVERY_GROUP]}-{code[RECOVERY_GROUP:]}"


def normalise_recovery_code(text: str) -> str | None:
    """A recovery code as typed (any case, spaces, dashes) in its normal form, or ``None``."""
    code = "".join(ch for ch in text.lower() if not ch.isspace() and ch not in "-–_")
    if len(code) == RECOVERY_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code):
        return code
    return None


def hash_recovery_code(code: str, salt: str | None = None) -> str:
    """``sha256$<salt>$<hex digest>`` of a normalised code; a fresh salt unless one is given."""
    salt = salt if salt is not None else secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${code}".encode()).hexdigest()
    return f"{_HASH_PREFIX}${salt}${digest}"


def recovery_code_matches(code: str, stored: str) -> bool:
    """Whether the normalised ``code`` is the one behind ``stored`` (constant-time compare)."""
    prefix, _sep, rest = stored.partition("$")
    salt, _sep, _digest = rest.partition("$")
    if prefix != _HASH_PREFIX or not salt:
        return False
    return hmac.compare_digest(hash_recovery_code(code, salt), stored)


# What someone typed at the second step ----------------------------------------------------------


class CodeKind(StrEnum):
    TOTP = "totp"
    RECOVERY = "recovery"


@dataclass(frozen=True)
class EnteredCode:
    kind: CodeKind
    value: str  # six digits, or a recovery code in its normal form


def read_code(text: str) -> EnteredCode | None:
    """A code from the authenticator app or a recovery code, told apart by their form."""
    digits = clean_totp(text)
    if digits is not None:
        return EnteredCode(CodeKind.TOTP, digits)
    code = normalise_recovery_code(text)
    if code is not None:
        return EnteredCode(CodeKind.RECOVERY, code)
    return None
