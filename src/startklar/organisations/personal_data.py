"""What Startklar holds about one person, for their own download (GDPR Art. 15 and 20).

Found from the models, so a feature added later is included without changes here: every row
that refers to the person's account or to one of their memberships (use cases they created,
their votes, their readiness answers, the literacy record linked to them …), the rows that hang
on those (the answers of a readiness respondent, the training records of a literacy record),
their memberships and what the audit log recorded of them. Secrets (password hash, two-factor
keys, recovery codes) are left out: they are data about the account's protection, and a file
that contains them would weaken it.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.db import models
from django.utils import timezone, translation

from startklar.accounts.models import PasswordResetRequest, User

from .archive import owned_models
from .models import AuditEvent, Membership

PROJECT = "startklar."
ACCOUNT_FIELDS = ("email", "full_name", "date_joined", "last_login", "is_active")


def _value(obj: models.Model, f: models.Field[Any, Any]) -> Any:
    if f.is_relation:
        target = getattr(obj, f.name, None)
        return str(target) if target is not None else None
    value = f.value_from_object(obj)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


def _row(obj: models.Model, path: str | None) -> dict[str, Any]:
    """The row with its fields by name (stable keys for machines), the organisation it belongs
    to by name, references to other objects by their label."""
    row = {f.name: _value(obj, f) for f in obj._meta.concrete_fields if not f.primary_key}
    if path:
        owner: Any = obj
        for step in path.split("__"):
            owner = getattr(owner, step, None)
        row["organisation"] = str(owner) if owner is not None else None
    return row


def _kinds() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith(PROJECT)
        and m._meta.app_label != "accounts"  # the account itself below; secrets never
        and m not in (Membership, AuditEvent)
    ]


def _account_fields() -> list[models.Field[Any, Any]]:
    return [f for f in User._meta.concrete_fields if f.name in ACCOUNT_FIELDS]


def collect(user: User) -> dict[str, Any]:
    """The person's data as a JSON-ready dict: field names as keys, kinds of data and choices
    in the current language."""
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    membership_ids = [m.pk for m in memberships]
    found: dict[str, list[dict[str, Any]]] = {}
    direct: dict[type[models.Model], list[int]] = {}
    paths = {o.model: o.path for o in owned_models()}
    for model in _kinds():
        query = models.Q()
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is User:
                query |= models.Q(**{f.attname: user.pk})
            elif f.is_relation and f.related_model is Membership and membership_ids:
                query |= models.Q(**{f"{f.attname}__in": membership_ids})
        if not query:
            continue
        rows = list(model._default_manager.filter(query).select_related().order_by("pk"))
        if rows:
            found[str(model._meta.verbose_name_plural)] = [_row(r, paths.get(model)) for r in rows]
            direct[model] = [r.pk for r in rows]
    for model in _kinds():  # one level further: what hangs on those rows
        for f in model._meta.concrete_fields:
            if f.many_to_one and not f.null and f.related_model in direct and model not in direct:
                rows = list(
                    model._default_manager.filter(
                        **{f"{f.attname}__in": direct[f.related_model]}  # type: ignore[index]
                    ).order_by("pk")
                )
                if rows:
                    found.setdefault(str(model._meta.verbose_name_plural), []).extend(
                        _row(r, paths.get(model)) for r in rows
                    )
    language = translation.get_language() or "de"
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {f.name: _value(user, f) for f in _account_fields()},
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": str(m.get_role_display()),
                "since": m.created_at.isoformat(),
            }
            for m in memberships
        ],
        "data": found,
        "audit_log": [
            {
                "at": e.at.isoformat(),
                "organisation": e.organisation.name if e.organisation else None,
                "action": str(e.get_action_display()),
                "object": e.object_label,
                "summary": e.summary.get(language, "") if isinstance(e.summary, dict) else "",
                "address": e.ip_address,
            }
            for e in AuditEvent.objects.filter(actor=user).select_related("organisation")
        ],
    }


def forget_sign_in_traces(user: User) -> None:
    """Sign-in protection records name the account by its e-mail address; they go with it."""
    email = user.email
    AccessAttempt.objects.filter(username__iexact=email).delete()
    AccessLog.objects.filter(username__iexact=email).delete()
    AccessFailureLog.objects.filter(username__iexact=email).delete()
    PasswordResetRequest.objects.filter(email__iexact=email).delete()
