"""The schedule runner: each due job is queued once and its next run moves on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from haicang.core.jobs.scheduler import scheduled_jobs_run_due
from haicang.core.jobs.services import scheduled_job_set_enabled, scheduled_job_upsert
from haicang.core.models import ScheduledJob

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ECHO = "haicang.core.tests.jobs_tasks.echo"


def _job(actor, name="echo", *, interval=300, first_run_at=NOW, **kwargs):
    return scheduled_job_upsert(
        actor=actor, name=name, task_path=ECHO, kwargs={"label": name}, interval_seconds=interval,
        first_run_at=first_run_at, now=NOW, **kwargs,
    )  # fmt: skip


def test_a_due_job_is_queued_once_and_its_next_run_moves_one_interval_on(system_actor):
    job = _job(system_actor)

    runs = scheduled_jobs_run_due(now=NOW)

    assert [(run.job_name, run.enqueued) for run in runs] == [("echo", True)]
    queued = DBTaskResult.objects.get()
    assert queued.task_path == ECHO
    assert queued.args_kwargs == {"args": [], "kwargs": {"label": "echo"}}
    job.refresh_from_db()
    assert job.next_run_at == NOW + timedelta(minutes=5)
    assert job.last_run_at == NOW
    assert job.last_result_id == str(queued.id) == runs[0].result_id
    assert job.last_error == ""


def test_checking_again_at_the_same_moment_queues_nothing_more(system_actor):
    _job(system_actor)
    scheduled_jobs_run_due(now=NOW)

    assert scheduled_jobs_run_due(now=NOW + timedelta(seconds=30)) == []
    assert DBTaskResult.objects.count() == 1


def test_jobs_not_yet_due_or_turned_off_are_not_queued(system_actor):
    _job(system_actor, "later", first_run_at=NOW + timedelta(seconds=1))
    _job(system_actor, "off")
    scheduled_job_set_enabled(actor=system_actor, name="off", enabled=False, now=NOW - timedelta(hours=1))

    assert scheduled_jobs_run_due(now=NOW) == []
    assert not DBTaskResult.objects.exists()


def test_a_job_that_missed_many_runs_is_queued_once_and_keeps_its_phase(system_actor):
    job = _job(system_actor, first_run_at=NOW - timedelta(minutes=61))

    runs = scheduled_jobs_run_due(now=NOW)

    assert len(runs) == 1
    assert DBTaskResult.objects.count() == 1
    job.refresh_from_db()
    assert job.next_run_at == NOW + timedelta(minutes=4)


def test_every_due_job_is_queued_in_one_check(system_actor):
    for name in ("a", "b", "c"):
        _job(system_actor, name)

    runs = scheduled_jobs_run_due(now=NOW)

    assert sorted(run.job_name for run in runs) == ["a", "b", "c"]
    assert sorted(r.args_kwargs["kwargs"]["label"] for r in DBTaskResult.objects.all()) == ["a", "b", "c"]


def test_a_job_whose_task_cannot_be_queued_records_the_error_and_still_moves_on(system_actor):
    job = _job(system_actor)
    ScheduledJob.objects.filter(pk=job.pk).update(task_path="haicang.core.tests.jobs_tasks.gone")

    runs = scheduled_jobs_run_due(now=NOW)

    assert len(runs) == 1 and not runs[0].enqueued
    assert "gone" in runs[0].error
    job.refresh_from_db()
    assert job.next_run_at == NOW + timedelta(minutes=5)
    assert job.last_error.startswith("TaskPathInvalid")
    assert not DBTaskResult.objects.exists()


def test_a_job_that_queues_again_after_an_error_clears_the_error(system_actor):
    job = _job(system_actor)
    ScheduledJob.objects.filter(pk=job.pk).update(last_error="earlier failure")

    scheduled_jobs_run_due(now=NOW)

    job.refresh_from_db()
    assert job.last_error == ""
