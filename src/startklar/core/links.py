"""``reverse()`` remembered: the same view name and arguments always give the same path.

Django's ``reverse`` walks the URL map on every call (30–50 µs); a page links to the same
views again and again (the navigation on every page, two links per row of a long table). The
``{% url %}`` tag of every template (``core.templatetags.startklar`` replaces Django's) asks
:func:`reverse` here, which remembers each answer by everything the answer depends on: the
view name, the arguments, the current application, the URL map and the script prefix. Only
arguments that are numbers or strings are remembered; anything else is reversed afresh.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

_PLAIN = (int, str)


@functools.lru_cache(maxsize=16384)
def _remembered(
    view_name: str,
    args: tuple[int | str, ...],
    kwargs: tuple[tuple[str, int | str], ...],
    current_app: str | None,
    urlconf: str | None,
    _root: str,
    _prefix: str,
) -> str:
    return django_reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def reverse(
    view_name: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    kwargs = dict(kwargs or {})
    plain = all(type(a) in _PLAIN for a in args) and all(type(v) in _PLAIN for v in kwargs.values())
    if not plain or not isinstance(view_name, str):
        return django_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _remembered(
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
    )


_SENTINEL = 987654321987


def for_each(view_name: str, *args: int | str) -> Callable[[int], str]:
    """The URL of ``view_name`` for many objects (e.g. one link per row of a table): reversed
    once with ``args`` and a stand-in for the object's id as the last argument, which is then
    filled in for each id."""
    url = reverse(view_name, args=[*args, _SENTINEL])
    before, found, after = url.rpartition(str(_SENTINEL))
    if not found:  # pragma: no cover - the id is always the last part of our URLs
        raise ValueError(f"{view_name}: the id is not part of the URL")
    return lambda pk: f"{before}{int(pk)}{after}"
