"""Routing through the API and on the order page: POST /api/v1/orders/{id}/route/, the decision in the order's
detail, holds answering 409, other parties 404, and the per-candidate reasons on the page."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from haicang.orders.models import AllocationStatus, OrderHold
from haicang.orders.tests.factories import line, make_order, ship_to
from haicang.orders.tests.routing_factories import make_network
from haicang.parties.tests.factories import make_member, make_seller

pytestmark = pytest.mark.django_db


def _client(party, role="owner") -> APIClient:
    client = APIClient()
    client.force_login(make_member(party, role).user)
    return client


def test_routing_a_backordered_order_once_stock_arrived(seller, account, sku):
    network = make_network(seller)
    order = make_order(account, lines=(line(quantity=3),))
    network.receive(seller, sku, "NJ1", 4)
    client = _client(seller, "order_manager")

    before = client.get(f"/api/v1/orders/{order.pk}/").json()
    answer = client.post(f"/api/v1/orders/{order.pk}/route/")
    after = client.get(f"/api/v1/orders/{order.pk}/").json()

    assert before["allocation_status"] == "backordered" and before["routing"]["outcome"] == "backorder"
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["outcome"], body["allocation_status"]) == ("allocated", AllocationStatus.ALLOCATED)
    assert body["routing"]["warehouses"] == ["NJ1"]
    texts = [c["text"] for c in body["routing"]["candidates"]]
    assert texts[0] == "FRA1: 0 in stock" and texts[2].startswith("NJ1: 4 in stock, USD 6.50, ")
    assert after["routing"] == body["routing"]
    assert after["lines"][0]["reservation"] is not None


def test_an_order_on_hold_answers_409(seller, account, sku):
    make_network(seller)
    order = make_order(account)
    OrderHold.objects.create(order=order, reason="platform_hold", detail="test")

    answer = _client(seller).post(f"/api/v1/orders/{order.pk}/route/")

    assert answer.status_code == 409
    assert answer.json()["code"] == "orders.on_hold"


def test_another_seller_and_a_reader_cannot_route(seller, account, sku):
    order = make_order(account)

    assert _client(make_seller()).post(f"/api/v1/orders/{order.pk}/route/").status_code == 404
    assert _client(seller, "viewer").post(f"/api/v1/orders/{order.pk}/route/").status_code == 403


def test_the_order_page_shows_the_decision_with_each_candidates_reason(seller, account, sku, client):
    network = make_network(seller)
    network.receive(seller, sku, "LAX1", 12)
    order = make_order(account, lines=(line(quantity=2),))
    client.force_login(make_member(seller, "owner").user)

    page = client.get(f"/orders/{order.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="routing"' in html and "ships from LAX1" in html
    assert "FRA1: 0 in stock" in html and "LAX1: 12 in stock, USD 4.10, " in html


def test_the_order_page_says_a_held_order_is_not_routed(seller, account, sku, client):
    order = make_order(account, ship_to=ship_to(postcode="ABCDE"))  # postcode_invalid: on hold
    client.force_login(make_member(seller, "owner").user)

    html = client.get(f"/orders/{order.pk}/").content.decode()

    assert "Not routed: the order is on hold." in html


def test_a_split_shows_its_parcels_and_estimated_cost_in_the_api_and_on_the_page(seller, account, client):
    from haicang.catalog.tests.factories import make_sku
    from haicang.channels.tests.factories import make_sku_map
    from haicang.orders.routing import order_settings_set
    from haicang.orders.tests.factories import SYSTEM

    network = make_network(seller)
    for code, warehouse in (("LAMP", "LAX1"), ("VASE", "NJ1")):
        made = make_sku(seller, code=code, weight_g=3000)
        make_sku_map(account, channel_sku=code, sku=made)
        network.receive(seller, made, warehouse, 1)
    order_settings_set(actor=SYSTEM, seller_id=seller.pk, allow_split=True)
    order = make_order(account, lines=(line("LAMP", quantity=1), line("VASE", quantity=1)))
    client.force_login(make_member(seller, "owner").user)

    routing = _client(seller).get(f"/api/v1/orders/{order.pk}/").json()["routing"]
    html = client.get(f"/orders/{order.pk}/").content.decode()

    assert routing["outcome"] == "split" and routing["estimated_cost_label"] == "USD 10.60"
    assert routing["cost_currency"] == "USD"
    assert [part["text"].split(":")[0] for part in routing["allocations"]] == [
        "LAX1 ships LAMP ×1",
        "NJ1 ships VASE ×1",
    ]
    assert "Estimated last-mile cost: USD 10.60" in html
    assert "LAX1 ships LAMP ×1: USD 4.10" in html and "NJ1 ships VASE ×1: USD 6.50" in html
