"""The picking API: request → accept → plan → release → start → scans (a wrong one refused and kept) → short →
resolve, queues and countdowns, who may do what, problems, pagination."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from haicang.fulfillment.models import Outbound, OutboundStatus, PickScan, PickTask
from haicang.fulfillment.tests.picking_factories import make_floor
from haicang.parties.tests.factories import make_member, make_operator

pytestmark = pytest.mark.django_db
GTIN = "4006381333931"


@pytest.fixture
def floor():
    f = make_floor()
    tee, mug = f.sku("TEE", barcode=GTIN), f.sku("MUG", barcode="0012345678905")
    f.receive(tee, "A-01-01-1-1", 20)
    f.receive(mug, "A-03-04-1-1", 2)
    return f


def _client(party, role="owner"):
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def _released(floor, staff, *lines):
    request = floor.request(*lines, accept=False)
    assert staff.post(f"/api/v1/outbound-requests/{request.pk}/accept/").status_code == 200
    planned = staff.post("/api/v1/waves/plan/", {"warehouse": str(floor.warehouse.pk)}, format="json")
    assert planned.status_code == 201, planned.json()
    for wave in planned.json():
        assert staff.post(f"/api/v1/waves/{wave['id']}/release/", {}, format="json").status_code == 200
    return request, Outbound.objects.get(request=request)


def test_the_operator_works_a_request_from_acceptance_to_picked_through_the_api(floor):
    staff = _client(floor.operator, "warehouse_staff")
    tee = floor.skus["TEE"]
    request = floor.request((tee, 2), accept=False)

    # the queues show one request to accept
    queues = staff.get(f"/api/v1/outbounds/queues/?warehouse={floor.warehouse.pk}").json()
    assert (queues["to_accept"], queues["to_wave"]) == (1, 0)
    assert queues["countdowns"][0]["carrier"]["code"] == "CPX"

    # accept → an outbound waiting for a wave
    accepted = staff.post(f"/api/v1/outbound-requests/{request.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    [row] = staff.get("/api/v1/outbounds/?status=to_wave").json()["results"]
    assert (row["number"], row["units"], row["wave"]) == (request.number, 2, None)

    # plan and release
    planned = staff.post("/api/v1/waves/plan/", {"warehouse": str(floor.warehouse.pk)}, format="json")
    assert planned.status_code == 201
    [wave] = planned.json()
    assert (wave["status"], wave["request_count"], wave["service_level"]) == ("planned", 1, "ground")
    released = staff.post(f"/api/v1/waves/{wave['id']}/release/", {"max_orders_per_batch": 6}, format="json")
    assert released.status_code == 200
    body = released.json()
    assert body["status"] == "released" and len(body["pick_lists"]) == 1
    list_id = body["pick_lists"][0]["id"]

    # the list, started, shows its next stop
    started = staff.post(f"/api/v1/pick-lists/{list_id}/start/", {"assignee": "picker-3"}, format="json")
    assert started.status_code == 200
    detail = started.json()
    assert detail["status"] == "in_progress" and detail["assignee"] == "picker-3"
    assert detail["next_task"]["location"]["code"] == "A-01-01-1-1" and detail["next_task"]["quantity"] == 2

    # a wrong item is refused, kept and changes nothing
    wrong = staff.post(
        f"/api/v1/pick-lists/{list_id}/scans/",
        {"bin_code": "A-01-01-1-1", "barcode": "0012345678905", "quantity": 1},
        format="json",
    )
    assert wrong.status_code == 201
    assert (wrong.json()["result"], wrong.json()["reason_code"]) == ("refused", "pick.wrong_item")
    assert PickTask.objects.get().picked_quantity == 0

    # the right item completes the pick
    right = staff.post(
        f"/api/v1/pick-lists/{list_id}/scans/",
        {"bin_code": "A-01-01-1-1", "barcode": GTIN, "quantity": 2},
        format="json",
    )
    assert right.json()["result"] == "accepted"
    outbound = staff.get(f"/api/v1/outbounds/{row['id']}/").json()
    assert outbound["status"] == "picked" and outbound["pick_mode"] == "batch" and outbound["sort_slot"] == 1
    assert staff.get(f"/api/v1/pick-lists/{list_id}/").json()["status"] == "done"
    assert PickScan.objects.count() == 2


def test_a_short_pick_is_reported_and_handed_back_through_the_api(floor):
    staff = _client(floor.operator, "warehouse_staff")
    request, outbound = _released(floor, staff, (floor.skus["MUG"], 2))
    task = PickTask.objects.get(outbound=outbound)
    staff.post(f"/api/v1/pick-lists/{task.pick_list_id}/start/", {}, format="json")

    short = staff.post(
        f"/api/v1/pick-lists/{task.pick_list_id}/short/", {"task": str(task.pk), "found": 1}, format="json"
    )
    assert short.status_code == 201
    exception = short.json()
    assert (exception["quantity"], exception["status"], exception["task"]["status"]) == (1, "open", "short")
    assert staff.get("/api/v1/pick-exceptions/?status=open").json()["count"] == 1
    assert staff.get("/api/v1/outbounds/queues/").json()["exceptions"] == 1

    # another bin is refused (none holds mugs): a problem with its code
    refused = staff.post(
        f"/api/v1/pick-exceptions/{exception['id']}/resolve/", {"resolution": "other_bin"}, format="json"
    )
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "pick.no_other_bin"
    # handed back
    done = staff.post(
        f"/api/v1/pick-exceptions/{exception['id']}/resolve/", {"resolution": "handed_back"}, format="json"
    )
    assert done.status_code == 200 and done.json()["resolution"] == "handed_back"
    outbound.refresh_from_db()
    request.refresh_from_db()
    assert (outbound.status, request.status) == (OutboundStatus.CANCELLED, "cancelled")


def test_the_seller_reads_its_outbounds_without_the_warehouse_internals_and_cannot_act(floor):
    staff = _client(floor.operator, "warehouse_staff")
    _request, outbound = _released(floor, staff, (floor.skus["TEE"], 1))
    seller = _client(floor.seller, "owner")

    listed = seller.get("/api/v1/outbounds/")
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert row["status"] == "picking" and row["planned_service"]["code"].startswith("CPX-")
    assert not {"wave", "zone", "pick_mode", "sort_slot", "planned_cost"} & set(row)
    assert seller.get("/api/v1/waves/").json()["count"] == 0
    assert seller.get("/api/v1/pick-lists/").json()["count"] == 0
    forbidden = seller.post(f"/api/v1/outbounds/{outbound.pk}/hand-back/", {"reason": "x"}, format="json")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "access.denied"


def test_another_operator_sees_nothing_of_it(floor):
    staff = _client(floor.operator, "warehouse_staff")
    _request, outbound = _released(floor, staff, (floor.skus["TEE"], 1))
    stranger = _client(make_operator(), "warehouse_staff")
    task = PickTask.objects.get(outbound=outbound)

    assert stranger.get(f"/api/v1/outbounds/{outbound.pk}/").status_code == 404
    assert stranger.get(f"/api/v1/waves/{outbound.wave_id}/").status_code == 404
    assert (
        stranger.post(f"/api/v1/pick-lists/{task.pick_list_id}/start/", {}, format="json").status_code == 404
    )
    planned = stranger.post("/api/v1/waves/plan/", {"warehouse": str(floor.warehouse.pk)}, format="json")
    assert planned.status_code == 404


def test_illegal_steps_and_bad_input_are_problems(floor):
    staff = _client(floor.operator, "warehouse_staff")
    nothing = staff.post("/api/v1/waves/plan/", {"warehouse": str(floor.warehouse.pk)}, format="json")
    assert nothing.status_code == 409 and nothing.json()["code"] == "fulfillment.nothing_to_wave"
    _request, outbound = _released(floor, staff, (floor.skus["TEE"], 1))
    again = staff.post(f"/api/v1/waves/{outbound.wave_id}/release/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "fulfillment.transition_invalid"
    task = PickTask.objects.get(outbound=outbound)
    not_started = staff.post(
        f"/api/v1/pick-lists/{task.pick_list_id}/scans/", {"bin_code": "A-01-01-1-1"}, format="json"
    )
    assert not_started.status_code == 409 and not_started.json()["code"] == "fulfillment.transition_invalid"
    missing = staff.post(f"/api/v1/pick-lists/{task.pick_list_id}/scans/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "bin_code"
    bad = staff.post(f"/api/v1/pick-exceptions/{task.pk}/resolve/", {"resolution": "auto"}, format="json")
    assert bad.status_code == 404


def test_lists_are_paginated_and_filtered(floor):
    staff = _client(floor.operator, "warehouse_staff")
    for _ in range(3):
        floor.request((floor.skus["TEE"], 1))
    staff.post(
        "/api/v1/waves/plan/",
        {"warehouse": str(floor.warehouse.pk), "max_requests_per_wave": 1},
        format="json",
    )

    page = staff.get("/api/v1/waves/?limit=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert staff.get("/api/v1/outbounds/?status=waved&limit=1").json()["count"] == 3
    assert staff.get("/api/v1/outbounds/?status=picking").json()["count"] == 0
    assert staff.get("/api/v1/waves/?ordering=nope").status_code == 400


def test_every_planned_wave_is_released_at_once(floor):
    staff = _client(floor.operator, "warehouse_staff")
    for _ in range(3):
        floor.request((floor.skus["TEE"], 1))
    body = {"warehouse": str(floor.warehouse.pk), "max_requests_per_wave": 1}
    staff.post("/api/v1/waves/plan/", body, format="json")

    released = staff.post(
        "/api/v1/waves/release-planned/", {"warehouse": str(floor.warehouse.pk)}, format="json"
    )

    assert released.status_code == 200
    assert [w["status"] for w in released.json()] == ["released"] * 3
    assert Outbound.objects.filter(status=OutboundStatus.PICKING).count() == 3
    again = staff.post(
        "/api/v1/waves/release-planned/", {"warehouse": str(floor.warehouse.pk)}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "fulfillment.nothing_to_wave"
