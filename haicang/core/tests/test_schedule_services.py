"""Defining periodic jobs: validation with stable codes, audit entries, default jobs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.jobs.errors import (
    JobKwargsInvalid,
    JobNameInvalid,
    JobsErrorCode,
    ScheduledJobNotFound,
    ScheduleInvalid,
    TaskPathInvalid,
)
from haicang.core.jobs.selectors import scheduled_job_get, scheduled_jobs_list
from haicang.core.jobs.services import (
    scheduled_job_set_enabled,
    scheduled_job_upsert,
    scheduled_jobs_install_defaults,
)
from haicang.core.models import ScheduledJob

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ECHO = "haicang.core.tests.jobs_tasks.echo"


def test_a_new_interval_job_is_stored_with_its_first_run_one_interval_away_and_audited(system_actor):
    job = scheduled_job_upsert(
        actor=system_actor, name="echo", task_path=ECHO, kwargs={"label": "x"}, interval_seconds=300, now=NOW
    )

    job.refresh_from_db()
    assert job.next_run_at == NOW + timedelta(minutes=5)
    assert job.enabled and job.kwargs == {"label": "x"}
    entry = audit_entries_for(subject=job).get()
    assert entry.action == "scheduled_job.created"
    assert entry.actor_label == "system:tests"
    assert entry.changes["after"]["task_path"] == ECHO


def test_a_daily_job_first_runs_at_the_next_time_of_day_or_at_the_given_first_run(system_actor):
    daily = scheduled_job_upsert(
        actor=system_actor, name="daily", task_path=ECHO, kwargs={"label": "d"}, daily_at=time(3, 30), now=NOW
    )
    first = NOW + timedelta(seconds=5)
    soon = scheduled_job_upsert(
        actor=system_actor, name="soon", task_path=ECHO, kwargs={"label": "s"}, daily_at=time(3, 30),
        first_run_at=first, now=NOW,
    )  # fmt: skip

    assert daily.next_run_at == datetime(2026, 3, 2, 3, 30, tzinfo=UTC)
    assert soon.next_run_at == first


@pytest.mark.parametrize(
    "task_path",
    [
        "haicang.core.tests.jobs_tasks.missing",  # no such attribute
        "haicang.nowhere.module.task",  # no such module
        "haicang.core.tests.jobs_tasks.NOT_A_TASK",  # not a task
        "not a path",
        "os.system;rm",
    ],
)
def test_a_task_path_that_is_not_a_queueable_task_is_refused_and_nothing_is_stored(system_actor, task_path):
    with pytest.raises(TaskPathInvalid) as caught:
        scheduled_job_upsert(actor=system_actor, name="bad", task_path=task_path, interval_seconds=60)

    assert caught.value.code == JobsErrorCode.TASK_PATH_INVALID
    assert caught.value.code == "jobs.task_path_invalid"
    assert caught.value.field == "task_path"
    assert not ScheduledJob.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # the required argument is missing
        {"label": "x", "other": 1},  # an argument the task does not take
        {"label": datetime(2026, 1, 1, tzinfo=UTC)},  # not plain JSON
        {"label": "x" * 5000},  # too big
    ],
)
def test_kwargs_that_do_not_fit_the_task_are_refused(system_actor, kwargs):
    with pytest.raises(JobKwargsInvalid) as caught:
        scheduled_job_upsert(
            actor=system_actor, name="echo", task_path=ECHO, kwargs=kwargs, interval_seconds=60
        )

    assert caught.value.code == "jobs.kwargs_invalid"


def test_a_task_taking_context_is_checked_without_its_context_argument(system_actor):
    job = scheduled_job_upsert(
        actor=system_actor, name="count", task_path="haicang.core.tests.jobs_tasks.count_up", kwargs={"n": 2},
        interval_seconds=60,
    )  # fmt: skip

    assert job.kwargs == {"n": 2}


@pytest.mark.parametrize("name", ["", "Upper", "-lead", "has space", "x" * 101])
def test_a_badly_formed_name_is_refused(system_actor, name):
    with pytest.raises(JobNameInvalid) as caught:
        scheduled_job_upsert(
            actor=system_actor, name=name, task_path=ECHO, kwargs={"label": "x"}, interval_seconds=1
        )

    assert caught.value.code == "jobs.name_invalid"


@pytest.mark.parametrize(("interval", "daily"), [(None, None), (60, time(1, 0)), (0, None)])
def test_a_job_needs_exactly_one_valid_rule(system_actor, interval, daily):
    with pytest.raises(ScheduleInvalid):
        scheduled_job_upsert(
            actor=system_actor, name="echo", task_path=ECHO, kwargs={"label": "x"}, interval_seconds=interval,
            daily_at=daily,
        )  # fmt: skip


def test_redefining_a_job_keeps_its_next_run_unless_the_rule_changes(system_actor):
    scheduled_job_upsert(
        actor=system_actor, name="echo", task_path=ECHO, kwargs={"label": "a"}, interval_seconds=300, now=NOW
    )
    later = NOW + timedelta(minutes=1)

    same_rule = scheduled_job_upsert(
        actor=system_actor,
        name="echo",
        task_path=ECHO,
        kwargs={"label": "b"},
        interval_seconds=300,
        now=later,
    )
    assert same_rule.next_run_at == NOW + timedelta(minutes=5)
    assert same_rule.kwargs == {"label": "b"}

    new_rule = scheduled_job_upsert(
        actor=system_actor, name="echo", task_path=ECHO, kwargs={"label": "b"}, interval_seconds=60, now=later
    )
    assert new_rule.next_run_at == later + timedelta(minutes=1)
    assert ScheduledJob.objects.count() == 1
    actions = [entry.action for entry in audit_entries_for(subject=new_rule)]
    assert sorted(actions) == ["scheduled_job.created", "scheduled_job.updated", "scheduled_job.updated"]


def test_turning_a_job_off_and_on_is_audited_and_a_stale_next_run_moves_to_the_future(system_actor):
    scheduled_job_upsert(
        actor=system_actor, name="echo", task_path=ECHO, kwargs={"label": "a"}, interval_seconds=300, now=NOW
    )
    off = scheduled_job_set_enabled(actor=system_actor, name="echo", enabled=False)
    assert not off.enabled

    much_later = NOW + timedelta(days=2)
    on = scheduled_job_set_enabled(actor=system_actor, name="echo", enabled=True, now=much_later)

    assert on.enabled
    assert on.next_run_at == much_later + timedelta(minutes=5)
    actions = {entry.action for entry in audit_entries_for(subject=on)}
    assert {"scheduled_job.disabled", "scheduled_job.enabled"} <= actions


def test_turning_on_an_unknown_job_is_not_found(system_actor):
    with pytest.raises(ScheduledJobNotFound) as caught:
        scheduled_job_set_enabled(actor=system_actor, name="nope", enabled=True)

    assert caught.value.code == "jobs.not_found"
    assert caught.value.status == 404


def test_installing_the_defaults_creates_the_prune_job_once_and_keeps_an_administrators_changes(system_actor):
    created = scheduled_jobs_install_defaults(actor=system_actor, now=NOW)

    names = [job.name for job in created]
    assert names == sorted(names)  # apps add their own jobs; the core's are always there
    assert {"core.prune-expired-idempotency-records", "core.prune-finished-task-results"} <= set(names)
    job = scheduled_job_get(name="core.prune-finished-task-results")
    assert job.task_path == "haicang.core.jobs.tasks.prune_finished_task_results"
    assert job.daily_at == time(3, 30)
    assert job.next_run_at == datetime(2026, 3, 2, 3, 30, tzinfo=UTC)

    scheduled_job_set_enabled(actor=system_actor, name=job.name, enabled=False)
    assert scheduled_jobs_install_defaults(actor=system_actor, now=NOW) == []
    assert list(scheduled_jobs_list(enabled=False)) == [job]
