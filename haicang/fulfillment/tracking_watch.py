"""The tracking watch: what no carrier message says — parcels gone quiet — and the sandbox carrier's scans
(docs/fulfillment.md, "Tracking"). Run every hour by the periodic job ``fulfillment.tracking-watch``
(``haicang.fulfillment.tasks``), or by hand with ``haicang worker --once``.

1. **Poll** (``poll=True``): shipped parcels whose carrier is served by the built-in sandbox carrier
   (``carrier_ledger.adapter_for_carrier``; today every carrier without a live adapter) are asked for their
   scans (``track()``); the scans not stored yet are recorded (source ``carrier``), stalest parcels first, at
   most ``poll_limit`` parcels a run.
2. **Watch**: shipped parcels not delivered, returned or expired whose last scan (or, with none yet, their
   hand-over) is at least the no-scan limit old, and those with an open no-scan or expiry alert, get their
   tracking status refreshed — ``expired`` after 30 days without a scan on express services, 60 on postal
   ones (``tracking_rules.is_expired``) — and their alerts synced: ``no_scan`` after ``no_scan_days``
   (default per service kind: 3 express, 7 postal; the job's ``no_scan_days`` sets one limit for all, e.g. 5),
   ``expired`` instead past the expiry. Each parcel is its own transaction, its row locked.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.fulfillment import tracking_rules
from haicang.fulfillment.carrier_ledger import adapter_for_carrier
from haicang.fulfillment.models import (
    Parcel,
    ParcelStatus,
    TrackingAlertKind,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
)
from haicang.fulfillment.tracking import (
    KeepReason,
    Outcome,
    Recorded,
    Scan,
    TrackingInput,
    dedupe_key,
    tracked_events,
    tracking_alerts_sync,
    tracking_event_record,
    tracking_message_keep,
    tracking_scans_record,
    tracking_status_refresh,
)

logger = logging.getLogger(__name__)
DONE = (TrackingStatus.DELIVERED, TrackingStatus.RETURNED_TO_SENDER, TrackingStatus.EXPIRED)


@dataclass
class WatchReport:
    polled: int = 0  # parcels asked
    scans: int = 0  # new scans recorded from the polls
    kept: int = 0  # polled scans that could not be applied (kept with their reason)
    checked: int = 0  # quiet parcels looked at
    expired: int = 0  # parcels that became expired
    raised: int = 0
    resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# Since when a parcel in flight has been quiet: its last scan, else its hand-over.
QUIET_SINCE = Coalesce("last_event_at", "shipped_at", "labelled_at")


def _in_flight() -> QuerySet[Parcel]:
    return (
        Parcel.objects.filter(status=ParcelStatus.SHIPPED)
        .exclude(tracking_number="")
        .exclude(tracking_status__in=DONE)
    )


def tracking_poll(*, actor: Actor, now: dt.datetime, limit: int, report: WatchReport) -> None:
    """Ask the sandbox carrier for the scans of up to ``limit`` parcels in flight, stalest first."""
    parcels = _in_flight().order_by(QUIET_SINCE.asc(), "pk")[:limit]
    for parcel in parcels:
        adapter = adapter_for_carrier(parcel.carrier_code)
        if not adapter.is_sandbox:
            continue
        try:
            scans = adapter.track(parcel.tracking_number)
        except DomainError as exc:  # the sandbox does not know the label
            logger.info("tracking poll of %s: %s", parcel.number, exc)
            continue
        report.polled += 1
        stored = set(TrackingEvent.objects.filter(parcel=parcel).values_list("dedupe_key", flat=True))
        fresh = [
            Scan(scan.at, scan.code, scan.text, scan.location)
            for scan in scans
            if scan.at <= now and dedupe_key(scan.at, scan.code, scan.text) not in stored
        ]
        if not fresh:
            continue
        try:
            results = tracking_scans_record(
                actor=actor,
                parcel=parcel,
                scans=fresh,
                source=TrackingSource.CARRIER,
                now=now,
                normalise_as=adapter.carrier_code,
            )
        except DomainError:  # one scan cannot be applied: record them one by one, keeping the bad ones
            results = [_poll_one(actor, parcel, scan, now, adapter.carrier_code, report) for scan in fresh]
        for recorded in results:
            if recorded.outcome is Outcome.APPLIED:
                report.scans += 1
                report.raised += len(recorded.raised)


def _poll_one(
    actor: Actor, parcel: Parcel, scan: Scan, now: dt.datetime, normalise_as: str, report: WatchReport
) -> Recorded:
    try:
        return tracking_event_record(
            actor=actor,
            parcel=parcel,
            occurred_at=scan.occurred_at,
            raw_code=scan.raw_code,
            raw_text=scan.raw_text,
            location=scan.location,
            source=TrackingSource.CARRIER,
            now=now,
            normalise_as=normalise_as,
        )
    except DomainError as exc:
        item = TrackingInput(
            parcel.carrier_code,
            parcel.tracking_number,
            scan.occurred_at,
            scan.raw_code,
            scan.raw_text,
            scan.location,
        )
        message = tracking_message_keep(
            actor=actor,
            operator_id=parcel.operator_id,
            source=TrackingSource.CARRIER,
            carrier_code=parcel.carrier_code,
            tracking_number=parcel.tracking_number,
            payload=item.payload(),
            reason_code=KeepReason.TIME_INVALID if exc.field == "occurred_at" else KeepReason.INPUT_INVALID,
            reason=exc.detail,
            now=now,
        )
        report.kept += 1
        return Recorded(Outcome.KEPT, parcel=parcel, message=message, reason_code=message.reason_code)


def _quiet_parcel_ids(now: dt.datetime, no_scan_days: int | None, limit: int) -> list[uuid.UUID]:
    days = no_scan_days if no_scan_days is not None else min(tracking_rules.NO_SCAN_DAYS.values())
    cutoff = now - dt.timedelta(days=max(days, 0))
    quiet = _in_flight().alias(quiet_since=QUIET_SINCE).filter(quiet_since__lte=cutoff)
    quiet = quiet.order_by(QUIET_SINCE.asc(), "pk")
    alerted = (
        Parcel.objects.filter(
            Q(tracking_alerts__resolved_at__isnull=True),
            Q(tracking_alerts__kind__in=[TrackingAlertKind.NO_SCAN, TrackingAlertKind.EXPIRED]),
        )
        .exclude(tracking_status=TrackingStatus.EXPIRED)
        .order_by("pk")
    )
    ids = list(quiet.values_list("pk", flat=True)[:limit])
    ids += list(alerted.values_list("pk", flat=True).distinct()[:limit])
    return list(dict.fromkeys(ids))


def tracking_watch_run(
    *,
    actor: Actor,
    now: dt.datetime | None = None,
    no_scan_days: int | None = None,
    limit: int = 5000,
    poll: bool = True,
    poll_limit: int = 500,
) -> WatchReport:
    """Poll the sandbox carrier, then refresh and alert the parcels gone quiet (see the module's docstring)."""
    now = now or timezone.now()
    report = WatchReport()
    if poll:
        tracking_poll(actor=actor, now=now, limit=poll_limit, report=report)
    for parcel_id in _quiet_parcel_ids(now, no_scan_days, limit):
        with transaction.atomic():
            parcel = Parcel.objects.select_for_update().filter(pk=parcel_id).first()
            if parcel is None or parcel.status != ParcelStatus.SHIPPED:
                continue
            report.checked += 1
            was = parcel.tracking_status
            tracking_status_refresh(actor=actor, parcel=parcel, now=now)
            if parcel.tracking_status == TrackingStatus.EXPIRED and was != TrackingStatus.EXPIRED:
                report.expired += 1
            raised, resolved = tracking_alerts_sync(
                actor=actor, parcel=parcel, events=tracked_events(parcel), now=now, no_scan_days=no_scan_days
            )
            report.raised += len(raised)
            report.resolved += len(resolved)
    return report
