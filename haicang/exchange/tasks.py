"""The background steps of an import: validate an uploaded file, apply a confirmed one.

Arguments name the job by id only (never file content or personal data); progress is reported by the task
result id, which the job keeps in ``task_result_id`` for the UI and the API.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.tasks import TaskContext, task

from haicang.core.jobs.progress import job_progress_report
from haicang.core.jobs.registry import PeriodicJob
from haicang.exchange.registry import Progress
from haicang.exchange.running import import_job_apply_run, import_job_validate_run

REPORT_EVERY = 200  # rows between progress reports


def _reporter(result_id: str) -> Progress:
    last = {"done": -REPORT_EVERY}

    def report(done: int, total: int | None = None, message: str = "") -> None:
        if done - last["done"] < REPORT_EVERY and done != total and done != 0:
            return
        last["done"] = done
        job_progress_report(
            result_id=result_id,
            done=min(done, total) if total is not None else done,
            total=total,
            message=message,
        )

    return report


@task(takes_context=True)
def import_job_validate(context: TaskContext[Any, str], *, job_id: str) -> str:
    job = import_job_validate_run(job_id=job_id, progress=_reporter(str(context.task_result.id)))
    return str(job.status) if job is not None else "skipped"


@task(takes_context=True)
def import_job_apply(context: TaskContext[Any, str], *, job_id: str) -> str:
    job = import_job_apply_run(job_id=job_id, progress=_reporter(str(context.task_result.id)))
    return str(job.status) if job is not None else "skipped"


@task
def erase_leftover_upload_files(*, max_age_hours: int = 24) -> int:
    """Erase personal-data upload files of imports that ended, or that are older than ``max_age_hours``
    (those are discarded first); returns how many files were erased. See ``housekeeping``."""
    from haicang.exchange.housekeeping import import_files_erase_leftover

    if max_age_hours < 1:
        raise ValueError("max_age_hours must be at least 1")
    return import_files_erase_leftover(max_age=timedelta(hours=max_age_hours))


PERIODIC_JOBS = (
    PeriodicJob(
        name="exchange.erase-leftover-upload-files",
        task_path="haicang.exchange.tasks.erase_leftover_upload_files",
        kwargs={"max_age_hours": 24},
        interval_seconds=3600,
    ),
)
