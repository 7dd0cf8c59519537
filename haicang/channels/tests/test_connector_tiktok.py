"""TikTok Shop: one row per unit grouped per SKU, item-level cancellation, statuses; request signing."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from haicang.channels.connectors import connector_for
from haicang.channels.connectors.tiktok import tiktok_signature
from haicang.channels.normalised import OrderFlag, OrderStatus, PayloadInvalid
from haicang.channels.tests.fixtures import fixture, raw_fixture
from haicang.core.money import Money

tiktok = connector_for("tiktok")


def _order() -> dict:
    return fixture("tiktok_order")["data"]["orders"][0]


def test_the_order_is_normalised_with_units_grouped_per_sku():
    [order] = tiktok.parse_orders(fixture("tiktok_order"))
    assert order.external_id == "576461413038785752" and order.status is OrderStatus.UNSHIPPED
    assert order.placed_at == datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    assert order.ship_by == datetime(2026, 3, 4, 9, 10, tzinfo=UTC)  # shipping_due_time before rts_sla_time
    assert order.currency == "GBP" and order.shipping_charged == Money.of("3.99", "GBP")
    shirt, socks = order.lines
    # three unit rows, one cancelled by the buyer: the line shrinks to 2
    assert (shirt.channel_sku, shirt.quantity, shirt.original_quantity) == ("LUMEN-TS-BLK-M", 2, 3)
    assert len(shirt.unit_line_ids) == 3 and shirt.unit_price == Money.of("12.00", "GBP")
    assert shirt.discount == Money.of("2.00", "GBP")  # the seller's discounts on the live units
    assert shirt.price_includes_tax  # a UK order: VAT included
    assert socks.quantity == 1
    assert order.ship_to is not None and (order.ship_to.country, order.ship_to.city) == ("GB", "London")
    assert order.ship_to.region == "Greater London" and order.buyer_note == "Gift, no invoice please"


def test_statuses():
    for raw, expected in [
        ("UNPAID", "pending"),
        ("ON_HOLD", "on_hold"),
        ("AWAITING_COLLECTION", "shipped"),
        ("PARTIALLY_SHIPPING", "partially_shipped"),
        ("COMPLETED", "delivered"),
        ("CANCELLED", "cancelled"),
    ]:
        payload = _order()
        payload["status"] = raw
        assert tiktok.parse_order(payload).status == expected
    payload = _order()
    payload["status"] = "LOST"
    with pytest.raises(PayloadInvalid):
        tiktok.parse_order(payload)


def test_a_us_order_fulfilled_by_tiktok_without_address_yet():
    payload = _order()
    payload["fulfillment_type"] = "FULFILLMENT_BY_TIKTOK"
    payload["recipient_address"]["region_code"] = "US"
    assert tiktok.parse_order(payload).flags == {OrderFlag.FULFILLED_BY_PLATFORM}
    assert not tiktok.parse_order(payload).lines[0].price_includes_tax
    del payload["recipient_address"], payload["shipping_due_time"], payload["paid_time"]
    order = tiktok.parse_order(payload)
    assert order.ship_to is None and order.paid_at is None
    assert order.ship_by == datetime.fromtimestamp(1772701800, tz=UTC)  # falls back to rts_sla_time


def test_the_request_signature_computed_independently():
    # given the query parameters (sign and access_token are left out), sorted by key
    query = {
        "app_key": "29a39d",
        "ids": "576461413038785752",
        "shop_cipher": "ROW_x",
        "timestamp": "1772442600",
    }
    message = "SECRET" + "/order/202309/orders" + "".join(k + v for k, v in sorted(query.items())) + "SECRET"
    expected = hmac.new(b"SECRET", message.encode(), hashlib.sha256).hexdigest()
    assert tiktok_signature(app_secret="SECRET", path="/order/202309/orders", query=query) == expected
    # the order of the parameters as given does not matter, but sorting them does
    shuffled = dict(reversed(list(query.items())))
    assert tiktok_signature(app_secret="SECRET", path="/order/202309/orders", query=shuffled) == expected
    unsorted = "SECRET/order/202309/orders" + "".join(k + v for k, v in shuffled.items()) + "SECRET"
    assert hmac.new(b"SECRET", unsorted.encode(), hashlib.sha256).hexdigest() != expected


def test_the_order_request_is_signed():
    now = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    creds = {"app_key": "29a39d", "app_secret": "SECRET", "access_token": "TTP_x", "shop_cipher": "ROW_x"}
    request = tiktok.build_order_request(creds, external_id="576461413038785752", now=now)
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    assert query["sign"] == request.signature
    assert request.signature == tiktok_signature(
        app_secret="SECRET",
        path="/order/202309/orders",
        query={k: v for k, v in query.items() if k != "sign"},
    )
    assert (
        query["timestamp"] == str(int(now.timestamp())) and request.headers["x-tts-access-token"] == "TTP_x"
    )


def test_the_webhook_signature():
    body = raw_fixture("tiktok_order")
    signature = hmac.new(b"SECRET", b"29a39d" + body, hashlib.sha256).hexdigest()
    assert tiktok.verify_webhook(headers={"Authorization": signature}, raw_body=body, secret="29a39d:SECRET")
    assert not tiktok.verify_webhook(
        headers={"Authorization": signature}, raw_body=body + b"x", secret="29a39d:SECRET"
    )
    assert not tiktok.verify_webhook(headers={"Authorization": signature}, raw_body=body, secret="SECRET")
