"""Housekeeping of uploaded files: a file that carries personal data never outlives its import.

The steps of an import erase such a file as soon as the job ends (applied, failed, invalid, discarded). A
worker that died between two steps, or an upload nobody confirmed, can leave one behind; the periodic job
``exchange.erase-leftover-upload-files`` (``tasks.erase_leftover_upload_files``) deletes them:

* the file of a job that **ended** (applied, failed, invalid, discarded) and still has one;
* the file of a job **older than** ``max_age`` (24 h by default) that has not ended: the job is discarded
  first (or, when it was being applied, marked failed), so it can never be confirmed without its file.

Each erasure is recorded: the job's ``file_erased_at`` and an audit entry ``import_job.file_erased``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.exchange.errors import ExchangeErrorCode
from haicang.exchange.models import FINISHED, ImportJob, ImportStatus
from haicang.exchange.problems import Problem
from haicang.exchange.running import job_file_erase

logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE = dt.timedelta(hours=24)


def _ended_by_age(job: ImportJob, actor: Actor) -> str:
    """Close a job that outlived its file: discarded, or failed while it was being applied."""
    before = job.status
    now = timezone.now()
    if job.status == ImportStatus.APPLYING:
        reason = "the uploaded file was erased after 24 hours; nothing was imported"
        job.status = ImportStatus.FAILED
        job.problem_count, job.problems = (
            1,
            [Problem(None, None, ExchangeErrorCode.APPLY_FAILED, reason).as_dict()],
        )
    else:
        job.status = ImportStatus.DISCARDED
    job.finished_at = job.finished_at or now
    job.save()
    audit_record(
        actor=actor,
        action=f"import_job.{job.status}",
        subject=job,
        before={"status": before},
        after={"status": job.status},
        summary="not finished within a day: its uploaded file carries personal data and is erased",
    )
    return before


def import_files_erase_leftover(*, max_age: dt.timedelta = DEFAULT_MAX_AGE, limit: int = 500) -> int:
    """Erase the leftover personal-data upload files (see the module's docstring); returns how many."""
    actor = Actor.system("housekeeping")
    cutoff = timezone.now() - max_age
    candidates = list(
        ImportJob.objects.filter(contains_personal_data=True)
        .exclude(file_path="")
        .filter(Q(status__in=FINISHED) | Q(created_at__lt=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    erased = 0
    for pk in candidates:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(pk=pk).first()
            if job is None or not job.file_path:
                continue
            if job.status not in FINISHED and job.created_at >= cutoff:
                continue  # moved on meanwhile and is still young
            ended_from = _ended_by_age(job, actor) if job.status not in FINISHED else None
            path = job.file_path
            job_file_erase(actor=actor, job=job)
            audit_record(
                actor=actor,
                action="import_job.file_erased",
                subject=job,
                after={"file": job.original_filename, "status": job.status},
                summary=(
                    f"leftover upload {path} erased"
                    + (f" (the job was {ended_from} for over {max_age})" if ended_from else "")
                ),
            )
        erased += 1
    if erased:
        logger.info("housekeeping: %d leftover upload files with personal data erased", erased)
    return erased
