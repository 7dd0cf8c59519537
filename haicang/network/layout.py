"""Floor layout: bins planned from ranges, their walk order and coordinates, walking distances. Pure.

**The floor model.** Aisles are parallel walkways running along the y axis, ``aisle_spacing_m`` apart along
x; the racks of an aisle follow one another along y, each ``rack_width_m`` wide, and a rack's positions divide
its width evenly. Levels are stacked vertically and share their slot's floor point. Coordinates are metres with
two decimals from the layout's origin (the front end of the first aisle).

**Walk order (serpentine).** A picker walks the first aisle front to back, the next one back to front, and so
on: in every second aisle racks and positions are visited in descending order. Within a slot, levels go from
the floor up. The pick sequence numbers bins in that order.

**Walking distance** is the Manhattan distance ``|dx| + |dy|``: along an aisle, then across the cross-aisle.
It is exact for two bins of one aisle and for bins reached along a cross-aisle, and a lower bound otherwise
(crossing from the middle of one aisle to another means walking to an aisle end first); it ranks pick paths
well enough for sequencing and is cheap to compute in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from haicang.network.errors import LocationRangeInvalid
from haicang.network.location_codes import BinCode, span_check, span_values, zone_check

CENTIMETRE = Decimal("0.01")
MAX_RANGE = 50_000
"""The most bins one range may create."""


@dataclass(frozen=True, slots=True)
class Point:
    """A point on the floor, in metres."""

    x: Decimal
    y: Decimal


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a range of bins stands: the front of its first aisle, aisle spacing and rack width (metres)."""

    origin_x_m: Decimal = Decimal(0)
    origin_y_m: Decimal = Decimal(0)
    aisle_spacing_m: Decimal = Decimal("3.00")
    rack_width_m: Decimal = Decimal("2.70")

    def __post_init__(self) -> None:
        for name in ("origin_x_m", "origin_y_m", "aisle_spacing_m", "rack_width_m"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, Decimal | int)
                or not Decimal(value).is_finite()
            ):
                raise LocationRangeInvalid(
                    f"{name} is a number of metres, not {value!r}", field=f"layout.{name}"
                )
            object.__setattr__(self, name, Decimal(value))
        for name in ("aisle_spacing_m", "rack_width_m"):
            if getattr(self, name) <= 0:
                raise LocationRangeInvalid(f"{name} must be more than 0", field=f"layout.{name}")


@dataclass(frozen=True, slots=True)
class PlannedBin:
    code: BinCode
    walk_index: int  # 0-based position in the serpentine walk
    point: Point


@dataclass(frozen=True, slots=True)
class BinRange:
    """Which bins a range names: one zone and a (first, last) span of each numeric part."""

    zone: str
    aisles: tuple[int, int]
    racks: tuple[int, int]
    levels: tuple[int, int]
    positions: tuple[int, int]

    @classmethod
    def of(
        cls, *, zone: object, aisles: object, racks: object, levels: object, positions: object
    ) -> BinRange:
        """Validated: each span a ``(first, last)`` pair within limits; at most :data:`MAX_RANGE` bins."""
        made = cls(
            zone=zone_check(zone),
            aisles=span_check("aisle", aisles),
            racks=span_check("rack", racks),
            levels=span_check("level", levels),
            positions=span_check("position", positions),
        )
        if made.size > MAX_RANGE:
            raise LocationRangeInvalid(
                f"the range names {made.size} bins; at most {MAX_RANGE} at once", field=None
            )
        return made

    @property
    def size(self) -> int:
        count = 1
        for first, last in (self.aisles, self.racks, self.levels, self.positions):
            count *= last - first + 1
        return count


def _centimetres(value: Decimal) -> Decimal:
    return value.quantize(CENTIMETRE, rounding=ROUND_HALF_EVEN)


def slot_point(bins: BinRange, layout: Layout, *, aisle: int, rack: int, position: int) -> Point:
    """The floor point of a slot: its aisle's x, and along y the middle of its position within its rack."""
    positions = bins.positions[1] - bins.positions[0] + 1
    slot_width = layout.rack_width_m / positions
    x = layout.origin_x_m + (aisle - bins.aisles[0]) * layout.aisle_spacing_m
    y = (
        layout.origin_y_m
        + (rack - bins.racks[0]) * layout.rack_width_m
        + (position - bins.positions[0]) * slot_width
        + slot_width / 2
    )
    return Point(_centimetres(x), _centimetres(y))


def plan_range(bins: BinRange, layout: Layout | None = None) -> list[PlannedBin]:
    """Every bin of ``bins`` in serpentine walk order, with its floor point."""
    layout = layout or Layout()
    planned: list[PlannedBin] = []
    for aisle_index, aisle in enumerate(span_values(bins.aisles)):
        backwards = aisle_index % 2 == 1
        for rack in span_values(bins.racks, reverse=backwards):
            for position in span_values(bins.positions, reverse=backwards):
                point = slot_point(bins, layout, aisle=aisle, rack=rack, position=position)
                for level in span_values(bins.levels):
                    code = BinCode(zone=bins.zone, aisle=aisle, rack=rack, level=level, position=position)
                    planned.append(PlannedBin(code=code, walk_index=len(planned), point=point))
    return planned


def walking_distance(a: Point, b: Point) -> Decimal:
    """Metres walked from ``a`` to ``b``: the Manhattan distance (see the module docstring)."""
    return abs(a.x - b.x) + abs(a.y - b.y)


def route_length(points: Iterable[Point]) -> Decimal:
    """Metres walked visiting ``points`` in the order given."""
    total = Decimal(0)
    previous: Point | None = None
    for point in points:
        if previous is not None:
            total += walking_distance(previous, point)
        previous = point
    return total
