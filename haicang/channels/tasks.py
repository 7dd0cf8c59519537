"""The channel stock sync as a background task, and the periodic job that runs it."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from haicang.channels.stock_sync import channel_stock_sync_run
from haicang.core.jobs.registry import PeriodicJob


@task
def stock_sync(*, limit: int = 500) -> dict[str, int]:
    """Recompute the channel accounts' stock of every SKU a new ``stock.available_changed`` event names."""
    return asdict(channel_stock_sync_run(limit=limit))


PERIODIC_JOBS = (
    PeriodicJob(
        name="channels.stock-sync",
        task_path="haicang.channels.tasks.stock_sync",
        kwargs={"limit": 500},
        interval_seconds=15,
    ),
)
