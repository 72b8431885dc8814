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
from django.utils.translation import gettext as _

from startklar.accounts.models import PasswordResetRequest, User

from .archive import owned_models
from .models import AuditEvent, Membership

PROJECT = "startklar."
ACCOUNT_FIELDS = ("email", "full_name", "date_joined", "last_login", "is_active")


Labels = dict[tuple[type[models.Model], Any], str]


def _value(obj: models.Model, f: models.Field[Any, Any], labels: Labels) -> Any:
    if f.is_relation:
        target = getattr(obj, f.attname)
        return labels.get((f.related_model, target)) if target is not None else None  # type: ignore[arg-type]
    value = f.value_from_object(obj)
    if isinstance(value, (bytes, memoryview)):  # a file kept in the database, e.g. a report
        return _("(a file of %(count)d bytes)") % {"count": len(value)}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


# Ids read in one query for the labels: well within what SQLite (32,766 since 3.32) and
# PostgreSQL take in one statement.
LABEL_BATCH = 20_000


def _labels(rows: list[models.Model], path: str | None) -> Labels:
    """The label of everything ``rows`` refer to (and of their organisation), read with one
    query per kind of object, however many rows there are."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for row in rows:
        for f in row._meta.concrete_fields:
            value = getattr(row, f.attname) if f.is_relation else None
            if value is not None and isinstance(f.related_model, type):
                wanted.setdefault(f.related_model, set()).add(value)
    labels: Labels = {}
    for model, ids in wanted.items():
        # One query per kind, not in_bulk(): that splits at SQLite's old limit of 999 ids, so
        # a person with many verdicts or votes would cost a query per thousand of them.
        listed = sorted(ids)
        for start in range(0, len(listed), LABEL_BATCH):
            for obj in _with_related(model).filter(pk__in=listed[start : start + LABEL_BATCH]):
                labels[(model, obj.pk)] = str(obj)
    if path:
        organisation_of = dict(
            type(rows[0])
            ._default_manager.filter(pk__in=[r.pk for r in rows])
            .values_list("pk", f"{path}__name")
        )
        for row in rows:
            labels[(type(row), ("organisation", row.pk))] = organisation_of.get(row.pk, "")
    return labels


def _row(obj: models.Model, path: str | None, labels: Labels) -> dict[str, Any]:
    """The row with its fields by name (stable keys for machines), the organisation it belongs
    to by name, references to other objects by their label."""
    row = {f.name: _value(obj, f, labels) for f in obj._meta.concrete_fields if not f.primary_key}
    if path:
        row["organisation"] = labels.get((type(obj), ("organisation", obj.pk)))
    return row


def _rows(rows: list[models.Model], path: str | None) -> list[dict[str, Any]]:
    labels = _labels(rows, path)
    return [_row(r, path, labels) for r in rows]


def _kinds() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith(PROJECT)
        and m._meta.app_label != "accounts"  # the account itself below; secrets never
        and m not in (Membership, AuditEvent)
    ]


def _with_related(model: type[models.Model]) -> models.QuerySet[Any]:
    """The model's rows with the objects they refer to fetched along (their labels may name
    them)."""
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    return model._default_manager.select_related(*related)


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
        rows = list(model._default_manager.filter(query).order_by("pk"))
        if rows:
            found[str(model._meta.verbose_name_plural)] = _rows(rows, paths.get(model))
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
                        _rows(rows, paths.get(model))
                    )
    language = translation.get_language() or "de"
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {f.name: _value(user, f, {}) for f in _account_fields()},
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
