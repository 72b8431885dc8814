"""Business cases as YAML files (CLI and examples), read into the engine's ``Case``.

```yaml
name: "Eingangsrechnungen automatisch erfassen"
horizon: 36            # months, default 36
discount_rate: 0.08    # per year, default 0.08
go_live: 2             # months after the start until the system is live, default 0
ramp: [2, 3, 6]        # months until full effect: a number or [min, most likely, max]
items:
  - {name: Einführung, kind: one_off, amount: [5000, 6000, 9000], note: "Angebot"}
  - {name: Zeitersparnis, kind: time_saving, minutes: [4, 6, 8], cases: 600, rate: 45,
     cash_share: [0.3, 0.5, 0.8]}
```
Kinds and their factors are those of :class:`startklar.businesscase.engine.ItemKind`. A key the
format does not know is an error naming it and its line (a typo such as ``discount:`` must not
leave the discount rate at its default).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from startklar.core.values import Triple
from startklar.core.yamlfile import YamlFileError, read_yaml, require_list

from .engine import Case, Item, ItemKind

CASE_KEYS = ("name", "horizon", "discount_rate", "go_live", "ramp", "items")
ITEM_KEYS = ("name", "kind", "note")
# Where a key stands: ("discount",) at the top, ("items", 0, "minutes") in the first item.
Lines = Mapping[tuple[Any, ...], int]


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


def key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line (1-based) of every key of the case and of its items."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # read_yaml has said what is wrong already
        return {}
    lines: dict[tuple[Any, ...], int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[(key.value,)] = key.start_mark.line + 1
        if key.value == "items" and isinstance(value, yaml.SequenceNode):
            for n, entry in enumerate(value.value):
                if isinstance(entry, yaml.MappingNode):
                    for item_key, _item_value in entry.value:
                        lines[("items", n, item_key.value)] = item_key.start_mark.line + 1
    return lines


def _unknown(
    found: Mapping[Any, Any],
    known: tuple[str, ...],
    where: str,
    lines: Lines,
    path: tuple[Any, ...],
) -> None:
    """Refuse the first key that is not in ``known``, with its line and the likely meant one."""
    for key in found:
        if key in known:
            continue
        line = lines.get((*path, key))
        at = f" line {line}:" if line else ""
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise CaseFileError(f"{where}:{at} unknown key '{key}' (allowed: {', '.join(known)}){hint}")


def _whole(value: Any, where: str) -> int:
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        raise CaseFileError(f"{where}: a whole number of months is needed")
    return int(value)


def _rate(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseFileError(f"{where}: a number is needed (0.08 for 8 % a year)")
    return float(value)


def parse(data: Any, source: str = "case", lines: Lines | None = None) -> tuple[str, Case]:
    lines = lines or {}
    entries = require_list(data, "items", source)
    _unknown(data, CASE_KEYS, source, lines, ())
    items = []
    for n, raw in enumerate(entries, 1):
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
        _unknown(raw, (*ITEM_KEYS, *kind.factors), where, lines, ("items", n - 1))
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
            horizon=_whole(data.get("horizon", 36), f"{source}: horizon"),
            annual_rate=_rate(data.get("discount_rate", 0.08), f"{source}: discount_rate"),
            ramp=triple(data.get("ramp", 0), f"{source}: ramp"),
            go_live=_whole(data.get("go_live", 0), f"{source}: go_live"),
        )
    except ValueError as error:
        if isinstance(error, CaseFileError):
            raise
        raise CaseFileError(f"{source}: {error}") from error
    return str(data.get("name", source)), case


def read(path: Path) -> tuple[str, Case]:
    """A case file; errors (``YamlFileError``, ``CaseFileError``) name the line or field."""
    data = read_yaml(path)
    return parse(data, str(path), key_lines(path.read_text(encoding="utf-8")))
