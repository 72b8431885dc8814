"""``startklar data profile FILE [--sheet NAME] [--use-case CATALOGUE_ID] [--json]
[--lang en]``: a file profiled on this machine, however large the disk allows, with a progress
bar on a terminal; no database and no upload. ``--use-case`` adds whether the data is enough
for a use case of the catalogue (e.g. ``einkauf.bedarfsprognose``).

Exit codes: 0 profiled, 1 the file cannot be read as a table (the message says why), 2 an
argument that cannot be used (no such file, an unknown use case).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

UNREADABLE = 1
USAGE_ERROR = 2
BAR = 30  # characters of the progress bar


def _fail(message: str, code: int) -> int:
    print(f"startklar data: {message}", file=sys.stderr)
    return code


def progress_bar(stream: TextIO) -> Callable[[float], None] | None:
    """A progress bar on ``stream`` when it is a terminal (None otherwise: no noise in logs)."""
    if not stream.isatty():
        return None
    shown = [-1]

    def show(share: float) -> None:
        percent = int(max(0.0, min(1.0, share)) * 100)
        if percent == shown[0]:
            return
        shown[0] = percent
        done = BAR * percent // 100
        stream.write(f"\r[{'#' * done}{' ' * (BAR - done)}] {percent:3d} %")
        if percent == 100:
            stream.write("\n")
        stream.flush()

    return show


def run_profile(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path}: no such file", USAGE_ERROR)
    from startklar.core import offline

    offline.configure()
    from startklar.usecases.content import load_catalogue

    from . import content, engine
    from .engine import facts, fitness

    entry = None
    if args.use_case:
        entry = load_catalogue().entry(args.use_case)
        if entry is None:
            return _fail(f"no use case '{args.use_case}' in the catalogue", USAGE_ERROR)
    try:
        found = engine.profile(path, sheet=args.sheet, progress=progress_bar(sys.stderr))
    except engine.DataFileError as error:
        from django.utils import translation

        from . import labels

        with translation.override(args.lang):
            reason = labels.word(labels.FAILURES, error.code)
        return _fail(f"{path}: {reason}", UNREADABLE)
    result = None
    if entry is not None:
        rules = content.load_rules()
        result = fitness.evaluate(
            rules.rule_set, entry.id, str(entry.technique.value), facts.facts_from(found)
        )
    if args.json:
        data: dict[str, Any] = {"profile": found.to_dict()}
        if result is not None:
            data["fitness"] = result.to_dict()
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(render(found, result, args.lang))
    return 0


def render(found: Any, result: Any, language: str) -> str:
    """The profile (and the fitness) in words, German or English."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from . import content, labels, wording

    with translation.override(language):
        lines = [
            _("%(rows)s rows, %(columns)s columns")
            % {"rows": wording.count(found.rows), "columns": len(found.columns)},
            "",
            _("What needs attention") + ":",
        ]
        problems = wording.findings(found)
        lines += [f"  - {f.text}" for f in problems] or ["  " + _("Nothing: the file is clean.")]
        lines += ["", _("Columns") + ":"]
        for column in found.columns:
            personal = wording.personal_text(column)
            lines.append(
                f"  {column.name}: {labels.word(labels.TYPES, column.inferred)}"
                f" ({wording.formats_text(column)}); "
                + _("missing %(missing)s") % {"missing": wording.count(column.missing)}
                + (f"; {personal}" if personal else "")
            )
        if result is not None:
            rules = content.load_rules()
            score = "–" if result.score is None else f"{result.score}/100"
            lines += ["", _("Enough for the use case?") + f" {score}"]
            for check in result.checks:
                evidence = wording.evidence(check)
                lines.append(
                    f"  [{labels.word(labels.STATES, check.state)}] "
                    f"{rules.texts[check.key].get(language)}"
                    + (f" ({evidence})" if evidence else "")
                )
        return "\n".join(lines)


def register(commands: Any) -> None:
    data = commands.add_parser("data", help="profile a CSV or Excel file (the data check)")
    actions = data.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser(
        "profile",
        help="formats, gaps, duplicates and personal data of a file; with --use-case, "
        "whether it is enough for a use case",
    )
    p.add_argument("file", help="CSV (.csv, .txt, .tsv) or Excel (.xlsx)")
    p.add_argument("--sheet", help="the sheet of a workbook (default: the first with data)")
    p.add_argument("--use-case", help="a catalogue id, e.g. einkauf.bedarfsprognose")
    p.add_argument("--json", action="store_true", help="the profile as JSON")
    p.add_argument("--lang", choices=["de", "en"], default="de")
    p.set_defaults(handler=run_profile)
