"""Registry of the product modules that are built, for the navigation and the overview page.

A feature registers its module in its ``AppConfig.ready()``; the shell shows only what is
registered, so nothing unbuilt ever appears in the navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str  # reversed with the organisation's slug as ``org_slug``
    icon: str  # a Bootstrap Icons name, e.g. "speedometer2"
    order: int
    # Optional: what waits for the signed-in member in this module (e.g. "1 round awaits your
    # answers"), given the request's tenant; shown on the overview page. Empty: nothing.
    attention: Callable[[Any], str] | None = None


_modules: dict[str, Module] = {}


def register(module: Module) -> None:
    _modules[module.key] = module


def built_modules() -> tuple[Module, ...]:
    return tuple(sorted(_modules.values(), key=lambda m: m.order))
