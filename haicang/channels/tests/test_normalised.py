"""The normalised order's own rules: aware UTC datetimes, one currency, quantities, no personal data in repr."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from haicang.channels.normalised import (
    NormalisedLine,
    NormalisedOrder,
    OrderFlag,
    OrderStatus,
    PayloadInvalid,
    Platform,
    ShipTo,
)
from haicang.core.money import Money


def _line(**overrides: object) -> NormalisedLine:
    fields: dict[str, object] = {
        "channel_sku": "A",
        "channel_line_id": "1",
        "quantity": 1,
        "original_quantity": 1,
    }
    fields.update(overrides)
    return NormalisedLine(**fields)  # type: ignore[arg-type]


def _order(**overrides: object) -> NormalisedOrder:
    fields: dict[str, object] = {
        "platform": Platform.SHOPIFY,
        "external_id": "1",
        "placed_at": datetime(2026, 3, 1, 12, tzinfo=UTC),
        "status": OrderStatus.UNSHIPPED,
        "platform_status": "paid",
        "lines": (_line(),),
        "raw_ref": "shopify:order:1",
    }
    fields.update(overrides)
    return NormalisedOrder(**fields)  # type: ignore[arg-type]


def test_datetimes_are_converted_to_utc():
    beijing = timezone(timedelta(hours=8))
    order = _order(placed_at=datetime(2026, 3, 2, 8, 0, tzinfo=beijing))
    assert order.placed_at == datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert order.placed_at.tzinfo is UTC


def test_a_naive_datetime_is_refused():
    with pytest.raises(PayloadInvalid) as caught:
        _order(ship_by=datetime(2026, 3, 2, 8, 0))  # noqa: DTZ001 - the point of the test
    assert caught.value.code == "channels.payload_invalid"
    assert caught.value.field == "ship_by"


def test_amounts_in_another_currency_than_the_order_are_refused():
    with pytest.raises(PayloadInvalid, match="amounts in EUR"):
        _order(currency="USD", lines=(_line(unit_price=Money.of("1.00", "EUR")),))


def test_an_order_with_amounts_needs_a_currency():
    with pytest.raises(PayloadInvalid, match="needs its currency"):
        _order(shipping_charged=Money.of("1.00", "USD"))


def test_a_line_cannot_hold_more_than_was_ordered_nor_a_negative_quantity():
    with pytest.raises(PayloadInvalid):
        _line(quantity=3, original_quantity=2)
    with pytest.raises(PayloadInvalid):
        _line(quantity=-1)
    assert _line(quantity=1, original_quantity=3).cancelled_quantity == 2


def test_personal_data_stays_out_of_repr_and_the_summary():
    ship_to = ShipTo(
        country="de",
        name="Lena Wagner",
        street_lines=("Jungfernstieg 7", ""),
        phone="+49 40 1",
        email="l@example.com",
        city="Hamburg",
        postcode="20354",
    )
    order = _order(ship_to=ship_to, buyer_note="call Lena")
    shown = repr(order) + str(order.without_personal_data())
    for secret in ("Lena", "Jungfernstieg", "+49 40 1", "l@example.com"):
        assert secret not in shown
    assert ship_to.country == "DE" and ship_to.street_lines == ("Jungfernstieg 7",)
    assert set(ShipTo.personal_fields()) == {"name", "company", "street_lines", "phone", "email"}


def test_cooperative_warehouse_and_address_change_block_confirmation():
    assert _order().may_confirm_shipment
    blocked = _order(flags={OrderFlag.COOPERATIVE_WAREHOUSE, OrderFlag.SOON_OVERDUE})
    assert not blocked.may_confirm_shipment
    assert blocked.confirmation_blockers == {OrderFlag.COOPERATIVE_WAREHOUSE}
    assert not _order(flags={OrderFlag.PENDING_ADDRESS_CHANGE}).may_confirm_shipment


def test_an_order_needs_lines_and_an_id():
    with pytest.raises(PayloadInvalid):
        _order(lines=())
    with pytest.raises(PayloadInvalid):
        _order(external_id="")
