"""Many workers checking the schedule at the same moment queue each due run exactly once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from haicang.core.jobs.scheduler import scheduled_jobs_run_due
from haicang.core.jobs.services import scheduled_job_upsert
from haicang.core.models import ScheduledJob

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
THREADS = 8
JOBS = ("alpha", "beta", "gamma")


@pytest.mark.django_db(transaction=True)
def test_eight_workers_checking_at_once_queue_each_due_job_exactly_once(system_actor):
    for name in JOBS:
        scheduled_job_upsert(
            actor=system_actor, name=name, task_path="haicang.core.tests.jobs_tasks.echo", kwargs={"label": name},
            interval_seconds=60, first_run_at=NOW - timedelta(seconds=1), now=NOW,
        )  # fmt: skip
    barrier = threading.Barrier(THREADS)

    def worker() -> list[str]:
        try:
            barrier.wait(timeout=30)
            return [run.job_name for run in scheduled_jobs_run_due(now=NOW) if run.enqueued]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [future.result(timeout=120) for future in [pool.submit(worker) for _ in range(THREADS)]]

    claimed = sorted(name for names in results for name in names)
    assert claimed == sorted(JOBS)
    labels = sorted(r.args_kwargs["kwargs"]["label"] for r in DBTaskResult.objects.all())
    assert labels == sorted(JOBS)
    for job in ScheduledJob.objects.all():
        assert job.next_run_at == NOW - timedelta(seconds=1) + timedelta(seconds=60)
        assert job.last_result_id
