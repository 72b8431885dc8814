"""The content kit (pure Python, no Django): every feature's ``content/__init__.py`` reads its
question banks, catalogues and rule bases with it.

Layout: ``<feature>/content/<version>/`` holds one version of a feature's content, e.g.
``readiness/content/2026.1/bank.yaml``; ``<feature>/content/released.json`` maps every released
version to the SHA-256 of its folder (:meth:`Versions.digest`). Stored results keep the version
they were made with and are read with it again, so a released folder never changes: a change
goes into a new version folder, released with ``python -m startklar.core.content release
<content folder> <version>``. Each feature's tests fail when a released folder was edited
(:meth:`Versions.edited`).

Errors are :class:`ContentError`; the message names the file and the line or the key, e.g.
``readiness 2026.1/bank.yaml: question strategie.1 (line 40): needs non-empty 'de' and 'en'
texts``.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from startklar.core.text import Text
from startklar.core.values import Triple

VERSION = re.compile(r"\d{4}\.\d+")
RELEASED = "released.json"


class ContentError(ValueError):
    """Content breaks a rule; the message names the file and the line or the key."""


class Node(dict[str, Any]):
    """A mapping read from a content file; ``line`` is where it starts (1-based)."""

    line: int = 0


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader (libyaml's, ten times faster, where PyYAML has it), with the line of
    every mapping and without duplicate keys."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    result = Node()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise ContentError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse_yaml(source: str) -> Any:
    """YAML text as data; mappings are :class:`Node` with their line."""
    try:
        return yaml.load(source, Loader=_Loader)  # noqa: S506 – a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ContentError(f"{where}not valid YAML ({getattr(error, 'problem', error)})") from None


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int, size: int) -> Any:  # noqa: ARG001 – part of the cache key
    """A content file parsed once per process (per change of the file): the loaders of a version
    are called with and without the version argument, which their own caches tell apart."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(f"cannot read the file ({error.strerror})") from None
    return parse_yaml(source)


def at(where: str, value: object) -> str:
    """``where`` with the line of ``value`` if it was read from a file: ``rule x (line 12)``."""
    line = getattr(value, "line", 0)
    return f"{where} (line {line})" if line else where


@contextmanager
def reading(name: str) -> Iterator[None]:
    """Name ``name`` in every error raised inside; a missing key or a value of the wrong kind
    (``KeyError``, ``TypeError``, an unknown enum value …) becomes a :class:`ContentError`."""
    try:
        yield
    except ContentError as error:
        raise ContentError(f"{name}: {error}") from error
    except (KeyError, TypeError, IndexError, AttributeError) as error:
        raise ContentError(f"{name}: missing or malformed {error!r}") from error
    except ValueError as error:
        raise ContentError(f"{name}: {error}") from error


def require(ok: bool, where: str, problem: str) -> None:
    if not ok:
        raise ContentError(f"{where}: {problem}")


def text(value: Any, where: str) -> Text:
    """A bilingual text ``{de: …, en: …}``, both non-empty."""
    require(
        isinstance(value, dict)
        and all(isinstance(value.get(k), str) and value[k].strip() for k in ("de", "en")),
        where,
        "needs non-empty 'de' and 'en' texts",
    )
    return Text(value["de"].strip(), value["en"].strip())


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def triple(value: Any, where: str) -> Triple:
    """A three-point estimate ``[min, most likely, max]`` with 0 ≤ min ≤ likely ≤ max."""
    require(
        isinstance(value, list)
        and len(value) == 3
        and all(_number(v) and v >= 0 for v in value)
        and value[0] <= value[1] <= value[2],
        where,
        "needs [min, most likely, max], 0 ≤ min ≤ likely ≤ max",
    )
    return Triple(float(value[0]), float(value[1]), float(value[2]))


def unique(ids: list[str], where: str) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    require(not duplicates, where, f"not unique: {', '.join(duplicates)}")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Versions:
    """The version folders of one feature's content (``folder/<version>/``) and their hashes."""

    feature: str  # for messages, e.g. "readiness"
    folder: Path  # the feature's content folder

    def available(self) -> list[str]:
        """Every version folder, oldest first."""
        found = [p.name for p in self.folder.iterdir() if p.is_dir() and VERSION.fullmatch(p.name)]
        return sorted(found, key=_version_key)

    def path(self, version: str, name: str) -> Path:
        if version not in self.available():
            raise ContentError(f"{self.feature}: no content of version {version!r}")
        return self.folder / version / name

    def read(self, version: str, name: str) -> Any:
        """A file of a version as data; a file that names a version must name its folder's."""
        path = self.path(version, name)
        with reading(f"{self.feature} {version}/{name}"):
            try:
                stat = path.stat()
            except OSError as error:
                raise ContentError(f"cannot read the file ({error.strerror})") from None
            data = copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))
            named = data.get("version") if isinstance(data, dict) else None
            require(named is None or str(named) == version, "version", f"says {named!r}")
        return data

    @contextmanager
    def reading(self, version: str, name: str) -> Iterator[Any]:
        """``with versions.reading("2026.1", "bank.yaml") as data: …``: errors inside name the
        file."""
        data = self.read(version, name)
        with reading(f"{self.feature} {version}/{name}"):
            yield data

    # Released versions ---------------------------------------------------------------------

    def released(self) -> dict[str, str]:
        path = self.folder / RELEASED
        if not path.is_file():
            return {}
        with reading(f"{self.feature} {RELEASED}"):
            data = json.loads(path.read_text(encoding="utf-8"))
            require(
                isinstance(data, dict) and all(isinstance(v, str) for v in data.values()),
                "released versions",
                "must map each version to its hash",
            )
        return {str(k): v for k, v in data.items()}

    def digest(self, version: str) -> str:
        """SHA-256 over the names and contents of every file in the version's folder."""
        folder = self.folder / version
        digest = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder)
            if any(part.startswith(".") for part in relative.parts):
                continue
            digest.update(relative.as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()

    def edited(self) -> list[str]:
        """Released versions whose folder is gone or differs from its hash."""
        return [
            version
            for version, digest in self.released().items()
            if not (self.folder / version).is_dir() or self.digest(version) != digest
        ]

    def unreleased(self) -> list[str]:
        return [v for v in self.available() if v not in self.released()]

    def release(self, version: str) -> str:
        """Freeze a version: write its hash into ``released.json``; returns the hash."""
        if version not in self.available():
            raise ContentError(f"{self.feature}: no content of version {version!r}")
        if version in self.released():
            raise ContentError(f"{self.feature}: version {version} is released already")
        released = {**self.released(), version: self.digest(version)}
        ordered = {v: released[v] for v in sorted(released, key=_version_key)}
        (self.folder / RELEASED).write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8")
        return ordered[version]


def main(argv: list[str]) -> int:
    """``python -m startklar.core.content release <content folder> <version>``."""
    if len(argv) != 3 or argv[0] != "release":
        print("usage: python -m startklar.core.content release <content folder> <version>")
        return 2
    folder = Path(argv[1])
    try:
        digest = Versions(folder.parent.name, folder).release(argv[2])
    except ContentError as error:
        print(error)
        return 1
    print(f"{argv[2]}: {digest}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
