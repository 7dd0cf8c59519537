"""``haicang worker``: run queued background tasks and the periodic-job schedule in one process.

With the database backend (default) the task loop is django-tasks-db's worker in the main thread and the
schedule loop is a thread beside it. With ``HAICANG_TASKS_BACKEND=rq`` the tasks are run by django-rq's
``rqworker`` (a child process, so that RQ keeps its own main thread for forking and signals) while this
process runs the schedule. With the immediate backend tasks run where they are queued, so only the schedule
runs. SIGTERM and SIGINT stop it cleanly: the task being run is finished first (a second signal aborts it).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from argparse import ArgumentParser, ArgumentTypeError
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend

from haicang.core.jobs.loop import DEFAULT_SCHEDULE_INTERVAL_S, ScheduleLoop

logger = logging.getLogger("haicang.worker")

RQ_JOB_CLASS = "django_tasks_rq.backend.Job"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _seconds(value: str) -> float:
    number = float(value)
    if not 0 <= number < 86400:
        raise ArgumentTypeError("give a number of seconds between 0 and 86400")
    return number


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ArgumentTypeError("give a whole number above zero")
    return number


class Command(BaseCommand):
    help = "Run queued background tasks and the periodic-job schedule until stopped (SIGTERM or Ctrl+C)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="enqueue the due scheduled jobs, run every queued task, then exit",
        )
        parser.add_argument(
            "--max-tasks", type=_positive, default=None, help="exit after running this many tasks"
        )
        parser.add_argument(
            "--interval",
            type=_seconds,
            default=1.0,
            help="seconds between queue checks when idle (default 1)",
        )
        parser.add_argument(
            "--schedule-interval",
            type=_seconds,
            default=DEFAULT_SCHEDULE_INTERVAL_S,
            help=f"seconds between schedule checks (default {DEFAULT_SCHEDULE_INTERVAL_S:.0f})",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--no-schedule", action="store_true", help="run tasks only, not the schedule")
        group.add_argument("--schedule-only", action="store_true", help="run the schedule only, not tasks")
        parser.add_argument(
            "--queue-name",
            default="",
            help="queues to run, comma-separated; '*' for all (default: all configured)",
        )
        parser.add_argument(
            "--worker-id", default="", help="a name unique among the workers (default: generated)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._configure_logging(options["verbosity"])
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        run_schedule = not options["no_schedule"]
        queues = options["queue_name"] or ",".join(sorted(backend.queues)) or "*"
        if options["schedule_only"] or isinstance(backend, ImmediateBackend):
            self._run_schedule_only(options)
        elif isinstance(backend, DatabaseBackend):
            self._run_database_worker(options, queues=queues, run_schedule=run_schedule)
        elif type(backend).__module__.startswith("django_tasks_rq"):
            self._run_rq_worker(options, queues=queues, run_schedule=run_schedule)
        else:
            raise CommandError(
                f"haicang worker does not know how to run tasks of {type(backend).__name__}; "
                "set HAICANG_TASKS_BACKEND to db, rq or immediate"
            )

    # --- the database backend: django-tasks-db's worker, the schedule in a thread --------------------------
    def _run_database_worker(self, options: dict[str, Any], *, queues: str, run_schedule: bool) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        once = options["once"]
        worker = Worker(
            queue_names=queues.split(","),
            interval=options["interval"],
            batch=once,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not once,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or self._worker_id(),
            excluded_queue_names=[],
        )
        loop = ScheduleLoop(interval=options["schedule_interval"])
        if once:
            if run_schedule:
                loop.tick()
            worker.run()
            return
        saved = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}
        if run_schedule:
            loop.start_thread()
        try:
            worker.configure_signals()
            worker.run()
        finally:
            loop.stop_thread()
            for signum, handler in saved.items():
                signal.signal(signum, handler)

    # --- the RQ backend: django-rq's worker in a child process, the schedule here ---------------------------
    def _run_rq_worker(self, options: dict[str, Any], *, queues: str, run_schedule: bool) -> None:
        try:
            from django_rq.management.commands.rqworker import Command as RqWorker
        except ImportError as exc:
            raise CommandError(
                "HAICANG_TASKS_BACKEND=rq needs django-tasks-rq and django-rq: pip install '.[rq]'. "
                "See docs/jobs.md."
            ) from exc
        rq_args = ["rqworker", *queues.replace("*", "").split(","), "--job-class", RQ_JOB_CLASS]
        rq_args = [arg for arg in rq_args if arg]
        if options["worker_id"]:
            rq_args += ["--name", options["worker_id"]]
        if options["max_tasks"]:
            rq_args += ["--max-jobs", str(options["max_tasks"])]
        loop = ScheduleLoop(interval=options["schedule_interval"])
        if options["once"]:
            if run_schedule:
                loop.tick()
            call_command(RqWorker(), *rq_args[1:], "--burst", verbosity=options["verbosity"])
            return
        rq_args.append("--with-scheduler")  # RQ's own scheduler moves deferred tasks (run_after) to the queue
        if not run_schedule:
            call_command(RqWorker(), *rq_args[1:], verbosity=options["verbosity"])
            return
        # Its own process group: a Ctrl+C reaches only this process, which passes it on once (a second
        # signal would make RQ abort the job it is running).
        child = subprocess.Popen([sys.executable, "-m", "haicang", *rq_args], process_group=0)  # noqa: S603
        self.stdout.write(f"RQ worker started (pid {child.pid}); this process runs the schedule.")

        def forward(signum: int, frame: FrameType | None) -> None:
            loop.stop()
            if child.poll() is None:
                child.send_signal(signum)

        saved = {signum: signal.signal(signum, forward) for signum in _STOP_SIGNALS}
        try:
            loop.run(keep_going=lambda: child.poll() is None)
        finally:
            for signum, handler in saved.items():
                signal.signal(signum, handler)
            if child.poll() is None:
                child.terminate()
            code = child.wait()
        if code and not loop.stopped:
            raise CommandError(f"the RQ worker exited with status {code}")

    # --- only the schedule ----------------------------------------------------------------------------------
    def _run_schedule_only(self, options: dict[str, Any]) -> None:
        loop = ScheduleLoop(interval=options["schedule_interval"])
        if options["once"]:
            loop.tick()
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            logger.warning("Received %s - stopping the schedule loop", signal.strsignal(signum))
            loop.stop()

        saved = {signum: signal.signal(signum, stop) for signum in _STOP_SIGNALS}
        try:
            loop.run()
        finally:
            for signum, handler in saved.items():
                signal.signal(signum, handler)

    def _worker_id(self) -> str:
        return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("haicang", "django_tasks_db", "django.tasks"):
            logging.getLogger(name).setLevel(level)
