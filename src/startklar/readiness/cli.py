"""``startklar readiness score ANSWERS.yaml [--json] [--lang de|en]``: the engine on a file.

Runs without Django and without a database: the same engine and question bank as the web pages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from startklar.core.content import ContentError
from startklar.core.yamlfile import AnswerFile, YamlFileError, read_answer_file

from .content import CURRENT_VERSION, available_versions, load_bank
from .engine import assess, assessment_to_dict, validate_answers


def read_answers(path: Path) -> AnswerFile:
    """Company, bank version and answers of a YAML file; errors name the line or the field."""
    return read_answer_file(
        path,
        name_key="company",
        version_key="bank_version",
        versions=available_versions(),
        current=CURRENT_VERSION,
        answer="level",
    )


def score(args: argparse.Namespace) -> int:
    try:
        file = read_answers(Path(args.answers))
        bank = load_bank(file.version)
        answers = validate_answers(bank, file.answers)
    except (YamlFileError, ContentError, ValueError) as error:
        raise SystemExit(f"startklar readiness: {error}") from error
    company, version = file.name, file.version
    result: dict[str, object] = {"company": company, "bank_version": version}
    small = bank.small(args.headcount)
    result.update(assessment_to_dict(assess(bank, answers), args.lang, small))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


def _headcount(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of staff, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return number


def render_text(result: dict[str, Any]) -> str:
    if not result["rated"]:
        return f"{result['company']}: noch nicht bewertet / not rated yet"
    stage = result["stage"]["name"] if result["stage"] else "–"
    lines = [
        f"{result['company']}: {result['overall']:.0f}/100 · {stage} · "
        f"{result['coverage']:.0%} beantwortet",
        "",
    ]
    lines += [
        f"  {d['name']:<40} {'–' if d['score'] is None else format(d['score'], '5.1f')}"
        for d in result["dimensions"]
    ]
    lines += ["", "Hürden / hurdles:"]
    lines += [f"  [{h['severity']}] {h['title']}" for h in result["hurdles"]] or ["  –"]
    lines += ["", "Was zuerst? / First steps:"]
    lines += [
        f"  {i}. {s['what']} ({s['who']}): {s['first_step']}"
        for i, s in enumerate(result["first_steps"], 1)
    ] or ["  –"]
    return "\n".join(lines)


def register(commands: Any) -> None:
    readiness = commands.add_parser("readiness", help="readiness check (Reifegrad)")
    actions = readiness.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser("score", help="score an answers file with the readiness engine")
    p.add_argument("answers", help="YAML file: company, bank_version, answers (see examples/)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=["de", "en"], default="de", help="language of the texts")
    p.add_argument(
        "--headcount",
        type=_headcount,
        help="staff headcount: a small company's actions name the roles it has",
    )
    p.set_defaults(handler=score)
