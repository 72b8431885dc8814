"""Single-use codes for a pulse (pure Python): handed out on paper or by e-mail, each lets one
person answer once, and nothing links an answer to its code.

A code is :data:`LENGTH` random characters from :data:`ALPHABET` (no 0/O, 1/I/L: nothing to
mix up when typed from paper) and a check character, shown in groups of three
("K7M-Q2X-9RH"). The check character is a weighted sum modulo 31, a prime, so every single
mistyped character and every swap of two neighbours is caught before the code is looked up:
the person is told to look again instead of being told the code is unknown.

Only a keyed digest of a code is stored (:func:`digest`, HMAC-SHA-256 with the server's
secret): a database copy does not give the codes away, and a code cannot be found from the
list of digests. The answer itself is stored apart, without the code or its digest.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters, a prime number of them
LENGTH = 8  # random characters: 31⁸ ≈ 8.5 · 10¹¹ codes
GROUP = 3  # characters shown together
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -–_.")


def _check(body: str) -> str:
    total = sum((position + 1) * _VALUE[c] for position, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    """A fresh code with its check character, without separators."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return body + _check(body)


def shown(code: str) -> str:
    """A code as printed: in groups of three, joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """The code a person typed, in capitals without spaces or dashes; None when it cannot be
    a code (wrong length, a character that no code has, a check character that does not fit:
    a typing mistake)."""
    code = typed.translate(_SEPARATORS).upper()
    if len(code) != LENGTH + 1 or any(c not in _VALUE for c in code):
        return None
    if _check(code[:-1]) != code[-1]:
        return None
    return code


def digest(code: str, key: bytes) -> str:
    """What is stored of a code: its HMAC-SHA-256 under ``key``, in hexadecimal."""
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()
