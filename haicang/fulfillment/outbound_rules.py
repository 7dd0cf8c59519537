"""Estimates and choices made for an outbound before it is picked. Pure: no Django import.

- :func:`service_class` reads a request's free-text service level (``"Standard"``, ``"Next Day"``,
  ``"Expedited"``…) as one of the classes waves are grouped by (``wave_rules.SERVICE_LEVEL_ORDER``: express,
  expedited, ground, economy).
- :func:`parcel_estimate` is one parcel for the request's units from the SKUs' master data: the weights added up,
  the longest length and width, the heights stacked (a SKU without a weight counts ``DEFAULT_UNIT_WEIGHT_G``, a
  missing side ``DEFAULT_SIDE_MM`` — the same rule as routing's estimate).
- :func:`next_pickup` is the first carrier pick-up at or after an instant, from the carrier's weekly times.
- :func:`majority_zone` is the zone holding most of a request's units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

DEFAULT_UNIT_WEIGHT_G = 500
DEFAULT_SIDE_MM = 100
PICKUP_HORIZON_DAYS = 8  # a weekly schedule repeats: a week and a day covers every case

_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("express", ("same day", "sameday", "next day", "nextday", "one day", "overnight", "express")),
    ("expedited", ("two day", "2day", "2-day", "expedited", "priority")),
    ("economy", ("economy", "saver", "slow", "deferred")),
)


def service_class(level: str) -> str:
    """``express``, ``expedited``, ``ground`` or ``economy`` for a request's service level text (default
    ``ground``: standard shipping)."""
    text = level.strip().lower()
    for name, words in _CLASSES:
        if any(word in text for word in words):
            return name
    return "ground"


class ItemSize(NamedTuple):
    """One SKU line of a request: its unit weight and sides (None: unknown) and how many units."""

    quantity: int
    weight_g: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None


class Estimate(NamedTuple):
    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    volume_mm3: int  # the units' own volume (what wave and pick-mode limits count), not the parcel's box


def parcel_estimate(items: Iterable[ItemSize]) -> Estimate:
    """One parcel for ``items`` (module docstring); every figure at least 1."""
    weight = length = width = height = volume = 0
    for item in items:
        if item.quantity <= 0:
            continue
        side_l = item.length_mm or DEFAULT_SIDE_MM
        side_w = item.width_mm or DEFAULT_SIDE_MM
        side_h = item.height_mm or DEFAULT_SIDE_MM
        weight += (item.weight_g or DEFAULT_UNIT_WEIGHT_G) * item.quantity
        length = max(length, side_l)
        width = max(width, side_w)
        height += side_h * item.quantity
        volume += side_l * side_w * side_h * item.quantity
    return Estimate(
        weight_g=max(1, weight),
        length_mm=max(1, length or DEFAULT_SIDE_MM),
        width_mm=max(1, width or DEFAULT_SIDE_MM),
        height_mm=max(1, height or DEFAULT_SIDE_MM),
        volume_mm3=volume,
    )


class PickupTime(NamedTuple):
    """A carrier's pick-up: a local wall-clock time on ISO weekdays (1 = Monday … 7)."""

    at: time
    weekdays: frozenset[int]


def next_pickup(schedule: Iterable[PickupTime], after: datetime) -> datetime | None:
    """The first pick-up at or after ``after`` (aware, in the warehouse's time zone), or None without one."""
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    times = [p for p in schedule if p.weekdays]
    if not times:
        return None
    zone = after.tzinfo
    start: date = after.date()
    for offset in range(PICKUP_HORIZON_DAYS):
        day = start + timedelta(days=offset)
        found = sorted(
            datetime.combine(day, p.at, tzinfo=zone) for p in times if day.isoweekday() in p.weekdays
        )
        for moment in found:
            if moment >= after:
                return moment
    return None


def majority_zone(units_by_zone: Mapping[str, int]) -> str:
    """The zone with the most units (ties: the first by name); empty when nothing is known."""
    best = ""
    most = 0
    for zone in sorted(units_by_zone):
        if units_by_zone[zone] > most:
            best, most = zone, units_by_zone[zone]
    return best
