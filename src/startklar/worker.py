"""``startklar worker``: runs the background tasks that requests put into the database
(django-tasks-db: invitation e-mails, notices) and the hourly housekeeping.

Start one or more next to ``startklar serve`` (they share the database); each claims tasks with
a row lock, so no task runs twice. Ctrl+C or SIGTERM stops after the current task.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from startklar import housekeeping

logger = logging.getLogger("startklar.worker")


def housekeep_once() -> None:
    try:
        for line in housekeeping.run().lines():
            logger.info("housekeeping: %s", line)
    except Exception:  # a failed round must not stop the worker; the next one tries again
        logger.exception("housekeeping failed")


def _housekeeping_loop(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            housekeep_once()
        finally:
            connection.close()  # this thread's own connection, opened afresh next time
        stop.wait(every)


def run(*, interval: float = 1.0, once: bool = False) -> int:
    """Work until stopped; with ``once``, do what is queued and the housekeeping, then return."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    backend = task_backends["default"]
    queued = isinstance(backend, DatabaseBackend)
    if once:
        housekeep_once()
    else:
        stop = threading.Event()
        threading.Thread(
            target=_housekeeping_loop,
            args=(stop, float(settings.STARTKLAR_HOUSEKEEPING_SECONDS)),
            name="housekeeping",
            daemon=True,
        ).start()
    if not queued:
        logger.info(
            "background tasks run right away in this configuration (%s); "
            "the worker only does the housekeeping",
            type(backend).__name__,
        )
        if once:
            return 0
        threading.Event().wait()  # until Ctrl+C / SIGTERM ends the process
        return 0  # pragma: no cover
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=once,
        backend_name="default",
        startup_delay=not once,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
    return 0
