"""Box suggestion at packing: the smallest box of the operator's catalogue that holds the items. Pure.

:func:`box_suggest` tries the boxes from the smallest inner volume up (ties: lighter tare, then code) and
suggests the first one that passes every check, in this order (the first failure is the box's skip reason):

1. **dimensions** — every item fits in the box in one of its six orientations (``item_too_large``);
2. **weight** — the items' weight plus the box's tare is at most the box's maximum (``too_heavy``);
3. **volume** — the items' volume is at most ``fill_percent`` (default 85 %) of the box's inner volume, the rest
   being void fill and the slack real items need (``volume_over_fill``);
4. **packing** — a layer-and-shelf (guillotine) heuristic places every unit (``no_layout``): units, largest
   first, lie as flat as they can; a *layer* is a horizontal slice of the box as high as the first unit placed
   in it; within a layer, *shelves* run along the box's length, as deep as their first unit; units go side by
   side along a shelf. A unit goes into the first layer and shelf where one of its orientations fits, else on
   a new shelf, else on a new layer. The suggested box comes with these placements (a packing guide).

**Limits.** The heuristic is conservative and not optimal: it never stacks units within a layer, never uses the
space above a shorter unit or the gap at the end of a shelf, and never mixes orientations cleverly, so it can
reject a box a packer could fill (the next larger box is then suggested); it never suggests a box its own
placements do not fit. Items are rigid boxes: no soft goods that squash, no bags or mailers, no cylinders or
odd shapes, no "this side up", fragility, crush strength or stacking weight limits, no dunnage or padding
beyond the fill factor, no wall thickness (dimensions are the box's inner ones). The box's max weight is its
rated weight; the carrier's limits and dimensional weight are applied at rating, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

DEFAULT_FILL_PERCENT = 85


class Box(NamedTuple):
    """A box of the operator's catalogue: inner dimensions (mm), rated maximum gross weight and tare (g)."""

    code: str
    inner_l_mm: int
    inner_w_mm: int
    inner_h_mm: int
    max_weight_g: int
    tare_g: int

    @property
    def volume_mm3(self) -> int:
        return self.inner_l_mm * self.inner_w_mm * self.inner_h_mm


class Item(NamedTuple):
    """An item to pack: one unit's dimensions (mm) and weight (g), and how many units."""

    key: str
    l_mm: int
    w_mm: int
    h_mm: int
    weight_g: int
    quantity: int


class SkipReason(StrEnum):
    ITEM_TOO_LARGE = "item_too_large"
    TOO_HEAVY = "too_heavy"
    VOLUME_OVER_FILL = "volume_over_fill"
    NO_LAYOUT = "no_layout"


class BoxSkip(NamedTuple):
    """Why a box was not suggested: a stable reason code and a sentence for people."""

    code: str
    reason: SkipReason
    detail: str


class Placement(NamedTuple):
    """Where one unit lies: its corner in the box (mm from the box's inner corner) and its oriented size."""

    key: str
    x_mm: int
    y_mm: int
    z_mm: int
    l_mm: int
    w_mm: int
    h_mm: int


@dataclass(frozen=True, slots=True)
class BoxChoice:
    box: Box
    items_volume_mm3: int
    gross_weight_g: int  # items plus tare
    fill_percent: int  # items' volume as a whole percentage of the box's inner volume (rounded down)
    placements: tuple[Placement, ...]
    skipped: tuple[BoxSkip, ...]  # the smaller boxes tried first, with why each was skipped


@dataclass(frozen=True, slots=True)
class NoBoxFits:
    skipped: tuple[BoxSkip, ...]  # every box, with why

    @property
    def detail(self) -> str:
        return "no box of the catalogue holds these items" if self.skipped else "the box catalogue is empty"


def _check_inputs(boxes: Sequence[Box], items: Sequence[Item], fill_percent: int) -> None:
    if not 0 < fill_percent <= 100:
        raise ValueError(f"fill_percent is a share of the box volume, 1-100, not {fill_percent}")
    for box in boxes:
        if (
            min(box.inner_l_mm, box.inner_w_mm, box.inner_h_mm) <= 0
            or box.max_weight_g <= 0
            or box.tare_g < 0
        ):
            raise ValueError(f"box {box.code}: dimensions and max weight must be positive, tare not negative")
    for item in items:
        if min(item.l_mm, item.w_mm, item.h_mm) <= 0 or item.weight_g < 0 or item.quantity < 0:
            raise ValueError(
                f"item {item.key}: dimensions must be positive, weight and quantity not negative"
            )


def fits_some_orientation(item: Item, box: Box) -> bool:
    """Whether one unit fits in the box in one of its six orientations (sorted sides, side by side)."""
    unit = sorted((item.l_mm, item.w_mm, item.h_mm))
    inner = sorted((box.inner_l_mm, box.inner_w_mm, box.inner_h_mm))
    return all(u <= b for u, b in zip(unit, inner, strict=True))


def box_suggest(
    boxes: Iterable[Box], items: Iterable[Item], *, fill_percent: int = DEFAULT_FILL_PERCENT
) -> BoxChoice | NoBoxFits:
    """The smallest box (by inner volume, then tare, then code) that passes every check (module docstring)."""
    catalogue = sorted(boxes, key=lambda b: (b.volume_mm3, b.tare_g, b.code))
    wanted = [i for i in items if i.quantity > 0]
    _check_inputs(catalogue, wanted, fill_percent)
    volume = sum(i.l_mm * i.w_mm * i.h_mm * i.quantity for i in wanted)
    weight = sum(i.weight_g * i.quantity for i in wanted)
    skipped: list[BoxSkip] = []
    for box in catalogue:
        skip = _skip_reason(box, wanted, volume=volume, weight=weight, fill_percent=fill_percent)
        if skip is not None:
            skipped.append(skip)
            continue
        placements = shelf_pack(box, wanted)
        if placements is None:
            skipped.append(
                BoxSkip(box.code, SkipReason.NO_LAYOUT, "the layer-and-shelf layout cannot place every unit")
            )
            continue
        return BoxChoice(
            box=box,
            items_volume_mm3=volume,
            gross_weight_g=weight + box.tare_g,
            fill_percent=volume * 100 // box.volume_mm3,
            placements=tuple(placements),
            skipped=tuple(skipped),
        )
    return NoBoxFits(skipped=tuple(skipped))


def _skip_reason(
    box: Box, items: Sequence[Item], *, volume: int, weight: int, fill_percent: int
) -> BoxSkip | None:
    for item in items:
        if not fits_some_orientation(item, box):
            return BoxSkip(
                box.code,
                SkipReason.ITEM_TOO_LARGE,
                f"{item.key} ({item.l_mm}×{item.w_mm}×{item.h_mm} mm) does not fit in "
                f"{box.inner_l_mm}×{box.inner_w_mm}×{box.inner_h_mm} mm in any orientation",
            )
    if weight + box.tare_g > box.max_weight_g:
        return BoxSkip(
            box.code,
            SkipReason.TOO_HEAVY,
            f"{weight} g of items and {box.tare_g} g tare exceed the box's {box.max_weight_g} g",
        )
    if volume * 100 > box.volume_mm3 * fill_percent:
        return BoxSkip(
            box.code,
            SkipReason.VOLUME_OVER_FILL,
            f"the items' {volume} mm³ are more than {fill_percent} % of the box's {box.volume_mm3} mm³",
        )
    return None


@dataclass(slots=True)
class _Shelf:
    y: int  # where the shelf starts across the box's width
    depth: int  # its extent across the width (its first unit's)
    used: int  # length used along the box's length


@dataclass(slots=True)
class _Layer:
    z: int  # where the layer starts up the box's height
    height: int  # its first unit's height
    shelves: list[_Shelf]

    @property
    def used_width(self) -> int:
        return sum(s.depth for s in self.shelves)


def _orientations(item: Item) -> list[tuple[int, int, int]]:
    """The distinct orientations (l, w, h) of a unit, flattest first, then longest first (deterministic)."""
    a, b, c = item.l_mm, item.w_mm, item.h_mm
    distinct = {(a, b, c), (a, c, b), (b, a, c), (b, c, a), (c, a, b), (c, b, a)}
    return sorted(distinct, key=lambda o: (o[2], -o[0], -o[1]))


def shelf_pack(box: Box, items: Iterable[Item]) -> list[Placement] | None:
    """Place every unit by the layer-and-shelf heuristic (module docstring), or ``None`` if it cannot."""
    length, width, height = box.inner_l_mm, box.inner_w_mm, box.inner_h_mm
    kinds = sorted(
        (i for i in items if i.quantity > 0),
        key=lambda i: (-max(i.l_mm, i.w_mm, i.h_mm), -(i.l_mm * i.w_mm * i.h_mm), i.key),
    )
    layers: list[_Layer] = []
    placements: list[Placement] = []
    for item in kinds:
        orientations = [o for o in _orientations(item) if o[0] <= length and o[1] <= width and o[2] <= height]
        for _ in range(item.quantity):
            spot = _place(layers, orientations, length=length, width=width, height=height)
            if spot is None:
                return None
            x, y, z, (ol, ow, oh) = spot
            placements.append(Placement(item.key, x, y, z, ol, ow, oh))
    return placements


def _place(
    layers: list[_Layer],
    orientations: Sequence[tuple[int, int, int]],
    *,
    length: int,
    width: int,
    height: int,
) -> tuple[int, int, int, tuple[int, int, int]] | None:
    for layer in layers:
        # An existing shelf: the unit must be no deeper than the shelf and no higher than the layer.
        for shelf in layer.shelves:
            for o in orientations:
                if o[2] <= layer.height and o[1] <= shelf.depth and shelf.used + o[0] <= length:
                    x = shelf.used
                    shelf.used += o[0]
                    return x, shelf.y, layer.z, o
        # A new shelf in this layer, across the width that is left.
        free = width - layer.used_width
        for o in orientations:
            if o[2] <= layer.height and o[1] <= free:
                layer.shelves.append(_Shelf(y=layer.used_width, depth=o[1], used=o[0]))
                return 0, layer.shelves[-1].y, layer.z, o
    # A new layer on top, as high as the flattest orientation that fits what is left of the height.
    top = sum(layer.height for layer in layers)
    for o in orientations:
        if top + o[2] <= height:
            layers.append(_Layer(z=top, height=o[2], shelves=[_Shelf(y=0, depth=o[1], used=o[0])]))
            return 0, 0, top, o
    return None
