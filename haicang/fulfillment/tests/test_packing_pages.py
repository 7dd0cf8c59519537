"""The pack bench and the dock pages: scan to open, pack, rate-shop result, print label, ship; dock scans
accepted or refused with their reason; scoping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haicang.fulfillment.models import DockScan, OutboundStatus, Parcel, ParcelStatus, ScanResult
from haicang.fulfillment.packing import parcel_pack
from haicang.fulfillment.tests.factories import (
    make_fulfilment_world,
    make_in_progress_request,
    make_picked_outbound,
    mark_labelled,
)
from haicang.parties.tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world()


def browser_for(party, role="owner"):
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


@pytest.fixture
def packer(world):
    return browser_for(world.operator, "warehouse_staff")


def test_scanning_an_order_number_opens_its_pack_page(world, packer):
    outbound = make_picked_outbound(world, [("TEE", 1)])

    answer = packer.post(reverse("fulfillment:pack"), {"scan": f" {outbound.number.lower()} "})

    assert answer.status_code == 302
    assert answer["Location"] == reverse("fulfillment:pack-outbound", args=[outbound.pk])
    listing = packer.get(reverse("fulfillment:pack")).content.decode()
    assert outbound.number in listing


def test_scanning_a_pick_list_lists_its_orders_and_an_unknown_code_says_so(world, packer):
    first = make_picked_outbound(world, [("TEE", 1)])
    pick_list = first.pick_tasks.get().pick_list
    request = make_in_progress_request(world, [("MUG", 1)])
    second = make_picked_outbound(world, [("MUG", 1)], request=request)
    second.pick_tasks.update(pick_list=pick_list)

    page = packer.post(reverse("fulfillment:pack"), {"scan": pick_list.number}).content.decode()
    unknown = packer.post(reverse("fulfillment:pack"), {"scan": "XYZ-1"}, follow=True).content.decode()

    assert first.number in page and second.number in page
    assert "Nothing to pack for XYZ-1" in unknown


def test_pack_print_label_and_ship_on_the_pack_page(world, packer):
    outbound = make_picked_outbound(world, [("TEE", 2)])
    url = reverse("fulfillment:pack-outbound", args=[outbound.pk])

    page = packer.get(url).content.decode()
    assert "Box <strong>M</strong>" in page and world.skus["TEE"].code in page

    packer.post(url, {"action": "pack", "weight_g": "520", "box_type": "M"})
    parcel = Parcel.objects.get(outbound=outbound)
    page = packer.get(url).content.decode()
    assert "UPS Ground $7.10, 3 d — cheapest meeting Standard by" in page
    assert "Print label" in page

    labelled = packer.post(url, {"action": "label", "parcel": str(parcel.pk)})
    assert labelled.status_code == 302 and f"print={parcel.pk}" in labelled["Location"]
    page = packer.get(labelled["Location"]).content.decode()
    pdf_url = reverse("fulfillment:parcel-label-pdf", args=[parcel.pk])
    assert pdf_url in page and "data-open-once" in page
    pdf = packer.get(pdf_url)
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    zpl = packer.get(reverse("fulfillment:parcel-label-zpl", args=[parcel.pk]))
    assert zpl["Content-Disposition"].startswith("attachment")

    shipped = packer.post(url, {"action": "ship"})
    assert shipped.status_code == 302
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SHIPPED
    again = packer.post(url, {"action": "ship"}, follow=True).content.decode()
    assert "Already shipped" in again


def test_a_bad_weight_is_refused_with_a_message(world, packer):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    url = reverse("fulfillment:pack-outbound", args=[outbound.pk])

    page = packer.post(
        url, {"action": "pack", "weight_g": "abc", "box_type": "M"}, follow=True
    ).content.decode()

    assert "weight_g is a whole number above 0" in page
    assert not Parcel.objects.filter(outbound=outbound).exists()


def test_the_dock_confirms_labels_and_refuses_unknown_ones_with_the_reason(world, packer):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    parcel = mark_labelled(parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=300), "1Z999AA10123456784")

    refused = packer.post(reverse("fulfillment:ship"), {"raw": "NOT-A-LABEL"}, follow=True).content.decode()
    accepted = packer.post(
        reverse("fulfillment:ship"), {"raw": parcel.tracking_number}, follow=True
    ).content.decode()

    assert "Unknown label: no parcel of yours has it." in refused
    assert f"{parcel.number} shipped" in accepted
    assert list(DockScan.objects.order_by("occurred_at").values_list("result", flat=True)) == [
        ScanResult.REFUSED,
        ScanResult.ACCEPTED,
    ]
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.SHIPPED


def test_sellers_and_other_operators_cannot_pack(world):
    outbound = make_picked_outbound(world, [("TEE", 1)])
    url = reverse("fulfillment:pack-outbound", args=[outbound.pk])

    assert browser_for(world.seller).get(url).status_code == 403
    assert browser_for(world.seller).get(reverse("fulfillment:ship")).status_code == 403
    assert browser_for(make_fulfilment_world(stock=0).operator).get(url).status_code == 404


def test_a_seller_opens_the_label_only_with_the_right_to_see_personal_data(world, packer):
    # given: a labelled parcel (the label carries the customer's name and address)
    from haicang.fulfillment.labelling import parcel_label

    outbound = make_picked_outbound(world, [("TEE", 1)])
    parcel = parcel_label(actor=SYSTEM, parcel=parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=300))
    url = reverse("fulfillment:parcel-label-pdf", args=[parcel.pk])

    # when the packer, the seller's owner (orders:pii) and its viewer (no orders:pii) open it, then
    assert packer.get(url).content.startswith(b"%PDF")
    assert browser_for(world.seller, "owner").get(url).content.startswith(b"%PDF")
    assert browser_for(world.seller, "viewer").get(url).status_code == 403
