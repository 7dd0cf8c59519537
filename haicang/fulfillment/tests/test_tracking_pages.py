"""The tracking pages: the Parcels section of the seller's order page, one parcel's timeline, the operator's
alerts page and the label download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from haicang.core.audit import audit_entries_for
from haicang.fulfillment.labelling import parcel_label
from haicang.fulfillment.models import TrackingAlert, TrackingSource
from haicang.fulfillment.packing import parcel_pack
from haicang.fulfillment.shipping import outbound_ship
from haicang.fulfillment.tests.factories import make_fulfilment_world, make_picked_outbound
from haicang.fulfillment.tracking import TrackingInput, tracking_ingest
from haicang.parties.tests.factories import SYSTEM, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_fulfilment_world()


@pytest.fixture
def shipped(world):
    """A parcel packed, labelled through the sandbox and shipped, with two UPS scans and one customs hold."""
    outbound = make_picked_outbound(world, [("TEE", 2)])
    parcel = parcel_label(actor=SYSTEM, parcel=parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520))
    outbound_ship(actor=SYSTEM, outbound=outbound)
    now = timezone.now()
    tracking_ingest(
        actor=SYSTEM,
        operator_id=world.operator.pk,
        source=TrackingSource.API,
        items=[
            TrackingInput("UPS", parcel.tracking_number, now - dt.timedelta(hours=5), "I", "Departed from Facility",
                          "Ontario, CA, US"),
            TrackingInput("UPS", parcel.tracking_number, now - dt.timedelta(hours=1), "X",
                          "Held by customs: awaiting clearance"),
        ],
    )  # fmt: skip
    parcel.refresh_from_db()
    return parcel


def client_for(party, role="owner"):
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_the_sellers_order_page_shows_each_parcel_with_its_timeline_and_label(world, shipped):
    order_id = shipped.outbound.request.order_id
    client = client_for(world.seller)

    page = client.get(f"/orders/{order_id}/").content.decode()

    assert 'id="parcels"' in page and shipped.number in page
    assert f'href="https://track.example/{shipped.tracking_number}"' in page
    assert "Ground" in page and "UPS" in page
    assert 'data-status="exception"' in page and "Customs hold" in page
    assert "Departed from Facility" in page and "Ontario, CA, US" in page and "<code>X</code>" in page
    label_url = f"/fulfillment/tracking/parcels/{shipped.pk}/label.pdf"
    assert label_url in page

    response = client.get(label_url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    assert "parcel.label_read" in set(audit_entries_for(subject=shipped).values_list("action", flat=True))


def test_a_seller_who_may_not_see_personal_data_gets_no_label(world, shipped):
    viewer = client_for(world.seller, "viewer")

    page = viewer.get(f"/orders/{shipped.outbound.request.order_id}/").content.decode()

    assert shipped.number in page and f"/fulfillment/tracking/parcels/{shipped.pk}/label.pdf" not in page
    assert viewer.get(f"/fulfillment/tracking/parcels/{shipped.pk}/label.pdf").status_code == 403


def test_the_parcel_page_is_both_parties_and_nobody_elses(world, shipped):
    for party in (world.seller, world.operator):
        page = client_for(party).get(f"/fulfillment/tracking/parcels/{shipped.pk}/")
        assert page.status_code == 200 and "Held by customs" in page.content.decode()
    stranger = make_fulfilment_world(stock=0)
    assert client_for(stranger.seller).get(f"/fulfillment/tracking/parcels/{shipped.pk}/").status_code == 404


def test_the_operator_resolves_an_alert_on_the_alerts_page(world, shipped):
    alert = TrackingAlert.objects.get(parcel=shipped, resolved_at__isnull=True)
    staff = client_for(world.operator, "warehouse_staff")
    tracking_ingest(
        actor=SYSTEM,
        operator_id=world.operator.pk,
        source=TrackingSource.API,
        items=[TrackingInput("UPS", "1ZNOSUCH", timezone.now(), "I", "Arrived")],
    )

    page = staff.get("/fulfillment/tracking/alerts/").content.decode()

    assert f'id="alert-{alert.pk}"' in page and "Customs hold" in page
    assert "1ZNOSUCH" in page and "tracking_unknown" in page  # the message kept
    seller_page = client_for(world.seller).get("/fulfillment/tracking/alerts/").content.decode()
    assert f'id="alert-{alert.pk}"' in seller_page
    assert "/resolve/" not in seller_page and "1ZNOSUCH" not in seller_page

    response = staff.post(f"/fulfillment/tracking/alerts/{alert.pk}/resolve/", {"note": "papers sent"})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by != ""
    assert (
        client_for(world.seller).post(f"/fulfillment/tracking/alerts/{alert.pk}/resolve/").status_code == 403
    )
