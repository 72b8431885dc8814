"""Business cases as YAML files (CLI and examples), read into the engine's ``Case``.

```yaml
name: "Eingangsrechnungen automatisch erfassen"
horizon: 36            # months, default 36
discount_rate: 0.08    # per year, default 0.08
ramp: [2, 3, 6]        # months until full effect: a number or [min, most likely, max]
items:
  - {name: Einführung, kind: one_off, amount: [5000, 6000, 9000], note: "Angebot"}
  - {name: Zeitersparnis, kind: time_saving, minutes: [4, 6, 8], cases: 600, rate: 45}
```
Kinds and their factors are those of :class:`startklar.businesscase.engine.ItemKind`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from startklar.core.values import Triple
from startklar.core.yamlfile import YamlFileError, read_yaml, require_list

from .engine import Case, Item, ItemKind


class CaseFileError(YamlFileError):
    """The file cannot be read as a business case; the message names line or field."""


def triple(value: Any, where: str) -> Triple:
    if isinstance(value, bool):
        raise CaseFileError(f"{where}: a number or [min, most likely, max] is needed")
    if isinstance(value, int | float):
        values = [value] * 3
    elif isinstance(value, list) and len(value) == 3:
        values = value
    else:
        raise CaseFileError(f"{where}: a number or [min, most likely, max] is needed")
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
        raise CaseFileError(f"{where}: only numbers are allowed")
    try:
        return Triple(float(values[0]), float(values[1]), float(values[2]))
    except ValueError as error:
        raise CaseFileError(f"{where}: {error}") from error


def parse(data: Any, source: str = "case") -> tuple[str, Case]:
    items = []
    for n, raw in enumerate(require_list(data, "items", source), 1):
        where = f"{source}: item {n}"
        if not isinstance(raw, dict):
            raise CaseFileError(f"{where}: must be a mapping")
        name = str(raw.get("name", "")).strip() or f"item {n}"
        where = f"{source}: item {n} ({name})"
        try:
            kind = ItemKind(str(raw.get("kind")))
        except ValueError:
            kinds = ", ".join(k.value for k in ItemKind)
            raise CaseFileError(f"{where}: 'kind' must be one of {kinds}") from None
        missing = [f for f in kind.factors if f not in raw]
        if missing:
            raise CaseFileError(f"{where}: missing {', '.join(missing)}")
        factors = {f: triple(raw[f], f"{where} {f}") for f in kind.factors}
        try:
            items.append(Item(name, kind, factors))
        except ValueError as error:
            raise CaseFileError(f"{source}: {error}") from error
    try:
        case = Case(
            items=tuple(items),
            horizon=int(data.get("horizon", 36)),
            annual_rate=float(data.get("discount_rate", 0.08)),
            ramp=triple(data.get("ramp", 0), f"{source}: ramp"),
        )
    except (TypeError, ValueError) as error:
        raise CaseFileError(f"{source}: {error}") from error
    return str(data.get("name", source)), case


def read(path: Path) -> tuple[str, Case]:
    """A case file; errors (``YamlFileError``, ``CaseFileError``) name the line or field."""
    return parse(read_yaml(path), str(path))
