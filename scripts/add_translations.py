"""Merge German translations from a small .po fragment into the catalogue, then compile.

Usage::

    uv run python scripts/add_translations.py fragment.po

For work in parallel: several people can add their strings without running ``makemessages``
(which rewrites the whole catalogue). Entries already in the catalogue get the fragment's
translation; new ones are appended. ``makemessages`` later keeps them and sorts them in.
"""

from __future__ import annotations

import argparse
import fcntl
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "src" / "startklar" / "locale" / "de" / "LC_MESSAGES" / "django.po"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fragment", type=Path)
    args = parser.parse_args(argv)
    fragment = polib.pofile(str(args.fragment))
    with (CATALOGUE.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        catalogue = polib.pofile(str(CATALOGUE), wrapwidth=79)
        added = updated = 0
        for entry in fragment:
            existing = catalogue.find(entry.msgid, msgctxt=entry.msgctxt or False)
            if existing is None:
                catalogue.append(
                    polib.POEntry(
                        msgid=entry.msgid,
                        msgid_plural=entry.msgid_plural,
                        msgstr=entry.msgstr,
                        msgstr_plural=dict(entry.msgstr_plural),
                        msgctxt=entry.msgctxt,
                    )
                )
                added += 1
            else:
                existing.msgstr = entry.msgstr
                existing.msgstr_plural = dict(entry.msgstr_plural)
                existing.obsolete = False
                if "fuzzy" in existing.flags:
                    existing.flags.remove("fuzzy")
                updated += 1
        catalogue.save(str(CATALOGUE))
        subprocess.run([sys.executable, str(ROOT / "scripts" / "compile_messages.py")], check=True)
    print(f"{added} added, {updated} updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
