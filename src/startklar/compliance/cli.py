"""``startklar compliance classify USECASE.yaml [--json] [--lang de|en]``.

Runs without Django and without a database: the same rule base and engine as the web pages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from startklar.core.yamlfile import YamlFileError, read_yaml

from . import engine
from .content import CURRENT_VERSION, RuleBaseError, available_versions, load_rules


class AnswersFileError(ValueError):
    pass


def read(path: Path) -> tuple[str, str, dict[str, Any]]:
    try:
        data = read_yaml(path)
    except YamlFileError as error:
        raise AnswersFileError(str(error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise AnswersFileError(f"{path}: needs a mapping 'answers: {{question id: answer}}'")
    version = str(data.get("rules_version", CURRENT_VERSION))
    if version not in available_versions():
        raise AnswersFileError(f"{path}: unknown rules_version {version!r}")
    return str(data.get("name", path.stem)), version, data["answers"]


def report(
    name: str, rules: engine.RuleSet, answers: dict[str, str], language: str
) -> dict[str, Any]:
    result = engine.classify(rules, answers)
    gdpr = engine.screen_gdpr(rules, answers)
    questions = {q.id: q for q in rules.questions}
    return {
        "name": name,
        "rules_version": rules.version,
        "classes": list(result.labels),
        "routes": [
            {
                "class": c.risk_class.id,
                "rule": f.rule.id,
                "route": f.rule.route.get(language),
                "article": f.rule.article,
                "open": f.value is engine.Tri.OPEN,
            }
            for c in result.classes
            for f in c.fired
        ],
        "why": [
            {
                "class": c.risk_class.id,
                "outcome": c.value.value,
                "steps": [
                    {
                        "question": leaf.question,
                        "text": questions[leaf.question].text.get(language),
                        "answer": leaf.answer,
                        "article": questions[leaf.question].article,
                    }
                    for leaf in (tuple(x for f in c.fired for x in f.leaves) or c.ruled_out_by)
                ],
                "articles": [f.rule.article for f in c.fired],
            }
            for c in result.classes
        ],
        "obligations": [
            {
                "id": d.obligation.id,
                "title": d.obligation.title.get(language),
                "article": d.obligation.article,
                "applies_from": d.deadline.date.isoformat(),
            }
            for d in result.duties
        ],
        "contradictions": [c.message.get(language) for c in result.contradictions],
        "open_questions": list(result.open_questions),
        "gdpr": {
            "dpia": gdpr.verdict,
            "criteria": [c.id for c in gdpr.criteria],
            "dsk_list": [c.id for c in gdpr.dsk_items],
            "art22": gdpr.automated_decision,
            "works_council": gdpr.works_council,
        },
        "notice": "Entscheidungshilfe, keine Rechtsberatung."
        if language == "de"
        else "Decision support, not legal advice.",
    }


def classify(args: argparse.Namespace) -> int:
    try:
        name, version, raw = read(Path(args.usecase))
        rules = load_rules(version)
        answers = engine.validate(rules, raw)
    except (AnswersFileError, RuleBaseError, ValueError) as error:
        raise SystemExit(f"startklar compliance: {error}") from error
    data = report(name, rules, answers, args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{name}: {', '.join(data['classes'])}")
    for route in data["routes"]:
        print(f"  {route['class']}: {route['route']} ({route['article']})")
    for duty in data["obligations"]:
        print(f"  - {duty['title']} ({duty['article']}, ab {duty['applies_from']})")
    for message in data["contradictions"]:
        print(f"  ! {message}")
    print(f"  DSFA: {data['gdpr']['dpia']}")
    print(f"  {data['notice']}")
    return 0


def register(commands: Any) -> None:
    compliance = commands.add_parser("compliance", help="AI Act and GDPR check")
    actions = compliance.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser("classify", help="classify a use case from an answers file")
    p.add_argument(
        "usecase", help="YAML file with name, rules_version and answers (see examples/compliance/)"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", choices=["de", "en"], default="de")
    p.set_defaults(handler=classify)
