"""Background work of the orders app: allocating backordered orders when stock arrives."""

from __future__ import annotations

from django.tasks import task

from haicang.core.actors import Actor
from haicang.core.jobs.registry import PeriodicJob

ALLOCATE_BACKORDERS = "orders.allocate-backorders"


@task
def allocate_backorders(*, limit: int = 200) -> dict[str, int]:
    """Re-route backordered orders, oldest first (``haicang.orders.routing.backorders_allocate``)."""
    from haicang.orders.routing import backorders_allocate

    return backorders_allocate(actor=Actor.system(ALLOCATE_BACKORDERS), limit=limit)


# A plain periodic scan: every minute the oldest 200 backordered orders are routed again on the current stock.
# Stock that arrives is so allocated within a minute, first come first served, without hooking the ledger.
PERIODIC_JOBS = (
    PeriodicJob(
        name=ALLOCATE_BACKORDERS,
        task_path="haicang.orders.tasks.allocate_backorders",
        kwargs={"limit": 200},
        interval_seconds=60,
    ),
)
