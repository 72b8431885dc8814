"""Reading YAML files given by users (CLI input): errors name the file and the line or field.

Every CLI command that reads a file uses this module: ``read_answer_file`` for answers to a
versioned questionnaire (readiness check, AI Act classification), ``read_yaml`` and
``require_list`` for the others (portfolio, business case). Their errors are ``YamlFileError``
(the commands' own errors derive from it), so a command catches one error class.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

# libyaml's safe loader (about 9× faster) where PyYAML was built with it; the same documents.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFileError(ValueError):
    """The file cannot be read or breaks a rule; the message says where."""


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe
    except OSError as error:
        raise YamlFileError(f"{path}: cannot read the file ({error.strerror})") from error
    except UnicodeDecodeError:
        raise YamlFileError(f"{path}: not a UTF-8 text file") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise YamlFileError(f"{path}:{where}: not valid YAML") from error


def require_list(data: Any, key: str, source: object) -> list[Any]:
    """``data[key]`` if ``data`` is a mapping and that is a list."""
    found = data.get(key) if isinstance(data, dict) else None
    if not isinstance(found, list):
        raise YamlFileError(f"{source}: needs a list '{key}'")
    return found


class AnswerFile(NamedTuple):
    name: str
    version: str  # of the content the answers belong to
    answers: dict[str, Any]


def read_answer_file(
    path: Path,
    *,
    name_key: str,
    version_key: str,
    versions: Sequence[str],
    current: str,
    answer: str,
) -> AnswerFile:
    """A file with ``<name_key>`` (default: the file's name), ``<version_key>`` (default: the
    current version) and ``answers: {question id: <answer>}``."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise YamlFileError(f"{path}: needs a mapping 'answers: {{question id: {answer}}}'")
    version = str(data.get(version_key, current))
    if version not in versions:
        raise YamlFileError(f"{path}: unknown {version_key} {version!r}")
    return AnswerFile(str(data.get(name_key, path.stem)), version, data["answers"])
