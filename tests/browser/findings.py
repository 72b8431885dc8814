"""Turn the ``findings-*.json`` files of a browser-test run into a Markdown work list.

    uv run python -m tests.browser.findings [ARTIFACTS] [OUTPUT.md]

The crawl and the round trip (``test_every_page.py``) write one file per failing page into
``<artifacts>/pages/<route>/``. A problem found on several pages is listed once, with its pages;
everything else is listed per page, language and width. Plain Python, no Django.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import TypedDict

TITLES = {"crawl": "Crawl (every page)", "roundtrip": "Round trip (edit forms saved unchanged)"}
SHARED = 3  # a problem on at least this many pages is listed once


def kind_of(problem: str) -> str:
    if problem.startswith("accessibility"):
        return "accessibility"
    return problem.split(":", 1)[0]


class Finding(TypedDict):
    """One ``findings-<test>.json`` file, as ``test_every_page.report`` writes it."""

    test: str
    route: str
    url: str
    problems: dict[str, list[str]]  # by language and width


def load(folder: Path) -> list[Finding]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("pages/*/findings-*.json"))
    ]


def render(found: list[Finding]) -> str:
    lines: list[str] = []
    for test, title in TITLES.items():
        pages = [f for f in found if f["test"] == test]
        lines += [f"## {title}", ""]
        if not pages:
            lines += ["No failures.", ""]
            continue
        where_by_problem: dict[str, list[str]] = defaultdict(list)
        for page in pages:
            for where, problems in page["problems"].items():
                for problem in problems:
                    where_by_problem[problem].append(f"{page['url']} ({where})")
        shared = {
            p: w
            for p, w in where_by_problem.items()
            if len({x.split(" (")[0] for x in w}) >= SHARED
        }
        counts: dict[str, int] = defaultdict(int)
        for problem, wheres in where_by_problem.items():
            counts[kind_of(problem)] += len(wheres)
        lines.append(f"{len(pages)} pages fail. Problems by kind (page × language × width):")
        lines.append("")
        lines += [f"- {kind}: {n}" for kind, n in sorted(counts.items(), key=lambda x: -x[1])]
        lines.append("")
        if shared:
            lines += ["### On many pages", ""]
            for problem, wheres in sorted(shared.items(), key=lambda x: -len(x[1])):
                urls = sorted({w.split(" (")[0] for w in wheres})
                variants = sorted({re.sub(r"^.*? \((.*)\)$", r"\1", w) for w in wheres})
                lines.append(f"- {problem}")
                lines.append(f"  - on {len(urls)} pages ({', '.join(variants)}): {', '.join(urls)}")
            lines.append("")
        lines += ["### Per page", ""]
        for page in sorted(pages, key=lambda p: p["url"]):
            rest = {
                where: [p for p in problems if p not in shared]
                for where, problems in page["problems"].items()
            }
            rest = {w: p for w, p in rest.items() if p}
            if not rest:
                continue
            lines += [f"#### {page['url']}", "", f"Route `{page['route']}`", ""]
            for where, problems in rest.items():
                lines.append(f"- **{where}**")
                lines += [f"  - {p}" for p in problems]
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    folder = Path(argv[1]) if len(argv) > 1 else Path("test-artifacts")
    text = render(load(folder))
    if len(argv) > 2:
        Path(argv[2]).write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main(sys.argv)
