"""The packing API: pack (suggest, confirm), rates, label downloads, void, ship, box suggestions and dock scans;
scoping and problem details."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from haicang.fulfillment.models import OutboundStatus, Parcel, ParcelStatus
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_picked_outbound
from haicang.orders.models_fulfilment import FulfillmentRequest, RequestStatus
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def world():
    return make_fulfilment_world()


def client_for(party, role="owner"):
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


@pytest.fixture
def staff(world):
    return client_for(world.operator, "warehouse_staff")


def pack(staff, outbound, **body):
    return staff.post(f"{API}/outbounds/{outbound.pk}/pack/", {"weight_g": 520, **body}, format="json")


def test_pack_rate_label_and_ship_through_the_api(world, staff):
    outbound = make_picked_outbound(world, [("TEE", 2)])

    # what to pack and the suggested box
    todo = staff.get(f"{API}/outbounds/{outbound.pk}/pack/")
    assert todo.status_code == 200, todo.content
    body = todo.json()
    assert body["items"] == [
        {"sku": {"id": str(world.skus["TEE"].pk), "code": world.skus["TEE"].code}, "quantity": 2}
    ]
    assert (body["suggestion"]["box"]["code"], body["items_weight_g"], body["parcels"]) == ("M", 360, [])
    assert [k["code"] for k in body["suggestion"]["skipped"]] == ["S"]

    # pack it
    packed = pack(staff, outbound)
    assert packed.status_code == 201, packed.content
    parcel = packed.json()
    assert (parcel["status"], parcel["box_type"]["code"], parcel["weight_g"], parcel["billable_weight_g"]) == (
        "packed", "M", 520, 2250,
    )  # fmt: skip
    assert parcel["rate"] == {"amount": "7.10", "currency": "USD"}
    assert parcel["rate_reason"].startswith("UPS Ground $7.10, 3 d — cheapest meeting Standard by ")
    assert parcel["label"] is None
    url = f"{API}/parcels/{parcel['id']}"

    # the rate quotes
    rates = staff.get(f"{url}/rates/").json()
    assert rates["chosen"]["code"] == "UPS-GROUND" and rates["requirement"] == "Standard"
    assert [(q["service"]["code"], q["total"]["amount"], q["chosen"]) for q in rates["quotes"]] == [
        ("UPS-GROUND", "7.10", True), ("USPS-PRIORITY", "8.40", False), ("FEDEX-2DAY", "15.20", False),
    ]  # fmt: skip
    assert rates["reason"] == parcel["rate_reason"]

    # the label, as PDF and ZPL
    labelled = staff.post(f"{url}/label/")
    assert labelled.status_code == 201, labelled.content
    labelled = labelled.json()
    assert labelled["status"] == "labelled" and labelled["tracking_number"].startswith("1Z")
    assert labelled["label"] == {"pdf": f"{url}/label/pdf/", "zpl": f"{url}/label/zpl/"}
    pdf = staff.get(labelled["label"]["pdf"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    zpl = staff.get(labelled["label"]["zpl"])
    assert zpl.status_code == 200 and zpl["Content-Disposition"].startswith("attachment")
    assert labelled["tracking_number"].encode() in zpl.content

    # ship: once
    shipped = staff.post(f"{API}/outbounds/{outbound.pk}/ship/")
    assert shipped.status_code == 200, shipped.content
    assert [p["status"] for p in shipped.json()] == ["shipped"]
    again = staff.post(f"{API}/outbounds/{outbound.pk}/ship/")
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    assert again.json()["code"] == "ship.already_shipped"
    request = FulfillmentRequest.objects.get(pk=outbound.request_id)
    assert (request.status, request.tracking_numbers) == (
        RequestStatus.SHIPPED,
        [labelled["tracking_number"]],
    )

    # the seller reads its parcel: carrier and tracking, not the operator's cost
    seller = client_for(world.seller).get(f"{API}/parcels/")
    assert seller.status_code == 200
    [row] = seller.json()["results"]
    assert (row["tracking_number"], row["carrier_name"], row["status"]) == (
        labelled["tracking_number"],
        "UPS",
        "shipped",
    )
    assert "rate" not in row and "rate_reason" not in row and "packed_by" not in row
    assert client_for(world.seller).get(labelled["label"]["pdf"]).status_code == 200


def test_another_party_gets_404_and_a_seller_may_not_pack(world, staff):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    parcel = pack(staff, outbound).json()
    stranger = client_for(make_fulfilment_world(stock=0).operator)

    assert stranger.get(f"{API}/parcels/{parcel['id']}/").status_code == 404
    assert stranger.post(f"{API}/parcels/{parcel['id']}/label/").status_code == 404
    assert pack(stranger, outbound).status_code == 404
    assert stranger.get(f"{API}/parcels/").json()["results"] == []
    seller = client_for(world.seller)
    assert pack(seller, outbound).status_code == 403
    assert seller.post(f"{API}/parcels/{parcel['id']}/ship/").status_code == 403
    assert client_for(world.operator, "billing").get(f"{API}/parcels/").status_code == 403
    assert Parcel.objects.filter(outbound=outbound).count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"weight_g": 0}, 400, "core.validation", "weight_g"),
        ({"box_type": "NOPE"}, 400, "core.validation", "box_type"),
        ({"length_mm": 300}, 400, "core.validation", "length_mm"),
        ({"lines": [{"sku": "NOT-A-SKU", "quantity": 1}]}, 400, "core.validation", "lines"),
    ],
)
def test_bad_packing_input_is_a_problem_naming_the_field(world, staff, body, status, code, field):
    outbound = make_picked_outbound(world, [("TEE", 1)])

    answer = pack(staff, outbound, **body)

    assert answer.status_code == status
    assert answer["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == code
    assert field in str(problem)
    assert not Parcel.objects.filter(outbound=outbound).exists()


def test_packing_an_outbound_still_picking_is_a_conflict(world, staff):
    outbound = make_picked_outbound(world, [("TEE", 1)], picked=False)

    answer = pack(staff, outbound)

    assert (answer.status_code, answer.json()["code"]) == (409, "fulfillment.transition_invalid")


def test_the_packer_takes_another_service_and_voids_a_label(world, staff):
    outbound = make_picked_outbound(world, [("MUG", 1)])
    parcel = pack(staff, outbound, weight_g=450).json()
    url = f"{API}/parcels/{parcel['id']}"

    rated = staff.post(f"{url}/rate/", {"service": "FEDEX-2DAY"}, format="json")
    assert rated.status_code == 200, rated.content
    assert rated.json()["service_code"] == "FEDEX-2DAY"
    assert rated.json()["rate_reason"].startswith("chosen at packing: FedEx 2Day $15.20")
    assert staff.post(f"{url}/rate/", {"service": "NOPE"}, format="json").status_code == 400

    staff.post(f"{url}/label/")
    assert staff.post(f"{url}/label/").json()["code"] == "label.refused"
    voided = staff.post(f"{url}/void/", {"reason": "wrong service"}, format="json")
    assert voided.status_code == 200, voided.content
    assert voided.json()["status"] == ParcelStatus.VOIDED
    assert staff.get(f"{url}/label/pdf/").json()["code"] == "label.missing"
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.PICKED


def test_box_suggestion_for_items(world, staff):
    answer = staff.post(
        f"{API}/box-suggestions/",
        {"items": [{"sku": world.skus["MUG"].code, "quantity": 1}]},
        format="json",
    )

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["box"]["code"] == "M"  # 120 × 100 × 110 mm does not fit S's 60 mm height
    assert body["skipped"][0]["reason"] == "item_too_large"
    assert len(body["placements"]) == 1 and body["gross_weight_g"] == 600
    assert (
        client_for(world.seller).post(f"{API}/box-suggestions/", {"items": []}, format="json").status_code
        == 403
    )


def test_dock_scans_confirm_known_labels_and_keep_refused_ones(world, staff):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    parcel = pack(staff, outbound).json()
    tracking = staff.post(f"{API}/parcels/{parcel['id']}/label/").json()["tracking_number"]

    unknown = staff.post(
        f"{API}/dock-scans/", {"raw": "1Z000", "warehouse": str(world.warehouse.pk)}, format="json"
    )
    known = staff.post(f"{API}/dock-scans/", {"raw": tracking}, format="json")

    assert unknown.status_code == 201
    assert (unknown.json()["result"], unknown.json()["reason_code"]) == ("refused", "ship.label_unknown")
    assert (known.json()["result"], known.json()["parcel"]["number"]) == ("accepted", parcel["number"])
    listed = staff.get(f"{API}/dock-scans/").json()["results"]
    assert [row["result"] for row in listed] == ["accepted", "refused"]
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SHIPPED


def test_what_is_left_to_pack_lists_the_parcels_packed_so_far(world, staff):
    # given: a T-shirt parcel packed of an order of two T-shirts and a mug
    outbound = make_picked_outbound(world, [("TEE", 2), ("MUG", 1)])
    first = pack(staff, outbound, lines=[{"sku": world.skus["TEE"].code, "quantity": 2}]).json()

    # when the packer asks what is left
    todo = staff.get(f"{API}/outbounds/{outbound.pk}/pack/")

    # then the mug is left, and the parcel so far is listed with the operator's cost
    assert todo.status_code == 200, todo.content
    body = todo.json()
    assert body["items"] == [
        {"sku": {"id": str(world.skus["MUG"].pk), "code": world.skus["MUG"].code}, "quantity": 1}
    ]
    [parcel] = body["parcels"]
    assert (parcel["number"], parcel["status"], parcel["rate"]) == (first["number"], "packed", first["rate"])
