"""Housekeeping of the task queue: finished task results do not pile up forever."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db import transaction

from haicang.core.models.schedule import JobProgress


def finished_task_results_prune(*, older_than: datetime) -> int:
    """Delete the database backend's finished (successful or failed) task results that finished before
    ``older_than``, with their progress rows; returns how many results were deleted. Queued and running
    results are never touched. Without django-tasks-db installed there is nothing to prune."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        old = DBTaskResult.objects.finished().filter(finished_at__lt=older_than)
        ids = [str(value) for value in old.values_list("id", flat=True)]
        JobProgress.objects.filter(result_id__in=ids).delete()
        deleted, _ = DBTaskResult.objects.filter(id__in=ids).delete()
    return deleted
