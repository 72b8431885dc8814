"""The features of Startklar, each declared once in its own ``feature.py``.

A feature is a package ``startklar/<name>/`` with a ``feature.py`` that defines ``FEATURE``:
its Django app, where its pages and API live, its command-line subcommands, its part of the demo
company and its module on the overview and in the navigation. Everything that puts the product
together – the installed apps, the root URL map, the API, the ``startklar`` command, the demo
and the navigation – iterates :func:`features` and names no feature itself.

``feature.py`` is read before Django is set up (the settings take the installed apps from it,
and the command line needs no Django), so it holds only strings: references ``"module:name"``
are imported when they are used (:func:`load`).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from typing import Any

PACKAGE = "startklar"


@dataclass(frozen=True)
class Feature:
    key: str  # e.g. "usecases"; also the URL namespace of its pages
    order: int  # features build on those with a lower order (layers, navigation, demo)
    app: str  # the Django app, e.g. "startklar.usecases"
    # Pages: the URL module and its prefix; under the organisation (``o/<slug:org_slug>/``)
    # unless ``org_scoped`` is false.
    urls: str = ""
    url_prefix: str = ""
    org_scoped: bool = True
    # Addresses outside any organisation and without a session, opened by a secret they carry
    # (e.g. a calendar feed): a second URL module under its own prefix.
    public_urls: str = ""
    public_prefix: str = ""
    api: str = ""  # "module:router" of a django-ninja Router, mounted under /api/v1/
    cli: str = ""  # "module:register", called with the argparse subparsers of ``startklar``
    demo: str = ""  # "module:seed", called with the demo company while it is built
    module: str = ""  # "module:factory" returning its core.modules.Module (overview, navigation)
    # "module:function", called with the organisation after an archive import added objects to
    # it: results the feature stores are worked out again, not taken from the archive on trust.
    imported: str = ""
    # "module:function", called by the housekeeping (``startklar worker`` every hour) with the
    # time; does what is due (idempotently) and returns one line saying what it did.
    housekeeping: str = ""

    @property
    def url_route(self) -> str:
        return f"o/<slug:org_slug>/{self.url_prefix}" if self.org_scoped else self.url_prefix


@cache
def features() -> tuple[Feature, ...]:
    """Every feature of the package, by ``order``."""
    root = importlib.import_module(PACKAGE)
    found = []
    for info in pkgutil.iter_modules(root.__path__):
        if not info.ispkg:
            continue
        try:
            declaration = importlib.import_module(f"{PACKAGE}.{info.name}.feature")
        except ModuleNotFoundError as error:
            if error.name == f"{PACKAGE}.{info.name}.feature":
                continue  # a package that is no feature (core, settings, locale …)
            raise
        feature = declaration.FEATURE
        if not isinstance(feature, Feature):  # pragma: no cover - a declaration error
            raise TypeError(f"{declaration.__name__}.FEATURE is no Feature")
        found.append(feature)
    keys = [f.key for f in found]
    if len(set(keys)) != len(keys):  # pragma: no cover - a declaration error
        raise ValueError(f"two features share a key: {sorted(keys)}")
    return tuple(sorted(found, key=lambda f: f.order))


def load(reference: str) -> Any:
    """The object a ``"module:name"`` reference names, imported now."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


def each(attribute: str) -> list[tuple[Feature, Any]]:
    """Every feature that declares ``attribute`` (e.g. "cli"), with what it refers to."""
    return [(f, load(getattr(f, attribute))) for f in features() if getattr(f, attribute)]


def apps() -> list[str]:
    """The features' Django apps, for ``INSTALLED_APPS``."""
    return [f.app for f in features()]
