"""``startklar report ORG_SLUG -o bericht.pdf [--lang en]``: the management report of an
organisation, made right away (no worker needed) and written to a file (``-o -``: standard
output).

Exit codes: 0 written, 1 the report could not be made, 2 an argument that cannot be used (an
unknown organisation, a file that cannot be written, a language other than de or en).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

FAILED = 1
USAGE_ERROR = 2


def _fail(message: str, code: int = USAGE_ERROR) -> int:
    print(f"startklar report: {message}", file=sys.stderr)
    return code


def _writable(output: str) -> str | None:
    """Why ``output`` cannot be written, or None (checked before the report is made)."""
    if output == "-":
        return None
    target = Path(output)
    if target.is_dir():
        return f"{target}: is a folder; name a file, e.g. {target / 'bericht.pdf'}"
    folder = target.parent
    if not folder.is_dir():
        return f"{target}: the folder {folder} does not exist"
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        return f"{target}: cannot write the file (no permission)"
    return None


def run_report(args: argparse.Namespace) -> int:
    problem = _writable(args.output)
    if problem:
        return _fail(problem)
    from startklar import cli

    cli._setup(os.environ.get("DJANGO_SETTINGS_MODULE", cli.LOCAL_SETTINGS))
    from django.db import DatabaseError

    from startklar.organisations.models import Membership, Organisation, Role
    from startklar.organisations.tenancy import Tenant

    try:
        found = Organisation.objects.filter(slug=args.organisation).first()
        if found is None:
            return _fail(f"no organisation with the slug '{args.organisation}'")
        members = Membership.objects.filter(organisation=found).order_by("pk")
        membership = members.filter(role=Role.OWNER).first() or members.first()
        if membership is None:
            return _fail(f"{args.organisation} has no members")
        from . import document

        pdf = document.build(Tenant(organisation=found, membership=membership), args.lang)
    except DatabaseError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return _fail(
            f"the database cannot be used ({first}); is STARTKLAR_VAR_DIR or DATABASE_URL "
            "the one the web application uses?"
        )
    except Exception as error:  # noqa: BLE001 - the document failed: say so, no traceback
        return _fail(f"the report could not be made ({type(error).__name__}: {error})", FAILED)
    if args.output == "-":
        sys.stdout.buffer.write(pdf)
        sys.stdout.flush()
        return 0
    target = Path(args.output)
    try:
        target.write_bytes(pdf)
    except OSError as error:
        return _fail(f"{target}: cannot write the file ({error.strerror})")
    print(f"{target}: {len(pdf):,} bytes".replace(",", "."), file=sys.stderr)
    return 0


def register(commands: Any) -> None:
    p = commands.add_parser("report", help="write an organisation's management report (PDF)")
    p.add_argument("organisation", help="the organisation's slug (as in its web addresses)")
    p.add_argument("-o", "--output", required=True, help="PDF file to write ('-': standard output)")
    p.add_argument("--lang", choices=["de", "en"], default="de", help="language (default: de)")
    p.set_defaults(handler=run_report)
