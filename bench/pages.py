"""Every page against a signed-in "hello" page, on the production server: ``uv run python
bench/pages.py``.

1. Builds the demo company in a fresh database and copies everything it owns nine times (the
   archive import, ``organisations.archive.copy_into``: 130 use cases, 50 business cases,
   50 AI systems, 20 readiness rounds); counts each page's SQL queries at 1× and at 10×.
2. Starts ``startklar serve`` (gunicorn, 2 workers, production settings) on loopback with the
   hello page added (``pagesite``/``pageurls``), signed in as the demo's owner.
3. Requests every HTML page of the crawl (the URL map's GET pages that answer 200 with HTML)
   at concurrency 1 and 20, and the hello page before, between and after them; prints each
   page's throughput as a share of the hello page's, p50 and p95, and the query counts.
4. Measures the workers' memory after the run and ``startklar demo --no-serve`` in a fresh
   folder.

With ``DATABASE_URL`` set to a PostgreSQL database the pages are measured there too; **that
database is emptied** (use one made for this). Exit code 1 when a target is missed. Options:
``--seconds S`` (time per page and concurrency, default 0.8), ``--only TEXT`` (pages whose route
contains TEXT), ``--sqlite-only``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HELLO = "/bench/hello/"

# Targets from issue 12, as shares of the hello page's throughput at concurrency 20.
KEY_PAGES = {
    "/o/<slug:org_slug>/": "overview",
    "/o/<slug:org_slug>/usecases/": "portfolio",
    "/o/<slug:org_slug>/business-cases/": "business-case list",
    "/o/<slug:org_slug>/compliance/": "compliance overview",
    "/o/<slug:org_slug>/compliance/systems/": "register",
}
KEY_SHARE = 0.35
OTHER_SHARE = 0.20
P95_FACTOR = 3.0  # a page's p95 at c = 20 at most this many times the hello page's
WORKER_MEMORY_MB = 200
DEMO_SECONDS = 5.0
CONCURRENCY = (1, 20)


# Building the data (runs in a child process with Django set up) -----------------------------


def build(out: Path) -> None:
    """Migrate, build the demo, count queries at 1× and 10×, and write what the run needs."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sys.path.insert(0, str(ROOT))
    from startklar import demo
    from startklar.core import pages as kept
    from startklar.organisations import archive
    from startklar.organisations.models import Membership, Role
    from tests import urlmap

    started = time.perf_counter()
    if connection.vendor != "sqlite":
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest
    organisation = demo.ensure_demo().organisation
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    logging.disable(logging.WARNING)  # "Method Not Allowed" of the POST-only routes probed
    routes = [r for r in urlmap.ROUTES if not r.is_api and urlmap.fillable(r) and str(r) != HELLO]
    ids = urlmap.ids_of(organisation)
    pages = {}
    for route in routes:
        values = urlmap.values_for(route, ids, organisation.slug) if route.org_scoped else {}
        url = route.url(values)
        response = client.get(url)
        html = response.get("Content-Type", "").startswith("text/html")
        if (
            response.status_code == 200
            and html
            and "attachment" not in response.get("Content-Disposition", "")
        ):
            pages[str(route)] = url

    def count(url: str) -> int:
        client.get(url)  # the second request is counted: a page may cache for the next one
        kept.store.clear()  # … but rendered again, not served as kept (core/pages.py)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if isinstance(response, StreamingHttpResponse):
                response.getvalue()
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        return len(queries.captured_queries)

    once = {route: count(url) for route, url in pages.items()}
    archive.copy_into(organisation, 9)
    tenfold = {route: count(url) for route, url in pages.items()}
    out.write_text(
        json.dumps(
            {
                "cookies": {k: v.value for k, v in client.cookies.items()},
                "pages": pages,
                "once": once,
                "tenfold": tenfold,
                "seconds": time.perf_counter() - started,
            }
        )
    )


# Load --------------------------------------------------------------------------------------


@dataclass
class Load:
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    failures: int = 0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _one(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    data = await reader.read()  # gunicorn's sync workers close after each response
    writer.close()
    return int(data[9:12]) if data.startswith(b"HTTP/") else 0


async def _load(port: int, request: bytes, concurrency: int, seconds: float, least: int) -> Load:
    latencies: list[float] = []
    failures = 0
    started = time.perf_counter()
    deadline = started + seconds
    limit = started + max(seconds * 10, 10)  # a slow page still ends

    async def client() -> None:
        nonlocal failures
        while True:
            now = time.perf_counter()
            if now >= limit or (now >= deadline and len(latencies) >= least):
                return
            status = await _one(port, request)
            if status == 200:
                latencies.append(time.perf_counter() - now)
            else:
                failures += 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Load(concurrency, time.perf_counter() - started, latencies, failures)


def load(port: int, request: bytes, concurrency: int, seconds: float) -> Load:
    return asyncio.run(_load(port, request, concurrency, seconds, least=max(5, concurrency)))


def request_for(url: str, cookies: dict[str, str]) -> bytes:
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return (
        f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
        "Accept: text/html\r\nConnection: close\r\n\r\n"
    ).encode()


# The server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server did not start on port {port}")


def worker_memory_mb(master: int) -> list[float]:
    """Resident memory of the gunicorn master's children (its workers), in MB."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                found.append(int(rss.group(1)) / 1024)
    return found


# One database ----------------------------------------------------------------------------------


@dataclass
class PageResult:
    route: str
    url: str
    loads: dict[int, Load]
    once: int
    tenfold: int
    rendered: Load | None = None  # c = 1 with no page kept: the first view after a change


@dataclass
class Run:
    name: str
    build_seconds: float
    hello: list[dict[int, Load]]
    pages: list[PageResult]
    memory: list[float]
    hello_rendered: Load | None = None

    def hello_throughput(self, concurrency: int) -> float:
        return statistics.median(h[concurrency].throughput for h in self.hello)

    def hello_p95(self, concurrency: int) -> float:
        return statistics.median(h[concurrency].quantile(0.95) for h in self.hello)


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[tuple[int, int]]:
    """``startklar serve`` with 2 workers on a free loopback port: its port and process id."""
    port = free_port()
    bind = f"127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and server
        [sys.executable, "-m", "startklar", "serve", "--bind", bind, "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        wait_for(port)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(name: str, env: dict[str, str], seconds: float, only: str) -> Run:
    folder = Path(env["STARTKLAR_VAR_DIR"])
    data_file = folder / "pages.json"
    print(f"\n== {name}: building the demo at 1× and 10× …", flush=True)
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--build", str(data_file)], env=env, check=True, cwd=ROOT
    )
    data = json.loads(data_file.read_text())
    hello_request = request_for(HELLO, data["cookies"])
    items = [(r, u) for r, u in data["pages"].items() if only in r]
    with serving(env, folder / "server.log") as (port, master):

        def hello() -> dict[int, Load]:
            return {c: load(port, hello_request, c, seconds) for c in CONCURRENCY}

        for _ in range(20):
            load(port, hello_request, 1, 0)  # both workers have imported everything
        hellos = [hello()]
        pages = []
        for n, (route, url) in enumerate(items, 1):
            request = request_for(url, data["cookies"])
            load(port, request, 2, 0)  # each worker's first request (caches) does not count
            loads = {c: load(port, request, c, seconds) for c in CONCURRENCY}
            failures = sum(x.failures for x in loads.values())
            if failures:
                raise SystemExit(f"{url}: {failures} requests failed (see {folder}/server.log)")
            pages.append(PageResult(route, url, loads, data["once"][route], data["tenfold"][route]))
            share = loads[20].throughput / hellos[0][20].throughput
            print(f"  {n:2}/{len(items)} {share:6.0%}  {route}", flush=True)
            if n % 15 == 0:
                hellos.append(hello())
        hellos.append(hello())
        memory = worker_memory_mb(master)
    run = Run(name, data["seconds"], hellos, pages, memory)
    # The first view after a change: every page rendered, none kept (c = 1, for the record).
    print(f"== {name}: each page rendered afresh (no page kept), c = 1 …", flush=True)
    afresh = dict(env, STARTKLAR_KEPT_PAGES_MB="0")
    with serving(afresh, folder / "server-rendered.log") as (port, _master):
        for _ in range(20):
            load(port, hello_request, 1, 0)
        run.hello_rendered = load(port, hello_request, 1, seconds / 4)
        for page in pages:
            request = request_for(page.url, data["cookies"])
            load(port, request, 2, 0)
            page.rendered = load(port, request, 1, seconds / 4)
    return run


def demo_seconds(env: dict[str, str]) -> float:
    """``startklar demo --no-serve`` in a fresh folder (SQLite), best of two."""
    times = []
    for _ in range(2):
        with tempfile.TemporaryDirectory(prefix="startklar-demo-") as folder:
            child = dict(env, STARTKLAR_VAR_DIR=folder)
            child.pop("DATABASE_URL", None)
            child.pop("DJANGO_SETTINGS_MODULE", None)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "startklar", "demo", "--no-serve"],
                env=child,
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=ROOT,
            )
            times.append(time.perf_counter() - started)
    return min(times)


# Report --------------------------------------------------------------------------------------


def short(route: str) -> str:
    """``/o/<slug:org_slug>/usecases/<int:usecase_id>/`` → ``/o/…/usecases/<usecase>/``."""
    return re.sub(r"<int:(\w+)_id>", r"<\1>", route.replace("<slug:org_slug>", "…"))


def report(run: Run) -> list[str]:
    """Print the run's table; return the missed targets."""
    missed = []
    hello20 = run.hello_throughput(20)
    hello_p95 = run.hello_p95(20)
    print(
        f"\n== {run.name}: hello {run.hello_throughput(1):.0f}/s at c=1, {hello20:.0f}/s at "
        f"c=20 (p95 {hello_p95 * 1000:.0f} ms); data built in {run.build_seconds:.0f} s"
    )
    print(
        "   (pages are served as kept until their data changes; 'rendered': p50 at c=1 of the "
        "first view after a change, no page kept, and its multiple of the hello page's)"
    )
    print(
        f"{'page':58} {'p50 c1':>7} {'/s c20':>7} {'share':>6} {'target':>6} "
        f"{'p95 c20':>8} {'×hello':>6} {'q 1×':>5} {'q 10×':>5} {'rendered':>9} {'×hello':>6}"
    )
    hello_rendered = run.hello_rendered.quantile(0.5) if run.hello_rendered else 0.0
    for page in run.pages:
        c1, c20 = page.loads[1], page.loads[20]
        share = c20.throughput / hello20
        target = KEY_SHARE if page.route in KEY_PAGES else OTHER_SHARE
        p95_factor = c20.quantile(0.95) / hello_p95
        problems = []
        if share < target:
            problems.append(f"{share:.0%} of hello, target {target:.0%}")
        if p95_factor > P95_FACTOR:
            problems.append(f"p95 {p95_factor:.1f}× hello, target ≤ {P95_FACTOR:g}×")
        if page.tenfold > page.once:
            problems.append(f"{page.once} queries at 1×, {page.tenfold} at 10×")
        mark = "MISS" if problems else ""
        rendered = page.rendered.quantile(0.5) if page.rendered else 0.0
        print(
            f"{short(page.route):58} {c1.quantile(0.5) * 1000:6.1f}ms {c20.throughput:7.1f} "
            f"{share:6.0%} {target:6.0%} {c20.quantile(0.95) * 1000:6.0f}ms "
            f"{p95_factor:6.1f} {page.once:5} {page.tenfold:5} "
            f"{rendered * 1000:7.1f}ms {rendered / (hello_rendered or 1):6.1f} {mark}"
        )
        missed += [f"{run.name} {page.route}: {p}" for p in problems]
    biggest = max(run.memory, default=0.0)
    print(f"worker memory after the run: {', '.join(f'{m:.0f} MB' for m in run.memory)}")
    if not run.memory or biggest >= WORKER_MEMORY_MB:
        missed.append(f"{run.name}: worker memory {biggest:.0f} MB, target < {WORKER_MEMORY_MB}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=0.8)
    parser.add_argument("--only", default="")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.build:
        build(args.build)
        return 0

    base = dict(os.environ)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    base.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), base.get("PYTHONPATH", "")])),
        DJANGO_SETTINGS_MODULE="pagesite",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
    )
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    url = base.pop("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not args.sqlite_only:
        databases.append(("PostgreSQL", url))
    started = time.perf_counter()
    missed: list[str] = []
    runs = []
    for name, database in databases:
        with tempfile.TemporaryDirectory(prefix="startklar-pages-") as folder:
            env = dict(base, STARTKLAR_VAR_DIR=folder)
            if database:
                env["DATABASE_URL"] = database
            runs.append(measure(name, env, args.seconds, args.only))
    for run in runs:
        missed += report(run)
    demo = demo_seconds(base)
    print(
        f"\nstartklar demo --no-serve in a fresh folder: {demo:.1f} s (target < {DEMO_SECONDS:g} s)"
    )
    if demo >= DEMO_SECONDS:
        missed.append(f"startklar demo --no-serve: {demo:.1f} s, target < {DEMO_SECONDS:g} s")
    print(f"the whole benchmark took {time.perf_counter() - started:.0f} s")
    if missed:
        print("\nMissed targets:\n  " + "\n  ".join(missed))
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
