"""Shopify: the Admin API order JSON and the orders/create webhook's HMAC."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from haicang.channels.connectors import connector_for
from haicang.channels.normalised import OrderStatus, PayloadInvalid
from haicang.channels.tests.fixtures import fixture, raw_fixture
from haicang.core.money import Money

shopify = connector_for("shopify")


def test_the_webhook_order_is_normalised():
    order = shopify.parse_order(fixture("shopify_order"))  # given the orders/create body, when parsed
    assert order.external_id == "5861237489901" and order.display_ref == "#1042"  # then
    assert order.placed_at == datetime(2026, 3, 2, 14, 15, 27, tzinfo=UTC)  # -05:00 converted to UTC
    assert order.status is OrderStatus.UNSHIPPED and order.platform_status == "paid/unfulfilled"
    assert order.currency == "USD"
    shirt, cap = order.lines
    assert (shirt.channel_sku, shirt.quantity, shirt.unit_price) == (
        "LUMEN-TS-BLK-M",
        2,
        Money.of("19.99", "USD"),
    )
    assert shirt.discount == Money.of("5.00", "USD") and shirt.tax == Money.of("5.95", "USD")
    assert not shirt.price_includes_tax and cap.tax == Money.of("0.97", "USD")
    assert order.shipping_charged == Money.of("9.00", "USD") and order.service_level == "Standard Shipping"
    assert order.ship_to is not None
    assert order.ship_to.street_lines == ("350 Fifth Avenue", "Apt 4B") and order.ship_to.region == "NY"
    assert (
        order.ship_to.email == "ana.ruiz@example.com" and order.buyer_note == "Please leave at the back door"
    )


def test_the_admin_api_answer_and_a_list_are_read_too():
    payload = fixture("shopify_order")
    assert shopify.parse_order({"order": payload}).external_id == "5861237489901"
    assert [o.external_id for o in shopify.parse_orders({"orders": [payload, payload]})] == [
        "5861237489901"
    ] * 2


def test_an_item_removed_by_an_order_edit_shrinks_its_line():
    payload = fixture("shopify_order")
    payload["line_items"][0]["current_quantity"] = 1
    payload["line_items"][1]["current_quantity"] = 0
    shirt, cap = shopify.parse_order(payload).lines
    assert (shirt.quantity, shirt.original_quantity) == (1, 2)
    assert (cap.quantity, cap.cancelled_quantity) == (0, 1)


def test_a_shop_in_euros_with_prices_including_vat():
    payload = fixture("shopify_order")
    payload["currency"] = "EUR"
    payload["taxes_included"] = True
    order = shopify.parse_order(payload)
    assert order.currency == "EUR" and order.lines[0].unit_price == Money(Decimal("19.99"), "EUR")
    assert all(line.price_includes_tax for line in order.lines)


def test_statuses_cancelled_partial_fulfilled_and_unpaid():
    cases = [
        ({"cancelled_at": "2026-03-03T10:00:00Z"}, OrderStatus.CANCELLED),
        ({"fulfillment_status": "partial"}, OrderStatus.PARTIALLY_SHIPPED),
        ({"fulfillment_status": "fulfilled"}, OrderStatus.SHIPPED),
        ({"financial_status": "pending"}, OrderStatus.PENDING),
        ({"financial_status": "voided"}, OrderStatus.CANCELLED),
    ]
    for change, expected in cases:
        payload = fixture("shopify_order")
        payload.update(change)
        assert shopify.parse_order(payload).status is expected, change


def test_optional_parts_may_be_missing():
    payload = fixture("shopify_order")
    for key in (
        "shipping_address",
        "shipping_lines",
        "note",
        "email",
        "contact_email",
        "updated_at",
        "total_price",
    ):
        payload.pop(key)
    for line in payload["line_items"]:
        line.pop("discount_allocations")
        line.pop("tax_lines")
        line.pop("current_quantity")
        line["sku"] = None
    order = shopify.parse_order(payload)
    assert order.ship_to is None and order.shipping_charged is None and order.updated_at is None
    assert order.lines[0].channel_sku == "variant:44102938471"  # a variant without a SKU
    assert order.lines[0].discount == Money.of("0.00", "USD") and order.lines[0].tax is None


def test_a_line_without_a_price_is_refused():
    payload = fixture("shopify_order")
    del payload["line_items"][0]["price"]
    with pytest.raises(PayloadInvalid, match="price"):
        shopify.parse_order(payload)


def test_the_webhook_hmac_is_checked_over_the_raw_body():
    body, secret = raw_fixture("shopify_order"), "shpss_test_secret"
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    assert shopify.verify_webhook(headers={"X-Shopify-Hmac-Sha256": signature}, raw_body=body, secret=secret)
    assert shopify.verify_webhook(headers={"x-shopify-hmac-sha256": signature}, raw_body=body, secret=secret)
    assert not shopify.verify_webhook(
        headers={"X-Shopify-Hmac-Sha256": signature}, raw_body=body + b" ", secret=secret
    )
    assert not shopify.verify_webhook(
        headers={"X-Shopify-Hmac-Sha256": signature}, raw_body=body, secret="other"
    )
    assert not shopify.verify_webhook(headers={}, raw_body=body, secret=secret)


def test_the_order_request_carries_the_access_token():
    request = shopify.build_order_request(
        {"shop_domain": "lumen.myshopify.com", "access_token": "shpat_x", "api_version": "2025-01"},
        external_id="5861237489901",
        now=datetime(2026, 3, 2, tzinfo=UTC),
    )
    assert request.method == "GET"
    assert request.url == "https://lumen.myshopify.com/admin/api/2025-01/orders/5861237489901.json"
    assert request.headers["X-Shopify-Access-Token"] == "shpat_x"


def test_missing_credentials_are_named():
    with pytest.raises(PayloadInvalid, match="access_token"):
        shopify.build_order_request(
            {"shop_domain": "x"}, external_id="1", now=datetime(2026, 3, 2, tzinfo=UTC)
        )
