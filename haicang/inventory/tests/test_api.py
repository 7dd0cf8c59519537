import csv
import io

import pytest
from rest_framework.test import APIClient

from haicang.inventory.models import Move
from haicang.inventory.services import DemandLine, stock_reserve, stock_transfer_dispatch
from haicang.inventory.tests.count_factories import make_count_world
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM, make_member, make_operator

pytestmark = pytest.mark.django_db


def client_for(membership):
    client = APIClient()
    client.force_login(membership.user)
    return client


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def world():
    w = make_count_world()
    w.receive(w.stock.pick, 10)
    w.receive(w.stock.bulk, 5)
    w.receive(w.stock.receiving, 4)
    w.receive(w.stock.damaged, 1)
    stock_reserve(
        actor=SYSTEM, owner=w.stock.seller, warehouse=w.stock.warehouse, lines=[DemandLine(w.stock.sku, 3)],
        demand_type="order", demand_ref="ORD-7",
    )  # fmt: skip
    w.seller_owner = make_member(w.stock.seller, "owner")
    return w


# --- stock ------------------------------------------------------------------------------------------------


def test_a_seller_reads_its_stock_by_sku_warehouse_and_state(world):
    response = client_for(world.seller_owner).get("/api/v1/stock/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (
        row["sku"]["code"] == world.stock.sku.code and row["warehouse"]["code"] == world.stock.warehouse.code
    )
    states = {
        k: row[k]
        for k in ("sellable", "reserved", "available", "receiving", "damaged", "on_hand", "in_transit")
    }
    assert states == {
        "sellable": 15, "reserved": 3, "available": 12, "receiving": 4, "damaged": 1, "on_hand": 20, "in_transit": 0,
    }  # fmt: skip


def test_the_operator_sees_its_warehouses_stock_and_another_operator_sees_none(world):
    stranger = make_member(make_operator(), "owner")

    mine = client_for(world.manager).get("/api/v1/stock/").json()
    theirs = client_for(stranger).get("/api/v1/stock/").json()

    assert mine["count"] == 1 and mine["results"][0]["available"] == 12
    assert theirs == {"count": 0, "next": None, "previous": None, "results": []}


def test_stock_in_transit_shows_at_the_warehouse_it_goes_to(world):
    second = make_warehouse(world.operator)
    stock_transfer_dispatch(
        actor=SYSTEM, owner=world.stock.seller, sku=world.stock.sku, from_warehouse=world.stock.warehouse,
        to_warehouse=second, quantity=2,
    )  # fmt: skip

    rows = client_for(world.seller_owner).get(f"/api/v1/stock/?warehouse={second.pk}").json()["results"]

    assert [(r["warehouse"]["code"], r["in_transit"], r["on_hand"]) for r in rows] == [(second.code, 2, 0)]


def test_stock_filters_by_sku_and_has_stock_and_pages(world):
    from haicang.catalog.tests.factories import make_sku
    from haicang.inventory.services import stock_adjust

    empty = make_sku(world.stock.seller, code="ZZ-EMPTY")
    world.receive(world.stock.pick2, 1, sku=empty)
    stock_adjust(
        actor=SYSTEM, owner=world.stock.seller, sku=empty, location=world.stock.pick2, delta=-1, reason="lost"
    )
    client = client_for(world.seller_owner)

    everything = client.get("/api/v1/stock/?limit=1").json()
    stocked = client.get("/api/v1/stock/?has_stock=true").json()
    gone = client.get("/api/v1/stock/?has_stock=false").json()
    by_code = client.get("/api/v1/stock/?sku_code=zz-empty").json()

    assert everything["count"] == 2 and len(everything["results"]) == 1 and everything["next"]
    assert [r["sku"]["code"] for r in stocked["results"]] == [world.stock.sku.code]
    assert [r["sku"]["code"] for r in gone["results"]] == ["ZZ-EMPTY"]
    assert [r["on_hand"] for r in by_code["results"]] == [0]


def test_a_malformed_stock_filter_is_a_problem_naming_it(world):
    response = client_for(world.seller_owner).get("/api/v1/stock/?warehouse=nope")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "warehouse"


# --- moves ------------------------------------------------------------------------------------------------


def test_the_move_history_filters_by_location_and_document_and_orders_by_an_allowed_field(world):
    client = client_for(world.seller_owner)

    into_pick = client.get(f"/api/v1/moves/?location={world.stock.pick.pk}&document_type=receipt").json()
    by_quantity = client.get("/api/v1/moves/?ordering=-quantity").json()
    refused = client.get("/api/v1/moves/?ordering=reason")

    assert [m["quantity"] for m in into_pick["results"]] == [10]
    assert into_pick["results"][0]["to_location"]["code"] == world.stock.pick.code
    assert [m["quantity"] for m in by_quantity["results"]] == [10, 5, 4, 1]
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "ordering"


def test_the_effective_window_needs_datetimes_with_an_offset(world):
    client = client_for(world.seller_owner)

    inside = client.get("/api/v1/moves/", {"effective_after": "2000-01-01T00:00:00Z"}).json()
    before = client.get("/api/v1/moves/", {"effective_before": "2000-01-01T00:00:00Z"}).json()
    naive = client.get("/api/v1/moves/", {"effective_after": "2000-01-01T00:00:00"})

    assert (inside["count"], before["count"]) == (4, 0)
    assert naive.status_code == 400 and naive.json()["errors"][0]["field"] == "effective_after"


def test_the_move_history_exports_as_streamed_csv_with_the_lists_filters(world):
    client = client_for(world.seller_owner)

    by_format = client.get(f"/api/v1/moves/?format=csv&location={world.stock.damaged.pk}")
    by_route = client.get("/api/v1/moves/export/?document_type=receipt")

    assert by_format.status_code == 200 and by_format["Content-Type"].startswith("text/csv")
    assert by_format.streaming and "attachment" in by_format["Content-Disposition"]
    header, *rows = csv_rows(by_format)
    assert header[:4] == ["id", "effective_at", "recorded_at", "owner"]
    assert [(r[header.index("to_location")], r[header.index("quantity")]) for r in rows] == [
        (world.stock.damaged.code, "1")
    ]
    assert len(csv_rows(by_route)) == 1 + 4


def test_an_operator_does_not_read_moves_of_another_operators_warehouse(world):
    stranger = make_member(make_operator(), "owner")
    move = Move.objects.get(to_location=world.stock.pick)

    assert client_for(stranger).get(f"/api/v1/moves/{move.pk}/").status_code == 404
    assert client_for(world.staff).get(f"/api/v1/moves/{move.pk}/").status_code == 200
    assert csv_rows(client_for(stranger).get("/api/v1/moves/export/")) == [csv_rows(
        client_for(world.staff).get("/api/v1/moves/export/"))[0]]  # fmt: skip


# --- reservations -----------------------------------------------------------------------------------------


def test_reservations_are_read_with_filters(world):
    client = client_for(world.manager)

    rows = client.get("/api/v1/reservations/?demand_ref=ORD-7&status=open").json()["results"]
    none = client.get("/api/v1/reservations/?demand_ref=ORD-8").json()["results"]

    assert [(r["quantity"], r["open_quantity"], r["sku"]["code"]) for r in rows] == [
        (3, 3, world.stock.sku.code)
    ]
    assert none == []


# --- corrections ------------------------------------------------------------------------------------------


def correction(world, **overrides):
    body = {
        "sku": str(world.stock.sku.pk),
        "location": str(world.stock.bulk.pk),
        "expected": 5,
        "counted": 3,
        "reason": "two found broken and scrapped",
    }
    return {**body, **overrides}


def test_a_manager_corrects_on_hand_by_compare_and_set(world):
    response = client_for(world.manager).post("/api/v1/corrections/", correction(world), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["on_hand"] == 3
    [move] = body["moves"]
    assert (move["quantity"], move["to_location"]["kind"], move["document_type"]) == (
        2,
        "inventory_loss",
        "correction",
    )


def test_a_stale_correction_is_a_409_problem_and_changes_nothing(world):
    response = client_for(world.manager).post(
        "/api/v1/corrections/", correction(world, expected=6), format="json"
    )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "stock.stale_correction"
    assert problem["errors"][0]["field"] == "expected"
    assert Move.objects.filter(document_type="correction").count() == 0


def test_only_the_warehouses_operator_with_write_access_corrects(world):
    stranger = make_member(make_operator(), "owner")

    as_seller = client_for(world.seller_owner).post("/api/v1/corrections/", correction(world), format="json")
    as_staff = client_for(world.staff).post("/api/v1/corrections/", correction(world), format="json")
    as_stranger = client_for(stranger).post("/api/v1/corrections/", correction(world), format="json")

    assert (as_seller.status_code, as_staff.status_code) == (403, 403)
    assert as_stranger.status_code == 400 and as_stranger.json()["errors"][0]["field"] == "location"
