"""Review content: the default rubric in version folders (``<version>/rubric.yaml``), loaded and
checked on the way in (pure Python, no Django; the kit is ``startklar.core.content``).

A new review plan starts with a copy of the current version's rubric (``CURRENT_VERSION``) and
may change it afterwards; the plan keeps the version it was copied from.
"""

from __future__ import annotations

import functools
from pathlib import Path

from startklar.core.content import ContentError, Versions
from startklar.reviews.engine import Rubric, RubricError, parse_rubric

FOLDER = Path(__file__).resolve().parent
VERSIONS = Versions("reviews", FOLDER)
CURRENT_VERSION = "2026.1"


@functools.cache
def load_rubric(version: str = CURRENT_VERSION) -> Rubric:
    """The default rubric of ``version``, checked by the engine's rules."""
    with VERSIONS.reading(version, "rubric.yaml") as data:
        try:
            return parse_rubric({"criteria": data["criteria"]})
        except RubricError as error:
            raise ContentError(str(error)) from None
