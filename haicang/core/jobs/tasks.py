"""The core's background tasks and the periodic jobs that run them."""

from __future__ import annotations

from datetime import time, timedelta

from django.tasks import task
from django.utils import timezone

from haicang.core.idempotency import idempotency_expired_prune
from haicang.core.jobs.housekeeping import finished_task_results_prune
from haicang.core.jobs.registry import PeriodicJob

DEFAULT_KEEP_DAYS = 14


@task
def prune_finished_task_results(*, older_than_days: int = DEFAULT_KEEP_DAYS) -> int:
    """Delete finished task results older than ``older_than_days`` days; returns how many were deleted."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    return finished_task_results_prune(older_than=timezone.now() - timedelta(days=older_than_days))


@task
def prune_expired_idempotency_records() -> int:
    """Delete the API idempotency records past their expiry; returns how many were deleted."""
    return idempotency_expired_prune()


PERIODIC_JOBS = (
    PeriodicJob(
        name="core.prune-finished-task-results",
        task_path="haicang.core.jobs.tasks.prune_finished_task_results",
        kwargs={"older_than_days": DEFAULT_KEEP_DAYS},
        daily_at=time(3, 30),
    ),
    PeriodicJob(
        name="core.prune-expired-idempotency-records",
        task_path="haicang.core.jobs.tasks.prune_expired_idempotency_records",
        interval_seconds=3600,
    ),
)
