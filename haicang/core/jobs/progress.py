"""Progress of long tasks, keyed by the task result id, so the UI and the CLI can show how far a job got.

A task that takes context reports with ``job_progress_report(result_id=context.task_result.id, …)``.
Reports are written at once (outside the caller's transaction when there is none), so a reader sees them
while the task runs. Progress is bookkeeping, not a business change: it is not audited.
"""

from __future__ import annotations

from django.db import transaction

from haicang.core.errors import ValidationFailed
from haicang.core.models.schedule import JobProgress


def job_progress_report(
    *, result_id: str, done: int, total: int | None = None, message: str = ""
) -> JobProgress:
    """Record that the task ``result_id`` has done ``done`` of ``total`` units (``total`` unknown: None)."""
    if not result_id:
        raise ValidationFailed("a progress report names the task result", field="result_id")
    if done < 0 or (total is not None and (total < 0 or done > total)):
        raise ValidationFailed(f"progress {done}/{total} is out of range", field="done")
    with transaction.atomic():
        progress, _ = JobProgress.objects.update_or_create(
            result_id=str(result_id), defaults={"done": done, "total": total, "message": message[:200]}
        )
    return progress


def job_progress_get(*, result_id: str) -> JobProgress | None:
    """The last progress reported by the task ``result_id``, if any."""
    return JobProgress.objects.filter(result_id=str(result_id)).first()
