"""Waves: plan accepted requests into waves, release a wave into pick lists (docs/fulfillment.md, "Waves").

**Planning** (:func:`wave_plan`): adopts accepted requests that have no outbound yet (``outbounds_adopt``), then
takes every ``to_wave`` outbound of the warehouse, soonest due first, with its estimates — units, lines,
weight and volume from the SKUs' master data, the **zone** holding most of its units (per SKU, the zone of the
bins holding most of it), the first pick sequence of its bins — and **pre-selects its carrier service**: every
active service of the warehouse priced for the estimated parcel (``network.carrier_selectors``: the card in
effect, the pure calculator, totals compared in the warehouse's currency), the cheapest meeting the service
level's promise and collected before the request's due (``outbound_rules.service_choose``; the reason is
stored in ``planned_reason``). The **pick-up** is its carrier's next pick-up (``PickupSchedule``) at least
``pickup_lead_minutes`` from now; without a schedule, the request's due. ``wave_rules.waves_plan`` then groups
them by pick-up, service level and zone within the limits (:class:`WaveLimits`). Requests with a pending
cancellation request wait (the operator answers first); outbounds whose request was closed elsewhere are
cancelled.

**Release** (:func:`wave_release`): the wave's outbounds are re-quoted (the service confirmed from the same
estimates, or changed when the cards changed), their bins allocated (``bin_allocation``: FIFO/FEFO, never more
than a bin holds minus open work), and pick lists built with ``wave_rules.pick_plan``: one **single-order**
list per large request, **batch** lists with sort-to-order slots for small ones. Each list's stops (one per
bin) are ordered by ``pick_path.route_improved`` over the bins' floor coordinates (aisle-aware, from
``aisles_infer`` over the warehouse's bins) from a depot — the warehouse's first dock location with
coordinates, else its first bin in walk order — and the list stores ``route_distance_mm`` and, for comparison,
``sequence_distance_mm`` (the same stops in pick-sequence order). Finally every released request starts
(``orders.fulfilment.fulfilment_requests_start``, in bulk: ``accepted`` → ``in_progress``, ``fulfillment_request.changed``
to the seller). An outbound whose units no bin holds goes to ``exception`` (reason stored; requeue or hand
back); one whose request waits for a cancellation answer goes back to ``to_wave``.

Both run under the warehouse's row lock: plans and releases of one warehouse never interleave.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import DomainError
from haicang.core.fx import fx_convert
from haicang.core.money import Money
from haicang.core.rows import rows_insert_bulk
from haicang.core.sequences import document_numbers_take
from haicang.fulfillment import progress
from haicang.fulfillment.bin_allocation import Stock, Take, stock_load
from haicang.fulfillment.errors import NothingToWave, TransitionInvalid
from haicang.fulfillment.models import (
    Outbound,
    OutboundStatus,
    PickList,
    PickMode,
    PickTask,
    PickupSchedule,
    Wave,
    WaveStatus,
)
from haicang.fulfillment.outbound import (
    REQUEST_FIELDS,
    outbounds_adopt,
    outbounds_sync,
    request_lines,
    warehouse_lock,
)
from haicang.fulfillment.outbound_rules import (
    ItemSize,
    PickupTime,
    majority_zone,
    next_pickup,
    parcel_estimate,
    service_class,
)
from haicang.fulfillment.packing import parcel_destination, service_label
from haicang.fulfillment.pick_path import (
    Aisle,
    Point,
    Stop,
    aisles_infer,
    route_improved,
    route_in_sequence,
    route_length_mm,
)
from haicang.fulfillment.rate_shop import Choice, NoChoice, Option, rate_shop, requirement_for
from haicang.fulfillment.wave_rules import (
    DEFAULT_PICK_MODE_RULE,
    PickModeRule,
    WaveCandidate,
    pick_plan,
    waves_plan,
)
from haicang.network.carrier_selectors import (
    rate_card_full,
    rate_card_in_effect,
    rate_card_rules,
    warehouse_carrier_services,
)
from haicang.network.models import CarrierService, Location, LocationKind, Warehouse
from haicang.network.rates import Destination, Parcel, Quote, RateCardRules, rate_quote
from haicang.orders.fulfilment import fulfilment_requests_start
from haicang.orders.models_fulfilment import CancellationState, RequestStatus

AISLE_CLEARANCE_MM = 1500  # from the last bin of an aisle to the cross-aisle's centre line
UNLOCATED_STEP_MM = 1000  # a bin without floor coordinates stands this far along one line per walk step


@dataclass(frozen=True)
class WaveLimits:
    """How big waves and pick lists get, when a request is picked singly, how long before a pick-up it closes."""

    max_units_per_wave: int = 2000
    max_requests_per_wave: int = 200
    max_orders_per_batch: int = 12  # slots on a cart or put wall
    max_units_per_batch: int = 40
    pick_mode_rule: PickModeRule = DEFAULT_PICK_MODE_RULE
    pickup_lead_minutes: int = 60  # a pick-up closer than this is not made: the next one is planned


DEFAULT_LIMITS = WaveLimits()


def _require(wave: Wave, *allowed: str, action: str) -> None:
    if wave.status not in allowed:
        raise TransitionInvalid(
            f"{wave.number} is {wave.status}: cannot {action} (needs {' or '.join(allowed)})",
            field="status",
            status=wave.status,
        )


# --- carrier pre-selection --------------------------------------------------------------------------------------
class _Quoter:
    """The warehouse's services with their cards loaded once, priced for many estimated parcels, chosen by the
    same rules as packing's rate shop (``rate_shop.rate_shop``)."""

    def __init__(self, warehouse: Warehouse, now: dt.datetime, limits: WaveLimits) -> None:
        self.warehouse = warehouse
        self.zone = ZoneInfo(warehouse.time_zone)
        local = now.astimezone(self.zone)
        self.on = local.date()
        self.holidays = frozenset(warehouse.holidays.values_list("on", flat=True))
        self.services: list[tuple[CarrierService, RateCardRules | None]] = []
        for service in warehouse_carrier_services(warehouse):
            card = rate_card_in_effect(service, self.on)
            rules = rate_card_rules(rate_card_full(card.pk), service) if card is not None else None
            self.services.append((service, rules))
        self.by_code = {service.code: service for service, _ in self.services}
        self.by_id = {service.pk: service for service, _ in self.services}
        schedules: dict[Any, list[PickupTime]] = defaultdict(list)
        for row in PickupSchedule.objects.filter(warehouse=warehouse, is_active=True):
            schedules[row.carrier_id].append(
                PickupTime(row.pickup_time, frozenset(int(d) for d in row.weekdays))
            )
        after = local + dt.timedelta(minutes=limits.pickup_lead_minutes)
        self.pickups: dict[Any, dt.datetime | None] = {
            carrier: next_pickup(times, after) for carrier, times in schedules.items()
        }
        self._fx: dict[tuple[str, Any], Money | None] = {}
        self._cache: dict[tuple[Parcel, Destination], tuple[list[Option], dict[str, Quote]]] = {}
        self._choices: dict[tuple[Any, ...], Choice | NoChoice] = {}

    def _comparable(self, total: Money) -> Money | None:
        if total.currency == self.warehouse.currency:
            return total
        key = (total.currency, total.amount)
        if key not in self._fx:
            try:
                self._fx[key] = fx_convert(money=total, to=self.warehouse.currency, on=self.on)
            except DomainError:
                self._fx[key] = None
        return self._fx[key]

    def options(self, parcel: Parcel, destination: Destination) -> tuple[list[Option], dict[str, Quote]]:
        key = (parcel, destination)
        if key not in self._cache:
            options: list[Option] = []
            quotes: dict[str, Quote] = {}
            for service, rules in self.services:
                label = service_label(service)
                if rules is None:
                    options.append(
                        Option(service.code, label, service.service_level, None, refusal="no_rate_card")
                    )
                    continue
                result = rate_quote(rules, parcel, destination)
                if isinstance(result, Quote):
                    quotes[service.code] = result
                    options.append(
                        Option(
                            service.code,
                            label,
                            service.service_level,
                            result.total,
                            self._comparable(result.total),
                            result.transit_days,
                        )
                    )
                else:
                    options.append(
                        Option(service.code, label, service.service_level, None, refusal=str(result.reason))
                    )
            self._cache[key] = (options, quotes)
        return self._cache[key]

    def apply(self, outbound: Outbound, skus: dict[Any, Any]) -> None:
        """Pre-select the service for ``outbound``'s estimated parcel; store it, its price and the reason (not
        saved)."""
        request = outbound.request
        estimate = parcel_estimate(
            ItemSize(
                line.quantity,
                skus[line.sku_id].weight_g,
                skus[line.sku_id].length_mm,
                skus[line.sku_id].width_mm,
                skus[line.sku_id].height_mm,
            )
            for line in request.lines.all()
        )
        parcel = Parcel(estimate.weight_g, estimate.length_mm, estimate.width_mm, estimate.height_mm)
        destination = parcel_destination(request)
        options, quotes = self.options(parcel, destination)
        ship_by = outbound.due_at.astimezone(self.zone).date()
        key = (parcel, destination, outbound.service_level, ship_by)
        if key not in self._choices:
            requirement = requirement_for(outbound.service_level, ship_by=ship_by, holidays=self.holidays)
            self._choices[key] = rate_shop(options, requirement, ship_on=self.on, holidays=self.holidays)
        choice = self._choices[key]
        if isinstance(choice, Choice):
            service = self.by_code[choice.option.code]
            outbound.planned_service = service
            outbound.planned_cost = quotes[service.code].total
        else:
            outbound.planned_service = None
            outbound.planned_cost = None
        outbound.planned_reason = _cut(choice.reason, 300)

    def pickup_for(self, outbound: Outbound) -> dt.datetime | None:
        if outbound.planned_service_id is None:
            return None
        service = self.by_id.get(outbound.planned_service_id)
        return self.pickups.get(service.carrier_id) if service is not None else None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_PLANNED_FIELDS = [
    "status",
    "wave_id",
    "zone",
    "pickup_at",
    "planned_service_id",
    "planned_cost_amount",
    "planned_cost_currency",
    "planned_reason",
]


def _outbounds_update(outbounds: Sequence[Outbound], fields: Sequence[str], now: dt.datetime) -> None:
    """Write ``fields`` of many outbounds (and bump their versions): one UPDATE per distinct set of values —
    outbounds of one wave share most of them — instead of Django's row-by-row CASE of ``bulk_update``."""
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for outbound in outbounds:
        outbound.version += 1
        outbound.updated_at = now
        groups[tuple(getattr(outbound, name) for name in fields)].append(outbound.pk)
    for values, ids in groups.items():
        for start in range(0, len(ids), 500):
            Outbound.objects.filter(pk__in=ids[start : start + 500]).update(
                **dict(zip(fields, values, strict=True)), version=F("version") + 1, updated_at=now
            )


def _skus(outbounds: Iterable[Outbound]) -> dict[Any, Any]:
    from haicang.catalog.models import Sku

    ids = {line.sku_id for o in outbounds for line in o.request.lines.all()}
    return Sku.objects.in_bulk(list(ids))


_OUTBOUND_FIELDS = tuple(f.name for f in Outbound._meta.concrete_fields)


def _queue(warehouse: Warehouse, query: Q) -> list[Outbound]:
    return list(
        Outbound.objects.filter(query, warehouse=warehouse)
        .select_related("request")
        .only(*_OUTBOUND_FIELDS, *(f"request__{name}" for name in REQUEST_FIELDS))
        .prefetch_related(Prefetch("request__lines", queryset=request_lines().queryset))
        .order_by("due_at", "accepted_at", "pk")
    )


def _waiting_for_answer(outbound: Outbound) -> bool:
    return outbound.request.cancellation == CancellationState.REQUESTED


# --- planning ----------------------------------------------------------------------------------------------------
def wave_plan(
    *, actor: Actor, warehouse: Warehouse, now: dt.datetime | None = None, limits: WaveLimits | None = None
) -> list[Wave]:
    """Plan every ``to_wave`` outbound of ``warehouse`` into waves (module docstring); the waves, earliest
    pick-up first. Raises ``fulfillment.nothing_to_wave`` when none waits."""
    now = now or timezone.now()
    limits = limits or DEFAULT_LIMITS
    with transaction.atomic():
        warehouse = warehouse_lock(warehouse.pk)
        waiting = _queue(warehouse, Q(status=OutboundStatus.TO_WAVE))
        adopted = outbounds_adopt(actor=actor, warehouse=warehouse, now=now)
        queue = outbounds_sync(actor=actor, outbounds=waiting, now=now) + adopted
        queue.sort(key=lambda o: (o.due_at, o.accepted_at, o.pk))
        queue = [o for o in queue if not _waiting_for_answer(o)]
        if not queue:
            raise NothingToWave(
                f"no accepted request waits for a wave at {warehouse.code}", field="warehouse"
            )
        skus = _skus(queue)
        stock = stock_load(
            warehouse, {(o.seller_id, line.sku_id) for o in queue for line in o.request.lines.all()}
        )
        quoter = _Quoter(warehouse, now, limits)
        candidates: list[WaveCandidate] = []
        for outbound in queue:
            zones: dict[str, int] = defaultdict(int)
            sequences: list[int] = []
            for line in outbound.request.lines.all():
                zones[majority_zone(stock.units_by_zone(outbound.seller_id, line.sku_id))] += line.quantity
                first = stock.first_sequence(outbound.seller_id, line.sku_id)
                if first is not None:
                    sequences.append(first)
            outbound.zone = majority_zone({z: n for z, n in zones.items() if z})
            quoter.apply(outbound, skus)
            outbound.pickup_at = quoter.pickup_for(outbound)
            candidates.append(
                WaveCandidate(
                    key=str(outbound.pk),
                    pickup_at=outbound.pickup_at or outbound.due_at,
                    service_level=service_class(outbound.service_level),
                    zone=outbound.zone,
                    units=outbound.units,
                    lines=outbound.lines,
                    est_weight_g=outbound.est_weight_g,
                    est_volume_mm3=outbound.est_volume_mm3,
                    first_pick_sequence=min(sequences) if sequences else None,
                )
            )
        planned = waves_plan(
            candidates,
            max_units_per_wave=limits.max_units_per_wave,
            max_requests_per_wave=limits.max_requests_per_wave,
            now=now,
        )
        year = now.astimezone(ZoneInfo(warehouse.time_zone)).year
        numbers = document_numbers_take(
            scope=warehouse.operator_id, prefix="WAV", year=year, count=len(planned)
        )
        waves = [
            Wave(
                operator_id=warehouse.operator_id,
                warehouse=warehouse,
                number=number,
                pickup_at=plan.pickup_at,
                service_level=plan.service_level,
                zone=plan.zone,
                request_count=len(plan.keys),
                unit_count=plan.units,
                planned_by=actor.label[:200],
                planned_at=now,
            )
            for number, plan in zip(numbers, planned, strict=True)
        ]
        rows_insert_bulk(waves)
        by_key = {str(o.pk): o for o in queue}
        for wave, plan in zip(waves, planned, strict=True):
            for key in plan.keys:
                outbound = by_key[key]
                outbound.wave, outbound.status = wave, OutboundStatus.WAVED
        _outbounds_update(queue, _PLANNED_FIELDS, now)
        numbers_of: dict[Any, list[str]] = defaultdict(list)
        for outbound in queue:
            numbers_of[outbound.wave_id].append(outbound.number)
        progress.audit_bulk(  # one entry per wave, naming the requests it took (their own entries: created)
            actor=actor,
            action="wave.planned",
            changes=[
                (
                    w,
                    None,
                    {
                        "status": w.status,
                        "requests": numbers_of[w.pk],
                        "units": w.unit_count,
                        "pickup_at": w.pickup_at,
                        "service_level": w.service_level,
                        "zone": w.zone,
                    },
                )
                for w in waves
            ],
            occurred_at=now,
        )
        return waves


def wave_cancel(*, actor: Actor, wave: Wave, now: dt.datetime | None = None) -> Wave:
    """Give up a planned wave: its outbounds wait for the next plan."""
    now = now or timezone.now()
    with transaction.atomic():
        warehouse_lock(wave.warehouse_id)
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        _require(wave, WaveStatus.PLANNED, action="cancel it")
        count = Outbound.objects.filter(wave=wave, status=OutboundStatus.WAVED).update(
            status=OutboundStatus.TO_WAVE, wave=None, updated_at=now
        )
        wave.status, wave.completed_at = WaveStatus.CANCELLED, now
        wave.save(update_fields=["status", "completed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="wave.cancelled",
            subject=wave,
            before={"status": WaveStatus.PLANNED},
            after={"status": wave.status, "requests_back_to_queue": count},
            occurred_at=now,
        )
        return wave


# --- release ----------------------------------------------------------------------------------------------------
def _mm(value: Any) -> int:
    return int((Decimal(value) * 1000).to_integral_value())


@dataclass
class _Floor:
    depot: Point
    aisles: dict[int, Aisle]

    @classmethod
    def of(cls, warehouse: Warehouse) -> _Floor:
        rows = list(
            Location.objects.filter(
                warehouse=warehouse,
                kind__in=(LocationKind.PICK, LocationKind.BULK),
                x_m__isnull=False,
                y_m__isnull=False,
            )
            .order_by("pick_sequence", "code")
            .values_list("x_m", "y_m")
        )
        points = [Point(_mm(x), _mm(y)) for x, y in rows]
        aisles = aisles_infer(points, clearance_mm=AISLE_CLEARANCE_MM) if points else {}
        dock = (
            Location.objects.filter(
                warehouse=warehouse,
                kind=LocationKind.DOCK,
                x_m__isnull=False,
                y_m__isnull=False,
                is_active=True,
            )
            .order_by("code")
            .values_list("x_m", "y_m")
            .first()
        )
        if dock is not None:
            depot = Point(_mm(dock[0]), _mm(dock[1]))
        elif points:
            depot = points[0]
        else:
            depot = Point(0, 0)
        return cls(depot, aisles)

    @staticmethod
    def stop_of(location: Location) -> Stop:
        sequence = location.pick_sequence or 0
        if location.x_m is None or location.y_m is None:
            return Stop(str(location.pk), sequence, 0, sequence * UNLOCATED_STEP_MM)
        return Stop(str(location.pk), sequence, _mm(location.x_m), _mm(location.y_m))


@dataclass
class _Allocated:
    outbound: Outbound
    takes: list[tuple[Any, Take]] = field(default_factory=list)  # (sku id, take)


def _allocate(outbound: Outbound, stock: Stock, skus: dict[Any, Any]) -> tuple[_Allocated | None, str]:
    done = _Allocated(outbound)
    for line in outbound.request.lines.all():
        takes, missing = stock.take(outbound.seller_id, line.sku_id, line.quantity)
        done.takes += [(line.sku_id, t) for t in takes]
        if missing:
            Stock.give_back(t for _, t in done.takes)
            code = skus[line.sku_id].code
            return None, f"no bin holds enough: {missing} of {line.quantity} × {code} missing at release"
    return done, ""


def _tasks_for(
    pick_list: PickList, members: Sequence[tuple[_Allocated, int | None]], floor: _Floor
) -> list[PickTask]:
    locations = {take.location.pk: take.location for member, _ in members for _, take in member.takes}
    stops = [floor.stop_of(location) for location in locations.values()]
    improved = route_improved(stops, floor.depot, aisles=floor.aisles)
    pick_list.route_distance_mm = route_length_mm(improved, floor.depot, aisles=floor.aisles)
    pick_list.sequence_distance_mm = route_length_mm(
        route_in_sequence(stops), floor.depot, aisles=floor.aisles
    )
    number = {stop.key: n for n, stop in enumerate(improved, start=1)}
    tasks = [
        PickTask(
            pick_list=pick_list,
            outbound=member.outbound,
            sku_id=sku_id,
            location=take.location,
            lot_code=take.lot_code,
            quantity=take.quantity,
            stop=number[str(take.location.pk)],
            sort_slot=slot,
        )
        for member, slot in members
        for sku_id, take in member.takes
    ]
    tasks.sort(key=lambda t: (t.stop, t.sort_slot or 0))
    return tasks


_RELEASED_FIELDS = [
    "status",
    "pick_mode",
    "sort_slot",
    "planned_service_id",
    "planned_cost_amount",
    "planned_cost_currency",
    "planned_reason",
    "exception_reason",
]


def wave_release(
    *, actor: Actor, wave: Wave, now: dt.datetime | None = None, limits: WaveLimits | None = None
) -> Wave:
    """Release a planned wave into pick lists and start its requests (module docstring)."""
    return waves_release(actor=actor, waves=[wave], now=now, limits=limits)[0]


def waves_release(
    *, actor: Actor, waves: Sequence[Wave], now: dt.datetime | None = None, limits: WaveLimits | None = None
) -> list[Wave]:
    """Release several planned waves of one warehouse at once (all or nothing): what :func:`wave_release`
    does, with the cards, the floor and the bins read once for all of them."""
    now = now or timezone.now()
    limits = limits or DEFAULT_LIMITS
    if not waves:
        return []
    if len({w.warehouse_id for w in waves}) > 1:
        raise TransitionInvalid("waves released together belong to one warehouse", field="waves")
    with transaction.atomic():
        warehouse = warehouse_lock(waves[0].warehouse_id)
        locked = list(Wave.objects.select_for_update().filter(pk__in=[w.pk for w in waves]).order_by("pk"))
        for wave in locked:
            _require(wave, WaveStatus.PLANNED, action="release it")
        order = {w.pk: n for n, w in enumerate(waves)}
        locked.sort(key=lambda w: order[w.pk])
        members = outbounds_sync(
            actor=actor,
            outbounds=_queue(warehouse, Q(wave__in=locked, status=OutboundStatus.WAVED)),
            now=now,
        )
        waiting = [o for o in members if _waiting_for_answer(o) or o.request.status != RequestStatus.ACCEPTED]
        members = [o for o in members if o not in waiting]
        _unwave(actor, waiting, now)
        skus = _skus(members)
        quoter = _Quoter(warehouse, now, limits)
        stock = stock_load(
            warehouse, {(o.seller_id, line.sku_id) for o in members for line in o.request.lines.all()}
        )
        floor = _Floor.of(warehouse)
        by_wave: dict[Any, list[Outbound]] = defaultdict(list)
        for outbound in members:
            by_wave[outbound.wave_id].append(outbound)
        lists: list[PickList] = []
        tasks: list[PickTask] = []
        started: list[Any] = []
        summary: dict[Any, dict[str, Any]] = {}
        for wave in locked:
            built = _wave_build(wave, by_wave[wave.pk], warehouse, quoter, stock, floor, skus, limits, now)
            lists += built.lists
            tasks += built.tasks
            started += built.started
            summary[wave.pk] = {
                "pick_lists": len(built.lists),
                "released": [r.number for r in built.started],
                "exceptions": built.failed,
                "back_to_queue": [o.number for o in waiting if o.wave_id == wave.pk],
            }
        year = now.astimezone(ZoneInfo(warehouse.time_zone)).year
        if lists:
            numbers = document_numbers_take(
                scope=warehouse.operator_id, prefix="PCK", year=year, count=len(lists)
            )
            for pick_list, number in zip(lists, numbers, strict=True):
                pick_list.number = number
        rows_insert_bulk(lists)
        rows_insert_bulk(tasks)
        _outbounds_update(members, _RELEASED_FIELDS, now)
        fulfilment_requests_start(actor=actor, requests=started)
        Wave.objects.filter(pk__in=[w.pk for w in locked]).update(
            status=WaveStatus.RELEASED, released_at=now, updated_at=now
        )
        for wave in locked:
            wave.status, wave.released_at = WaveStatus.RELEASED, now
        progress.audit_bulk(
            actor=actor,
            action="wave.released",
            changes=[
                (w, {"status": WaveStatus.PLANNED}, {"status": w.status, **summary[w.pk]}) for w in locked
            ],
            occurred_at=now,
        )
        on_list: dict[int, set[str]] = defaultdict(set)
        for task in tasks:
            on_list[id(task.pick_list)].add(task.outbound.number)
        progress.audit_bulk(
            actor=actor,
            action="pick_list.created",
            changes=[
                (
                    pl,
                    None,
                    {
                        "mode": pl.mode,
                        "requests": sorted(on_list[id(pl)]),
                        "route_distance_mm": pl.route_distance_mm,
                        "sequence_distance_mm": pl.sequence_distance_mm,
                    },
                )
                for pl in lists
            ],
            occurred_at=now,
        )
        failed = [o for o in members if o.status == OutboundStatus.EXCEPTION]
        progress.audit_bulk(  # the wave's entry names the released requests; one that failed gets its own
            actor=actor,
            action="outbound.exception",
            changes=[
                (o, {"status": OutboundStatus.WAVED}, {"status": o.status, "reason": o.exception_reason})
                for o in failed
            ],
            occurred_at=now,
        )
        for wave in locked:
            if not summary[wave.pk]["pick_lists"]:
                progress.wave_settle(actor, wave, now)
        return locked


def _unwave(actor: Actor, outbounds: Sequence[Outbound], now: dt.datetime) -> None:
    """Outbounds whose request waits for a cancellation answer leave the wave and wait for the next plan."""
    for outbound in outbounds:
        outbound.status, outbound.wave = OutboundStatus.TO_WAVE, None
        outbound.version += 1
        outbound.save(update_fields=["status", "wave", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="outbound.unwaved",
            subject=outbound,
            before={"status": OutboundStatus.WAVED},
            after={"status": outbound.status, "reason": "a cancellation request waits for an answer"},
            occurred_at=now,
        )


@dataclass
class _Built:
    lists: list[PickList] = field(default_factory=list)
    tasks: list[PickTask] = field(default_factory=list)
    started: list[Any] = field(default_factory=list)  # the requests to start
    failed: list[str] = field(default_factory=list)  # the requests no bin could fill


def _wave_build(
    wave: Wave,
    members: Sequence[Outbound],
    warehouse: Warehouse,
    quoter: _Quoter,
    stock: Stock,
    floor: _Floor,
    skus: dict[Any, Any],
    limits: WaveLimits,
    now: dt.datetime,
) -> _Built:
    """One wave's pick lists (not yet numbered or saved), its outbounds updated in memory."""
    built = _Built()
    allocated: dict[str, _Allocated] = {}
    candidates: list[WaveCandidate] = []
    planned_today = wave.planned_at.astimezone(quoter.zone).date() == quoter.on
    for outbound in members:
        if not (planned_today and outbound.planned_service_id):  # cards may have changed since the plan
            quoter.apply(outbound, skus)
        done, why = _allocate(outbound, stock, skus)
        if done is None:
            outbound.status, outbound.exception_reason = OutboundStatus.EXCEPTION, why
            built.failed.append(outbound.number)
            continue
        allocated[str(outbound.pk)] = done
        candidates.append(
            WaveCandidate(
                key=str(outbound.pk),
                pickup_at=outbound.pickup_at or outbound.due_at,
                service_level=service_class(outbound.service_level),
                zone=outbound.zone,
                units=outbound.units,
                lines=outbound.lines,
                est_weight_g=outbound.est_weight_g,
                est_volume_mm3=outbound.est_volume_mm3,
                first_pick_sequence=min(
                    (t.location.pick_sequence for _, t in done.takes if t.location.pick_sequence is not None),
                    default=None,
                ),
            )
        )
    plan = pick_plan(
        candidates,
        max_orders_per_batch=limits.max_orders_per_batch,
        max_units_per_batch=limits.max_units_per_batch,
        rule=limits.pick_mode_rule,
    )
    groups: list[tuple[str, list[tuple[_Allocated, int | None]]]] = []
    for key in plan.singles:
        groups.append((PickMode.SINGLE, [(allocated[key], None)]))
    for batch in plan.batches:
        groups.append((PickMode.BATCH, [(allocated[slot.key], slot.slot) for slot in batch.slots]))
    for mode, group in groups:
        pick_list = PickList(
            wave=wave,
            operator_id=warehouse.operator_id,
            warehouse=warehouse,
            number="",
            mode=mode,
            created_at=now,
        )
        built.tasks += _tasks_for(pick_list, group, floor)
        built.lists.append(pick_list)
        for member, slot in group:
            member.outbound.pick_mode, member.outbound.sort_slot = mode, slot
            member.outbound.status = OutboundStatus.PICKING
            built.started.append(member.outbound.request)
    return built
