"""Reads of the operator's work queues page (docs/fulfillment.md, "Work queues"): per warehouse what waits for
whom, the next carrier pick-ups, and today's throughput per hour. Read-only, through the reader's scope
(``fulfillment:read``); the outbound counts and pick-up countdowns are those of ``selectors`` (one definition of
each queue), completed here with what ships and what tracking flags.

The queues, per warehouse:

- **to accept** — fulfillment requests submitted to the warehouse, not yet accepted or rejected (and, apart,
  cancellation requests to answer);
- **to wave** — accepted requests waiting for a wave (with or without their outbound yet);
- **to pick** — outbounds of released waves being picked;
- **to pack** — outbounds picked, not packed;
- **to ship** — outbounds packed (their parcels labelled or not), not confirmed at the dock;
- **exceptions** — outbounds in exception (a short pick or nothing left in the bins);
- **tracking alerts** — open alerts on the warehouse's parcels (exception, customs hold, no scan, expired…).

**Throughput** is counted per hour of the warehouse's local day (its time zone), from midnight to now: units
picked (accepted pick scans), parcels packed (not counting voided ones) and parcels shipped (confirmed at the
dock).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncHour

from haicang.fulfillment import selectors
from haicang.fulfillment.models import (
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickScan,
    ScanResult,
    TrackingAlert,
)
from haicang.network.models import Warehouse
from haicang.parties.scoping import Scope, scope_queryset

READ = selectors.READ
PICKUPS_SHOWN = 6


@dataclass(frozen=True)
class WarehouseQueues:
    """One warehouse's queues (module docstring) and its next pick-ups, soonest first."""

    warehouse: Warehouse
    to_accept: int
    cancellations: int
    to_wave: int
    to_pick: int
    to_pack: int
    to_ship: int
    exceptions: int
    tracking_alerts: int
    pickups: list[selectors.Countdown] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every piece of waiting work (an outbound counts once; tracking alerts apart)."""
        return (
            self.to_accept
            + self.cancellations
            + self.to_wave
            + self.to_pick
            + self.to_pack
            + self.to_ship
            + self.exceptions
        )


def operator_warehouses(scope: Scope, *, warehouse_id: str = "") -> list[Warehouse]:
    """The operator's active warehouses (the one named by ``warehouse_id`` when it is one of them)."""
    scope.require(READ)
    warehouses = selectors.warehouses_of(scope)
    chosen = [w for w in warehouses if str(w.pk) == warehouse_id]
    return chosen or warehouses


def warehouse_queues(scope: Scope, *, warehouses: list[Warehouse], now: dt.datetime) -> list[WarehouseQueues]:
    """The queues of each of ``warehouses`` (which the caller took from :func:`operator_warehouses`)."""
    ids = [w.pk for w in warehouses]
    to_ship = dict(
        scope_queryset(Outbound.objects.all(), scope, permission=READ)
        .filter(warehouse__in=ids, status=OutboundStatus.PACKED)
        .values_list("warehouse")
        .annotate(n=Count("pk"))
        .values_list("warehouse", "n")
    )
    alerts = dict(
        scope_queryset(TrackingAlert.objects.all(), scope, permission=READ)
        .filter(parcel__warehouse__in=ids, resolved_at__isnull=True)
        .values_list("parcel__warehouse")
        .annotate(n=Count("pk"))
        .values_list("parcel__warehouse", "n")
    )
    out = []
    for warehouse in warehouses:
        queues = selectors.work_queues(scope, warehouse=warehouse)
        pickups = selectors.pickup_countdowns(scope, warehouse=warehouse, now=now)
        out.append(
            WarehouseQueues(
                warehouse=warehouse,
                to_accept=queues.to_accept,
                cancellations=queues.cancellations,
                to_wave=queues.to_wave,
                to_pick=queues.to_pick,
                to_pack=queues.picked,
                to_ship=to_ship.get(warehouse.pk, 0),
                exceptions=queues.exceptions,
                tracking_alerts=alerts.get(warehouse.pk, 0),
                pickups=pickups[:PICKUPS_SHOWN],
            )
        )
    return out


@dataclass(frozen=True)
class Throughput:
    """Today's work at one warehouse per local hour, from midnight to the current hour (``hours``)."""

    warehouse: Warehouse
    day: dt.date
    hours: list[int]
    units_picked: list[int]
    parcels_packed: list[int]
    parcels_shipped: list[int]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "units_picked": sum(self.units_picked),
            "parcels_packed": sum(self.parcels_packed),
            "parcels_shipped": sum(self.parcels_shipped),
        }

    @property
    def rows(self) -> list[tuple[int, int, int, int]]:
        """(hour, units picked, parcels packed, parcels shipped) per hour: the chart's figures as a table."""
        return list(
            zip(self.hours, self.units_picked, self.parcels_packed, self.parcels_shipped, strict=True)
        )


def _per_hour(rows: list[tuple[dt.datetime, int | None]], zone: ZoneInfo, hours: int) -> list[int]:
    counts = [0] * hours
    for at, n in rows:
        hour = at.astimezone(zone).hour
        if hour < hours:
            counts[hour] += int(n or 0)
    return counts


def throughput_today(scope: Scope, *, warehouse: Warehouse, now: dt.datetime) -> Throughput:
    """Units picked, parcels packed and parcels shipped per hour of ``warehouse``'s local day up to ``now``."""
    zone = ZoneInfo(warehouse.time_zone)
    local_now = now.astimezone(zone)
    start = dt.datetime.combine(local_now.date(), dt.time(0), tzinfo=zone)
    # Across a DST change a local day is 23 or 25 hours long: the hours are labelled by their local clock.
    hours = local_now.hour + 1
    window = Q(occurred_at__gte=start, occurred_at__lte=now)

    def by_hour(
        queryset: QuerySet[Any], when: str, amount: str | None
    ) -> list[tuple[dt.datetime, int | None]]:
        total = Sum(amount) if amount else Count("pk")
        rows = (
            queryset.annotate(hour=TruncHour(when, tzinfo=zone))
            .values("hour")
            .annotate(n=total)
            .values_list("hour", "n")
        )
        return list(rows)

    scans = scope_queryset(PickScan.objects.all(), scope, permission=READ).filter(
        window,
        pick_list__warehouse=warehouse,
        result=ScanResult.ACCEPTED,
        quantity__gt=0,
    )
    parcels = scope_queryset(Parcel.objects.all(), scope, permission=READ).filter(warehouse=warehouse)
    packed = parcels.filter(packed_at__gte=start, packed_at__lte=now).exclude(status=ParcelStatus.VOIDED)
    shipped = parcels.filter(shipped_at__gte=start, shipped_at__lte=now)
    return Throughput(
        warehouse=warehouse,
        day=local_now.date(),
        hours=list(range(hours)),
        units_picked=_per_hour(by_hour(scans, "occurred_at", "quantity"), zone, hours),
        parcels_packed=_per_hour(by_hour(packed, "packed_at", None), zone, hours),
        parcels_shipped=_per_hour(by_hour(shipped, "shipped_at", None), zone, hours),
    )
