"""Bins planned from ranges: serpentine walk order, floor points, walking distances."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haicang.network.errors import LocationCodeInvalid, LocationRangeInvalid
from haicang.network.layout import (
    MAX_RANGE,
    BinRange,
    Layout,
    Point,
    plan_range,
    route_length,
    walking_distance,
)


def _range(**spans) -> BinRange:
    defaults = {"zone": "A", "aisles": (1, 2), "racks": (1, 2), "levels": (1, 1), "positions": (1, 2)}
    return BinRange.of(**{**defaults, **spans})


def test_a_range_names_every_combination_of_its_parts():
    bins = _range(aisles=(1, 10), racks=(1, 20), levels=(1, 4), positions=(1, 3))
    plan = plan_range(bins)
    assert bins.size == len(plan) == 2400
    assert len({str(p.code) for p in plan}) == 2400


def test_the_walk_goes_up_the_first_aisle_and_back_down_the_next():
    plan = plan_range(_range())
    assert [str(p.code) for p in plan] == [
        "A-01-01-1-1",
        "A-01-01-1-2",
        "A-01-02-1-1",
        "A-01-02-1-2",
        "A-02-02-1-2",
        "A-02-02-1-1",
        "A-02-01-1-2",
        "A-02-01-1-1",
    ]
    assert [p.walk_index for p in plan] == list(range(8))


def test_levels_of_one_slot_follow_each_other_from_the_floor_up_and_share_its_point():
    plan = plan_range(_range(aisles=(1, 1), racks=(1, 1), positions=(1, 1), levels=(1, 3)))
    assert [p.code.level for p in plan] == [1, 2, 3]
    assert len({p.point for p in plan}) == 1


def test_floor_points_follow_aisle_spacing_and_rack_width():
    layout = Layout(
        origin_x_m=Decimal("10"),
        origin_y_m=Decimal("5"),
        aisle_spacing_m=Decimal("3"),
        rack_width_m=Decimal("2.7"),
    )
    points = {str(p.code): p.point for p in plan_range(_range(), layout)}
    # Two positions share a 2.70 m rack: their middles are 0.675 and 2.025 m along it (half-even to the cm).
    assert points["A-01-01-1-1"] == Point(Decimal("10.00"), Decimal("5.68"))
    assert points["A-01-01-1-2"] == Point(Decimal("10.00"), Decimal("7.02"))
    assert points["A-01-02-1-1"] == Point(Decimal("10.00"), Decimal("8.38"))
    assert points["A-02-01-1-1"] == Point(Decimal("13.00"), Decimal("5.68"))


def test_walking_distance_is_along_the_aisle_plus_across():
    a, b = Point(Decimal("0"), Decimal("2.5")), Point(Decimal("3"), Decimal("10"))
    assert walking_distance(a, b) == Decimal("10.5")
    assert walking_distance(a, b) == walking_distance(b, a)
    assert walking_distance(a, a) == 0


def test_the_serpentine_walk_is_shorter_than_walking_every_aisle_front_to_back():
    plan = plan_range(_range(aisles=(1, 6), racks=(1, 20), positions=(1, 3)))
    serpentine = route_length(p.point for p in plan)
    front_to_back = route_length(
        p.point for p in sorted(plan, key=lambda p: (p.code.aisle, p.code.rack, p.code.position))
    )
    assert serpentine < front_to_back


def test_a_range_refuses_reversed_spans_and_oversized_blocks():
    with pytest.raises(LocationCodeInvalid, match="racks run from 5 to 2"):
        _range(racks=(5, 2))
    with pytest.raises(LocationRangeInvalid, match=str(MAX_RANGE)):
        _range(aisles=(1, 100), racks=(1, 100), levels=(1, 10), positions=(1, 1))
    with pytest.raises(LocationRangeInvalid):
        Layout(aisle_spacing_m=Decimal(0))
