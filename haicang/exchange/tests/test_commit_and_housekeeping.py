"""Tasks are queued only once the job row is committed; leftover upload files with personal data are erased
by the periodic housekeeping job, and the erasure is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haicang.core.audit import audit_entries_for
from haicang.core.files import file_exists
from haicang.core.jobs.registry import periodic_jobs_declared
from haicang.exchange.models import ImportJob, ImportStatus
from haicang.exchange.services import import_job_confirm, import_job_create
from haicang.exchange.tasks import erase_leftover_upload_files
from haicang.parties.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)

CONTACTS = b"code,name,phone\nA-1,Li Wei,+8613800000000\n"


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_the_validation_task_is_queued_only_after_the_upload_commits(seller):
    # given an upload inside a transaction that has not committed yet
    with transaction.atomic():
        job = import_job_create(
            actor=SYSTEM, owner=seller, kind="catalog", content=b"sku_code\nA\n", filename="skus.csv"
        )

        # then no task is queued while the job row is uncommitted (a worker could not read it)
        assert _queued() == []
        assert job.task_result_id == ""

    # when it commits, the task is queued and the job points to it
    queued = _queued()
    assert len(queued) == 1 and queued[0].task_path.endswith("import_job_validate")
    assert queued[0].args_kwargs["kwargs"] == {"job_id": str(job.pk)}
    assert ImportJob.objects.get(pk=job.pk).task_result_id == str(queued[0].id)


def test_an_upload_rolled_back_queues_nothing(seller):
    with pytest.raises(RuntimeError), transaction.atomic():
        import_job_create(
            actor=SYSTEM, owner=seller, kind="catalog", content=b"sku_code\nA\n", filename="skus.csv"
        )
        raise RuntimeError("the caller's transaction fails")

    assert _queued() == [] and not ImportJob.objects.exists()


def test_the_apply_task_is_queued_only_after_the_confirmation_commits(seller):
    job = import_job_create(
        actor=SYSTEM, owner=seller, kind="catalog", content=b"sku_code\nA\n", filename="s.csv", enqueue=False
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PREVIEWED)

    with transaction.atomic():
        import_job_confirm(actor=SYSTEM, job=job)
        assert _queued() == []

    queued = _queued()
    assert [r.task_path.rsplit(".", 1)[1] for r in queued] == ["import_job_apply"]
    assert ImportJob.objects.get(pk=job.pk).task_result_id == str(queued[0].id)


def _contacts_job(seller, *, status: ImportStatus, age: dt.timedelta = dt.timedelta(0)) -> ImportJob:
    job = import_job_create(
        actor=SYSTEM, owner=seller, kind="test_contacts", content=CONTACTS, filename="c.csv", enqueue=False
    )
    ImportJob.objects.filter(pk=job.pk).update(status=status, created_at=timezone.now() - age)
    return ImportJob.objects.get(pk=job.pk)


def test_housekeeping_erases_leftover_personal_files_of_ended_and_day_old_jobs_and_records_it(
    seller, contacts
):
    # given personal-data uploads left behind: one applied (its worker died before erasing), one nobody
    # confirmed for two days, one being applied for two days; and a young one and a file without personal data
    applied = _contacts_job(seller, status=ImportStatus.APPLIED)
    forgotten = _contacts_job(seller, status=ImportStatus.PREVIEWED, age=dt.timedelta(days=2))
    stuck = _contacts_job(seller, status=ImportStatus.APPLYING, age=dt.timedelta(days=2))
    young = _contacts_job(seller, status=ImportStatus.PREVIEWED, age=dt.timedelta(hours=3))
    catalogue = import_job_create(
        actor=SYSTEM, owner=seller, kind="catalog", content=b"sku_code\nA\n", filename="s.csv", enqueue=False
    )
    ImportJob.objects.filter(pk=catalogue.pk).update(
        status=ImportStatus.APPLIED, created_at=timezone.now() - dt.timedelta(days=3)
    )
    paths = {job.pk: job.file_path for job in (applied, forgotten, stuck, young)}

    # when the periodic job runs
    erased = erase_leftover_upload_files.call(max_age_hours=24)

    # then the three leftover files are gone, each erasure recorded on the job and in the audit log
    assert erased == 3
    for job in (applied, forgotten, stuck):
        fresh = ImportJob.objects.get(pk=job.pk)
        assert fresh.file_path == "" and fresh.file_erased_at is not None
        assert not file_exists(path=paths[job.pk])
        assert "import_job.file_erased" in [e.action for e in audit_entries_for(subject=fresh)]
    # the day-old jobs can no longer be confirmed or applied without their file
    assert ImportJob.objects.get(pk=forgotten.pk).status == ImportStatus.DISCARDED
    stuck_now = ImportJob.objects.get(pk=stuck.pk)
    assert stuck_now.status == ImportStatus.FAILED and stuck_now.problem_count == 1
    # the young upload and the file without personal data are kept
    assert file_exists(path=paths[young.pk]) and ImportJob.objects.get(pk=young.pk).file_erased_at is None
    assert file_exists(path=ImportJob.objects.get(pk=catalogue.pk).file_path)

    # and running it again finds nothing left
    assert erase_leftover_upload_files.call(max_age_hours=24) == 0


def test_the_housekeeping_job_is_declared_to_run_every_hour():
    jobs = {job.name: job for job in periodic_jobs_declared()}

    job = jobs["exchange.erase-leftover-upload-files"]
    assert job.task_path == "haicang.exchange.tasks.erase_leftover_upload_files"
    assert job.interval_seconds == 3600
