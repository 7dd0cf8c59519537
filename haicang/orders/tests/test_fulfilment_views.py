"""The fulfillment pages: lists for sellers and operators, "At risk and late", the detail with its steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.tests.factories import CUSTOMER
from haicang.orders.tests.fulfilment_factories import make_fulfilment_request
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    seller, operator = make_seller(currency="USD", country="US"), make_operator()
    agreement = make_agreement(seller, operator)
    return seller, operator, agreement.warehouses.get()


def _client(party, role="owner"):
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_at_risk_and_late_lists_only_those_for_seller_and_operator(world):
    seller, operator, warehouse = world
    late, fine = make_fulfilment_request(seller, warehouse), make_fulfilment_request(seller, warehouse)
    now = timezone.now()
    FulfillmentRequest.objects.filter(pk=late.pk).update(
        due_at=now - timedelta(hours=1), at_risk_from=now - timedelta(hours=3)
    )
    FulfillmentRequest.objects.filter(pk=fine.pk).update(
        due_at=now + timedelta(days=2), at_risk_from=now + timedelta(days=1)
    )

    for party in (seller, operator):
        html = _client(party).get("/fulfillment-requests/at-risk/").content.decode()
        assert late.number in html and fine.number not in html
        assert 'data-sla="late"' in html
        full = _client(party).get("/fulfillment-requests/").content.decode()
        assert late.number in full and fine.number in full


def test_the_operator_page_masks_the_ship_to_until_shown_and_never_shows_phone_or_email(world):
    seller, operator, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    client = _client(operator)

    masked = client.get(f"/fulfillment-requests/{fr.pk}/").content.decode()
    shown = client.get(f"/fulfillment-requests/{fr.pk}/?contact=show").content.decode()

    assert CUSTOMER["name"] not in masked and "•••" in masked
    assert CUSTOMER["name"] in shown and CUSTOMER["street_lines"][0] in shown
    assert CUSTOMER["email"] not in shown and "555" not in shown and "19.99" not in shown


def test_the_seller_cannot_show_the_ship_to_here(world):
    seller, _operator, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    html = _client(seller).get(f"/fulfillment-requests/{fr.pk}/?contact=show").content.decode()

    assert CUSTOMER["name"] not in html


def test_the_operator_accepts_on_the_page_and_the_seller_asks_to_cancel(world):
    seller, operator, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    accepted = _client(operator).post(f"/fulfillment-requests/{fr.pk}/accept/", follow=True)
    asked = _client(seller).post(f"/fulfillment-requests/{fr.pk}/cancellation-request/", {"reason": "oops"})

    assert accepted.status_code == 200 and "Accepted" in accepted.content.decode()
    fr.refresh_from_db()
    assert asked.status_code == 302 and (fr.status, fr.cancellation) == ("accepted", "requested")


def test_a_seller_cannot_take_an_operator_step_on_the_page(world):
    seller, _operator, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    response = _client(seller).post(f"/fulfillment-requests/{fr.pk}/accept/")

    assert response.status_code == 403
    fr.refresh_from_db()
    assert fr.status == "submitted"


def test_another_operator_gets_404(world):
    seller, _operator, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    assert _client(make_operator()).get(f"/fulfillment-requests/{fr.pk}/").status_code == 404
