"""Scaling out (issue 15, point 6): two app servers (``startklar serve`` on two ports) and two
workers (``startklar worker``) against one PostgreSQL database. A person signs in on one server
and works on the other; reports requested on either (twice over, and each task delivered twice)
are each made exactly once, and download from either server.

PostgreSQL only: SQLite is one file on one machine, where a second server shares nothing worth
testing. The test runs in the suite's PostgreSQL run, on the suite's test database (a
transactional test: what it writes is committed for the servers and workers, and emptied
afterwards); in the SQLite run it is skipped with that reason.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection
from django.test import override_settings

from startklar.organisations.models import Role
from startklar.reports.models import ReportRun, Status
from startklar.reports.tasks import make_report
from startklar.testing import _PRIVATE_ENV, add_member, make_organisation, make_user

PASSWORD = "zwei-server-ein-bericht"
WAIT_SECONDS = 25.0

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _database_url() -> str:
    """The suite's test database as a URL the servers and workers are given."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "needs PostgreSQL: two servers and two workers share one database, which SQLite "
            "(one file on one machine) cannot show; runs in the suite's PostgreSQL run"
        )
    return urlunsplit(urlsplit(url)._replace(path=f"/{connection.settings_dict['NAME']}"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on {port} ended: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no server on port {port} after 30 s: {log.read_text()[-2000:]}")


def _start(stack: ExitStack, args: list[str], env: dict[str, str], log: Path) -> Any:
    process = subprocess.Popen(
        [sys.executable, "-m", "startklar", *args],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hanging process
            process.kill()
            process.wait()

    stack.callback(stop)
    return process


class Browser:
    """Cookies by hand: the production settings mark them Secure, which a client on plain
    HTTP would keep to itself. The session made on one server is sent to the other."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def _keep(self, response: requests.Response) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value

    def get(self, url: str) -> requests.Response:
        response = requests.get(url, cookies=self.cookies, allow_redirects=False, timeout=30)
        self._keep(response)
        return response

    def post(self, url: str, data: dict[str, str], page: str) -> requests.Response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the page has a form with its CSRF token"
        response = requests.post(
            url,
            data=urlencode({**data, "csrfmiddlewaretoken": token.group(1)}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
            cookies=self.cookies,
            allow_redirects=False,
            timeout=30,
        )
        self._keep(response)
        return response


def _wait_until_made(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not ReportRun.objects.filter(status__in=(Status.QUEUED, Status.RUNNING)).exists():
            return
        time.sleep(0.3)


@pytest.mark.django_db(transaction=True)  # committed: the servers and workers see it
def test_two_servers_and_two_workers_make_every_report_once(tmp_path: Path) -> None:
    database = _database_url()
    owner = make_user("chefin@example.com", name="Chefin")
    # the servers' hashers (the suite's fast one is not among them)
    owner.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    owner.save(update_fields=["password"])
    slugs = []
    for name in ("Nord GmbH", "Sued GmbH"):
        organisation = make_organisation(name)
        add_member(organisation, owner, Role.OWNER)
        slugs.append(organisation.slug)
    clean = {k: v for k, v in os.environ.items() if k not in _PRIVATE_ENV}
    env = {
        **clean,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "startklar.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
    }

    with ExitStack() as stack:
        ports = []
        for name in ("a", "b"):  # two machines: nothing shared but the database
            port = _free_port()
            log = tmp_path / f"server-{name}.log"
            (tmp_path / f"var-{name}").mkdir()
            server = _start(
                stack,
                ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-migrate"],
                {**env, "STARTKLAR_VAR_DIR": str(tmp_path / f"var-{name}")},
                log,
            )
            ports.append((port, server, log))
        for name in ("1", "2"):
            (tmp_path / f"var-worker-{name}").mkdir()
            _start(
                stack,
                ["worker", "--interval", "0.2"],
                {**env, "STARTKLAR_VAR_DIR": str(tmp_path / f"var-worker-{name}")},
                tmp_path / f"worker-{name}.log",
            )
        for port, server, log in ports:
            _wait_for(port, server, log)
        a, b = (f"http://127.0.0.1:{port}" for port, _server, _log in ports)

        # Signed in on server A, the session works on server B.
        browser = Browser()
        login = browser.get(f"{a}/accounts/login/")
        assert login.status_code == 200
        signed_in = browser.post(
            f"{a}/accounts/login/",
            {"username": "chefin@example.com", "password": PASSWORD},
            login.text,
        )
        assert signed_in.status_code == 302, signed_in.text[:500]
        assert "sessionid" in browser.cookies
        pages = {server: browser.get(f"{server}/o/{slugs[0]}/reports/") for server in (a, b)}
        assert [p.status_code for p in pages.values()] == [200, 200]

        # Every report asked for on both servers (the second ask shows the first run).
        for slug in slugs:
            for language in ("de", "en"):
                for server in (a, b):
                    asked = browser.post(
                        f"{server}/o/{slug}/reports/", {"language": language}, pages[server].text
                    )
                    assert asked.status_code == 302, asked.text[:500]
        assert ReportRun.objects.count() == 4
        with override_settings(TASKS=QUEUED):  # each task delivered a second time
            for run in ReportRun.objects.all():
                make_report.enqueue(run.pk)

        _wait_until_made(WAIT_SECONDS)
        logs = "\n".join(p.read_text()[-1500:] for p in tmp_path.glob("worker-*.log"))
        runs = list(ReportRun.objects.select_related("organisation").order_by("pk"))
        assert [(r.status, r.attempts) for r in runs] == [(Status.DONE, 1)] * 4, logs
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            )
            assert dict(cursor.fetchall()) == {"SUCCESSFUL": 8}, logs  # 8 deliveries, 4 made

        # Each report downloads from either server, as the PDF it is.
        for run in runs:
            for server in (a, b):
                url = f"{server}/o/{run.organisation.slug}/reports/{run.pk}/download/"
                pdf = browser.get(url)
                assert pdf.status_code == 200
                assert pdf.content.startswith(b"%PDF")
                assert len(pdf.content) == run.size
