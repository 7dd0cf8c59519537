"""Wave planning and the choice of pick mode. Pure: no Django import.

**Waves.** :func:`waves_plan` groups accepted fulfillment requests (:class:`WaveCandidate`) by **carrier pick-up
time**, **service level** and **zone**: one group's parcels leave on the same truck and its units are picked
from the same part of the floor. Groups come earliest pick-up first, then by service level (express,
expedited, ground, economy, then any other level alphabetically), then zone. A group larger than
``max_units_per_wave`` units or ``max_requests_per_wave`` requests is split, the requests kept in the order
given (callers pass them oldest first, so the oldest are released first); a single request larger than the unit
limit gets a wave of its own (``oversized``). Every request lands in exactly one wave. ``now`` gives each wave
its minutes to pick-up; a wave whose pick-up has passed is ``pickup_missed`` and still planned (it ships on the
next pick-up, which the carrier's calendar, not this module, decides).

**Pick mode.** :func:`pick_mode` sends a request to **single** picking (one picker, one order, straight to
packing) when it is large — at least ``single_min_units`` units, ``single_min_lines`` lines or
``single_min_volume_mm3`` of goods (:class:`PickModeRule`) — and to **batch** picking otherwise: small orders
are picked together on one cart and sorted to order into numbered slots (a put wall or cart totes).

**Batches.** :func:`batches_form` fills batches of at most ``max_orders_per_batch`` orders and
``max_units_per_batch`` units, in order of ``first_pick_sequence`` when known (so a batch's orders share a part
of the floor), else in the order given; slots are numbered 1, 2, … within a batch. A request above the unit
limit on its own is refused: it is a single-pick order.

Everything is O(n log n) over the requests; 10,000 requests plan in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

SERVICE_LEVEL_ORDER = ("express", "expedited", "ground", "economy")
"""Within one pick-up time, the faster service levels are picked first."""

_MINUTE = timedelta(minutes=1)


class PickMode(StrEnum):
    SINGLE = "single"
    BATCH = "batch"


class WaveCandidate(NamedTuple):
    """An accepted fulfillment request waiting for a wave, with its estimates (grams, mm³)."""

    key: str
    pickup_at: datetime  # the carrier pick-up it must make; aware
    service_level: str
    zone: str
    units: int
    lines: int
    est_weight_g: int
    est_volume_mm3: int
    first_pick_sequence: int | None = None  # the lowest pick sequence of its bins, when known


@dataclass(frozen=True, slots=True)
class PlannedWave:
    number: int  # 1, 2, … in release order
    pickup_at: datetime
    service_level: str
    zone: str
    keys: tuple[str, ...]  # the requests, in the order given
    units: int
    lines: int
    est_weight_g: int
    est_volume_mm3: int
    minutes_to_pickup: int  # whole minutes from ``now``, rounded down; negative once missed
    pickup_missed: bool
    oversized: bool  # one request above the unit limit on its own


@dataclass(frozen=True, slots=True)
class PickModeRule:
    single_min_units: int = 10
    single_min_lines: int = 6
    single_min_volume_mm3: int = 40_000_000  # 40 litres: about a half-full large carton


DEFAULT_PICK_MODE_RULE = PickModeRule()


class BatchSlot(NamedTuple):
    slot: int  # the sort-to-order slot, 1-based within its batch
    key: str
    units: int


@dataclass(frozen=True, slots=True)
class PlannedBatch:
    number: int  # 1, 2, … within the call
    slots: tuple[BatchSlot, ...]
    units: int
    lines: int


@dataclass(frozen=True, slots=True)
class PickPlan:
    singles: tuple[str, ...]
    batches: tuple[PlannedBatch, ...]


def _aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def _service_rank(level: str) -> tuple[int, str]:
    try:
        return SERVICE_LEVEL_ORDER.index(level), ""
    except ValueError:
        return len(SERVICE_LEVEL_ORDER), level


def _positive(**limits: int) -> None:
    for name, value in limits.items():
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")


def waves_plan(
    candidates: Iterable[WaveCandidate], *, max_units_per_wave: int, max_requests_per_wave: int, now: datetime
) -> list[PlannedWave]:
    """The waves for ``candidates`` (module docstring): a partition of them, earliest pick-up first."""
    _positive(max_units_per_wave=max_units_per_wave, max_requests_per_wave=max_requests_per_wave)
    _aware(now, "now")
    groups: dict[tuple[datetime, str, str], list[WaveCandidate]] = {}
    seen: set[str] = set()
    for c in candidates:
        if c.key in seen:
            raise ValueError(f"request {c.key} is listed twice")
        seen.add(c.key)
        _aware(c.pickup_at, f"pickup_at of {c.key}")
        if c.units < 0 or c.lines < 0 or c.est_weight_g < 0 or c.est_volume_mm3 < 0:
            raise ValueError(f"request {c.key}: units, lines, weight and volume cannot be negative")
        groups.setdefault((c.pickup_at, c.service_level, c.zone), []).append(c)
    waves: list[PlannedWave] = []
    for pickup_at, level, zone in sorted(groups, key=lambda g: (g[0], _service_rank(g[1]), g[2])):
        minutes = (pickup_at - now) // _MINUTE
        for chunk in _split(groups[pickup_at, level, zone], max_units_per_wave, max_requests_per_wave):
            waves.append(
                PlannedWave(
                    number=len(waves) + 1,
                    pickup_at=pickup_at,
                    service_level=level,
                    zone=zone,
                    keys=tuple(c.key for c in chunk),
                    units=sum(c.units for c in chunk),
                    lines=sum(c.lines for c in chunk),
                    est_weight_g=sum(c.est_weight_g for c in chunk),
                    est_volume_mm3=sum(c.est_volume_mm3 for c in chunk),
                    minutes_to_pickup=minutes,
                    pickup_missed=pickup_at <= now,
                    oversized=len(chunk) == 1 and chunk[0].units > max_units_per_wave,
                )
            )
    return waves


def _split(group: Sequence[WaveCandidate], max_units: int, max_requests: int) -> list[list[WaveCandidate]]:
    """Consecutive chunks within both limits (next fit); a request above the unit limit is a chunk alone."""
    chunks: list[list[WaveCandidate]] = []
    current: list[WaveCandidate] = []
    units = 0
    for c in group:
        if current and (len(current) >= max_requests or units + c.units > max_units):
            chunks.append(current)
            current, units = [], 0
        current.append(c)
        units += c.units
    if current:
        chunks.append(current)
    return chunks


def pick_mode(request: WaveCandidate, rule: PickModeRule = DEFAULT_PICK_MODE_RULE) -> PickMode:
    """``single`` for a large request (any threshold of ``rule`` reached), ``batch`` for a small one."""
    large = (
        request.units >= rule.single_min_units
        or request.lines >= rule.single_min_lines
        or request.est_volume_mm3 >= rule.single_min_volume_mm3
    )
    return PickMode.SINGLE if large else PickMode.BATCH


def batches_form(
    requests: Iterable[WaveCandidate], *, max_orders_per_batch: int, max_units_per_batch: int
) -> list[PlannedBatch]:
    """Batch pick lists of small requests with their sort-to-order slots (module docstring)."""
    _positive(max_orders_per_batch=max_orders_per_batch, max_units_per_batch=max_units_per_batch)
    listed = list(requests)
    for r in listed:
        if r.units > max_units_per_batch:
            raise ValueError(f"request {r.key} has {r.units} units, more than a batch holds: pick it singly")
    # Known floor positions first, in floor order; stable, so ties and unknowns keep the order given.
    ordered = sorted(listed, key=lambda r: (r.first_pick_sequence is None, r.first_pick_sequence or 0))
    batches: list[PlannedBatch] = []
    for chunk in _split(ordered, max_units_per_batch, max_orders_per_batch):
        batches.append(
            PlannedBatch(
                number=len(batches) + 1,
                slots=tuple(BatchSlot(n, r.key, r.units) for n, r in enumerate(chunk, start=1)),
                units=sum(r.units for r in chunk),
                lines=sum(r.lines for r in chunk),
            )
        )
    return batches


def pick_plan(
    requests: Iterable[WaveCandidate],
    *,
    max_orders_per_batch: int,
    max_units_per_batch: int,
    rule: PickModeRule = DEFAULT_PICK_MODE_RULE,
) -> PickPlan:
    """A wave's pick work: the single-pick requests, and batches of the rest. A request too big for a batch is
    picked singly whatever ``rule`` says."""
    singles: list[str] = []
    small: list[WaveCandidate] = []
    for r in requests:
        if pick_mode(r, rule) is PickMode.SINGLE or r.units > max_units_per_batch:
            singles.append(r.key)
        else:
            small.append(r)
    batches = batches_form(
        small, max_orders_per_batch=max_orders_per_batch, max_units_per_batch=max_units_per_batch
    )
    return PickPlan(singles=tuple(singles), batches=tuple(batches))
