"""Background work of the fulfillment app: the tracking watch (docs/fulfillment.md, "Tracking")."""

from __future__ import annotations

from django.tasks import task

from haicang.core.actors import Actor
from haicang.core.jobs.registry import PeriodicJob

TRACKING_WATCH = "fulfillment.tracking-watch"


@task
def tracking_watch(
    *, no_scan_days: int | None = None, limit: int = 5000, poll: bool = True, poll_limit: int = 500
) -> dict[str, int]:
    """Poll the sandbox carrier, expire and alert parcels without scans
    (``haicang.fulfillment.tracking_watch.tracking_watch_run``)."""
    from haicang.fulfillment.tracking_watch import tracking_watch_run

    report = tracking_watch_run(
        actor=Actor.system(TRACKING_WATCH),
        no_scan_days=no_scan_days,
        limit=limit,
        poll=poll,
        poll_limit=poll_limit,
    )
    return report.as_dict()


# Hourly: a parcel's no-scan alert comes within the hour it is due; the sandbox's scans within the hour they
# happen. ``no_scan_days`` (null: 3 days express, 7 postal) sets one no-scan limit for every parcel.
PERIODIC_JOBS = (
    PeriodicJob(
        name=TRACKING_WATCH,
        task_path="haicang.fulfillment.tasks.tracking_watch",
        kwargs={"no_scan_days": None, "poll": True},
        interval_seconds=3600,
    ),
)
