from django.db import models
from django.db.models import Q

from haicang.core.models.base import Entity


class ScheduledJob(Entity):
    """One periodic job: which task to enqueue, with which arguments, and when.

    Written only by ``haicang.core.jobs.services`` (definitions) and ``haicang.core.jobs.scheduler`` (the
    bookkeeping fields ``next_run_at``, ``last_*``). A job repeats either every ``interval_seconds`` or
    once a day at ``daily_at`` (UTC), never both. ``kwargs`` are the task's keyword arguments as JSON; they
    name objects by id and never carry personal data.
    """

    name = models.CharField(max_length=100, unique=True)
    task_path = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    interval_seconds = models.PositiveIntegerField(null=True, blank=True)
    daily_at = models.TimeField(null=True, blank=True, help_text="Time of day, UTC")
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result_id = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(interval_seconds__isnull=False, daily_at__isnull=True)
                    | Q(interval_seconds__isnull=True, daily_at__isnull=False)
                ),
                name="scheduled_job_one_rule",
            ),
            models.CheckConstraint(
                condition=Q(interval_seconds__isnull=True) | Q(interval_seconds__gte=1),
                name="scheduled_job_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JobProgress(models.Model):
    """How far one running task has got, keyed by its task result id; written by ``job_progress_report``."""

    result_id = models.CharField(max_length=64, primary_key=True)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "job progress"

    def __str__(self) -> str:
        total = "?" if self.total is None else str(self.total)
        return f"{self.result_id}: {self.done}/{total} {self.message}".strip()
