"""What accounts tells the features above it, which it may not import (the audit log lives in
organisations and listens here).

* :data:`two_factor_changed` – sent inside the transaction of the change, so a listener's
  writes are saved with it or not at all. Arguments: ``user``, ``change``
  (:class:`TwoFactorChange`), ``ip_address`` (or ``None``) and ``recovery_codes_left``.
* A wrong or reused code at the second sign-in step is reported like a wrong password, with
  Django's ``user_login_failed`` (``credentials={"username": <e-mail>}``, ``request``) plus
  ``second_factor=True``: django-axes counts it towards the lockout and the per-address limit,
  so codes cannot be guessed faster than passwords.
"""

from __future__ import annotations

from enum import StrEnum

from django.dispatch import Signal


class TwoFactorChange(StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    RECOVERY_CODE_USED = "recovery_code_used"


two_factor_changed = Signal()
