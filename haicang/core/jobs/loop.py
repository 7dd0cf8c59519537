"""The schedule loop a worker runs: every few seconds, enqueue the periodic jobs that are due.

It runs in a thread beside the task worker (database backend) or as the worker process's main loop
(RQ backend, ``--schedule-only``). A failing check is logged and retried at the next tick: a database that
is briefly away must not stop the schedule. The loop stops at the next tick after :meth:`stop`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connections

from haicang.core.jobs.scheduler import ScheduledRun, scheduled_jobs_run_due

logger = logging.getLogger(__name__)

DEFAULT_SCHEDULE_INTERVAL_S = 15.0


class ScheduleLoop:
    def __init__(self, *, interval: float = DEFAULT_SCHEDULE_INTERVAL_S) -> None:
        self.interval = interval
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> list[ScheduledRun]:
        """Check the schedule once; never raises (errors are logged)."""
        close_old_connections()
        try:
            return scheduled_jobs_run_due()
        except Exception:
            logger.exception("Checking the schedule failed; trying again in %.0f s", self.interval)
            return []

    def run(self, *, keep_going: Callable[[], bool] = lambda: True) -> None:
        """Tick until :meth:`stop` is called or ``keep_going`` answers False."""
        logger.info("Schedule loop started: checking due jobs every %.0f s", self.interval)
        try:
            while not self._stopped.is_set() and keep_going():
                self.tick()
                self._stopped.wait(self.interval)
        finally:
            connections.close_all()  # this thread's connections only
            logger.info("Schedule loop stopped")

    def stop(self) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def start_thread(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.run, name="haicang-schedule", daemon=True)
        self._thread.start()
        return self._thread

    def stop_thread(self, *, timeout: float = 30.0) -> None:
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout)
