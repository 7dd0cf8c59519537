"""Amazon SP-API Orders: order + order items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from haicang.channels.connectors import connector_for
from haicang.channels.connectors.amazon import unit_price_of
from haicang.channels.normalised import OrderFlag, OrderStatus, PayloadInvalid
from haicang.channels.tests.fixtures import fixture
from haicang.core.money import Money

amazon = connector_for("amazon")


def test_the_order_and_its_items_are_normalised():
    order = amazon.parse_order(fixture("amazon_order"))
    assert order.external_id == "114-3941689-8772232" and order.status is OrderStatus.UNSHIPPED
    assert order.placed_at == datetime(2026, 3, 1, 18, 21, 9, tzinfo=UTC)
    assert order.ship_by == datetime(2026, 3, 4, 7, 59, 59, tzinfo=UTC)
    assert order.deliver_by == datetime(2026, 3, 10, 7, 59, 59, tzinfo=UTC)
    tea, infuser = order.lines
    # ItemPrice is the price of the whole quantity: 29.98 for 2 units
    assert tea.unit_price == Money.of("14.99", "USD") and tea.quantity == 2
    assert tea.discount == Money.of("3.00", "USD") and tea.tax == Money.of("2.25", "USD")
    assert not tea.price_includes_tax  # US marketplace: tax on top
    assert infuser.unit_price == Money.of("6.666667", "USD")  # 20.00 / 3, kept to 6 decimals
    assert order.shipping_charged == Money.of("4.99", "USD") and order.total == Money.of("58.97", "USD")
    assert order.flags == {OrderFlag.PRIME} and order.marketplace == "ATVPDKIKX0DER"
    assert order.ship_to is not None and order.ship_to.street_lines == (
        "1600 Amphitheatre Pkwy",
        "Building 4",
    )
    assert order.ship_to.email.endswith("@marketplace.amazon.com")


def test_bare_order_and_items_list_are_accepted():
    payload = fixture("amazon_order")
    bare = {"order": payload["order"]["payload"], "items": payload["items"]["payload"]["OrderItems"]}
    assert amazon.parse_order(bare).lines == amazon.parse_order(payload).lines


def test_an_eu_order_in_euros_includes_vat_and_fba_is_flagged():
    payload = fixture("amazon_order")
    order = payload["order"]["payload"]
    order.update({"MarketplaceId": "A1PA6795UKMFR9", "FulfillmentChannel": "AFN", "IsPrime": False})
    order["OrderTotal"]["CurrencyCode"] = "EUR"
    for item in payload["items"]["payload"]["OrderItems"]:
        for key in (
            "ItemPrice",
            "ShippingPrice",
            "ItemTax",
            "ShippingTax",
            "PromotionDiscount",
            "PromotionDiscountTax",
        ):
            if key in item:
                item[key]["CurrencyCode"] = "EUR"
    parsed = amazon.parse_order(payload)
    assert parsed.currency == "EUR" and all(line.price_includes_tax for line in parsed.lines)
    assert parsed.flags == {OrderFlag.FULFILLED_BY_PLATFORM} and not parsed.may_confirm_shipment


def test_a_pending_order_without_address_nor_prices():
    payload = fixture("amazon_order")
    order = payload["order"]["payload"]
    order["OrderStatus"] = "Pending"
    for key in ("ShippingAddress", "BuyerInfo", "OrderTotal", "LatestDeliveryDate"):
        order.pop(key)
    for item in payload["items"]["payload"]["OrderItems"]:
        for key in (
            "ItemPrice",
            "ShippingPrice",
            "ItemTax",
            "ShippingTax",
            "PromotionDiscount",
            "PromotionDiscountTax",
        ):
            item.pop(key, None)
    parsed = amazon.parse_order(payload)
    assert parsed.status is OrderStatus.PENDING and parsed.ship_to is None and parsed.currency is None
    assert parsed.deliver_by is None and parsed.lines[0].unit_price is None


def test_mixed_currencies_are_refused():
    payload = fixture("amazon_order")
    payload["items"]["payload"]["OrderItems"][0]["ItemTax"]["CurrencyCode"] = "CAD"
    with pytest.raises(PayloadInvalid, match="CAD"):
        amazon.parse_order(payload)


def test_an_unknown_status_is_refused():
    payload = fixture("amazon_order")
    payload["order"]["payload"]["OrderStatus"] = "Lost"
    with pytest.raises(PayloadInvalid, match="Lost"):
        amazon.parse_order(payload)


def test_unit_price_is_exact_when_it_divides():
    assert unit_price_of(Money.of("30.00", "USD"), 4) == Money.of("7.5", "USD")
    assert unit_price_of(Money.of("1000", "JPY"), 3) == Money.of("333.333333", "JPY")


def test_the_order_request():
    request = amazon.build_order_request(
        {"access_token": "Atza|x", "endpoint": "https://sellingpartnerapi-eu.amazon.com"},
        external_id="114-3941689-8772232",
        now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    )
    assert request.url == "https://sellingpartnerapi-eu.amazon.com/orders/v0/orders/114-3941689-8772232"
    assert request.headers["x-amz-access-token"] == "Atza|x"
    assert request.headers["x-amz-date"] == "20260302T100000Z"
