"""The ``startklar`` command.

startklar demo [--port N] [--no-serve] [--reset]   try it out with a demo company
startklar serve [--bind ADDR] [--workers N]        run in production (gunicorn)
startklar worker                                    background work and housekeeping
startklar housekeeping                              delete what is due, once (e.g. from cron)
startklar backup [FILE] [--force]                  a checked copy of the database
startklar restore FILE [--yes]                     replace all data with a backup
startklar manage COMMAND ...                       any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

from startklar import backup as backup_cli
from startklar.core.features import each

LOCAL_SETTINGS = "startklar.settings.local"
PRODUCTION_SETTINGS = "startklar.settings.production"


def _setup(settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise SystemExit(f"startklar: configuration error: {error}") from error


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("the port must be between 1 and 65535")
    return port


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive whole number")
    return int(value)


def terminal_language(environ: Mapping[str, str] = os.environ) -> str:
    """German unless the locale says English: LC_ALL, then LC_MESSAGES, then LANG decide."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "de"
    return "de"


def demo(args: argparse.Namespace) -> int:
    _setup(LOCAL_SETTINGS)
    from django.core.management import call_command
    from django.utils import translation
    from django.utils.translation import gettext as _

    from startklar import demo as demo_data
    from startklar.core import schema

    if args.reset:
        demo_data.reset_database()
    schema.load_if_new()  # a new SQLite file: the migrated schema in one step
    call_command("migrate", interactive=False, verbosity=0)
    result = demo_data.ensure_demo()
    url = f"http://127.0.0.1:{args.port}/"
    with translation.override(terminal_language()):
        name = result.organisation.name
        if result.created:
            print(_("Demo company %(name)s (created).") % {"name": name})
        else:
            print(_("Demo company %(name)s (reused; --reset starts over).") % {"name": name})
        rows = [
            (_("Address:"), url),
            (_("E-mail:"), result.email),
            (_("Password:"), result.password),
        ]
        width = max(len(label) for label, _value in rows)
        for label, value in rows:
            print(f"  {label:<{width}} {value}")
        if args.no_serve:
            return 0
        print(_("Stop with Ctrl+C."), flush=True)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, use_threading=True)
    return 0


def serve(args: argparse.Namespace) -> int:
    _setup(PRODUCTION_SETTINGS)
    from django.core.management import call_command
    from django.db import DatabaseError

    if not args.no_migrate:
        try:
            call_command("migrate", interactive=False, verbosity=1)
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(
                f"startklar: the database cannot be used ({first_line}). Check DATABASE_URL, "
                "or that STARTKLAR_VAR_DIR exists and is writable.",
                file=sys.stderr,
            )
            return 1
    call_command("collectstatic", interactive=False, verbosity=0)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "startklar.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    os.execv(sys.executable, command)  # noqa: S606 - replace this process with gunicorn
    return 0  # not reached


def worker(args: argparse.Namespace) -> int:
    """Run queued background work (e-mails) and, every ``STARTKLAR_HOUSEKEEPING_SECONDS``,
    the housekeeping; stops cleanly on Ctrl+C or SIGTERM after the current task."""
    _setup(os.environ.get("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS))
    from startklar import worker as background

    return background.run(interval=args.interval, once=args.once)


def housekeeping(_args: argparse.Namespace) -> int:
    _setup(os.environ.get("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS))
    from startklar import housekeeping as chores

    for line in chores.run().lines():
        print(line)
    return 0


def manage(args: argparse.Namespace) -> int:
    _setup(os.environ.get("DJANGO_SETTINGS_MODULE", LOCAL_SETTINGS))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["startklar manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="startklar",
        description="Startklar: AI introduction for small and medium-sized companies.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("demo", help="set up a demo company and serve it locally")
    p.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default 8000)")
    p.add_argument("--no-serve", action="store_true", help="set up only, then exit")
    p.add_argument("--reset", action="store_true", help="delete the local data and start over")
    p.set_defaults(handler=demo)

    p = commands.add_parser("serve", help="run in production with gunicorn (DEBUG off)")
    p.add_argument("--bind", default=os.environ.get("STARTKLAR_BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=_positive, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    p.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    p.set_defaults(handler=serve)

    backup_cli.register(commands)
    p = commands.add_parser("worker", help="run background work and housekeeping")
    p.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks for work (default 1)"
    )
    p.add_argument("--once", action="store_true", help="do what is queued, then exit")
    p.set_defaults(handler=worker)

    p = commands.add_parser("housekeeping", help="delete what is due (sessions, old log …)")
    p.set_defaults(handler=housekeeping)

    for _feature, register in each("cli"):  # every feature's own subcommands
        register(commands)

    p = commands.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("arguments", nargs=argparse.REMAINDER)
    p.set_defaults(handler=manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
