"""The demo operators' outbound setup — a box catalogue each and their carriers' pick-up times (docs/fulfillment.md,
"Setup: boxes and pick-up times") — and, once the sales are seeded, the day's operations at each warehouse
(docs/fulfillment.md, "Demo").

**Setup.** Pacific Gate (LAX1) packs into US carton sizes in whole inches and padded mailers; EuroHub (FRA1, BHX1)
into metric cartons in the usual German/UK e-commerce sizes and mailer bags. Every carrier of a warehouse collects
on weekdays in the afternoon, local time (UPS twice, national posts on Saturdays too). Written through the setup
services; idempotent: an operator that has boxes, or a warehouse that has pick-up times, is left as it is.

**The day's operations** (:func:`demo_operations_build`, after the sales demo, ``haicang/demo/orders.py``). Each
warehouse (:data:`DAYS`) has worked its morning through the fulfillment services, as its manager and its
warehouse staff login:

1. *First wave*: this morning's orders — new orders of the warehouse's stores, placed overnight, ingested and
   routed like live ones (``order_ingest``) and released before the shift — accepted and planned into waves with
   the requests accepted before; released, every list picked bin by bin (one item scanned wrong and refused, kept
   in the scan log); one parcel packed in the suggested box, labelled and shipped, one labelled and waiting at the
   dock, the rest to pack.
2. *Second wave* mid-morning: the orders placed early today, the same way; at LAX1 the last stop is short (the
   pick exception left open, the bin flagged for a count); one parcel shipped, one packed without a label yet.
3. *Now*: the requests released since — the sales demo's and this late morning's — are accepted into a wave
   released at once whose first list is being picked, into a wave left planned, and to wait for a wave; the rest
   wait to be accepted. Then the tracking watch polls the sandbox carrier for the shipped parcels' scans, and one
   parcel is reported damaged in transit (an ``exception`` alert).

*Time.* The services take ``now``: every step of the morning is stamped in the warehouse's local morning
(:class:`Morning`: from 07:00 to 20 minutes ago; seeded before 09:20, the two hours before — never before
midnight), so the work queues page's throughput today has bars over several hours. The orders app stamps its own
steps (the request accepted, started) with the clock: they read as the seeding time. Idempotent: a warehouse with a
wave is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.channels.models import ChannelAccount
from haicang.channels.stock_sync import channel_stock_recompute
from haicang.core.actors import Actor
from haicang.demo import order_data
from haicang.demo.morning_orders import MorningOrders
from haicang.fulfillment.carrier_ledger import adapter_code
from haicang.fulfillment.carriers.sandbox_timeline import STAGES, Stage
from haicang.fulfillment.errors import NothingToWave
from haicang.fulfillment.labelling import parcel_label
from haicang.fulfillment.models import (
    BoxType,
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickList,
    PickTaskStatus,
    PickupSchedule,
    TrackingAlert,
    TrackingSource,
    Wave,
)
from haicang.fulfillment.outbound import outbound_accept
from haicang.fulfillment.packing import box_suggestion, items_to_pack, items_weight_g, parcel_pack
from haicang.fulfillment.picking import current_task, pick_list_start, pick_scan, pick_short
from haicang.fulfillment.setup import box_type_create, pickup_schedule_create
from haicang.fulfillment.shipping import parcel_ship
from haicang.fulfillment.tasks import TRACKING_WATCH
from haicang.fulfillment.tracking import tracking_event_record
from haicang.fulfillment.tracking_watch import tracking_watch_run
from haicang.fulfillment.waves import wave_plan, waves_release
from haicang.network.models import Carrier, Warehouse
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.parties.models import Membership, Operator, Seller

# (code, name, inner length, width, height mm, rated gross weight g, tare g)
BoxRow = tuple[str, str, int, int, int, int, int]
BOXES: dict[str, tuple[BoxRow, ...]] = {
    "pacific": (
        ("PM-6X9", "Padded mailer 6×9 in", 152, 229, 25, 1000, 20),
        ("PM-10X15", "Padded mailer 10½×15 in", 267, 381, 40, 2000, 45),
        ("B8-6-4", "Box 8×6×4 in", 203, 152, 102, 9000, 120),
        ("B6-6-6", "Cube 6×6×6 in", 152, 152, 152, 9000, 110),
        ("B10-8-6", "Box 10×8×6 in", 254, 203, 152, 15000, 210),
        ("B12-10-8", "Box 12×10×8 in", 305, 254, 203, 20000, 320),
        ("B14-10-10", "Box 14×10×10 in", 356, 254, 254, 25000, 410),
        ("B16-12-12", "Box 16×12×12 in", 406, 305, 305, 30000, 540),
        ("B18-18-16", "Box 18×18×16 in", 457, 457, 406, 30000, 820),
        ("B24-18-18", "Box 24×18×18 in, double wall", 610, 457, 457, 31500, 1150),
    ),
    "eurohub": (
        ("MB-A5", "Mailer bag A5", 250, 175, 30, 1000, 15),
        ("MB-A4", "Mailer bag A4", 330, 250, 50, 2000, 25),
        ("BOOK", "Book wrap", 320, 240, 80, 3000, 140),
        ("XS", "Carton XS", 225, 145, 35, 2000, 60),
        ("S", "Carton S", 250, 175, 100, 5000, 120),
        ("M", "Carton M", 375, 300, 135, 10000, 250),
        ("L", "Carton L", 450, 350, 200, 20000, 400),
        ("XL", "Carton XL (long)", 600, 300, 150, 20000, 450),
        ("XXL", "Carton XXL, double wall", 600, 400, 400, 31500, 800),
    ),
}
WEEKDAYS = (1, 2, 3, 4, 5)
WITH_SATURDAY = (1, 2, 3, 4, 5, 6)
# warehouse → (carrier code, local time, ISO weekdays)
PICKUPS: dict[str, tuple[tuple[str, dt.time, tuple[int, ...]], ...]] = {
    "LAX1": (
        ("USPS", dt.time(15, 0), WITH_SATURDAY),
        ("FEDEX", dt.time(16, 0), WEEKDAYS),
        ("UPS", dt.time(12, 0), WEEKDAYS),
        ("UPS", dt.time(17, 30), WEEKDAYS),
    ),
    "BHX1": (
        ("EVRI", dt.time(15, 0), WEEKDAYS),
        ("ROYAL-MAIL", dt.time(16, 30), WITH_SATURDAY),
        ("DPD", dt.time(17, 30), WEEKDAYS),
    ),
    "FRA1": (
        ("HERMES", dt.time(14, 30), WEEKDAYS),
        ("DHL", dt.time(16, 0), WITH_SATURDAY),
        ("GLS", dt.time(17, 0), WEEKDAYS),
    ),
}


def demo_boxes_build(*, actor: Actor) -> int:
    """Each demo operator's box catalogue unless it has one; the number of boxes added."""
    added = 0
    for operator in Operator.objects.filter(code__in=list(BOXES)).order_by("code"):
        if BoxType.objects.filter(operator=operator).exists():
            continue
        for code, name, length, width, height, max_g, tare_g in BOXES[operator.code]:
            box_type_create(
                actor=actor,
                operator=operator,
                code=code,
                name=name,
                inner_length_mm=length,
                inner_width_mm=width,
                inner_height_mm=height,
                max_weight_g=max_g,
                tare_g=tare_g,
            )
            added += 1
    return added


def demo_pickups_build(*, actor: Actor) -> int:
    """The carriers' pick-up times at each demo warehouse that has none; the number added."""
    added = 0
    for warehouse in Warehouse.objects.filter(code__in=list(PICKUPS)).order_by("code"):
        if PickupSchedule.objects.filter(warehouse=warehouse).exists():
            continue
        carriers = {
            c.code: c for c in Carrier.objects.filter(operator_id=warehouse.operator_id, is_active=True)
        }
        for carrier_code, at, weekdays in PICKUPS[warehouse.code]:
            carrier = carriers.get(carrier_code)
            if carrier is None:  # a world seeded with other carriers: no pick-up for a missing one
                continue
            pickup_schedule_create(
                actor=actor, warehouse=warehouse, carrier=carrier, pickup_time=at, weekdays=weekdays
            )
            added += 1
    return added


def demo_fulfillment_build(*, actor: Actor) -> bool:
    """The demo's outbound setup (boxes, pick-up times); True when anything was added now."""
    boxes = demo_boxes_build(actor=actor)
    pickups = demo_pickups_build(actor=actor)
    return bool(boxes or pickups)


# --- the day's operations -------------------------------------------------------------------------------------
DAY_START = dt.time(7, 0)  # the morning shift, local time; earlier in the day: the two hours before now
SHORTEST_MORNING = dt.timedelta(hours=2)
MORNING_ENDS = dt.timedelta(minutes=20)  # the last backdated step this long before the seeding


@dataclass(frozen=True)
class DayPlan:
    """One warehouse's day: where this morning's orders come from, how many, and what is left at each stage."""

    stores: tuple[tuple[str, str], ...]  # (store, ship-to country), this morning's orders take them in turn
    overnight: int  # placed overnight, released before the shift: the first wave, mostly shipped by now
    early: int  # placed early today: the second wave
    recent: int  # released late this morning: to accept, with the sales demo's requests
    released: int  # of the requests to accept, accepted now into a wave released at once (being picked)
    planned: int  # then accepted into a wave left planned
    to_wave: int  # then accepted, waiting for a wave; the rest wait to be accepted
    short_pick: bool = False  # the second wave's last stop is short (a pick exception left open)


DAYS: dict[str, DayPlan] = {
    "LAX1": DayPlan(
        (("Amazon US", "US"), ("Temu US · Lumen Home", "US"), ("Lumen Living (Shopify)", "US")),
        overnight=4, early=3, recent=1, released=3, planned=2, to_wave=1, short_pick=True,
    ),
    "FRA1": DayPlan(
        (("Temu EU · Lumen Living", "DE"), ("SHEIN Europe", "FR"), ("Lumen Living (Shopify)", "DE"),
         ("Temu EU · Lumen Living", "NL")),
        overnight=4, early=2, recent=1, released=3, planned=1, to_wave=1,
    ),
    "BHX1": DayPlan(
        (("TikTok Shop UK", "GB"), ("Lumen Living (Shopify)", "GB")),
        overnight=4, early=2, recent=2, released=2, planned=1, to_wave=1,
    ),
}  # fmt: skip
# When this morning's parcels were packed and labelled, and shipped (None: it waits at the dock for the carrier;
# no label: packed a moment ago, the label next), as shares of the morning (0 = its start). The first wave is
# picked in the first quarter of the morning, the second in the middle. Labels are the dearest step (a PDF with
# a subset CJK font each, ~0.5 s): three per warehouse.
FIRST_WAVE_PARCELS = ((0.27, 0.30, True), (0.45, None, True))  # (packed, shipped, labelled)
SECOND_WAVE_PARCELS = ((0.70, 0.85, True), (0.90, None, False))
SERIAL_BASE = 900_000  # this morning's orders' serials (the history's and today's count from 0 per store)


@dataclass(frozen=True)
class Morning:
    """The warehouse's morning: ``at(0)`` is the start of the shift, ``at(1)`` shortly before the seeding."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def of(cls, warehouse: Warehouse, now: dt.datetime) -> Morning:
        """From DAY_START to MORNING_ENDS before ``now`` in the warehouse's time zone; seeded before DAY_START + 2 h
        (a night shift), the two hours before that end, never before midnight: the work is always today's."""
        zone = ZoneInfo(warehouse.time_zone)
        today = now.astimezone(zone).date()
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=zone)
        end = max(now - MORNING_ENDS, midnight + (now - midnight) * 0.8)
        start = dt.datetime.combine(today, DAY_START, tzinfo=zone)
        if end - start < SHORTEST_MORNING:
            start = max(midnight, end - SHORTEST_MORNING)
        return cls(min(start, end), end)

    def at(self, share: float) -> dt.datetime:
        return self.start + (self.end - self.start) * share


@dataclass
class DayCounts:
    """What the day's operations did, over every warehouse."""

    orders: int = 0
    accepted: int = 0
    waves: int = 0
    pick_lists: int = 0
    scans: int = 0
    refused_scans: int = 0
    short_picks: int = 0
    parcels: int = 0
    labels: int = 0
    shipped: int = 0
    tracking_scans: int = 0
    alerts: int = 0
    warehouses: list[str] = field(default_factory=list)


def demo_operations_build(
    *, actor: Actor, seller: Seller, now: dt.datetime | None = None
) -> DayCounts | None:
    """The day's operations at every demo warehouse that has fulfillment requests and no wave yet (module
    docstring); None when there was nothing to do."""
    now = now or timezone.now()
    counts = DayCounts()
    touched: set[uuid.UUID] = set()
    accounts = {a.name: a for a in ChannelAccount.objects.filter(seller=seller)}
    for warehouse in Warehouse.objects.filter(code__in=list(DAYS)).order_by("code"):
        if Wave.objects.filter(warehouse=warehouse).exists():
            continue
        if not FulfillmentRequest.objects.filter(warehouse=warehouse).exists():
            continue  # no sales seeded here (yet)
        team = _team(warehouse)
        touched |= _warehouse_day(actor, team, warehouse, DAYS[warehouse.code], seller, accounts, now, counts)
        counts.warehouses.append(warehouse.code)
    if not counts.warehouses:
        return None
    _tracking(counts, now)
    channel_stock_recompute(
        seller_id=seller.pk, sku_ids=touched
    )  # what the stores may sell, less the new orders
    return counts


@dataclass(frozen=True)
class _Team:
    manager: Actor  # accepts requests, plans and releases waves
    picker: Actor  # picks, packs, labels, ships


def _team(warehouse: Warehouse) -> _Team:
    members = Membership.objects.filter(operator_id=warehouse.operator_id).select_related("user")
    by_role = {m.role: Actor.for_user(m.user) for m in members.order_by("-created_at")}
    fallback = Actor.system("demo warehouse team")
    return _Team(by_role.get("manager", fallback), by_role.get("warehouse_staff", fallback))


def _warehouse_day(
    actor: Actor,
    team: _Team,
    warehouse: Warehouse,
    plan: DayPlan,
    seller: Seller,
    accounts: dict[str, ChannelAccount],
    now: dt.datetime,
    counts: DayCounts,
) -> set[uuid.UUID]:
    """One warehouse's day (module docstring); the SKUs its new orders reserved."""
    morning = Morning.of(warehouse, now)
    rng = random.Random(f"{order_data.SEED}:day:{warehouse.code}")  # noqa: S311 - demo data
    serials = SERIAL_BASE + 100 * list(DAYS).index(warehouse.code)
    orders = MorningOrders(actor, warehouse, plan.stores, seller, accounts, rng, serials=serials)
    # 1. the first wave: the orders placed overnight (and the requests accepted before), picked in the morning's
    #    first quarter; one parcel shipped, one labelled and waiting for the carrier, the rest to pack
    first = orders.release(
        plan.overnight, morning.at(0) - dt.timedelta(minutes=10), morning.start, hours=(1, 9)
    )
    _accept(team.manager, first, morning.at(0), counts)
    lists = _wave(team.manager, warehouse, morning.at(0.01), morning.at(0.02), counts)
    _pick(team.picker, lists, morning.at(0.04), morning.at(0.25), counts, wrong_scan=True)
    _parcels(team.picker, first, FIRST_WAVE_PARCELS, morning, counts, rng)
    # 2. the second wave: the early orders, picked mid-morning (a short pick at LAX1); one parcel shipped, one
    #    packed without a label yet
    second = orders.release(plan.early, morning.at(0.4), morning.at(0.05), hours=(0, 2))
    _accept(team.manager, second, morning.at(0.42), counts)
    lists = _wave(team.manager, warehouse, morning.at(0.45), morning.at(0.47), counts)
    _pick(team.picker, lists, morning.at(0.5), morning.at(0.65), counts, short=plan.short_pick)
    _parcels(team.picker, second, SECOND_WAVE_PARCELS, morning, counts, rng)
    # 3. now: the requests released since — the sales demo's and the late morning's — at every stage
    orders.release(plan.recent, morning.at(0.9), morning.at(0.7), hours=(0, 1))
    waiting = list(
        FulfillmentRequest.objects.filter(warehouse=warehouse, status=RequestStatus.SUBMITTED).order_by(
            "due_at", "number"
        )
    )
    counts.orders += orders.count
    batch, waiting = waiting[: plan.released], waiting[plan.released :]
    _accept(team.manager, batch, now, counts)
    lists = sorted(_wave(team.manager, warehouse, now, now, counts), key=lambda pl: -pl.tasks.count())
    if lists:  # the longest list is being picked: all but its last stop
        _pick(team.picker, lists[:1], now, now, counts, stops=lists[0].tasks.count() - 1)
    batch, waiting = waiting[: plan.planned], waiting[plan.planned :]
    _accept(team.manager, batch, now, counts)
    _wave(team.manager, warehouse, now, None, counts)
    _accept(team.manager, waiting[: plan.to_wave], now, counts)
    return orders.sku_ids


def _accept(actor: Actor, requests: Sequence[FulfillmentRequest], at: dt.datetime, counts: DayCounts) -> None:
    for request in requests:
        outbound_accept(actor=actor, request=request, now=at)
        counts.accepted += 1


def _wave(
    actor: Actor, warehouse: Warehouse, planned: dt.datetime, released: dt.datetime | None, counts: DayCounts
) -> list[PickList]:
    """Plan the waiting requests into waves and release them at ``released`` (None: left planned); the released
    pick lists by number."""
    try:
        waves = wave_plan(actor=actor, warehouse=warehouse, now=planned)
    except NothingToWave:  # every request of the batch was backordered after all
        return []
    counts.waves += len(waves)
    if released is None:
        return []
    waves_release(actor=actor, waves=waves, now=released)
    lists = list(PickList.objects.filter(wave__in=waves).order_by("number"))
    counts.pick_lists += len(lists)
    return lists


def _pick(
    actor: Actor,
    lists: Sequence[PickList],
    start: dt.datetime,
    end: dt.datetime,
    counts: DayCounts,
    *,
    wrong_scan: bool = False,
    short: bool = False,
    stops: int | None = None,
) -> None:
    """Pick ``lists`` between ``start`` and ``end``: at each stop the bin, then the item with its quantity.
    ``wrong_scan``: the first item scanned is another SKU's (refused, kept); ``short``: the last list's last stop
    finds nothing; ``stops``: only so many stops of each list (it stays in progress)."""
    tasks = sum(pick_list.tasks.count() for pick_list in lists)
    step = (end - start) / max(1, 2 * tasks)
    at = start
    for number, pick_list in enumerate(lists):
        pick_list = pick_list_start(actor=actor, pick_list=pick_list, now=at)
        done = 0
        while (task := current_task(pick_list)) is not None and (stops is None or done < stops):
            last = (
                number == len(lists) - 1 and pick_list.tasks.filter(status=PickTaskStatus.OPEN).count() == 1
            )
            pick_scan(actor=actor, pick_list=pick_list, bin_code=task.location.code, now=at)
            at += step
            if wrong_scan:
                other = (
                    Sku.objects.filter(seller_id=task.sku.seller_id).exclude(pk=task.sku_id).order_by("code")
                )
                pick_scan(actor=actor, pick_list=pick_list, bin_code=task.location.code,
                          barcode=_barcode(other.first() or task.sku), now=at)  # fmt: skip
                counts.refused_scans += 1
                wrong_scan = False
            if short and last:
                pick_short(actor=actor, task=task, found=0, now=at)
                counts.short_picks += 1
            else:
                left = task.quantity - task.picked_quantity
                pick_scan(actor=actor, pick_list=pick_list, bin_code=task.location.code,
                          barcode=_barcode(task.sku), quantity=left, now=at)  # fmt: skip
                counts.scans += 1
            at += step
            done += 1


def _barcode(sku: Sku) -> str:
    """What the picker's scanner reads off the item: its first barcode, else its code."""
    barcode = sku.barcodes.order_by("created_at").first()
    return barcode.value if barcode is not None else sku.code


def _parcels(
    actor: Actor,
    requests: Sequence[FulfillmentRequest],
    steps: Sequence[tuple[float, float | None, bool]],
    morning: Morning,
    counts: DayCounts,
    rng: random.Random,
) -> None:
    """Pack the requests' picked outbounds in turn, one ``step`` each (``FIRST_WAVE_PARCELS``), in the suggested
    box, weighed (the items and the box, give or take a few grams); label and ship them as the step says."""
    picked = Outbound.objects.filter(request__in=requests, status=OutboundStatus.PICKED).order_by("number")
    for outbound, (packed, shipped, labelled) in zip(list(picked), steps, strict=False):
        at = morning.at(packed)
        items = items_to_pack(outbound)
        advice = box_suggestion(operator_id=outbound.operator_id, items=items)
        weight = (
            items_weight_g(items) + (advice.box.tare_g if advice.box is not None else 0) + rng.randint(2, 30)
        )
        parcel = parcel_pack(actor=actor, outbound=outbound, weight_g=weight, now=at)
        counts.parcels += 1
        if not labelled:
            continue
        parcel = parcel_label(actor=actor, parcel=parcel, now=at + dt.timedelta(minutes=2))
        counts.labels += 1
        if shipped is not None:
            parcel_ship(actor=actor, parcel=parcel, now=morning.at(shipped))
            counts.shipped += 1


def _tracking(counts: DayCounts, now: dt.datetime) -> None:
    """The carriers' scans of the parcels shipped so far (the tracking watch's poll of the sandbox carrier), and
    one parcel damaged in transit: an exception alert."""
    actor = Actor.system(TRACKING_WATCH)
    report = tracking_watch_run(actor=actor, now=now)
    counts.tracking_scans += report.scans
    parcel = (
        Parcel.objects.filter(status=ParcelStatus.SHIPPED, warehouse__code__in=counts.warehouses)
        .order_by("shipped_at", "number")
        .first()
    )
    if parcel is None:
        return
    carrier = adapter_code(parcel.carrier_code)
    code, text = STAGES.get(carrier, STAGES["sandbox"])[Stage.EXCEPTION]
    last = parcel.last_event_at or parcel.shipped_at or now
    at = max(
        now - dt.timedelta(minutes=1), last + dt.timedelta(minutes=1)
    )  # its latest scan: the alert is open
    tracking_event_record(
        actor=actor, parcel=parcel, occurred_at=at, raw_code=code, raw_text=text, location="Hub",
        source=TrackingSource.CARRIER, now=now, normalise_as=carrier,
    )  # fmt: skip
    counts.tracking_scans += 1
    counts.alerts = TrackingAlert.objects.filter(
        parcel__warehouse__code__in=counts.warehouses, resolved_at__isnull=True
    ).count()
