"""`haicang worker`: runs queued tasks with the database backend, and the schedule beside them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haicang.core.jobs.progress import job_progress_get
from haicang.core.jobs.services import scheduled_job_upsert
from haicang.core.models import ScheduledJob
from haicang.core.tests import jobs_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _worker(*args: str) -> None:
    call_command("worker", *args, stdout=StringIO(), stderr=StringIO())


def _due_job(actor, name="tick", label="from-schedule"):
    return scheduled_job_upsert(
        actor=actor, name=name, task_path="haicang.core.tests.jobs_tasks.echo", kwargs={"label": label},
        interval_seconds=3600, first_run_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip


def test_a_queued_task_runs_to_success_with_worker_once():
    queued = jobs_tasks.add.enqueue(a=2, b=3)

    _worker("--once")

    result = jobs_tasks.add.get_result(queued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


def test_a_failing_task_is_recorded_as_failed_and_the_worker_goes_on_to_the_next():
    failing = jobs_tasks.explode.enqueue()
    fine = jobs_tasks.echo.enqueue(label="after")

    _worker("--once")

    assert jobs_tasks.explode.get_result(failing.id).status == TaskResultStatus.FAILED
    assert "this task always fails" in DBTaskResult.objects.get(id=failing.id).traceback
    assert jobs_tasks.echo.get_result(fine.id).return_value == "after"


def test_worker_once_queues_the_due_scheduled_jobs_and_runs_them(system_actor):
    job = _due_job(system_actor)

    _worker("--once")

    job.refresh_from_db()
    result = jobs_tasks.echo.get_result(job.last_result_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "from-schedule"
    assert job.next_run_at > timezone.now()


def test_no_schedule_runs_tasks_but_leaves_due_jobs_alone(system_actor):
    job = _due_job(system_actor)
    queued = jobs_tasks.echo.enqueue(label="queued")

    _worker("--once", "--no-schedule")

    assert jobs_tasks.echo.get_result(queued.id).status == TaskResultStatus.SUCCESSFUL
    assert ScheduledJob.objects.get(pk=job.pk).last_result_id == ""
    assert DBTaskResult.objects.count() == 1


def test_schedule_only_queues_due_jobs_without_running_them(system_actor):
    job = _due_job(system_actor)

    _worker("--once", "--schedule-only")

    job.refresh_from_db()
    assert jobs_tasks.echo.get_result(job.last_result_id).status == TaskResultStatus.READY


def test_max_tasks_stops_the_worker_after_that_many_tasks():
    first = jobs_tasks.echo.enqueue(label="one")
    second = jobs_tasks.echo.enqueue(label="two")

    _worker("--once", "--max-tasks", "1")

    statuses = {jobs_tasks.echo.get_result(r.id).status for r in (first, second)}
    assert statuses == {TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY}


def test_a_long_task_reports_its_progress_by_result_id():
    queued = jobs_tasks.count_up.enqueue(n=3)

    _worker("--once")

    progress = job_progress_get(result_id=queued.id)
    assert progress is not None
    assert (progress.done, progress.total, progress.message) == (3, 3, "step 3")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _wait_for(predicate: Callable[[], bool], *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_running_worker_runs_the_schedule_and_tasks_and_stops_cleanly_on_a_signal(system_actor, signum):
    job = _due_job(system_actor)
    queued = jobs_tasks.echo.enqueue(label="queued")
    env = {**os.environ, "DATABASE_URL": _database_url(), "HAICANG_DATA_DIR": str(settings.DATA_DIR)}
    env.pop("HAICANG_TASKS_BACKEND", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "haicang", "worker", "--interval", "0.1", "--schedule-interval", "0.2"],
        env=env,
        cwd=Path(settings.BASE_DIR).parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        done = _wait_for(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2, seconds=60
        )
        worker.send_signal(signum)
        code = worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        output = worker.communicate()[0].decode(errors="replace")

    assert done, output
    assert code == 0, output
    job.refresh_from_db()
    assert jobs_tasks.echo.get_result(job.last_result_id).return_value == "from-schedule"
    assert jobs_tasks.echo.get_result(queued.id).return_value == "queued"
    assert "Schedule loop stopped" in output
