"""``/api/v1/fulfillment-requests/``: the operator sees only what the agreement grants; the SLA filters; the
operator's steps and the seller's cancellation request."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from haicang.core.models import AuditEntry
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.tests.factories import CUSTOMER
from haicang.orders.tests.fulfilment_factories import make_fulfilment_request
from haicang.parties.tests.factories import make_agreement, make_member, make_operator, make_seller

pytestmark = pytest.mark.django_db
URL = "/api/v1/fulfillment-requests/"


@pytest.fixture
def world():
    seller, operator = make_seller(currency="USD", country="US"), make_operator()
    agreement = make_agreement(seller, operator)
    return seller, operator, agreement, agreement.warehouses.get()


def _client(party, role="owner"):
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def _clock(fr, *, due_in, risk_in):
    now = timezone.now()
    FulfillmentRequest.objects.filter(pk=fr.pk).update(due_at=now + due_in, at_risk_from=now + risk_in)


def test_the_operator_detail_carries_the_address_but_no_phone_email_or_prices(world):
    # given the default data-sharing scope (no prices, e-mail or phone)
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    # when the operator reads the request
    response = _client(operator).get(f"{URL}{fr.pk}/")

    # then the ship-to name and street are there (to make the label), nothing else of the customer, no price
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert response.status_code == 200
    assert body["ship_to"]["name"] == CUSTOMER["name"] and body["pii"] == "clear"
    assert "phone" not in body["ship_to"] and "email" not in body["ship_to"]
    assert CUSTOMER["email"] not in text and "555" not in text and "Leave it" not in text
    assert all("unit_price" not in line for line in body["lines"]) and "19.99" not in text
    assert "id" not in body["order"]  # the order is not the operator's to open
    # and the read is audited
    assert AuditEntry.objects.filter(
        subject_id=str(fr.pk), action="fulfillment_request.contact_read"
    ).exists()


def test_granted_fields_show_and_a_withdrawn_grant_hides_them_again(world):
    seller, operator, agreement, warehouse = world
    agreement.share_prices = agreement.share_customer_phone = agreement.share_customer_email = True
    agreement.save()
    fr = make_fulfilment_request(seller, warehouse)
    client = _client(operator)

    granted = client.get(f"{URL}{fr.pk}/").json()
    agreement.share_prices = agreement.share_customer_phone = agreement.share_customer_email = False
    agreement.save()
    withdrawn = client.get(f"{URL}{fr.pk}/").json()

    assert granted["ship_to"]["email"] == CUSTOMER["email"] and granted["ship_to"]["phone"] == "+14155550173"
    assert granted["lines"][0]["unit_price"] == {"amount": "19.99", "currency": "USD"}
    assert "email" not in withdrawn["ship_to"] and "phone" not in withdrawn["ship_to"]
    assert "unit_price" not in withdrawn["lines"][0]


def test_lists_never_carry_the_contact_and_the_seller_gets_it_masked(world):
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    listed = _client(operator).get(URL)
    seller_detail = _client(seller).get(f"{URL}{fr.pk}/").json()

    assert listed.status_code == 200 and [r["id"] for r in listed.json()["results"]] == [str(fr.pk)]
    assert CUSTOMER["name"] not in listed.content.decode() and "Evergreen" not in listed.content.decode()
    assert seller_detail["pii"] == "masked" and seller_detail["ship_to"]["name"] == "•••"
    assert CUSTOMER["name"] not in json.dumps(seller_detail, ensure_ascii=False)


def test_operators_still_see_no_order_only_the_request(world):
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    client = _client(operator)

    assert client.get(f"/api/v1/orders/{fr.order_id}/").status_code == 404
    assert client.get("/api/v1/orders/").json()["results"] == []


def test_another_operator_and_another_seller_see_nothing(world):
    seller, _operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    for stranger in (make_operator(), make_seller()):
        client = _client(stranger)
        assert client.get(f"{URL}{fr.pk}/").status_code == 404
        assert client.get(URL).json()["results"] == []


@pytest.mark.parametrize(
    ("sla", "expected"),
    [("late", ["late"]), ("at_risk", ["risky"]), ("on_time", ["fine"]), ("", ["late", "risky", "fine"])],
)
def test_the_sla_filter(world, sla, expected):
    # given three open requests: one past its due, one past its at-risk instant, one well in time
    seller, operator, _agreement, warehouse = world
    made = {name: make_fulfilment_request(seller, warehouse) for name in ("late", "risky", "fine")}
    _clock(made["late"], due_in=timedelta(hours=-1), risk_in=timedelta(hours=-5))
    _clock(made["risky"], due_in=timedelta(hours=2), risk_in=timedelta(hours=-1))
    _clock(made["fine"], due_in=timedelta(hours=30), risk_in=timedelta(hours=26))
    names = {str(fr.pk): name for name, fr in made.items()}

    for party in (seller, operator):
        body = _client(party).get(URL, {"sla": sla} if sla else {}).json()
        assert [names[r["id"]] for r in body["results"]] == expected
        assert {r["sla"]["state"] for r in body["results"]} <= {"late", "at_risk", "on_time"}


def test_an_unknown_sla_filter_is_a_problem(world):
    seller, _operator, _agreement, _warehouse = world

    response = _client(seller).get(URL, {"sla": "soon"})

    assert response.status_code == 400 and response.json()["code"] == "fulfillment.input_invalid"


def test_the_operator_works_the_request_through_the_api(world):
    # accepting makes it outbound work: waves start it and the dock ships it (test_fulfilment_outbound.py)
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    client = _client(operator, "warehouse_staff")

    assert client.post(f"{URL}{fr.pk}/accept/").json()["status"] == "accepted"
    started = client.post(f"{URL}{fr.pk}/start/")
    shipped = client.post(
        f"{URL}{fr.pk}/ship/", {"carrier": "dhl", "tracking_numbers": ["0034"]}, format="json"
    )

    assert started.status_code == 409 and started.json()["code"] == "fulfillment.use_outbound"
    assert shipped.status_code == 409 and shipped.json()["code"] == "fulfillment.use_outbound"
    detail = client.get(f"{URL}{fr.pk}/").json()
    assert detail["status"] == "accepted"
    assert [h["event"] for h in detail["history"]] == ["created", "accepted"]
    again = client.post(f"{URL}{fr.pk}/accept/")
    assert again.status_code == 409 and again.json()["code"] == "fulfillment.transition_invalid"


def test_a_reject_without_reason_is_a_problem(world):
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    response = _client(operator).post(f"{URL}{fr.pk}/reject/", {}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "fulfillment.reason_required"


def test_the_seller_cannot_take_the_operators_steps_and_the_operator_cannot_ask_to_cancel(world):
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)

    assert _client(seller).post(f"{URL}{fr.pk}/accept/").status_code == 403
    assert _client(operator).post(f"{URL}{fr.pk}/cancellation-request/", {}, format="json").status_code == 403
    assert _client(seller, "viewer").post(f"{URL}{fr.pk}/cancellation-request/").status_code == 403


def test_the_seller_asks_to_cancel_and_the_operator_answers(world):
    seller, operator, _agreement, warehouse = world
    fr = make_fulfilment_request(seller, warehouse)
    operator_client = _client(operator)
    operator_client.post(f"{URL}{fr.pk}/accept/")

    asked = _client(seller, "order_manager").post(
        f"{URL}{fr.pk}/cancellation-request/", {"reason": "buyer cancelled"}, format="json"
    )
    answered = operator_client.post(f"{URL}{fr.pk}/answer-cancellation/", {"accept": True}, format="json")

    assert asked.status_code == 200 and asked.json()["cancellation"] == "requested"
    assert answered.json()["status"] == "cancelled" and answered.json()["cancellation"] == "accepted"
