"""Reads of the schedule table."""

from __future__ import annotations

from django.db.models import QuerySet

from haicang.core.jobs.errors import ScheduledJobNotFound
from haicang.core.models.schedule import ScheduledJob


def scheduled_jobs_list(*, enabled: bool | None = None) -> QuerySet[ScheduledJob]:
    """The periodic jobs by name, optionally only the enabled (or disabled) ones."""
    jobs = ScheduledJob.objects.order_by("name")
    return jobs if enabled is None else jobs.filter(enabled=enabled)


def scheduled_job_get(*, name: str) -> ScheduledJob:
    job = ScheduledJob.objects.filter(name=name).first()
    if job is None:
        raise ScheduledJobNotFound(f"no scheduled job named {name!r}", field="name")
    return job
