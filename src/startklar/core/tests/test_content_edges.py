"""The content kit's edge: a content file that exists but cannot be read names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from startklar.core.content import ContentError, Versions


def test_a_file_that_cannot_be_read_names_the_file_and_the_reason(tmp_path: Path) -> None:
    (tmp_path / "2026.1").mkdir()
    (tmp_path / "2026.1" / "bank.yaml").mkdir()  # there, but a folder: stat works, reading not
    with pytest.raises(ContentError) as raised:
        Versions("demo", tmp_path).read("2026.1", "bank.yaml")
    assert str(raised.value) == "demo 2026.1/bank.yaml: cannot read the file (Is a directory)"
