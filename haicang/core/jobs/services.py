"""Writes to the schedule table: define a periodic job, turn it on or off, install the defaults."""

from __future__ import annotations

import inspect
import json
import re
from datetime import datetime, time
from typing import Any, cast

from django.db import transaction
from django.tasks import Task
from django.tasks.exceptions import InvalidTask, InvalidTaskBackend
from django.utils import timezone
from django.utils.module_loading import import_string

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.jobs.errors import (
    JobKwargsInvalid,
    JobNameInvalid,
    ScheduledJobNotFound,
    ScheduleInvalid,
    TaskPathInvalid,
)
from haicang.core.jobs.registry import periodic_jobs_declared
from haicang.core.jobs.schedule import Rule, next_run_after, rule_from_fields
from haicang.core.models.schedule import ScheduledJob

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_TASK_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
MAX_KWARGS_BYTES = 4096


def _task_classes() -> tuple[type, ...]:
    """Django's Task, and the stand-alone django-tasks package's Task that the RQ backend decorates with."""
    try:
        from django_tasks.base import Task as StandaloneTask
    except ImportError:
        return (Task,)
    return (Task, StandaloneTask)


def _definition(job: ScheduledJob) -> dict[str, Any]:
    return {
        "task_path": job.task_path,
        "kwargs": job.kwargs,
        "interval_seconds": job.interval_seconds,
        "daily_at": job.daily_at,
        "enabled": job.enabled,
        "next_run_at": job.next_run_at,
    }


def task_from_path(task_path: str) -> Task[Any, Any]:
    """The ``django.tasks`` task that ``task_path`` names, accepted by its backend; else TaskPathInvalid."""
    if not _TASK_PATH.match(task_path):
        raise TaskPathInvalid(f"{task_path!r} is not a dotted path", field="task_path")
    try:
        found: object = import_string(task_path)
    except ImportError as exc:
        raise TaskPathInvalid(f"{task_path!r} cannot be imported: {exc}", field="task_path") from exc
    if not isinstance(found, _task_classes()):
        raise TaskPathInvalid(f"{task_path!r} is not a task (decorate it with @task)", field="task_path")
    task = cast("Task[Any, Any]", found)
    try:
        task.get_backend().validate_task(task)
    except (InvalidTask, InvalidTaskBackend) as exc:
        raise TaskPathInvalid(f"{task_path!r} cannot be queued: {exc}", field="task_path") from exc
    return task


def _check_kwargs(task: Task[Any, Any], kwargs: dict[str, Any]) -> None:
    if not isinstance(kwargs, dict) or not all(isinstance(key, str) for key in kwargs):
        raise JobKwargsInvalid("kwargs must be a mapping of argument names to values", field="kwargs")
    try:
        encoded = json.dumps(kwargs, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JobKwargsInvalid(f"kwargs must be plain JSON: {exc}", field="kwargs") from exc
    if len(encoded.encode()) > MAX_KWARGS_BYTES:
        raise JobKwargsInvalid(f"kwargs must stay under {MAX_KWARGS_BYTES} bytes of JSON", field="kwargs")
    parameters = inspect.signature(task.func).parameters
    if task.takes_context:
        parameters = dict(list(parameters.items())[1:])  # type: ignore[assignment]
    try:
        inspect.Signature(list(parameters.values())).bind(**kwargs)
    except TypeError as exc:
        raise JobKwargsInvalid(f"kwargs do not fit {task.name}: {exc}", field="kwargs") from exc


def scheduled_job_upsert(
    *,
    actor: Actor,
    name: str,
    task_path: str,
    kwargs: dict[str, Any] | None = None,
    interval_seconds: int | None = None,
    daily_at: time | None = None,
    enabled: bool = True,
    first_run_at: datetime | None = None,
    now: datetime | None = None,
) -> ScheduledJob:
    """Create the periodic job ``name`` or redefine it.

    The next run is ``first_run_at`` when given, else the rule's first run after now. Redefining a job
    keeps its planned next run unless the rule changed. Raises JobNameInvalid, TaskPathInvalid,
    JobKwargsInvalid or ScheduleInvalid.
    """
    if not _NAME.match(name):
        raise JobNameInvalid(
            f"{name!r}: use 1–100 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
            field="name",
        )
    kwargs = {} if kwargs is None else kwargs
    task = task_from_path(task_path)
    _check_kwargs(task, kwargs)
    rule = rule_from_fields(interval_seconds=interval_seconds, daily_at=daily_at)
    now = now or timezone.now()
    if first_run_at is not None and timezone.is_naive(first_run_at):
        raise ScheduleInvalid("first_run_at must be an aware datetime", field="first_run_at")

    with transaction.atomic():
        job = ScheduledJob.objects.select_for_update().filter(name=name).first()
        before = None if job is None else _definition(job)
        if job is None:
            job = ScheduledJob(name=name, next_run_at=first_run_at or next_run_after(rule, now))
        elif first_run_at is not None:
            job.next_run_at = first_run_at
        elif (job.interval_seconds, job.daily_at) != (interval_seconds, daily_at):
            job.next_run_at = next_run_after(rule, now)
        job.task_path = task_path
        job.kwargs = kwargs
        job.interval_seconds = interval_seconds
        job.daily_at = daily_at
        job.enabled = enabled
        job.save()
        audit_record(
            actor=actor,
            action="scheduled_job.created" if before is None else "scheduled_job.updated",
            subject=job,
            before=before,
            after=_definition(job),
        )
    return job


def scheduled_job_set_enabled(
    *, actor: Actor, name: str, enabled: bool, now: datetime | None = None
) -> ScheduledJob:
    """Turn the periodic job ``name`` on or off. A job turned back on next runs at its first run from now."""
    now = now or timezone.now()
    with transaction.atomic():
        job = ScheduledJob.objects.select_for_update().filter(name=name).first()
        if job is None:
            raise ScheduledJobNotFound(f"no scheduled job named {name!r}", field="name")
        if job.enabled == enabled:
            return job
        before = _definition(job)
        job.enabled = enabled
        if enabled and job.next_run_at <= now:
            job.next_run_at = next_run_after(job_rule(job), now)
        job.save(update_fields=["enabled", "next_run_at", "updated_at"])
        audit_record(
            actor=actor,
            action="scheduled_job.enabled" if enabled else "scheduled_job.disabled",
            subject=job,
            before=before,
            after=_definition(job),
        )
    return job


def scheduled_jobs_install_defaults(*, actor: Actor, now: datetime | None = None) -> list[ScheduledJob]:
    """Create every declared periodic job that the table does not have yet; jobs already there (perhaps
    changed or turned off by an administrator) are left as they are. Returns the jobs created."""
    existing = set(ScheduledJob.objects.values_list("name", flat=True))
    return [
        scheduled_job_upsert(
            actor=actor,
            name=declared.name,
            task_path=declared.task_path,
            kwargs=dict(declared.kwargs),
            interval_seconds=declared.interval_seconds,
            daily_at=declared.daily_at,
            now=now,
        )
        for declared in periodic_jobs_declared()
        if declared.name not in existing
    ]


def job_rule(job: ScheduledJob) -> Rule:
    return rule_from_fields(interval_seconds=job.interval_seconds, daily_at=job.daily_at)
