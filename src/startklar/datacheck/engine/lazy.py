"""A module imported on first use: the engine's results (``model``, ``fitness``, ``facts``)
are read by the web app in every process, which should not pay for polars (a second) unless
it profiles a file."""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule(ModuleType):
    """Stands for the module ``name`` and imports it when an attribute is first asked for
    (then takes over its attributes, so that later lookups cost nothing extra)."""

    def __getattr__(self, attribute: str) -> object:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, attribute)
