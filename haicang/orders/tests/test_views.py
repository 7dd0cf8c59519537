"""The seller's order pages: list with filters and search, detail with holds, history and masked contact; the
audited "show personal data"; operators see none."""

from __future__ import annotations

import pytest
from django.test import Client

from haicang.channels.normalised import OrderStatus
from haicang.core.audit import audit_entries_for
from haicang.orders.tests.factories import CUSTOMER, make_order, ship_to
from haicang.parties.tests.factories import make_agreement, make_member, make_operator

pytestmark = pytest.mark.django_db


def _client(party, role="owner") -> Client:
    client = Client()
    client.force_login(make_member(party, role).user)
    return client


def test_the_list_shows_orders_with_their_holds_and_filters_them(seller, account, sku):
    held = make_order(account, external_id="HELD-1", ship_to=ship_to(postcode="nope"))
    shipped = make_order(account, external_id="SHIP-1", status=OrderStatus.SHIPPED)
    client = _client(seller, "viewer")

    page = client.get("/orders/").content.decode()
    only_held = client.get("/orders/", {"hold": "true"}).content.decode()
    by_email = client.get("/orders/", {"q": CUSTOMER["email"]}).content.decode()

    assert held.number in page and shipped.number in page and "Postcode invalid" in page
    assert held.number in only_held and shipped.number not in only_held
    assert held.number in by_email and shipped.number in by_email
    assert CUSTOMER["name"] not in page


def test_the_detail_shows_holds_history_lines_and_masks_the_contact(seller, account, sku):
    order = make_order(account, ship_to=ship_to(phone="12"))
    make_order(account, external_id=order.external_id, status=OrderStatus.SHIPPED)
    client = _client(seller, "viewer")

    page = client.get(f"/orders/{order.pk}/").content.decode()

    assert "Phone number invalid" in page and "TS-BLK-M" in page and "LUMEN-TS-BLK-M" in page
    assert "•••" in page and CUSTOMER["name"] not in page and "97477" in page
    assert "Show personal data" not in page  # a viewer may not
    assert page.count("<tr>") >= 3  # two history rows and a line


def test_a_pii_role_shows_the_contact_and_the_read_is_audited(seller, account, sku):
    order = make_order(account)
    client = _client(seller, "order_manager")

    masked = client.get(f"/orders/{order.pk}/").content.decode()
    shown = client.get(f"/orders/{order.pk}/", {"contact": "show"}).content.decode()

    assert "Show personal data" in masked and CUSTOMER["name"] not in masked
    assert CUSTOMER["name"] in shown and CUSTOMER["street_lines"][0] in shown and CUSTOMER["email"] in shown
    assert [e.action for e in audit_entries_for(subject=order)].count("order.pii_read") == 1


def test_operators_and_other_sellers_see_no_orders(seller, account, sku):
    from haicang.parties.tests.factories import make_seller

    order = make_order(account)
    operator = make_operator()
    make_agreement(seller, operator)

    assert _client(operator).get(f"/orders/{order.pk}/").status_code == 404
    assert order.number not in _client(operator).get("/orders/").content.decode()
    assert _client(make_seller()).get(f"/orders/{order.pk}/").status_code == 404


def test_the_chinese_pages_are_translated(seller, account, sku):
    order = make_order(account, ship_to=ship_to(postcode="nope"))
    client = _client(seller)
    client.cookies["django_language"] = "zh-hans"

    page = client.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "邮编无效" in page and "状态历史" in page
