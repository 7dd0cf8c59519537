"""The setup API: box types and pick-up schedules — CRUD by the operator, problems naming the field, scoping
(a seller sees none and writes none, another operator's object is 404), pagination, and the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from haicang.core.models import AuditEntry
from haicang.fulfillment.models import BoxType, PickupSchedule
from haicang.network.tests.carrier_factories import make_carrier
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db

BOX = {
    "code": "s1",
    "name": "Small mailer",
    "inner_length_mm": 250,
    "inner_width_mm": 180,
    "inner_height_mm": 60,
    "max_weight_g": 2000,
    "tare_g": 90,
}


def _client(party, role="owner"):
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


@pytest.fixture
def operator():
    return make_operator(currency="USD", country="US")


@pytest.fixture
def staff(operator):
    return _client(operator, "warehouse_staff")


@pytest.fixture
def yard(operator):
    return make_warehouse(operator, code="LAX5", country="US", markets=["US"]), make_carrier(
        operator, code="UPS"
    )


def test_the_operator_adds_reads_changes_and_deactivates_a_box(staff):
    created = staff.post("/api/v1/box-types/", BOX, format="json")
    assert created.status_code == 201, created.json()
    box = created.json()
    assert (box["code"], box["inner_volume_mm3"], box["is_active"]) == ("S1", 2_700_000, True)

    changed = staff.patch(f"/api/v1/box-types/{box['id']}/", {"name": "Small mailer (kraft)"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "Small mailer (kraft)"

    off = staff.post(f"/api/v1/box-types/{box['id']}/deactivate/")
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert staff.get("/api/v1/box-types/?active=true").json()["count"] == 0
    assert staff.get("/api/v1/box-types/?active=false").json()["results"][0]["code"] == "S1"
    assert staff.post(f"/api/v1/box-types/{box['id']}/reactivate/").json()["is_active"] is True
    actions = set(AuditEntry.objects.filter(subject_id=box["id"]).values_list("action", flat=True))
    assert actions == {"box_type.created", "box_type.updated", "box_type.deactivated", "box_type.reactivated"}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({**BOX, "inner_length_mm": 0}, 400, "core.validation", "inner_length_mm"),
        ({**BOX, "code": "S 1"}, 400, "box.invalid", "code"),
        ({**BOX, "tare_g": 2000}, 400, "box.invalid", "tare_g"),
    ],
)
def test_an_invalid_box_is_a_problem_naming_the_field(staff, body, status, code, field):
    answer = staff.post("/api/v1/box-types/", body, format="json")

    problem = answer.json()
    assert answer.status_code == status and answer["Content-Type"].startswith("application/problem+json")
    assert problem["code"] == code
    assert field in {error["field"] for error in problem["errors"]}
    assert not BoxType.objects.exists()


def test_a_duplicate_code_is_a_conflict(staff):
    staff.post("/api/v1/box-types/", BOX, format="json")

    answer = staff.post("/api/v1/box-types/", {**BOX, "code": "S1"}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "box.code_taken"


def test_boxes_are_the_operators_own_and_sellers_neither_see_nor_write_them(operator, staff):
    box = staff.post("/api/v1/box-types/", BOX, format="json").json()
    other = _client(make_operator(), "owner")
    seller = _client(make_seller(), "owner")

    assert other.get("/api/v1/box-types/").json()["count"] == 0
    assert other.get(f"/api/v1/box-types/{box['id']}/").status_code == 404
    assert other.patch(f"/api/v1/box-types/{box['id']}/", {"name": "x"}, format="json").status_code == 404
    assert seller.get("/api/v1/box-types/").json()["count"] == 0
    assert seller.post("/api/v1/box-types/", BOX, format="json").status_code == 403
    billing = _client(operator, "billing")  # no fulfillment permission
    assert billing.get("/api/v1/box-types/").status_code == 403
    assert APIClient().get("/api/v1/box-types/").status_code in (401, 403)


def test_the_box_list_is_paginated_and_ordered_by_code(staff):
    for n in (3, 1, 2):
        assert staff.post("/api/v1/box-types/", {**BOX, "code": f"B{n}"}, format="json").status_code == 201

    page = staff.get("/api/v1/box-types/?limit=2").json()
    assert page["count"] == 3 and [b["code"] for b in page["results"]] == ["B1", "B2"]
    assert [b["code"] for b in staff.get("/api/v1/box-types/?limit=2&offset=2").json()["results"]] == ["B3"]
    assert staff.get("/api/v1/box-types/?limit=0").status_code == 400


def test_the_operator_schedules_moves_pauses_and_deletes_a_pick_up(staff, yard):
    warehouse, carrier = yard
    body = {
        "warehouse": str(warehouse.pk),
        "carrier": str(carrier.pk),
        "pickup_time": "16:00",
        "weekdays": [5, 1],
    }

    created = staff.post("/api/v1/pickup-schedules/", body, format="json")
    assert created.status_code == 201, created.json()
    row = created.json()
    assert (row["pickup_time"], row["weekdays"], row["carrier"]["code"]) == ("16:00", [1, 5], "UPS")
    assert row["warehouse"]["time_zone"] == warehouse.time_zone

    moved = staff.patch(
        f"/api/v1/pickup-schedules/{row['id']}/", {"pickup_time": "17:30", "is_active": False}, format="json"
    )
    assert moved.status_code == 200 and (moved.json()["pickup_time"], moved.json()["is_active"]) == (
        "17:30",
        False,
    )
    listed = staff.get(f"/api/v1/pickup-schedules/?warehouse={warehouse.pk}&active=false").json()
    assert [r["id"] for r in listed["results"]] == [row["id"]]

    assert staff.delete(f"/api/v1/pickup-schedules/{row['id']}/").status_code == 204
    assert not PickupSchedule.objects.exists()


def test_a_pick_up_at_the_same_time_is_a_conflict_and_a_strangers_carrier_is_refused(staff, yard):
    warehouse, carrier = yard
    body = {"warehouse": str(warehouse.pk), "carrier": str(carrier.pk), "pickup_time": "16:00"}
    assert staff.post("/api/v1/pickup-schedules/", body, format="json").json()["weekdays"] == [1, 2, 3, 4, 5]

    again = staff.post("/api/v1/pickup-schedules/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "pickup.duplicate"
    stranger = make_carrier(make_operator(), code="DHL")
    refused = staff.post("/api/v1/pickup-schedules/", {**body, "carrier": str(stranger.pk)}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "pickup.invalid"
    bad_day = staff.post(
        "/api/v1/pickup-schedules/", {**body, "pickup_time": "09:00", "weekdays": [8]}, format="json"
    )
    assert bad_day.status_code == 400


def test_pick_up_schedules_of_another_operator_are_not_found(staff, yard):
    warehouse, carrier = yard
    body = {"warehouse": str(warehouse.pk), "carrier": str(carrier.pk), "pickup_time": "16:00"}
    row = staff.post("/api/v1/pickup-schedules/", body, format="json").json()
    other = _client(make_operator(), "owner")

    assert other.get("/api/v1/pickup-schedules/").json()["count"] == 0
    assert other.delete(f"/api/v1/pickup-schedules/{row['id']}/").status_code == 404
    refused = other.post("/api/v1/pickup-schedules/", body, format="json").json()
    assert [e["field"] for e in refused["errors"]] == ["warehouse"]
    assert PickupSchedule.objects.count() == 1
