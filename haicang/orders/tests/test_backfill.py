"""Loading past orders in bulk (``orders_backfill``): closed orders only, numbered in placed order across
accounts, kits exploded, personal data sealed and searchable, nothing routed, reserved or announced, one audit
entry per account, and a second load adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haicang.catalog.tests.factories import make_kit, make_sku
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.core.errors import DomainError
from haicang.core.models import AuditEntry
from haicang.integration.models import OutboxEvent
from haicang.inventory.models import Move, Reservation
from haicang.orders.backfill import orders_backfill
from haicang.orders.contact import contact_open
from haicang.orders.models import LineKind, Order, OrderHistory, OrderLine
from haicang.orders.selectors import search_condition
from haicang.orders.tests.factories import CUSTOMER, SYSTEM, line, normalised
from haicang.parties.tests.factories import make_seller

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 8, 3, 15, 0, tzinfo=UTC)


def _past(external_id: str, days: int, status: str = "delivered", **overrides):
    return normalised(
        external_id=external_id,
        placed_at=DAY + timedelta(days=days),
        status=status,
        platform_status=status,
        updated_at=DAY + timedelta(days=days + 3),
        **overrides,
    )


def test_past_orders_of_two_accounts_are_numbered_in_placed_order_with_lines_history_and_sealed_contact(
    seller, account, sku
):
    # given a second store and a kit it sells under its own name
    web = make_channel_account(seller, name="Web shop")
    cable = make_sku(seller, code="CABLE")
    kit = make_kit(seller, [(sku, 1), (cable, 2)], code="KIT-1")
    make_sku_map(web, channel_sku="W-KIT", sku=kit)
    orders = [
        (web, _past("W-2", 2, lines=(line("W-KIT", 1),))),
        (account, _past("A-1", 0)),
        (account, _past("A-3", 5, status="cancelled", lines=(line("TS-BLK-M", 0, original_quantity=2),))),
        (web, _past("W-4", 9, status="shipped", lines=(line("UNMAPPED-9", 1),))),
    ]

    # when they are loaded as history
    loaded = orders_backfill(actor=SYSTEM, orders=orders)

    # then every order is stored once, numbered by placed time across both accounts
    assert (loaded.orders, loaded.skipped) == (4, 0)
    numbered = list(Order.objects.order_by("number").values_list("external_id", "number", "status"))
    assert numbered == [
        ("A-1", "ORD-2026-000001", "delivered"),
        ("W-2", "ORD-2026-000002", "delivered"),
        ("A-3", "ORD-2026-000003", "cancelled"),
        ("W-4", "ORD-2026-000004", "shipped"),
    ]
    # kits become a kit line with its components; mapped and own-code SKUs resolve; unmapped lines are kept
    kit_order = Order.objects.get(external_id="W-2")
    lines = list(kit_order.lines.order_by("position"))
    assert [(x.kind, x.sku.code if x.sku else None, x.quantity) for x in lines] == [
        (LineKind.KIT, "KIT-1", 1),
        (LineKind.COMPONENT, sku.code, 1),
        (LineKind.COMPONENT, "CABLE", 2),
    ]
    assert lines[1].kit_line_id == lines[0].pk
    assert Order.objects.get(external_id="A-1").lines.get().sku == sku
    assert OrderLine.objects.get(order__external_id="W-4").sku is None
    assert loaded.lines == 6
    # the personal data is sealed like ingestion's (the phone in E.164) and found through the blind index
    order = Order.objects.get(external_id="A-1")
    assert order.ship_name_sealed is not None
    assert CUSTOMER["name"].encode() not in bytes(order.ship_name_sealed)
    contact = contact_open(order)
    assert (contact.name, contact.phone) == (CUSTOMER["name"], "+14155550173")
    assert Order.objects.filter(search_condition(CUSTOMER["email"].upper())).count() == 4
    assert Order.objects.get(external_id="A-3").cancelled_at == DAY + timedelta(days=8)
    # one history row each, from the backfill
    assert set(OrderHistory.objects.values_list("version", "event", "source")) == {(1, "created", "backfill")}


def test_the_backfill_routes_reserves_and_announces_nothing_and_audits_once_per_account(seller, account, sku):
    web = make_channel_account(seller, name="Web shop")
    events = OutboxEvent.objects.count()

    orders_backfill(
        actor=SYSTEM, orders=[(account, _past(f"A-{n}", n)) for n in range(5)] + [(web, _past("W", 1))]
    )

    assert OutboxEvent.objects.count() == events
    assert not Reservation.objects.exists() and not Move.objects.exists()
    assert set(Order.objects.values_list("allocation_status", flat=True)) == {"unallocated"}
    entries = AuditEntry.objects.filter(action="order.backfilled")
    assert {e.subject_id: e.changes["after"]["orders"] for e in entries} == {
        str(account.pk): 5,
        str(web.pk): 1,
    }


def test_loading_again_adds_nothing_and_never_overwrites_an_order_already_there(seller, account, sku):
    orders_backfill(actor=SYSTEM, orders=[(account, _past("A-1", 0)), (account, _past("A-2", 1))])
    live = Order.objects.get(external_id="A-2")

    again = orders_backfill(
        actor=SYSTEM,
        orders=[
            (account, _past("A-1", 0)),
            (account, _past("A-2", 1, status="cancelled")),
            (account, _past("A-3", 2)),
        ],
    )

    assert (again.orders, again.skipped) == (1, 2)
    assert Order.objects.count() == 3
    live.refresh_from_db()
    assert live.status == "delivered" and live.version == 1
    assert Order.objects.get(external_id="A-3").number == "ORD-2026-000003"


@pytest.mark.parametrize("status", ["unshipped", "pending", "on_hold", "partially_shipped"])
def test_an_order_still_to_ship_is_refused_and_nothing_is_written(seller, account, sku, status):
    with pytest.raises(DomainError, match="only shipped, delivered or cancelled") as caught:
        orders_backfill(
            actor=SYSTEM, orders=[(account, _past("A-1", 0)), (account, _past("A-2", 1, status=status))]
        )

    assert caught.value.code == "orders.backfill_invalid"
    assert not Order.objects.exists()


def test_orders_of_two_sellers_or_of_another_platform_are_refused(seller, account, sku):
    other = make_channel_account(make_seller())
    temu = make_channel_account(seller, platform="temu", name="Temu")

    with pytest.raises(DomainError, match="one seller") as two:
        orders_backfill(actor=SYSTEM, orders=[(account, _past("A-1", 0)), (other, _past("B-1", 0))])
    with pytest.raises(DomainError, match="comes from shopify") as platform:
        orders_backfill(actor=SYSTEM, orders=[(temu, _past("T-1", 0))])

    assert two.value.code == "orders.backfill_invalid"
    assert platform.value.code == "orders.platform_mismatch"
    assert not Order.objects.exists()
