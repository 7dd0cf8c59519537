"""The outbound pages through Django's test client: the work queues with their answers, wave planning with
pick-up countdowns, and the scanner pick page — bin, item, quantity, a wrong scan refused with a clear message,
"short"."""

from __future__ import annotations

import pytest
from django.test import Client

from haicang.fulfillment.models import (
    Outbound,
    OutboundStatus,
    PickException,
    PickList,
    PickScan,
    PickTask,
    PickTaskStatus,
    Wave,
)
from haicang.fulfillment.tests.picking_factories import make_floor
from haicang.orders.fulfilment import fulfilment_request_cancel_request
from haicang.orders.models_fulfilment import RequestStatus
from haicang.orders.tests.factories import SYSTEM
from haicang.parties.tests.factories import make_member

pytestmark = pytest.mark.django_db
GTIN = "4006381333931"


@pytest.fixture
def floor():
    f = make_floor()
    tee = f.sku("TEE", barcode=GTIN, name_en="Organic tee", colour="Black", size="M")
    mug = f.sku("MUG", barcode="0012345678905")
    f.receive(tee, "A-01-01-1-1", 20)
    f.receive(mug, "A-03-04-1-1", 5)
    return f


def _client(party, role="warehouse_staff"):
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_staff_accept_reject_and_answer_cancellations_on_the_queues_page(floor):
    staff = _client(floor.operator)
    tee = floor.skus["TEE"]
    keep, refuse = floor.request((tee, 1), accept=False), floor.request((tee, 1), accept=False)
    asked = floor.request((tee, 1))
    fulfilment_request_cancel_request(actor=SYSTEM, request=asked, reason="changed mind")

    page = staff.get("/fulfillment/outbound/")
    assert page.status_code == 200
    assert keep.number in page.text and "changed mind" in page.text
    assert ">Outbound</a>" in page.text  # the header's entry (to the work queues)
    assert 'data-queue="to_accept">2<' in page.text

    staff.post(f"/fulfillment/outbound/requests/{keep.pk}/accept/")
    answer = staff.post(f"/fulfillment/outbound/requests/{refuse.pk}/reject/", {"reason": ""}, follow=True)
    assert "say why" in answer.text
    staff.post(f"/fulfillment/outbound/requests/{refuse.pk}/reject/", {"reason": "hazmat"})
    staff.post(f"/fulfillment/outbound/requests/{asked.pk}/cancellation/", {"accept": "1"})

    keep.refresh_from_db()
    refuse.refresh_from_db()
    asked.refresh_from_db()
    assert (keep.status, refuse.status, asked.status) == (
        RequestStatus.ACCEPTED,
        RequestStatus.REJECTED,
        RequestStatus.CANCELLED,
    )
    assert Outbound.objects.get(request=keep).status == OutboundStatus.TO_WAVE


def test_a_manager_plans_and_releases_waves_and_sees_the_pickup_countdown(floor):
    manager = _client(floor.operator, "manager")
    floor.request((floor.skus["TEE"], 2))

    page = manager.get("/fulfillment/waves/")
    assert page.status_code == 200 and "Plan 1 waiting request" in page.text
    assert "CPX" in page.text and "countdown" in page.text

    manager.post("/fulfillment/waves/plan/", {"warehouse": str(floor.warehouse.pk)})
    wave = Wave.objects.get()
    planned = manager.get(f"/fulfillment/waves/?warehouse={floor.warehouse.pk}")
    assert wave.number in planned.text
    manager.post(f"/fulfillment/waves/{wave.pk}/release/")
    detail = manager.get(f"/fulfillment/waves/{wave.pk}/")
    assert detail.status_code == 200
    assert PickList.objects.get().number in detail.text and "pick-sequence order" in detail.text


def test_the_pick_page_walks_bin_item_quantity_and_refuses_a_wrong_scan_clearly(floor):
    staff = _client(floor.operator)
    floor.request((floor.skus["TEE"], 2))
    staff.post("/fulfillment/waves/plan/", {"warehouse": str(floor.warehouse.pk)})
    staff.post(f"/fulfillment/waves/{Wave.objects.get().pk}/release/")
    pick_list = PickList.objects.get()
    url = f"/fulfillment/pick/{pick_list.pk}/"

    listing = staff.get("/fulfillment/pick/")
    assert pick_list.number in listing.text
    staff.post(url, {"action": "start"})
    page = staff.get(url)
    assert "A-01-01-1-1" in page.text and "Organic tee · Black · M" in page.text and "slot 1" in page.text
    assert 'name="bin_code"' in page.text and 'name="barcode"' not in page.text

    # a wrong bin is refused with the bin to go to
    shown = staff.get(staff.post(url, {"bin_code": "A-02-01-1-1"})["Location"])
    assert "Wrong bin: you scanned A-02-01-1-1. Go to A-01-01-1-1." in shown.text
    # the right bin asks for the item
    shown = staff.get(staff.post(url, {"bin_code": "a-01-01-1-1"})["Location"])
    assert "Bin a-01-01-1-1 confirmed" in shown.text and 'name="barcode"' in shown.text
    # a wrong item is refused, the bin stays confirmed
    answer = staff.post(url, {"bin_code": "A-01-01-1-1", "barcode": "0012345678905", "quantity": "1"})
    shown = staff.get(answer["Location"])
    assert "Wrong item: put it back. This stop asks for TEE." in shown.text and 'name="barcode"' in shown.text
    # too many is refused
    answer = staff.post(url, {"bin_code": "A-01-01-1-1", "barcode": GTIN, "quantity": "3"})
    assert "Wrong quantity: take 1 to 2 units here." in staff.get(answer["Location"]).text
    # the right item and quantity finish the list
    answer = staff.post(url, {"bin_code": "A-01-01-1-1", "barcode": GTIN, "quantity": "2"})
    shown = staff.get(answer["Location"])
    assert "Picked 2 × TEE." in shown.text and "List done: take the cart to packing." in shown.text
    assert list(PickScan.objects.order_by("occurred_at").values_list("result", "reason_code")) == [
        ("refused", "pick.wrong_bin"),
        ("accepted", ""),
        ("refused", "pick.wrong_item"),
        ("refused", "pick.wrong_quantity"),
        ("accepted", ""),
    ]


def test_short_on_the_pick_page_then_resolved_on_the_queues_page(floor):
    staff = _client(floor.operator)
    floor.request((floor.skus["MUG"], 3))
    staff.post("/fulfillment/waves/plan/", {"warehouse": str(floor.warehouse.pk)})
    staff.post(f"/fulfillment/waves/{Wave.objects.get().pk}/release/")
    pick_list = PickList.objects.get()
    task = PickTask.objects.get()
    url = f"/fulfillment/pick/{pick_list.pk}/"
    staff.post(url, {"action": "start"})

    shown = staff.post(url, {"action": "short", "task": str(task.pk), "found": "1"}, follow=True)
    assert "Short pick reported" in shown.text
    task.refresh_from_db()
    assert task.status == PickTaskStatus.SHORT

    queues = staff.get("/fulfillment/outbound/")
    exception = PickException.objects.get()
    assert "Short pick: 2 × MUG missing at A-03-04-1-1" in queues.text
    answer = staff.post(
        f"/fulfillment/outbound/shorts/{exception.pk}/resolve/", {"resolution": "other_bin"}, follow=True
    )
    assert "No other bin holds" in answer.text or "no other bin holds" in answer.text
    staff.post(f"/fulfillment/outbound/shorts/{exception.pk}/resolve/", {"resolution": "handed_back"})
    assert Outbound.objects.get().status == OutboundStatus.CANCELLED


def test_sellers_and_other_operators_cannot_open_the_pages(floor):
    from haicang.parties.tests.factories import make_operator

    floor.request((floor.skus["TEE"], 1))
    seller = _client(floor.seller, "owner")
    assert seller.get("/fulfillment/outbound/").status_code == 403
    assert seller.get("/fulfillment/waves/").status_code == 403
    assert ">Outbound</a>" not in seller.get("/").text
    staff = _client(floor.operator)
    staff.post("/fulfillment/waves/plan/", {"warehouse": str(floor.warehouse.pk)})
    stranger = _client(make_operator())
    assert stranger.get(f"/fulfillment/waves/{Wave.objects.get().pk}/").status_code == 404
