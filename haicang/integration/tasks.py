"""The relay as a background task, and the periodic job that runs it."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from haicang.core.jobs.registry import PeriodicJob
from haicang.integration.relay import relay_run


@task
def relay_webhooks(*, limit: int = 50) -> dict[str, int]:
    """Fan out new outbox events and deliver the webhooks that are due; returns the counts."""
    return asdict(relay_run(limit=limit))


PERIODIC_JOBS = (
    PeriodicJob(
        name="integration.relay-webhooks",
        task_path="haicang.integration.tasks.relay_webhooks",
        kwargs={"limit": 50},
        interval_seconds=15,
    ),
)
