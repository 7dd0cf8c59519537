"""Reads of outbound work: what each party may see, the operator's work queues and pick-up countdowns
(docs/fulfillment.md, "Outbound work")."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet

from haicang.fulfillment.models import (
    ExceptionStatus,
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickListStatus,
    PickTask,
    PickupSchedule,
    Wave,
    WaveStatus,
)
from haicang.fulfillment.outbound_rules import PickupTime, next_pickup
from haicang.network.models import Carrier, Warehouse
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.parties.scoping import Scope, scope_queryset

READ, WRITE = "fulfillment:read", "fulfillment:write"
# Outbounds whose parcels still have to make a pick-up (counted by the countdowns).
UNSHIPPED_WORK = (
    OutboundStatus.WAVED,
    OutboundStatus.PICKING,
    OutboundStatus.PICKED,
    OutboundStatus.PACKED,
    OutboundStatus.EXCEPTION,
)


def outbounds(scope: Scope) -> QuerySet[Outbound]:
    return scope_queryset(Outbound.objects.all(), scope, permission=READ).select_related(
        "warehouse", "seller", "wave", "planned_service", "planned_service__carrier"
    )


def waves(scope: Scope) -> QuerySet[Wave]:
    return scope_queryset(Wave.objects.all(), scope, permission=READ).select_related("warehouse")


def pick_lists(scope: Scope) -> QuerySet[PickList]:
    return scope_queryset(PickList.objects.all(), scope, permission=READ).select_related("warehouse", "wave")


def pick_exceptions(scope: Scope) -> QuerySet[PickException]:
    return scope_queryset(PickException.objects.all(), scope, permission=READ).select_related(
        "outbound", "task", "task__sku", "task__location", "task__pick_list", "warehouse"
    )


def requests_of_operator(scope: Scope) -> QuerySet[FulfillmentRequest]:
    """The fulfillment requests of the operator's warehouses (none for a seller)."""
    if scope.operator_id is None:
        return FulfillmentRequest.objects.none()
    return scope_queryset(FulfillmentRequest.objects.all(), scope, permission=READ).select_related(
        "warehouse", "seller"
    )


def warehouses_of(scope: Scope) -> list[Warehouse]:
    if scope.operator_id is None:
        return []
    return list(Warehouse.objects.filter(operator_id=scope.operator_id, is_active=True).order_by("code"))


def pick_tasks(pick_list: PickList) -> QuerySet[PickTask]:
    return pick_list.tasks.select_related("sku", "location", "outbound").order_by("stop", "sort_slot", "pk")


@dataclass
class Queues:
    """The operator's work, counted: what waits for whom."""

    to_accept: int = 0
    cancellations: int = 0  # pending cancellation requests to answer
    to_wave: int = 0
    planned_waves: int = 0
    to_pick: int = 0  # outbounds being picked
    open_pick_lists: int = 0
    picked: int = 0  # picked, waiting for packing
    exceptions: int = 0  # outbounds in exception (short picks, nothing in the bins)
    open_short_picks: int = 0


def work_queues(scope: Scope, *, warehouse: Warehouse | None = None) -> Queues:
    requests = requests_of_operator(scope)
    work = scope_queryset(Outbound.objects.all(), scope, permission=READ)
    wave_rows = waves(scope)
    lists = pick_lists(scope)
    shorts = pick_exceptions(scope)
    if warehouse is not None:
        requests = requests.filter(warehouse=warehouse)
        work = work.filter(warehouse=warehouse)
        wave_rows = wave_rows.filter(warehouse=warehouse)
        lists = lists.filter(warehouse=warehouse)
        shorts = shorts.filter(warehouse=warehouse)
    by_status = dict(work.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    adoptable = requests.filter(status=RequestStatus.ACCEPTED, outbound__isnull=True).count()
    return Queues(
        to_accept=requests.filter(status=RequestStatus.SUBMITTED).count(),
        cancellations=requests.filter(
            cancellation=CancellationState.REQUESTED,
            status__in=(RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS),
        ).count(),
        to_wave=by_status.get(OutboundStatus.TO_WAVE, 0) + adoptable,
        planned_waves=wave_rows.filter(status=WaveStatus.PLANNED).count(),
        to_pick=by_status.get(OutboundStatus.PICKING, 0),
        open_pick_lists=lists.filter(status__in=(PickListStatus.OPEN, PickListStatus.IN_PROGRESS)).count(),
        picked=by_status.get(OutboundStatus.PICKED, 0),
        exceptions=by_status.get(OutboundStatus.EXCEPTION, 0),
        open_short_picks=shorts.filter(status=ExceptionStatus.OPEN).count(),
    )


@dataclass
class Countdown:
    """One carrier pick-up and the work that must make it."""

    carrier_id: uuid.UUID
    carrier_code: str
    carrier_name: str
    pickup_at: dt.datetime
    minutes_left: int  # negative: missed
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def outbounds(self) -> int:
        return sum(self.by_status.values())

    @property
    def missed(self) -> bool:
        return self.minutes_left < 0

    @property
    def not_picked(self) -> int:
        return sum(
            n for s, n in self.by_status.items() if s in (OutboundStatus.WAVED, OutboundStatus.PICKING)
        )


def pickup_countdowns(scope: Scope, *, warehouse: Warehouse, now: dt.datetime) -> list[Countdown]:
    """The pick-ups of ``warehouse``'s carriers that open work is planned for (a missed one stays listed until
    its work ships), plus each scheduled carrier's next pick-up, soonest first."""
    work = (
        scope_queryset(Outbound.objects.all(), scope, permission=READ)
        .filter(warehouse=warehouse, status__in=UNSHIPPED_WORK, pickup_at__isnull=False)
        .values("planned_service__carrier_id", "pickup_at", "status")
        .annotate(n=Count("pk"))
    )
    found: dict[tuple[Any, dt.datetime], dict[str, int]] = defaultdict(dict)
    for row in work:
        carrier = row["planned_service__carrier_id"]
        if carrier is None:
            continue
        at = row["pickup_at"]
        if at is not None:  # filtered out: the check is for the type checker
            found[carrier, at][row["status"]] = row["n"]
    schedules: dict[Any, list[PickupTime]] = defaultdict(list)
    for schedule in PickupSchedule.objects.filter(warehouse=warehouse, is_active=True):
        schedules[schedule.carrier_id].append(
            PickupTime(schedule.pickup_time, frozenset(int(d) for d in schedule.weekdays))
        )
    local_now = now.astimezone(ZoneInfo(warehouse.time_zone))
    for carrier, times in schedules.items():
        upcoming = next_pickup(times, local_now)
        if upcoming is not None and not any(c == carrier and at == upcoming for c, at in found):
            found[carrier, upcoming] = {}
    carriers = Carrier.objects.in_bulk(list({c for c, _ in found}))
    out = [
        Countdown(
            carrier_id=carrier,
            carrier_code=carriers[carrier].code if carrier in carriers else "",
            carrier_name=carriers[carrier].name if carrier in carriers else "",
            pickup_at=at,
            minutes_left=int((at - now).total_seconds() // 60),
            by_status=statuses,
        )
        for (carrier, at), statuses in found.items()
    ]
    return sorted(out, key=lambda c: (c.pickup_at, c.carrier_code))
