"""The warehouse-network API: each party sees only its own (404 otherwise), roles decide writes (403)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from haicang.core.audit import audit_entries_for
from haicang.network.models import Location, Warehouse
from haicang.network.tests.factories import make_bins, make_holiday, make_location, make_warehouse
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

pytestmark = [pytest.mark.django_db, pytest.mark.urls("haicang.network.tests.api_urls")]

NEW_WAREHOUSE = {
    "code": "lax2",
    "name": "Los Angeles 2",
    "address": {"line1": "1200 Harbor Blvd", "postcode": "90731", "city": "San Pedro", "country": "US"},
    "time_zone": "America/Los_Angeles",
    "currency": "USD",
    "cutoff_time": "15:00",
    "markets": ["US", "CA"],
    "working_hours": [{"weekday": d, "opens": "07:00", "closes": "19:00"} for d in range(6)],
}


def client_for(membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


@pytest.fixture
def world():
    """Operators A and B with a warehouse each (A has a second, uncovered one); a seller with an agreement
    covering only A's first warehouse."""
    op_a, op_b = make_operator(), make_operator()
    wh_a, wh_a2, wh_b = make_warehouse(op_a), make_warehouse(op_a), make_warehouse(op_b)
    seller = make_seller()
    make_agreement(seller, op_a, warehouses=[wh_a])
    return {"op_a": op_a, "op_b": op_b, "wh_a": wh_a, "wh_a2": wh_a2, "wh_b": wh_b, "seller": seller}


def test_an_operator_sees_its_own_warehouses_and_another_operators_answers_404(world):
    client = client_for(make_member(world["op_a"], "manager"))
    listed = client.get("/api/v1/warehouses/")
    assert listed.status_code == 200
    assert {w["code"] for w in listed.json()["results"]} == {world["wh_a"].code, world["wh_a2"].code}
    own = client.get(f"/api/v1/warehouses/{world['wh_a'].pk}/").json()
    assert own["address"]["city"] == "Frankfurt am Main"
    assert own["markets"] == ["DE"]
    assert own["working_hours"][0] == {"weekday": 0, "opens": "08:00:00", "closes": "17:00:00"}
    other = client.get(f"/api/v1/warehouses/{world['wh_b'].pk}/")
    assert other.status_code == 404
    assert other["Content-Type"].startswith("application/problem+json")


def test_a_seller_sees_only_the_warehouses_its_agreements_cover_and_their_bins(world):
    make_bins(world["wh_a"])
    make_bins(world["wh_a2"])
    client = client_for(make_member(world["seller"], "viewer"))
    listed = client.get("/api/v1/warehouses/").json()["results"]
    assert [w["code"] for w in listed] == [world["wh_a"].code]
    assert client.get(f"/api/v1/warehouses/{world['wh_a2'].pk}/").status_code == 404
    bins = client.get("/api/v1/locations/", {"limit": "500"}).json()
    assert bins["count"] == 25  # 24 bins and the in-transit location of the covered warehouse
    assert {b["warehouse"] for b in bins["results"]} == {str(world["wh_a"].pk)}
    uncovered = Location.objects.filter(warehouse=world["wh_a2"])[0]
    assert client.get(f"/api/v1/locations/{uncovered.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("party", "role"),
    [("seller", "owner"), ("seller", "viewer"), ("op_a", "warehouse_staff")],
)
def test_a_role_without_network_write_cannot_create_or_change_anything(world, party, role):
    client = client_for(make_member(world[party], role))
    assert client.post("/api/v1/warehouses/", NEW_WAREHOUSE, format="json").status_code == 403
    patched = client.patch(f"/api/v1/warehouses/{world['wh_a'].pk}/", {"name": "X"}, format="json")
    assert patched.status_code == 403
    assert patched.json()["code"] == "access.denied"
    ranges = {
        "warehouse": str(world["wh_a"].pk),
        "zone": "A",
        "aisles": [1, 1],
        "racks": [1, 1],
        "levels": [1, 1],
        "positions": [1, 1],
    }
    assert client.post("/api/v1/locations/ranges/", ranges, format="json").status_code == 403
    assert not Warehouse.objects.filter(code="LAX2").exists()


def test_a_role_without_network_read_is_refused_even_the_list(world):
    client = client_for(make_member(world["op_a"], "billing"))
    assert client.get("/api/v1/warehouses/").status_code == 403
    assert client.get("/api/v1/locations/").status_code == 403


def test_an_operator_creates_a_warehouse_then_changes_its_name_area_and_hours(world):
    client = client_for(make_member(world["op_a"], "owner"))
    created = client.post("/api/v1/warehouses/", NEW_WAREHOUSE, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["code"], body["operator"]["id"], body["markets"]) == (
        "LAX2",
        str(world["op_a"].pk),
        ["CA", "US"],
    )
    assert len(body["working_hours"]) == 6
    changes = {
        "name": "San Pedro",
        "address": {"line2": "Dock 4"},
        "markets": ["US"],
        "working_hours": [{"weekday": 0, "opens": "00:00", "closes": "00:00"}],
    }
    patched = client.patch(f"/api/v1/warehouses/{body['id']}/", changes, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["name"] == "San Pedro"
    assert patched.json()["address"]["line2"] == "Dock 4"
    assert patched.json()["markets"] == ["US"]
    assert patched.json()["working_hours"] == [{"weekday": 0, "opens": "00:00:00", "closes": "00:00:00"}]
    actions = {e.action for e in audit_entries_for(subject=Warehouse.objects.get(code="LAX2"))}
    assert {
        "warehouse.created",
        "warehouse.updated",
        "warehouse.service_area_set",
        "warehouse.calendar_set",
    } <= actions


def test_invalid_warehouse_input_is_a_problem_naming_the_field(world):
    client = client_for(make_member(world["op_a"], "owner"))
    response = client.post(
        "/api/v1/warehouses/", {**NEW_WAREHOUSE, "time_zone": "America/Hollywood"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "network.time_zone_unknown"
    assert response.json()["errors"][0]["field"] == "time_zone"
    taken = client.post("/api/v1/warehouses/", {**NEW_WAREHOUSE, "code": world["wh_b"].code}, format="json")
    assert taken.status_code == 409
    assert taken.json()["code"] == "network.warehouse_code_taken"


def test_an_operator_cannot_write_into_another_operators_warehouse(world):
    client = client_for(make_member(world["op_b"], "owner"))
    bin_a = make_location(world["wh_a"])
    holiday_a = make_holiday(world["wh_a"])
    new_bin = {"warehouse": str(world["wh_a"].pk), "code": "Z-01-01-1-1", "type": "pick"}
    assert client.post("/api/v1/locations/", new_bin, format="json").status_code == 404
    assert (
        client.patch(f"/api/v1/locations/{bin_a.pk}/", {"pick_sequence": 1}, format="json").status_code == 404
    )
    assert client.post(f"/api/v1/locations/{bin_a.pk}/deactivate/").status_code == 404
    assert client.delete(f"/api/v1/holidays/{holiday_a.pk}/").status_code == 404
    holiday = {"warehouse": str(world["wh_a"].pk), "on": "2026-05-01", "name": "Labour Day"}
    assert client.post("/api/v1/holidays/", holiday, format="json").status_code == 404
    assert not Location.objects.filter(code="Z-01-01-1-1").exists()


def test_an_operator_creates_bins_from_ranges_and_lists_them_filtered_and_in_walk_order(world):
    client = client_for(make_member(world["op_a"], "manager"))
    wh = str(world["wh_a"].pk)
    ranges = {
        "warehouse": wh,
        "zone": "B",
        "aisles": [1, 2],
        "racks": [1, 5],
        "levels": [1, 3],
        "positions": [1, 2],
        "type": "bulk",
        "capacity_volume_mm3": 2_000_000_000,
        "layout": {"aisle_spacing_m": "4.00", "rack_width_m": "2.40"},
    }
    created = client.post("/api/v1/locations/ranges/", ranges, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["count"] == 60
    again = client.post("/api/v1/locations/ranges/", ranges, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "network.location_exists"
    one = client.post(
        "/api/v1/locations/", {"warehouse": wh, "code": "dock-1", "type": "dock"}, format="json"
    )
    assert one.status_code == 201, one.json()

    walk = client.get(
        "/api/v1/locations/", {"warehouse": wh, "type": "bulk", "ordering": "pick_sequence", "limit": "100"}
    )
    results = walk.json()["results"]
    assert [r["pick_sequence"] for r in results] == list(range(1, 61))
    assert results[0]["code"] == "B-01-01-1-1" and results[0]["x_m"] == "0.00" and results[0]["y_m"] == "0.60"
    assert client.get("/api/v1/locations/", {"warehouse": wh, "type": "dock"}).json()["count"] == 1
    assert client.get("/api/v1/locations/", {"warehouse": wh, "zone": "b"}).json()["count"] == 60

    first = results[0]["id"]
    assert client.post(f"/api/v1/locations/{first}/deactivate/").json()["is_active"] is False
    assert (
        client.get("/api/v1/locations/", {"warehouse": wh, "type": "bulk", "active": "false"}).json()["count"]
        == 1
    )
    patched = client.patch(
        f"/api/v1/locations/{first}/", {"capacity_weight_g": 800_000, "x_m": "1.25"}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["capacity_weight_g"], patched.json()["x_m"]) == (800_000, "1.25")
    bad_order = client.get("/api/v1/locations/", {"ordering": "capacity_weight_g"})
    assert bad_order.status_code == 400


def test_an_operator_adds_lists_and_removes_holidays(world):
    client = client_for(make_member(world["op_a"], "manager"))
    wh = str(world["wh_a"].pk)
    added = client.post(
        "/api/v1/holidays/", {"warehouse": wh, "on": "2026-12-25", "name": "Christmas"}, format="json"
    )
    assert added.status_code == 201, added.json()
    twice = client.post(
        "/api/v1/holidays/", {"warehouse": wh, "on": "2026-12-25", "name": "Again"}, format="json"
    )
    assert twice.status_code == 409
    make_holiday(world["wh_a2"], on=dt.date(2026, 12, 26))
    listed = client.get("/api/v1/holidays/", {"warehouse": wh}).json()["results"]
    assert [(h["on"], h["name"]) for h in listed] == [("2026-12-25", "Christmas")]
    assert client.delete(f"/api/v1/holidays/{added.json()['id']}/").status_code == 204
    assert client.get("/api/v1/holidays/", {"warehouse": wh}).json()["count"] == 0
    seller_view = client_for(make_member(world["seller"], "viewer")).get("/api/v1/holidays/").json()
    assert seller_view["count"] == 0  # the covered warehouse has none; the other warehouse's stays hidden
