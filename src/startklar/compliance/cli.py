"""``startklar compliance classify USECASE.yaml [--json] [--lang de|en]``.

Runs without Django and without a database: the same rule base and engine as the web pages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from startklar.core.content import ContentError
from startklar.core.yamlfile import AnswerFile, YamlFileError, read_answer_file

from . import engine
from .content import CURRENT_VERSION, available_versions, load_rules


def read(path: Path) -> AnswerFile:
    """Name, rule-base version and answers of a YAML file; errors name the line or the field."""
    return read_answer_file(
        path,
        name_key="name",
        version_key="rules_version",
        versions=available_versions(),
        current=CURRENT_VERSION,
        answer="answer",
    )


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
            "why": {
                key: [{"question": leaf.question, "answer": leaf.answer} for leaf in leaves]
                for key, leaves in gdpr.why.items()
            },
            "art22": gdpr.automated_decision,
            "works_council": gdpr.works_council,
        },
        "notice": "Entscheidungshilfe, keine Rechtsberatung."
        if language == "de"
        else "Decision support, not legal advice.",
    }


def classify(args: argparse.Namespace) -> int:
    try:
        file = read(Path(args.usecase))
        rules = load_rules(file.version)
        answers = engine.validate(rules, file.answers)
    except (YamlFileError, ContentError, ValueError) as error:
        raise SystemExit(f"startklar compliance: {error}") from error
    name = file.name
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
