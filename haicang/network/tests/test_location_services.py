"""Real locations one at a time and from ranges; virtual locations are left alone."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from haicang.core.audit import audit_entries_for
from haicang.network.errors import LocationCodeInvalid, LocationExists, LocationInvalid, LocationRangeInvalid
from haicang.network.layout import Layout, Point, route_length
from haicang.network.models import Location, LocationKind
from haicang.network.selectors import in_transit_location, location_by_code, locations_in_walk_order
from haicang.network.services import (
    location_activate,
    location_deactivate,
    location_update,
    locations_create_range,
)
from haicang.network.tests.factories import SYSTEM, make_bins, make_location, make_warehouse
from haicang.parties.tests.factories import make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse():
    return make_warehouse(make_operator())


def _bins(warehouse):
    return Location.objects.filter(warehouse=warehouse).exclude(kind=LocationKind.IN_TRANSIT)


def test_a_bin_is_stored_under_its_canonical_code_with_its_parts(warehouse):
    location = make_location(
        warehouse,
        code="a-1-3-2-1",
        capacity_volume_mm3=1_200_000_000,
        capacity_weight_g=250_000,
        x_m=Decimal("12.5"),
        y_m=Decimal("3.25"),
    )
    location.refresh_from_db()
    assert (
        location.code,
        location.zone,
        location.aisle,
        location.rack,
        location.level,
        location.position,
    ) == (
        "A-01-03-2-1",
        "A",
        1,
        3,
        2,
        1,
    )
    assert (location.x_m, location.y_m) == (Decimal("12.50"), Decimal("3.25"))
    assert location_by_code(warehouse, "A-001-3-2-1") == location
    assert audit_entries_for(subject=location).filter(action="location.created").exists()


def test_a_volume_beyond_32_bits_is_kept_exactly(warehouse):
    location = make_location(warehouse, capacity_volume_mm3=9_000_000_000_000)
    location.refresh_from_db()
    assert location.capacity_volume_mm3 == 9_000_000_000_000


def test_a_staging_area_may_use_an_area_code_but_a_pick_bin_may_not(warehouse):
    dock = make_location(warehouse, code="dock-01", kind=LocationKind.DOCK)
    assert (dock.code, dock.zone, dock.aisle) == ("DOCK-01", "", None)
    with pytest.raises(LocationInvalid, match="bin code"):
        make_location(warehouse, code="SHELF-9", kind=LocationKind.PICK)


def test_two_spellings_of_one_bin_cannot_both_exist(warehouse):
    make_location(warehouse, code="A-01-01-1-1")
    with pytest.raises(LocationExists) as caught:
        make_location(warehouse, code="a-1-1-1-1")
    assert caught.value.status == 409
    assert _bins(warehouse).count() == 1


def test_the_same_code_may_exist_in_two_warehouses(warehouse):
    other = make_warehouse(make_operator())
    make_location(warehouse, code="A-01-01-1-1")
    make_location(other, code="A-01-01-1-1")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "in_transit"}, LocationInvalid),
        ({"kind": "shelf"}, LocationInvalid),
        ({"code": "A--01"}, LocationCodeInvalid),
        ({"capacity_weight_g": -1}, LocationInvalid),
        ({"capacity_volume_mm3": 2**63}, LocationInvalid),
        ({"x_m": Decimal("1.005")}, LocationInvalid),
        ({"y_m": 1.5}, LocationInvalid),
        ({"pick_sequence": True}, LocationInvalid),
    ],
)
def test_invalid_locations_are_refused(warehouse, fields, error):
    with pytest.raises(error):
        make_location(warehouse, **{"code": "A-01-01-1-1", **fields})
    assert not _bins(warehouse).exists()


def test_an_update_changes_capacity_and_position_but_never_the_code(warehouse):
    location = make_location(warehouse, code="A-01-01-1-1")
    location_update(
        actor=SYSTEM, location=location, kind=LocationKind.BULK, capacity_weight_g=500_000, pick_sequence=7
    )
    location.refresh_from_db()
    assert (location.kind, location.capacity_weight_g, location.pick_sequence) == ("bulk", 500_000, 7)
    with pytest.raises(LocationInvalid):
        location_update(actor=SYSTEM, location=location, code="A-01-01-1-2")


def test_a_deactivated_bin_leaves_the_walk_and_can_come_back(warehouse):
    make_bins(warehouse)
    first = locations_in_walk_order(warehouse).first()
    assert first is not None
    location_deactivate(actor=SYSTEM, location=first)
    assert first not in locations_in_walk_order(warehouse)
    location_activate(actor=SYSTEM, location=first)
    assert locations_in_walk_order(warehouse).first() == first
    assert [e.action for e in audit_entries_for(subject=first)][:2] == [
        "location.activated",
        "location.deactivated",
    ]


def test_virtual_locations_cannot_be_changed_or_deactivated(warehouse):
    in_transit = in_transit_location(warehouse)
    with pytest.raises(LocationInvalid):
        location_deactivate(actor=SYSTEM, location=in_transit)
    with pytest.raises(LocationInvalid):
        location_update(actor=SYSTEM, location=in_transit, pick_sequence=1)


# --- ranges --------------------------------------------------------------------------------------------------
def test_a_range_creates_every_bin_in_serpentine_order_with_floor_points(warehouse):
    created = locations_create_range(
        actor=SYSTEM,
        warehouse=warehouse,
        zone="a",
        aisles=(1, 3),
        racks=(1, 4),
        levels=(1, 2),
        positions=(1, 2),
        capacity_volume_mm3=500_000_000,
        layout=Layout(aisle_spacing_m=Decimal("3.5"), rack_width_m=Decimal("2")),
    )
    assert created.count == 3 * 4 * 2 * 2 == _bins(warehouse).count()
    assert (created.first_code, created.last_code) == ("A-01-01-1-1", "A-03-04-2-2")
    walk = list(locations_in_walk_order(warehouse))
    assert [b.pick_sequence for b in walk] == list(range(1, 49))
    aisle_2 = [b.code for b in walk if b.aisle == 2]
    assert aisle_2[:4] == ["A-02-04-1-2", "A-02-04-2-2", "A-02-04-1-1", "A-02-04-2-1"]  # back down aisle 2
    assert {b.x_m for b in walk if b.aisle == 3} == {Decimal("7.00")}
    assert walk[0].y_m == Decimal("0.50") and walk[0].capacity_volume_mm3 == 500_000_000
    points = [Point(b.x_m, b.y_m) for b in walk if b.x_m is not None and b.y_m is not None]
    assert len(points) == 48
    assert route_length(points) == Decimal("3.5") * 2 + Decimal("7.0") * 3


def test_a_second_range_continues_the_pick_sequence(warehouse):
    make_bins(warehouse, zone="A")
    created = make_bins(warehouse, zone="B", aisles=(1, 1), racks=(1, 1), levels=(1, 1), positions=(1, 2))
    assert (created.first_pick_sequence, created.last_pick_sequence) == (25, 26)


def test_a_range_touching_an_existing_bin_creates_nothing_and_names_the_first_clash(warehouse):
    make_location(warehouse, code="A-02-03-1-1")
    make_location(warehouse, code="A-01-02-1-1")
    before = _bins(warehouse).count()
    with pytest.raises(LocationExists) as caught:
        make_bins(warehouse, zone="A")
    assert caught.value.context["code"] == "A-01-02-1-1"  # first in walk order
    assert "and 1 more" in caught.value.detail
    assert _bins(warehouse).count() == before
    assert not audit_entries_for(subject=warehouse).filter(action="locations.range_created").exists()


def test_a_range_of_another_kind_or_with_bad_spans_is_refused(warehouse):
    with pytest.raises(LocationInvalid):
        make_bins(warehouse, kind="scrap")
    with pytest.raises(LocationCodeInvalid):
        make_bins(warehouse, levels=(0, 2))
    with pytest.raises(LocationRangeInvalid):
        make_bins(warehouse, aisles=(1, 999), racks=(1, 999))
    assert not _bins(warehouse).exists()


def test_the_default_range_creates_2400_bins_in_one_go_and_one_audit_entry(warehouse):
    started = time.perf_counter()
    created = locations_create_range(actor=SYSTEM, warehouse=warehouse, zone="A")
    seconds = time.perf_counter() - started
    assert created.count == 2400 == _bins(warehouse).count()
    assert audit_entries_for(subject=warehouse).filter(action="locations.range_created").count() == 1
    assert seconds < 30  # generous: bulk insert, not 2400 round trips with audits (see bench/locations.py)
