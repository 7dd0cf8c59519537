"""The schedule runner: enqueue every periodic job that is due, once, however many workers run it.

Each due job is *claimed* by a guarded atomic update that moves ``next_run_at`` from the value this
worker saw to the next run (``UPDATE … SET next_run_at = <next> WHERE id = ? AND next_run_at = <seen>``).
Only the worker whose update changed the row enqueues the task; every other worker's update matches no
row (PostgreSQL re-checks the condition after the winner commits; SQLite serialises writers). With the
database task backend the claim and the queued task commit in the same transaction, so a run is neither
lost nor doubled when a worker dies in between. A task that cannot be queued leaves the claim in place and
its error in ``last_error``, so a broken job does not spin.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from haicang.core.jobs.schedule import next_run_after
from haicang.core.jobs.services import job_rule, task_from_path
from haicang.core.models.schedule import ScheduledJob

logger = logging.getLogger(__name__)

MAX_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ScheduledRun:
    """What the runner did for one due job: the queued task's result id, or why it could not be queued."""

    job_name: str
    planned_at: datetime
    next_run_at: datetime
    result_id: str = ""
    error: str = ""

    @property
    def enqueued(self) -> bool:
        return bool(self.result_id)


def scheduled_jobs_run_due(*, now: datetime | None = None) -> list[ScheduledRun]:
    """Enqueue every enabled job whose ``next_run_at`` is at or before ``now``; return what was done.

    Jobs another worker claimed first are skipped and not returned. Call it outside a transaction.
    """
    now = now or timezone.now()
    due = list(
        ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now).order_by("next_run_at", "name")
    )
    runs = []
    for job in due:
        run = _run_one(job, now=now)
        if run is not None:
            runs.append(run)
    return runs


def _run_one(job: ScheduledJob, *, now: datetime) -> ScheduledRun | None:
    seen = job.next_run_at
    next_at = next_run_after(job_rule(job), now, anchor=seen)
    with transaction.atomic():
        claimed = ScheduledJob.objects.filter(pk=job.pk, enabled=True, next_run_at=seen).update(
            next_run_at=next_at, updated_at=now
        )
        if not claimed:
            return None
        try:
            with transaction.atomic():  # a savepoint: a failed enqueue keeps the claim
                result = task_from_path(job.task_path).enqueue(**job.kwargs)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
            logger.warning("Scheduled job %s could not be queued: %s", job.name, error)
            ScheduledJob.objects.filter(pk=job.pk).update(
                last_run_at=now, last_result_id="", last_error=error
            )
            return ScheduledRun(job_name=job.name, planned_at=seen, next_run_at=next_at, error=error)
        ScheduledJob.objects.filter(pk=job.pk).update(
            last_run_at=now, last_result_id=result.id, last_error=""
        )
    logger.info("Scheduled job %s queued as task %s; next run %s", job.name, result.id, next_at.isoformat())
    return ScheduledRun(job_name=job.name, planned_at=seen, next_run_at=next_at, result_id=result.id)
