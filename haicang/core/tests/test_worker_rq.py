"""`haicang worker` with django-tasks-rq on Redis: the schedule queues into RQ and RQ's worker runs it.

Skipped when django-rq is not installed or no Redis answers on ``HAICANG_TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/13``, a database these tests empty).
"""

from __future__ import annotations

import os
from datetime import timedelta
from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone

from haicang.core.jobs.services import scheduled_job_upsert
from haicang.core.tests import jobs_tasks

REDIS_URL = os.environ.get("HAICANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def rq_backend(settings):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"no Redis at {REDIS_URL}: start it (see .ci/run) or set HAICANG_TEST_REDIS_URL")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    # in-process jobs: the test process has threads, and forking it would warn
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job", "WORKER_CLASS": "rq.worker.SimpleWorker"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield
    client.flushdb()
    client.close()


@pytest.mark.django_db(transaction=True)
def test_worker_once_on_rq_queues_the_due_jobs_and_runs_them_with_rqs_worker(rq_backend, system_actor):
    job = scheduled_job_upsert(
        actor=system_actor, name="rq-tick", task_path="haicang.core.tests.jobs_tasks.echo",
        kwargs={"label": "via-redis"}, interval_seconds=60, first_run_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    queued = jobs_tasks.add.enqueue(a=20, b=22)

    call_command("worker", "--once", stdout=StringIO(), stderr=StringIO(), verbosity=0)

    job.refresh_from_db()
    scheduled = jobs_tasks.echo.get_result(job.last_result_id)
    assert scheduled.status == TaskResultStatus.SUCCESSFUL
    assert scheduled.return_value == "via-redis"
    assert jobs_tasks.add.get_result(queued.id).return_value == 42
