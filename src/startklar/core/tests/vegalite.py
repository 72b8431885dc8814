"""Test helpers for chart specs: the Vega-Lite JSON schema shipped with Altair, colour contrast.

The specs are plain dicts built at request time; :func:`assert_valid` is the check that Altair's
validation used to do, run in the tests instead of on every page view.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import altair
import jsonschema  # type: ignore[import-untyped]

SCHEMA = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"


@cache
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _finite(value: Any, path: str = "$") -> None:
    if isinstance(value, float):
        assert math.isfinite(value), f"{path} is {value}"
    elif isinstance(value, dict):
        for key, item in value.items():
            _finite(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _finite(item, f"{path}[{n}]")


def assert_valid(spec: dict[str, Any]) -> None:
    """The spec is valid Vega-Lite, survives JSON as the page carries it, has no NaN/inf."""
    _finite(spec)
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec
    errors = sorted(validator().iter_errors(spec), key=lambda e: list(e.absolute_path))
    messages = [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}"
        for e in (jsonschema.exceptions.best_match([error]) or error for error in errors)
    ]
    assert not messages, "invalid Vega-Lite spec:\n" + "\n".join(messages)


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """All unit specs of a (possibly nested) layered spec."""
    found: list[dict[str, Any]] = []
    for layer in spec.get("layer", [spec]):
        found.extend(layers(layer) if "layer" in layer else [layer])
    return found


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``#rrggbb`` against white (1 to 21)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)
