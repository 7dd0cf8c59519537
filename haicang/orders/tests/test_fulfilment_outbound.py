"""The operator's steps of ``/api/v1/fulfillment-requests/`` and ``/fulfillment-requests/<id>/`` go through the
fulfillment app's outbound work (``fulfilment_operator.py``): one path, whichever the operator uses."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from haicang.core.models import AuditEntry
from haicang.fulfillment.labelling import parcel_label
from haicang.fulfillment.models import (
    Outbound,
    OutboundStatus,
    Parcel,
    ParcelStatus,
    PickTask,
    PickTaskStatus,
)
from haicang.fulfillment.packing import parcel_pack
from haicang.fulfillment.tests.factories import (
    make_fulfilment_world,
    make_in_progress_request,
    make_picked_outbound,
)
from haicang.orders.fulfilment import fulfilment_request_cancel_request
from haicang.orders.models_fulfilment import CancellationState, FulfillmentRequest, RequestStatus
from haicang.orders.tests.fulfilment_factories import make_fulfilment_request
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db
URL = "/api/v1/fulfillment-requests/"


@pytest.fixture
def world():
    return make_fulfilment_world()


def _client(party, role="owner", client_class=APIClient):
    client = client_class()
    client.force_login(make_member(party, role).user)
    return client


def _labelled(world):
    """A packed outbound whose one parcel has a label (bought from the sandbox carrier)."""
    outbound = make_picked_outbound(world)
    parcel = parcel_label(actor=SYSTEM, parcel=parcel_pack(actor=SYSTEM, outbound=outbound, weight_g=520))
    outbound.refresh_from_db()
    assert (outbound.status, parcel.status) == (OutboundStatus.PACKED, ParcelStatus.LABELLED)
    return outbound, parcel


def test_accepting_through_the_orders_api_creates_the_outbound():
    # given a submitted request
    seller, operator = make_seller(currency="USD", country="US"), make_operator()
    warehouse = make_agreement(seller, operator).warehouses.get()
    fr = make_fulfilment_request(seller, warehouse)

    # when the operator accepts it through the orders API
    response = _client(operator, "warehouse_staff").post(f"{URL}{fr.pk}/accept/")

    # then the request is accepted and is outbound work waiting for a wave
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    outbound = Outbound.objects.get(request=fr)
    assert (outbound.status, outbound.number, outbound.units) == (OutboundStatus.TO_WAVE, fr.number, 2)
    assert AuditEntry.objects.filter(action="outbound.created", subject_id=str(outbound.pk)).exists()


def test_a_cancellation_accepted_through_the_orders_api_voids_a_packed_outbounds_parcels_and_closes_it(world):
    # given a packed, labelled outbound whose seller asks to cancel
    outbound, parcel = _labelled(world)
    asked = _client(world.seller, "order_manager").post(
        f"{URL}{outbound.request_id}/cancellation-request/", {"reason": "buyer cancelled"}, format="json"
    )
    assert asked.status_code == 200 and asked.json()["cancellation"] == "requested"

    # when the operator accepts the cancellation through the orders API
    response = _client(world.operator, "warehouse_staff").post(
        f"{URL}{outbound.request_id}/answer-cancellation/", {"accept": True}, format="json"
    )

    # then the request is cancelled, the label voided with the carrier and the outbound closed
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["cancellation"]) == ("cancelled", "accepted")
    parcel.refresh_from_db()
    outbound.refresh_from_db()
    assert parcel.status == ParcelStatus.VOIDED and (parcel.label_pdf.name, parcel.label_zpl) == ("", "")
    assert outbound.status == OutboundStatus.CANCELLED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"parcel.label_voided", "outbound.cancelled"} <= actions


def test_the_page_cancel_of_a_packed_outbound_with_a_cancellation_request_accepts_it_and_voids_the_label(
    world,
):
    outbound, parcel = _labelled(world)
    fulfilment_request_cancel_request(actor=SYSTEM, request=outbound.request, reason="buyer cancelled")

    response = _client(world.operator, client_class=Client).post(
        f"/fulfillment-requests/{outbound.request_id}/cancel/", {"reason": "as the seller asked"}
    )

    assert response.status_code == 302
    request = FulfillmentRequest.objects.get(pk=outbound.request_id)
    assert (request.status, request.cancellation) == (RequestStatus.CANCELLED, CancellationState.ACCEPTED)
    assert request.cancellation_answer == "as the seller asked"
    assert Parcel.objects.get(pk=parcel.pk).status == ParcelStatus.VOIDED
    assert Outbound.objects.get(pk=outbound.pk).status == OutboundStatus.CANCELLED


def test_start_and_ship_are_refused_for_outbound_work_and_name_the_fulfillment_endpoint(world):
    # given a request accepted through the orders API, and one the warehouse is picking
    accepted = make_fulfilment_request(world.seller, world.warehouse)
    client = _client(world.operator, "warehouse_staff")
    client.post(f"{URL}{accepted.pk}/accept/")
    picking = make_picked_outbound(world, picked=False)

    # when the operator tries to start the one and ship the other here
    started = client.post(f"{URL}{accepted.pk}/start/")
    shipped = client.post(
        f"{URL}{picking.request_id}/ship/", {"carrier": "UPS", "tracking_numbers": ["1Z"]}, format="json"
    )

    # then both are refused, pointing to the waves and the dock, and nothing changed
    assert started.status_code == 409 and started.json()["code"] == "fulfillment.use_outbound"
    assert "/api/v1/waves/" in started.json()["detail"]
    assert shipped.status_code == 409 and shipped.json()["code"] == "fulfillment.use_outbound"
    assert shipped.json()["context"]["use"] == f"POST /api/v1/outbounds/{picking.pk}/ship/"
    statuses = dict(FulfillmentRequest.objects.values_list("pk", "status"))
    assert (statuses[accepted.pk], statuses[picking.request_id]) == ("accepted", "in_progress")
    assert Outbound.objects.get(pk=picking.pk).status == OutboundStatus.PICKING


def test_cancelling_outbound_work_through_the_orders_api_hands_it_back(world):
    # given an outbound being picked
    outbound = make_picked_outbound(world, picked=False)

    # when the operator cancels its request through the orders API
    response = _client(world.operator, "warehouse_staff").post(
        f"{URL}{outbound.request_id}/cancel/", {"reason": "water damage"}, format="json"
    )

    # then the outbound is handed back: its tasks cancelled, it and the request cancelled with the reason
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.CANCELLED
    assert outbound.exception_reason == "handed back: water damage"
    assert set(PickTask.objects.filter(outbound=outbound).values_list("status", flat=True)) == {
        PickTaskStatus.CANCELLED
    }
    assert AuditEntry.objects.filter(action="outbound.handed_back", subject_id=str(outbound.pk)).exists()


def test_a_packed_outbound_is_not_cancelled_here_without_a_cancellation_request(world):
    outbound, parcel = _labelled(world)

    response = _client(world.operator, "warehouse_staff").post(
        f"{URL}{outbound.request_id}/cancel/", {"reason": "changed our mind"}, format="json"
    )

    assert response.status_code == 409 and response.json()["code"] == "fulfillment.transition_invalid"
    assert Outbound.objects.get(pk=outbound.pk).status == OutboundStatus.PACKED
    assert Parcel.objects.get(pk=parcel.pk).status == ParcelStatus.LABELLED
    assert FulfillmentRequest.objects.get(pk=outbound.request_id).status == RequestStatus.IN_PROGRESS


def test_a_request_started_before_it_had_an_outbound_is_still_marked_shipped_here(world):
    # given a request accepted and started through the orders services, never outbound work
    fr = make_in_progress_request(world)

    shipped = _client(world.operator, "warehouse_staff").post(
        f"{URL}{fr.pk}/ship/", {"carrier": "dhl", "tracking_numbers": ["0034"]}, format="json"
    )

    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    assert not Outbound.objects.filter(request=fr).exists()


def test_the_page_offers_outbound_work_no_start_or_ship_and_links_the_outbound_pages(world):
    outbound = make_picked_outbound(world, picked=False)

    html = _client(world.operator, client_class=Client).get(f"/fulfillment-requests/{outbound.request_id}/")
    seller_html = _client(world.seller, client_class=Client).get(
        f"/fulfillment-requests/{outbound.request_id}/"
    )

    page, steps = html.content.decode(), f"/fulfillment-requests/{outbound.request_id}/"
    assert html.status_code == 200 and 'id="outbound"' in page and "/fulfillment/outbound/" in page
    assert f"{steps}ship/" not in page and f"{steps}start/" not in page
    assert f"{steps}cancel/" in page  # a picking outbound can be handed back
    assert 'id="outbound"' not in seller_html.content.decode()
