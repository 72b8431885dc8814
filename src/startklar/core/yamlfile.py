"""Reading YAML files given by users (CLI input): errors name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class YamlFileError(ValueError):
    """The file cannot be read or is not valid YAML; the message says where."""


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise YamlFileError(f"{path}: cannot read the file ({error.strerror})") from error
    except UnicodeDecodeError:
        raise YamlFileError(f"{path}: not a UTF-8 text file") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise YamlFileError(f"{path}:{where}: not valid YAML") from error
