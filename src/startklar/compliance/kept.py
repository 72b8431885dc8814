"""Keys of the parts of compliance pages that are kept rendered (``{% cache None name key %}``).

A long list or a long unfilled form is rendered once and kept in the cache under a key made of
everything it shows: any change gives another key, so a kept part is never stale (nothing is
ever invalidated; an unused key is dropped by the cache in time). What is kept never carries a
CSRF token (forms in a kept list submit through one form outside it) and is never a filled-in
(bound) form: those are rendered on every request.
"""

from __future__ import annotations

import hashlib
import io
import pickle

from django import forms
from django.utils.translation import get_language

from startklar.organisations.tenancy import Tenant

# Part of every key: raise it when a kept part shows something new from the same data (the
# kept parts live in each process's memory, so a deployment starts afresh anyway).
VERSION = 2


def content_key(*parts: object) -> str:
    """A key for what is shown from ``parts`` (plain values, no cycles): another key for other
    values. Pickled without its memo, so that the bytes depend on the values only, not on which
    of them happen to be one shared object (the same values give the same key)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(out.getbuffer(), digest_size=20).hexdigest()


def reader(tenant: Tenant) -> dict[str, object]:
    """What every kept part of a page depends on besides what it lists: the language, the
    organisation's address (in links) and whether the reader may change things (buttons)."""
    return {
        "language": get_language() or "de",
        "address": tenant.organisation.slug,
        "editing": tenant.can_edit,
    }


def part_key(tenant: Tenant, name: str, *shown: object) -> str:
    """A key for the kept part ``name`` of a page of the organisation: the values ``shown``
    (rows with their labels and links) and :func:`reader`."""
    return content_key(name, VERSION, reader(tenant), shown)


def form_parts(form: forms.BaseForm) -> dict[str, object]:
    """What an unfilled form shows: its class, the language, each field's name, id and value
    (a form for an existing object shows the object's values) and the options of every field
    with options, as its widget shows them (for the organisation's objects: their ids and
    names, read afresh or as the page has read them)."""
    kind = type(form)
    return {
        "kind": f"{kind.__module__}.{kind.__qualname__}",
        "language": get_language() or "de",
        "fields": [(field.html_name, field.auto_id, field.value()) for field in form],
        "choices": [
            (name, list(iter(field.widget.choices)))  # iter(): a model choice's len() counts
            for name, field in form.fields.items()
            if hasattr(field.widget, "choices")
        ],
    }


def form_key(form: forms.BaseForm) -> str:
    """A key for ``form`` rendered unfilled (:func:`form_parts`); "" for a filled-in (bound)
    form: it shows what was sent and its errors, so it is always rendered."""
    if form.is_bound:
        return ""
    return content_key("form", VERSION, form_parts(form))
