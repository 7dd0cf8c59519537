"""SHEIN: Beijing time, one row per unit grouped per SKU; the x-lt-signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from haicang.channels.connectors import connector_for
from haicang.channels.connectors.shein import shein_request, shein_signature
from haicang.channels.normalised import OrderStatus, PayloadInvalid
from haicang.channels.tests.fixtures import fixture
from haicang.core.money import Money

shein = connector_for("shein")

# The test values of SHEIN's own SDK (sheinsight/open-sdk-js, tests/signature.test.ts).
OPEN_KEY_ID = "B96C15416C9240DF96BAA0BC9B367C6D"
SECRET_KEY = "6BEC9C4B668B4B14B17EEF106BB98AE5"
PATH = "/open-api/order/purchase-order-info"
TIMESTAMP = 1740709414000


def test_beijing_times_are_converted_to_utc():
    order = shein.parse_order(fixture("shein_order"))
    assert order.placed_at == datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 08:30 in Beijing
    assert order.paid_at == datetime(2026, 3, 2, 0, 31, 15, tzinfo=UTC)
    assert order.ship_by == datetime(2026, 3, 4, 15, 59, 59, tzinfo=UTC)
    # a time just after midnight in Beijing is the previous day in UTC
    payload = fixture("shein_order")
    payload["order"]["orderTime"] = "2026-01-01 00:10:00"
    assert shein.parse_order(payload).placed_at == datetime(2025, 12, 31, 16, 10, tzinfo=UTC)


def test_the_order_is_normalised_with_units_grouped_per_seller_sku():
    order = shein.parse_order(fixture("shein_order"))
    assert order.external_id == "GSH12345678901" and order.status is OrderStatus.UNSHIPPED
    shirt, socks = order.lines
    assert (shirt.channel_sku, shirt.quantity, shirt.unit_line_ids) == (
        "LUMEN-TS-BLK-M",
        2,
        ("9001001", "9001002"),
    )
    assert shirt.unit_price == Money.of("15.99", "EUR")  # a JSON number read as an exact decimal
    assert socks.quantity == 1
    assert order.commission == Money.of("7.20", "EUR") and order.marketplace == "shein-de"
    assert order.ship_to is not None and order.ship_to.country == "DE"
    assert order.ship_to.name == "Lena Wagner" and order.ship_to.street_lines == ("Jungfernstieg 7", "3. OG")


def test_a_cancelled_unit_shrinks_its_line_and_an_unknown_status_is_on_hold():
    payload = fixture("shein_order")
    payload["order"]["orderGoodsInfoList"][1]["goodsStatus"] = 7
    payload["order"]["orderStatus"] = 99
    order = shein.parse_order(payload)
    assert (order.lines[0].quantity, order.lines[0].original_quantity) == (1, 2)
    assert order.status is OrderStatus.ON_HOLD and order.platform_status == "99"


def test_the_order_alone_and_the_detail_answer_are_read():
    payload = fixture("shein_order")
    alone = shein.parse_order(payload["order"])
    assert alone.ship_to is None and alone.external_id == "GSH12345678901"
    assert [o.external_id for o in shein.parse_orders({"code": "0", "info": [payload["order"]]})] == [
        "GSH12345678901"
    ]


def test_a_time_that_is_not_beijing_wall_clock_text_is_refused():
    payload = fixture("shein_order")
    payload["order"]["orderTime"] = "2026-03-02T08:30:00Z"
    with pytest.raises(PayloadInvalid, match="orderTime"):
        shein.parse_order(payload)


def test_the_signature_computed_independently():
    # value = openKeyId&timestamp&path; key = secretKey + randomKey; hex digest, base64, random key in front
    value = f"{OPEN_KEY_ID}&{TIMESTAMP}&{PATH}".encode()
    hex_digest = hmac.new((SECRET_KEY + "test1").encode(), value, hashlib.sha256).hexdigest()
    expected = "test1" + base64.b64encode(hex_digest.encode()).decode()
    signature = shein_signature(
        open_key_id=OPEN_KEY_ID, secret_key=SECRET_KEY, path=PATH, timestamp_ms=TIMESTAMP, random_key="test1"
    )
    assert signature == expected and signature.startswith("test1")
    # the parts in another order give another signature
    swapped = f"{TIMESTAMP}&{OPEN_KEY_ID}&{PATH}".encode()
    wrong = hmac.new((SECRET_KEY + "test1").encode(), swapped, hashlib.sha256).hexdigest()
    assert signature != "test1" + base64.b64encode(wrong.encode()).decode()


def test_the_request_carries_the_headers_and_a_five_character_random_key():
    request = shein_request(
        base_url="https://openapi.sheincorp.com",
        open_key_id=OPEN_KEY_ID,
        secret_key=SECRET_KEY,
        path=PATH,
        body={"orderNoList": ["GSH1"]},
        timestamp_ms=TIMESTAMP,
    )
    assert request.url == "https://openapi.sheincorp.com" + PATH
    assert request.headers["x-lt-timestamp"] == str(TIMESTAMP)
    random_key = request.signature[:5]
    assert request.headers["x-lt-signature"] == shein_signature(
        open_key_id=OPEN_KEY_ID,
        secret_key=SECRET_KEY,
        path=PATH,
        timestamp_ms=TIMESTAMP,
        random_key=random_key,
    )
    assert json.loads(request.body) == {"orderNoList": ["GSH1"]}
    with pytest.raises(ValueError, match="5 characters"):
        shein_request(
            base_url="https://x",
            open_key_id="a",
            secret_key="b",
            path="/p",
            body={},
            timestamp_ms=1,
            random_key="toolong",
        )


def test_the_order_request():
    now = datetime(2026, 3, 2, 0, 0, 0, 123000, tzinfo=UTC)
    request = shein.build_order_request({"open_key_id": "K", "secret_key": "S"}, external_id="GSH1", now=now)
    assert request.headers["x-lt-timestamp"] == str(int(now.timestamp()) * 1000 + 123)
    assert json.loads(request.body) == {"orderNoList": ["GSH1"]}
