"""Temu: parent/child orders, labels, cooperative warehouse; the MD5 request signature."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from haicang.channels.connectors import connector_for
from haicang.channels.connectors.temu import temu_request, temu_sign
from haicang.channels.normalised import OrderFlag, OrderStatus, PayloadInvalid
from haicang.channels.tests.fixtures import fixture

temu = connector_for("temu")

# The worked example of Temu's "API request signature" guide (partner-us.temu.com, Developer Guide).
DOC_SECRET = "c7e0a1a63542be4de3cb5488f9fba8149e8fc290"
DOC_PARAMS: dict[str, Any] = {
    "access_token": "2nifvmpyymvypwmcms5ct4uqqudrwgpmzbcnmkt1jzjkuaf3x56iixym",
    "app_key": "f9d5cc9313893a20d5aa85c654e8f503",
    "data_type": "JSON",
    "sendRequestList": [
        {
            "orderSendInfoList": [
                {
                    "quantity": 1,
                    "orderSn": "211-21905473070712792",
                    "parentOrderSn": "PO-211-21905452099192792",
                    "goodsId": 601099548666279,
                    "skuId": 17592352673534,
                }
            ],
            "carrierId": "699272611",
            "trackingNumber": "270324232756",
        }
    ],
    "sendType": 0,
    "timestamp": 1711009072,
    "type": "bg.logistics.shipment.confirm",
}


def test_the_parent_order_with_its_child_orders_is_normalised():
    order = temu.parse_order(fixture("temu_order"))
    assert order.external_id == "PO-211-21905452099192792" and order.status is OrderStatus.UNSHIPPED
    assert order.placed_at == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Unix seconds
    assert order.ship_by == datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
    assert order.deliver_by == datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
    shirt, socks = order.lines
    assert shirt.channel_line_id == "211-21905473070712792"  # the child orderSn
    assert shirt.channel_sku == "LUMEN-TS-BLK-M" and shirt.platform_item_id == "17592352673534"
    # a partial cancellation: 3 ordered, 2 cancelled before shipment
    assert (shirt.quantity, shirt.original_quantity) == (1, 3)
    assert socks.quantity == 2
    assert order.currency is None and shirt.unit_price is None  # the detail carries no amounts
    assert order.flags == {OrderFlag.SIGNATURE_REQUIRED}  # only labels whose value is 1
    assert order.ship_to is not None and order.ship_to.country == "US"  # from "United States"
    assert order.ship_to.region == "California" and order.ship_to.phone == "+1 (415) 555-0132"
    assert order.may_confirm_shipment


def test_a_cooperative_warehouse_order_must_not_be_confirmed():
    payload = fixture("temu_order")
    payload["result"]["orderList"][1]["fulfillmentType"] = "fulfillByCooperativeWarehouse"
    order = temu.parse_order(payload)
    assert OrderFlag.COOPERATIVE_WAREHOUSE in order.flags and not order.may_confirm_shipment


def test_a_pending_address_change_must_not_be_confirmed():
    payload = fixture("temu_order")
    payload["result"]["parentOrderMap"]["parentOrderLabel"][2]["value"] = 1
    assert not temu.parse_order(payload).may_confirm_shipment


def test_a_cancelled_child_order_keeps_its_line_with_nothing_to_ship():
    payload = fixture("temu_order")
    payload["result"]["orderList"][1]["orderStatus"] = 3
    assert temu.parse_order(payload).lines[1].quantity == 0


def test_statuses_and_the_list_answer():
    expected = {
        1: "pending",
        3: "cancelled",
        4: "shipped",
        5: "delivered",
        41: "partially_shipped",
        51: "partially_shipped",
    }
    for raw, status in expected.items():
        payload = fixture("temu_order")
        payload["result"]["parentOrderMap"]["parentOrderStatus"] = raw
        assert temu.parse_order(payload).status == status
    page = {"success": True, "result": {"totalItemNum": 1, "pageItems": [fixture("temu_order")["result"]]}}
    [listed] = temu.parse_orders(page)
    assert listed.external_id == "PO-211-21905452099192792" and listed.ship_to is None  # no address call yet


def test_an_unknown_status_or_missing_time_is_refused():
    payload = fixture("temu_order")
    payload["result"]["parentOrderMap"]["parentOrderStatus"] = 9
    with pytest.raises(PayloadInvalid):
        temu.parse_order(payload)
    payload = fixture("temu_order")
    del payload["result"]["parentOrderMap"]["parentOrderTime"]
    with pytest.raises(PayloadInvalid, match="parentOrderTime"):
        temu.parse_order(payload)


def test_the_signature_matches_temus_published_example():
    assert temu_sign(DOC_PARAMS, DOC_SECRET) == "4CCF219942D4180C6DDA3CE36C1B838F"


def test_the_signature_is_md5_of_secret_sorted_pairs_secret_computed_independently():
    # given the pairs concatenated by hand in ASCII key order, JSON values as their exact text
    pairs = "".join(
        key + (json.dumps(value, separators=(",", ":")) if isinstance(value, list) else str(value))
        for key, value in sorted(DOC_PARAMS.items())
    )
    expected = hashlib.md5((DOC_SECRET + pairs + DOC_SECRET).encode()).hexdigest().upper()  # noqa: S324
    assert temu_sign(DOC_PARAMS, DOC_SECRET) == expected
    # and a signature over the pairs in insertion (unsorted) order is a different one: order matters
    reordered = {"type": DOC_PARAMS["type"], **{k: v for k, v in DOC_PARAMS.items() if k != "type"}}
    unsorted_pairs = "".join(
        key + (json.dumps(value, separators=(",", ":")) if isinstance(value, list) else str(value))
        for key, value in reordered.items()
    )
    wrong = hashlib.md5((DOC_SECRET + unsorted_pairs + DOC_SECRET).encode()).hexdigest().upper()  # noqa: S324
    assert temu_sign(reordered, DOC_SECRET) == expected != wrong


def test_the_request_body_carries_the_exact_signed_json_text():
    request = temu_request(
        gateway="https://openapi-b-us.temu.com/openapi/router",
        app_key=DOC_PARAMS["app_key"],
        app_secret=DOC_SECRET,
        access_token=DOC_PARAMS["access_token"],
        method="bg.logistics.shipment.confirm",
        params={"sendRequestList": DOC_PARAMS["sendRequestList"], "sendType": 0},
        timestamp=1711009072,
    )
    assert request.method == "POST" and request.signature == "4CCF219942D4180C6DDA3CE36C1B838F"
    body = request.body.decode()
    assert '"sendRequestList":[{"orderSendInfoList":[{"quantity":1,"orderSn":' in body
    sent = json.loads(body)
    assert sent["sign"] == request.signature and sent["type"] == "bg.logistics.shipment.confirm"


def test_the_order_request_uses_the_gateway_of_the_region():
    request = temu.build_order_request(
        {"app_key": "k", "app_secret": "s", "access_token": "t", "gateway": "EU"},
        external_id="PO-1",
        now=datetime(2026, 3, 2, tzinfo=UTC),
    )
    sent = json.loads(request.body)
    assert request.url == "https://openapi-b-eu.temu.com/openapi/router"
    assert sent["type"] == "bg.order.detail.v2.get" and sent["parentOrderSn"] == "PO-1"
    assert sent["timestamp"] == int(datetime(2026, 3, 2, tzinfo=UTC).timestamp())
    unsigned = {k: v for k, v in sent.items() if k != "sign"}
    assert sent["sign"] == temu_sign(unsigned, "s")
