"""The core's periodic housekeeping task and the progress reports of long tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haicang.core.errors import ValidationFailed
from haicang.core.jobs.progress import job_progress_get, job_progress_report
from haicang.core.jobs.tasks import prune_finished_task_results
from haicang.core.models import JobProgress
from haicang.core.tests import jobs_tasks

pytestmark = pytest.mark.django_db


def _result(*, status: str, finished_days_ago: int | None) -> str:
    queued = jobs_tasks.echo.enqueue(label=f"{status}-{finished_days_ago}")
    finished_at = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    DBTaskResult.objects.filter(id=queued.id).update(status=status, finished_at=finished_at)
    return queued.id


def test_pruning_deletes_only_finished_results_older_than_the_limit_with_their_progress():
    old_ok = _result(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=20)
    old_failed = _result(status=TaskResultStatus.FAILED, finished_days_ago=15)
    recent = _result(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=2)
    waiting = _result(status=TaskResultStatus.READY, finished_days_ago=None)
    job_progress_report(result_id=old_ok, done=1, total=1)
    job_progress_report(result_id=recent, done=1, total=1)

    deleted = prune_finished_task_results.call(older_than_days=14)

    assert deleted == 2
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {recent, waiting}
    assert old_ok not in {recent, waiting} and old_failed not in {recent, waiting}
    assert list(JobProgress.objects.values_list("result_id", flat=True)) == [recent]


def test_pruning_refuses_a_limit_under_one_day():
    with pytest.raises(ValueError, match="at least 1"):
        prune_finished_task_results.call(older_than_days=0)


def test_progress_reports_replace_each_other_for_one_result():
    job_progress_report(result_id="r-1", done=1, total=10, message="reading")
    job_progress_report(result_id="r-1", done=7, total=10, message="writing")

    progress = job_progress_get(result_id="r-1")
    assert progress is not None
    assert (progress.done, progress.total, progress.message) == (7, 10, "writing")
    assert JobProgress.objects.count() == 1
    assert job_progress_get(result_id="other") is None


def test_progress_without_a_known_total_is_allowed():
    progress = job_progress_report(result_id="r-2", done=40)

    assert progress.total is None
    assert str(progress) == "r-2: 40/?"


@pytest.mark.parametrize(("done", "total"), [(-1, None), (11, 10), (1, -1)])
def test_progress_out_of_range_is_refused(done, total):
    with pytest.raises(ValidationFailed):
        job_progress_report(result_id="r-3", done=done, total=total)
