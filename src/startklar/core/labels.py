"""One place per vocabulary: how a person reads the codes of the engines.

Engines name their results with enums whose values are stable ids (``hochrisiko``, ``hoch``,
``quick_wins``): stored in the database, printed by the CLI, never shown to a person. Each
feature says once, in its ``labels.py``, how every member reads, with gettext::

    SEVERITIES = Labels(Severity, {Severity.HIGH: _("high"), …}, styles={Severity.HIGH: …})

``Labels`` refuses a mapping that leaves out a member and registers itself as *the* wording of
its enum (``primary=False`` for a second form such as a singular). Templates write
``{{ hurdle.severity|label }}`` and ``{{ hurdle.severity|label_style }}`` (a Bootstrap colour),
code ``label(member)`` or ``SEVERITIES[member]``; nothing outside the engine compares raw ids.
Model choices (``TextChoices``) carry their labels themselves and work with the filter too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

E = TypeVar("E", bound=Enum)

_REGISTRY: dict[type[Enum], Labels[Any]] = {}


class Labels(Mapping[E, Promise]):
    def __init__(
        self,
        enum: type[E],
        labels: Mapping[E, Promise],
        *,
        styles: Mapping[E, str] | None = None,
        primary: bool = True,
    ) -> None:
        for name, given in (("label", labels), ("style", styles)):
            if given is None:
                continue
            missing = [m.name for m in enum if m not in given]
            unknown = [repr(k) for k in given if not isinstance(k, enum)]
            if missing or unknown:
                raise ImproperlyConfigured(
                    f"{enum.__name__}: no {name} for {', '.join(missing) or '–'}, "
                    f"not members: {', '.join(unknown) or '–'}"
                )
        self.enum = enum
        self._labels = {m: labels[m] for m in enum}
        self._styles = {m: styles[m] for m in enum} if styles is not None else None
        if primary:
            if _REGISTRY.get(enum, self) is not self:
                raise ImproperlyConfigured(f"{enum.__name__} has its labels already")
            _REGISTRY[enum] = self

    def __getitem__(self, member: E) -> Promise:
        return self._labels[member]

    def __iter__(self) -> Iterator[E]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def style(self, member: E) -> str:
        if self._styles is None:
            raise LookupError(f"{self.enum.__name__} has no styles")
        return self._styles[member]


_discovered = False


def labels_of(enum: type[E]) -> Labels[E]:
    """The primary labels of an engine's enum; the features' ``labels`` modules are imported
    the first time one is missing."""
    global _discovered
    if enum not in _REGISTRY and not _discovered:
        _discovered = True
        autodiscover_modules("labels")
    try:
        return _REGISTRY[enum]
    except KeyError:
        raise LookupError(f"no labels for {enum.__name__}; see startklar.core.labels") from None


def label(member: object) -> str:
    """How a code reads in the active language."""
    if not isinstance(member, Enum):
        raise TypeError(f"{member!r} is not a member of an enum")
    if isinstance(member, Choices):
        return str(member.label)
    return str(labels_of(type(member))[member])


def style(member: object) -> str:
    """The Bootstrap colour (``danger``, ``warning`` …) of a code that has one."""
    if not isinstance(member, Enum):
        raise TypeError(f"{member!r} is not a member of an enum")
    return labels_of(type(member)).style(member)
