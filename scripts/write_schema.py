"""Writes ``src/startklar/core/schema_sqlite.sql``: an empty SQLite database migrated with
today's code, as SQL (see ``startklar.core.schema``). Run after adding a migration:
``uv run python scripts/write_schema.py`` (``--out FILE`` writes elsewhere, for the test)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startklar-schema-") as folder:
        os.environ["STARTKLAR_VAR_DIR"] = folder
        os.environ["DJANGO_SETTINGS_MODULE"] = "startklar.settings.local"
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from startklar.core import schema

        call_command("migrate", interactive=False, verbosity=0)
        text = schema.dump(connection)
        connection.close()
    out = args.out or schema.SNAPSHOT
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
