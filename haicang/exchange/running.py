"""The engine of an import: read and map the file, validate every row, apply all or nothing.

Used three ways: by the background tasks of an :class:`ImportJob` (``import_job_validate_run`` and
``import_job_apply_run``), by ``haicang import`` (the same two steps in-process), and by synchronous entry
points such as the catalogue's ``catalog_import`` (:func:`import_run`, no job). Tasks and the CLI are thin:
they call these with a progress callback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.crypto import seal, unseal
from haicang.core.errors import DomainError
from haicang.core.files import file_delete, file_read, file_store
from haicang.core.models.audit import ActorKind
from haicang.exchange.errors import ExchangeErrorCode, ImportJobNotFound, RowsRejected
from haicang.exchange.mapping import MappedTable, file_prepare, preview_rows, problems_complete
from haicang.exchange.models import ImportJob, ImportStatus
from haicang.exchange.problems import Problem, problems_sorted
from haicang.exchange.registry import ImportContext, Importer, Progress, importers, no_progress

logger = logging.getLogger(__name__)

PROBLEMS_KEPT = 1000  # problems stored on a job; problem_count says how many there were


# --- the actor of a job, kept as JSON --------------------------------------------------------------------
def actor_json(actor: Actor) -> dict[str, Any]:
    return {
        "kind": str(actor.kind),
        "label": actor.label,
        "user_id": actor.user_id,
        "api_key_id": str(actor.api_key_id) if actor.api_key_id else None,
        "job": actor.job,
    }


def actor_from_json(data: Mapping[str, Any]) -> Actor:
    if not data:
        return Actor.system("import")
    key = data.get("api_key_id")
    return Actor(
        kind=ActorKind(data["kind"]),
        label=str(data.get("label", "")),
        user_id=data.get("user_id"),
        api_key_id=uuid.UUID(key) if key else None,
        job=str(data.get("job", "")),
    )


# --- the stored file ---------------------------------------------------------------------------------------
def _seal_context(job_id: object) -> bytes:
    return f"exchange.import:{job_id}".encode()


def job_file_store(*, actor: Actor, job: ImportJob, content: bytes) -> str:
    """Store the upload of ``job``; sealed (AES-GCM) when its kind carries personal data."""
    if job.contains_personal_data:
        return file_store(
            actor=actor, path=f"imports/{job.pk}.sealed", content=seal(content, context=_seal_context(job.pk))
        )
    return file_store(actor=actor, path=f"imports/{job.pk}.{job.file_format}", content=content)


def job_file_read(job: ImportJob) -> bytes:
    data = file_read(path=job.file_path)
    return unseal(data, context=_seal_context(job.pk)) if job.file_sealed else data


def job_file_erase(*, actor: Actor, job: ImportJob) -> None:
    """Delete the stored upload and record that it was erased (no-op when it is gone already)."""
    if not job.file_path:
        return
    file_delete(actor=actor, path=job.file_path)
    ImportJob.objects.filter(pk=job.pk).update(file_path="", file_erased_at=timezone.now())
    job.file_path, job.file_erased_at = "", timezone.now()
    logger.info("import %s: uploaded file erased", job.pk)


# --- checking and applying ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What a run found or did: ``table`` None when the file could not be read."""

    table: MappedTable | None
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.table.rows) if self.table is not None else 0


def _prepared(
    importer: Importer,
    data: bytes,
    fmt: str,
    mapping: Mapping[str, Any] | None,
    defaults: Mapping[str, str] | None,
) -> Outcome:
    prepared = file_prepare(
        data,
        fmt,
        importer.columns,
        mapping=mapping,
        defaults=defaults,
        ignore_unknown=importer.ignore_unknown_columns,
        max_rows=importer.max_rows,
        max_bytes=importer.max_file_bytes,
    )
    return Outcome(prepared.table, prepared.problems)


def _finished(importer: Importer, outcome: Outcome) -> Outcome:
    outcome.problems = problems_complete(problems_sorted(outcome.problems), outcome.table, importer.columns)
    return outcome


def import_check(
    *,
    importer: Importer,
    context: ImportContext,
    data: bytes,
    fmt: str,
    mapping: Mapping[str, Any] | None = None,
    defaults: Mapping[str, str] | None = None,
    progress: Progress = no_progress,
) -> Outcome:
    """Read, map and validate every row; writes nothing."""
    outcome = _prepared(importer, data, fmt, mapping, defaults)
    if outcome.table is not None:
        validation = importer.validate(context, outcome.table, progress)
        outcome.problems.extend(validation.problems)
        outcome.counts = dict(validation.counts)
    return _finished(importer, outcome)


def _apply(
    importer: Importer, context: ImportContext, table: MappedTable, progress: Progress
) -> dict[str, int]:
    """``importer.apply`` in one transaction; any problem rolls everything back (RowsRejected)."""
    try:
        with transaction.atomic():
            return dict(importer.apply(context, table, progress))
    except RowsRejected:
        raise
    except DomainError as exc:  # a service refused something the checks let through
        raise RowsRejected([Problem(None, exc.field, str(exc.code), exc.detail)]) from exc


def import_run(
    *,
    importer: Importer,
    context: ImportContext,
    data: bytes,
    fmt: str,
    mapping: Mapping[str, Any] | None = None,
    defaults: Mapping[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> Outcome:
    """Check and apply in one go, all or nothing (no job). A file whose shape has problems is validated to
    list every problem; otherwise the apply step checks every row itself and writes only if all are good.
    ``dry_run`` applies and rolls back."""
    outcome = _prepared(importer, data, fmt, mapping, defaults)
    if outcome.table is None:
        return _finished(importer, outcome)
    if outcome.problems:
        outcome.problems.extend(importer.validate(context, outcome.table, progress).problems)
        return _finished(importer, outcome)
    try:
        with transaction.atomic():
            outcome.counts = _apply(importer, context, outcome.table, progress)
            if dry_run:
                transaction.set_rollback(True)
    except RowsRejected as exc:
        outcome.problems = list(exc.problems)
    return _finished(importer, outcome)


# --- the steps of a job ------------------------------------------------------------------------------------
def _context(job: ImportJob, actor: Actor) -> ImportContext:
    return ImportContext(
        actor=actor, owner=job.owner, filename=job.original_filename, options=dict(job.options or {})
    )


def _claim(job_id: str, *, was: tuple[ImportStatus, ...], now: ImportStatus) -> ImportJob | None:
    """Move the job from one of ``was`` to ``now``; None when it is elsewhere (discarded, done already)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise ImportJobNotFound(f"no import {job_id}")
        if job.status not in was:
            return None
        job.status = now
        job.save(update_fields=["status", "updated_at"])
    return job


def _stored_problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in problems[:PROBLEMS_KEPT]]


def import_job_validate_run(*, job_id: str, progress: Progress = no_progress) -> ImportJob | None:
    """The validation step: every row checked, the preview and every problem stored. Safe to run twice."""
    job = _claim(job_id, was=(ImportStatus.UPLOADED, ImportStatus.VALIDATING), now=ImportStatus.VALIDATING)
    if job is None:
        return None
    importer = importers.get(job.kind)
    actor = actor_from_json(job.created_by)
    try:
        data = job_file_read(job)
    except DomainError as exc:
        outcome = Outcome(None, [Problem(None, None, ExchangeErrorCode.FILE_INVALID, exc.detail)])
    else:
        progress(0, None, "validating")
        outcome = import_check(
            importer=importer,
            context=_context(job, actor),
            data=data,
            fmt=job.file_format,
            mapping=job.mapping,
            defaults=job.defaults,
            progress=progress,
        )
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.VALIDATING:  # discarded meanwhile
            return job
        job.status = ImportStatus.INVALID if outcome.problems else ImportStatus.PREVIEWED
        job.rows_total = outcome.rows
        job.problem_count = len(outcome.problems)
        job.problems = _stored_problems(outcome.problems)
        job.preview = preview_rows(outcome.table, importer.columns) if outcome.table is not None else {}
        job.counts = outcome.counts
        job.validated_at = timezone.now()
        if job.status == ImportStatus.INVALID:
            job.finished_at = job.validated_at
        job.save()
        audit_record(
            actor=Actor.system("import"),
            action=f"import_job.{job.status}",
            subject=job,
            after={"rows": job.rows_total, "problems": job.problem_count, **job.counts},
            summary=f"{job.original_filename}: {job.rows_total} rows, {job.problem_count} problems",
        )
    if job.status == ImportStatus.INVALID and job.contains_personal_data:
        job_file_erase(actor=Actor.system("import"), job=job)
    progress(outcome.rows, outcome.rows, str(job.status))
    return job


def import_job_apply_run(*, job_id: str, progress: Progress = no_progress) -> ImportJob | None:
    """The apply step of a confirmed job, all or nothing; the job is marked applied in the same transaction
    as the writes, so a crash leaves it ``applying`` with nothing written and the step may run again."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise ImportJobNotFound(f"no import {job_id}")
    if job.status != ImportStatus.APPLYING:
        return None
    importer = importers.get(job.kind)
    actor = actor_from_json(job.confirmed_by or job.created_by)
    problems: list[Problem] = []
    table: MappedTable | None = None
    applied = False
    try:
        data = job_file_read(job)
        outcome = _prepared(importer, data, job.file_format, job.mapping, job.defaults)
        table = outcome.table
        if table is None or outcome.problems:
            raise RowsRejected(outcome.problems)
        progress(0, len(table.rows), "applying")
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportStatus.APPLYING:
                return locked
            counts = _apply(importer, _context(job, actor), table, progress)
            job = locked
            job.status, job.result, job.finished_at = ImportStatus.APPLIED, counts, timezone.now()
            job.problems, job.problem_count = [], 0
            job.save()
            audit_record(
                actor=actor, action="import_job.applied", subject=job, after=counts,
                summary=f"{job.original_filename}: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
            )  # fmt: skip
            applied = True
    except RowsRejected as exc:
        problems = problems_complete(problems_sorted(exc.problems), table, importer.columns)
    except DomainError as exc:
        problems = [Problem(None, None, ExchangeErrorCode.APPLY_FAILED, exc.detail)]
    if not applied:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.status != ImportStatus.APPLYING:
                return job
            job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
            job.problem_count, job.problems = len(problems), _stored_problems(problems)
            job.save()
            audit_record(
                actor=actor, action="import_job.failed", subject=job, after={"problems": len(problems)},
                summary=f"{job.original_filename}: {len(problems)} problems; nothing was imported",
            )  # fmt: skip
    if job.contains_personal_data:
        job_file_erase(actor=Actor.system("import"), job=job)
    rows = job.rows_total or 0
    progress(rows, rows, str(job.status))
    return job
