"""Box suggestion, pure: the smallest box that passes dimensions, weight, fill and the layer-and-shelf layout."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicang.fulfillment.box_fit import (
    Box,
    BoxChoice,
    Item,
    NoBoxFits,
    Placement,
    SkipReason,
    box_suggest,
    shelf_pack,
)

S = Box("S", 200, 150, 100, 5_000, 120)  # 3.0 L
M = Box("M", 300, 250, 150, 10_000, 250)  # 11.25 L
M_HEAVY = Box("M-DW", 300, 250, 150, 20_000, 400)  # same volume, heavier tare: tried after M
L = Box("L", 500, 400, 300, 20_000, 500)  # 60 L
FLAT = Box("FLAT", 400, 300, 40, 2_000, 80)  # 4.8 L, a flat mailer box
CATALOGUE = [L, M_HEAVY, FLAT, M, S]


def item(key: str, l: int, w: int, h: int, g: int, qty: int = 1) -> Item:  # noqa: E741
    return Item(key=key, l_mm=l, w_mm=w, h_mm=h, weight_g=g, quantity=qty)


CASES = [
    # (id, items, chosen box, skipped boxes with reasons)
    ("one small item: the smallest box", [item("mug", 100, 100, 90, 400)], "S", []),
    ("a book goes flat", [item("book", 350, 250, 30, 900)], "FLAT",
     [("S", SkipReason.ITEM_TOO_LARGE)]),
    ("too heavy for the small ones", [item("weights", 100, 100, 60, 6_000)], "M",
     [("S", SkipReason.TOO_HEAVY), ("FLAT", SkipReason.ITEM_TOO_LARGE)]),
    ("heavier than M's rating: the double-wall box of the same size",
     [item("anvil", 200, 100, 100, 12_000)], "M-DW",
     [("S", SkipReason.TOO_HEAVY), ("FLAT", SkipReason.ITEM_TOO_LARGE), ("M", SkipReason.TOO_HEAVY)]),
    ("volume beyond the fill factor", [item("cube", 100, 100, 100, 100, 3)], "M",
     [("S", SkipReason.VOLUME_OVER_FILL), ("FLAT", SkipReason.ITEM_TOO_LARGE)]),
    # Two 190×140×60 units: 3.19 L fits FLAT's volume but not its 40 mm height; in S they need two layers
    # (120 mm > 100 mm) and the volume check (3.19 L > 85 % of 3 L) rules S out first.
    ("two bricks", [item("brick", 190, 140, 60, 500, 2)], "M",
     [("S", SkipReason.VOLUME_OVER_FILL), ("FLAT", SkipReason.ITEM_TOO_LARGE)]),
    # 7.8 L passes M's volume, weight and dimensions, but the shoe box leaves a 50 mm strip beside it and
    # 50 mm above it: no room for the cap.
    ("mixed order", [item("shoe box", 300, 200, 100, 900), item("cap", 150, 150, 80, 100)], "L",
     [("S", SkipReason.ITEM_TOO_LARGE), ("FLAT", SkipReason.ITEM_TOO_LARGE), ("M", SkipReason.NO_LAYOUT),
      ("M-DW", SkipReason.NO_LAYOUT)]),
    ("zero quantities are ignored", [item("mug", 100, 100, 90, 400), item("gone", 900, 900, 900, 1, 0)], "S", []),
]  # fmt: skip


@pytest.mark.parametrize(("items", "chosen", "skipped"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_box_suggestion_table(items: list[Item], chosen: str, skipped: list[tuple[str, SkipReason]]) -> None:
    # given the catalogue (listed out of order) and an order's items / when a box is suggested
    result = box_suggest(CATALOGUE, items)
    # then the smallest box that passes, the smaller ones skipped with their reasons
    assert isinstance(result, BoxChoice)
    assert result.box.code == chosen
    assert [(s.code, s.reason) for s in result.skipped] == skipped
    assert all(s.detail for s in result.skipped)


def test_the_suggestion_carries_weight_fill_and_a_packing_guide() -> None:
    result = box_suggest(CATALOGUE, [item("mug", 100, 100, 90, 400, 2)])
    assert isinstance(result, BoxChoice)
    assert (result.box.code, result.gross_weight_g, result.items_volume_mm3) == ("S", 920, 1_800_000)
    assert result.fill_percent == 60
    assert [(p.x_mm, p.y_mm, p.z_mm) for p in result.placements] == [(0, 0, 0), (100, 0, 0)]


def test_nothing_fits_names_every_box() -> None:
    # given a surfboard / when a box is suggested / then none, with a reason for each box
    result = box_suggest(CATALOGUE, [item("surfboard", 1_800, 500, 80, 4_000)])
    assert isinstance(result, NoBoxFits)
    assert [s.code for s in result.skipped] == ["S", "FLAT", "M", "M-DW", "L"]
    assert {s.reason for s in result.skipped} == {SkipReason.ITEM_TOO_LARGE}
    assert box_suggest([], [item("mug", 1, 1, 1, 1)]) == NoBoxFits(skipped=())


def test_the_layout_fails_when_units_cannot_be_layered() -> None:
    # given three 100 mm cubes and a 250×100×100 box (2.5 L, 3 L of cubes is refused by volume anyway)
    box = Box("T", 250, 100, 100, 10_000, 0)
    # when laid out / then two fit side by side and the third has no room
    assert shelf_pack(box, [item("cube", 100, 100, 100, 1, 2)]) is not None
    assert shelf_pack(box, [item("cube", 100, 100, 100, 1, 3)]) is None


def test_the_layout_fills_shelves_then_layers() -> None:
    # given eight 100 mm cubes and a 200 mm cube box
    box = Box("C", 200, 200, 200, 10_000, 0)
    # when laid out
    placements = shelf_pack(box, [item("cube", 100, 100, 100, 1, 8)])
    # then two to a shelf, two shelves to a layer, two layers
    assert placements is not None
    assert [(p.x_mm, p.y_mm, p.z_mm) for p in placements] == [
        (0, 0, 0), (100, 0, 0), (0, 100, 0), (100, 100, 0),
        (0, 0, 100), (100, 0, 100), (0, 100, 100), (100, 100, 100),
    ]  # fmt: skip


def test_the_layout_never_stacks_within_a_layer_a_documented_limit() -> None:
    # given a 100 mm cube and two 50 mm slabs that a packer would stack beside the cube
    box = Box("T", 200, 100, 100, 10_000, 0)
    items = [item("cube", 100, 100, 100, 1), item("slab", 100, 100, 50, 1, 2)]
    # when laid out / then the heuristic gives up: the space above the first slab is not used
    assert shelf_pack(box, items) is None


@pytest.mark.parametrize(
    ("boxes", "items", "fill"),
    [
        ([Box("X", 0, 1, 1, 1, 0)], [], 85),
        ([S], [item("x", 1, -1, 1, 1)], 85),
        ([S], [item("x", 1, 1, 1, 1)], 0),
        ([S], [item("x", 1, 1, 1, 1)], 101),
    ],
)
def test_nonsense_inputs_are_refused(boxes: list[Box], items: list[Item], fill: int) -> None:
    with pytest.raises(ValueError):
        box_suggest(boxes, items, fill_percent=fill)


def overlaps(a: Placement, b: Placement) -> bool:
    return (
        a.x_mm < b.x_mm + b.l_mm
        and b.x_mm < a.x_mm + a.l_mm
        and a.y_mm < b.y_mm + b.w_mm
        and b.y_mm < a.y_mm + a.w_mm
        and a.z_mm < b.z_mm + b.h_mm
        and b.z_mm < a.z_mm + a.h_mm
    )


side = st.integers(min_value=10, max_value=400)
items_strategy = st.lists(
    st.tuples(
        side, side, side, st.integers(min_value=0, max_value=5_000), st.integers(min_value=0, max_value=6)
    ),
    min_size=1,
    max_size=4,
).map(lambda rows: [item(f"I{i}", *row) for i, row in enumerate(rows)])
boxes_strategy = st.lists(
    st.tuples(side, side, side, st.integers(min_value=1_000, max_value=30_000), st.integers(0, 800)),
    min_size=1,
    max_size=6,
).map(lambda rows: [Box(f"B{i}", *row) for i, row in enumerate(rows)])


@settings(max_examples=150)
@given(boxes=boxes_strategy, items=items_strategy)
def test_a_suggested_box_really_holds_the_items(boxes: list[Box], items: list[Item]) -> None:
    # given any catalogue and items / when a box is suggested
    result = box_suggest(boxes, items)
    if isinstance(result, NoBoxFits):
        assert len(result.skipped) == len(boxes)
        return
    box = result.box
    # then weight and fill hold
    assert (
        result.gross_weight_g == sum(i.weight_g * i.quantity for i in items) + box.tare_g <= box.max_weight_g
    )
    assert result.items_volume_mm3 * 100 <= box.volume_mm3 * 85
    # and every unit is placed once, as one of its orientations, inside the box, without overlaps
    assert sorted(p.key for p in result.placements) == sorted(i.key for i in items for _ in range(i.quantity))
    sizes = {i.key: sorted((i.l_mm, i.w_mm, i.h_mm)) for i in items}
    for p in result.placements:
        assert sorted((p.l_mm, p.w_mm, p.h_mm)) == sizes[p.key]
        assert p.x_mm >= 0 and p.y_mm >= 0 and p.z_mm >= 0
        assert p.x_mm + p.l_mm <= box.inner_l_mm
        assert p.y_mm + p.w_mm <= box.inner_w_mm
        assert p.z_mm + p.h_mm <= box.inner_h_mm
    placements = result.placements
    assert not any(overlaps(a, b) for n, a in enumerate(placements) for b in placements[n + 1 :])
    # and no smaller box (by volume, then tare) was passed over without a reason
    assert {s.code for s in result.skipped} == {
        b.code for b in boxes if (b.volume_mm3, b.tare_g, b.code) < (box.volume_mm3, box.tare_g, box.code)
    }
