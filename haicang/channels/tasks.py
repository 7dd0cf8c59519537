"""The channel stock sync and the stock push as background tasks, and the periodic jobs that run them."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from haicang.channels.stock_push import channel_stock_push_run
from haicang.channels.stock_sync import channel_stock_sync_run
from haicang.core.jobs.registry import PeriodicJob


@task
def stock_sync(*, limit: int = 500) -> dict[str, int]:
    """Recompute the channel accounts' stock of every SKU a new ``stock.available_changed`` event names."""
    return asdict(channel_stock_sync_run(limit=limit))


@task
def stock_push(*, limit: int = 500) -> dict[str, int | bool]:
    """Hand the platforms the quantities they have not been sent yet — through the sandbox transport: the
    requests are built and signed, not sent (docs/channels.md, "Stock push")."""
    return asdict(channel_stock_push_run(limit=limit))


PERIODIC_JOBS = (
    PeriodicJob(
        name="channels.stock-sync",
        task_path="haicang.channels.tasks.stock_sync",
        kwargs={"limit": 500},
        interval_seconds=15,
    ),
    PeriodicJob(
        name="channels.stock-push",
        task_path="haicang.channels.tasks.stock_push",
        kwargs={"limit": 500},
        interval_seconds=30,
    ),
)
