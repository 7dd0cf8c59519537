"""order_ingest: idempotency by (channel account, external id), replays, holds, kits, cancellation, events."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from haicang.catalog.tests.factories import make_kit, make_sku
from haicang.channels.normalised import OrderFlag, OrderStatus, Platform
from haicang.channels.services import channel_account_disable
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.core.audit import audit_entries_for
from haicang.integration.models import OutboxEvent
from haicang.orders.errors import AccountDisabled, PlatformMismatch
from haicang.orders.models import HoldReason, LineKind, Order, OrderHistory
from haicang.orders.services import Outcome
from haicang.orders.tests.factories import SYSTEM, ingest, line, normalised, ship_to

pytestmark = pytest.mark.django_db


def _events(order: Order) -> list[tuple[str, int]]:
    rows = OutboxEvent.objects.filter(subject_type="orders.order", subject_id=str(order.pk)).order_by(
        "subject_version"
    )
    return [(e.event_type, e.subject_version) for e in rows]


def _open_holds(order: Order) -> list[str]:
    return sorted(order.holds.filter(released_at__isnull=True).values_list("reason", flat=True))


def test_a_new_order_is_stored_with_its_lines_history_event_and_audit_entry(account, sku):
    result = ingest(account, normalised(external_id="1042", display_ref="#1042"))

    order = result.order
    assert result.outcome == Outcome.CREATED
    assert order.number.startswith("ORD-2026-") and order.version == 1
    assert (order.status, order.ship_country, order.ship_postcode) == ("unshipped", "US", "97477")
    assert str(order.shipping_charged) == str(normalised().shipping_charged)
    line_row = order.lines.get()
    assert (line_row.sku, line_row.quantity, line_row.kind) == (sku, 2, LineKind.ITEM)
    assert _open_holds(order) == []
    assert _events(order) == [("order.created", 1)]
    assert list(order.history.values_list("event", "version")) == [("created", 1)]
    # Routed in the same transaction: no warehouse serves the seller yet, so it waits as a backorder.
    assert sorted(e.action for e in audit_entries_for(subject=order)) == [
        "order.backordered",
        "order.created",
    ]


def test_a_replay_of_the_same_order_changes_nothing_and_never_duplicates(account, sku):
    given = normalised(external_id="1042")
    first = ingest(account, given).order

    again = ingest(account, given)

    assert again.outcome == Outcome.UNCHANGED and again.order.pk == first.pk
    assert Order.objects.count() == 1
    assert Order.objects.get().version == 1 and OrderHistory.objects.count() == 1
    assert _events(first) == [("order.created", 1)]


def test_a_replay_with_changes_updates_the_order_bumps_its_version_and_writes_history(account, sku):
    given = normalised(external_id="1042", updated_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    order = ingest(account, given).order

    changed = replace(
        given,
        status=OrderStatus.PARTIALLY_SHIPPED,
        lines=(line(quantity=1, original_quantity=2),),
        updated_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
    )
    result = ingest(account, changed)

    order.refresh_from_db()
    assert result.outcome == Outcome.CHANGED and order.version == 2
    assert order.status == "partially_shipped" and order.lines.get().quantity == 1
    entry = order.history.get(version=2)
    assert entry.event == "changed" and entry.previous_status == "unshipped"
    assert "status" in entry.changed_fields and "lines" in entry.changed_fields
    assert _events(order) == [("order.created", 1), ("order.changed", 2)]
    assert Order.objects.count() == 1


def test_an_older_delivery_than_the_stored_one_is_ignored(account, sku):
    newer = normalised(external_id="1042", updated_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC))
    ingest(account, newer)
    older = replace(newer, status=OrderStatus.PENDING, updated_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC))

    result = ingest(account, older)

    assert (
        result.outcome == Outcome.STALE and result.order.status == "unshipped" and result.order.version == 1
    )


def test_the_same_external_id_on_two_accounts_is_two_orders(seller, account, sku):
    other = make_channel_account(seller, platform="shopify", name="Lumen EU", currency="USD")

    first, second = ingest(account, external_id="1042").order, ingest(other, external_id="1042").order

    assert first.pk != second.pk and first.number != second.number


def test_an_unmapped_channel_sku_puts_the_order_on_hold_naming_it_and_mapping_it_releases_the_hold(
    seller, account, sku
):
    given = normalised(lines=(line("TS-BLK-M"), line("MUG-RED", 1)))
    order = ingest(account, given).order

    hold = order.holds.get()
    assert (hold.reason, hold.released_at) == (HoldReason.SKU_UNMAPPED, None)
    assert "MUG-RED" in hold.detail
    assert order.lines.get(channel_sku="MUG-RED").sku is None  # kept, never dropped

    mug = make_sku(seller, code="MUG-RED-1")
    make_sku_map(account, channel_sku="MUG-RED", sku=mug)
    ingest(account, given)

    order.refresh_from_db()
    assert _open_holds(order) == [] and order.lines.get(channel_sku="MUG-RED").sku == mug
    assert order.version == 2 and "hold-sku_unmapped" in order.history.get(version=2).changed_fields


@pytest.mark.parametrize(
    ("country", "postcode", "phone", "holds"),
    [
        ("US", "97477", "+1 415-555-0173", []),
        ("US", "9747", "+1 415-555-0173", ["postcode_invalid"]),
        ("GB", "SW1A 1AA", "+44 20 7946 0958", []),
        ("GB", "sw1a1aa", "020 7946 0958", []),  # normalised to SW1A 1AA; a national number of GB
        ("GB", "SW1A 1A", "", ["postcode_invalid"]),
        ("DE", "10115", "+49 30 901820", []),
        ("DE", "1011", "", ["postcode_invalid"]),
        ("FR", "75008", "+33 1 42 92 81 00", []),
        ("FR", "99000", "", ["postcode_invalid"]),
        ("DE", "", "", ["postcode_missing"]),
        ("US", "97477", "12", ["phone_invalid"]),
        ("FR", "75008", "+33 1 23", ["phone_invalid"]),
    ],
)
def test_address_checks_per_country_put_bad_orders_on_hold_with_the_reason(
    account, sku, country, postcode, phone, holds
):
    order = ingest(account, ship_to=ship_to(country=country, postcode=postcode, phone=phone)).order

    assert _open_holds(order) == holds
    assert Order.objects.filter(pk=order.pk).exists()  # never dropped


def test_a_phone_is_stored_in_e164_and_a_bad_one_is_not_quoted_in_the_hold(account, sku):
    from haicang.orders.contact import contact_open

    good = ingest(account, ship_to=ship_to(country="GB", postcode="SW1A 1AA", phone="020 7946 0958")).order
    bad = ingest(account, ship_to=ship_to(phone="555-01")).order

    assert contact_open(good).phone == "+442079460958"
    assert "555-01" not in bad.holds.get().detail


def test_an_order_without_an_address_is_held_until_one_comes(account, sku):
    given = normalised(ship_to=None)
    order = ingest(account, given).order
    assert _open_holds(order) == ["address_missing"]

    ingest(account, replace(given, ship_to=ship_to()))

    order.refresh_from_db()
    assert _open_holds(order) == [] and order.ship_postcode == "97477"


def test_the_platform_holding_an_order_or_a_pending_address_change_is_a_hold(account, sku):
    held = ingest(account, status=OrderStatus.ON_HOLD, platform_status="ON_HOLD").order
    moving = ingest(account, flags=frozenset({OrderFlag.PENDING_ADDRESS_CHANGE})).order

    assert _open_holds(held) == ["platform_hold"]
    assert _open_holds(moving) == ["address_change_pending"]


def test_a_kit_line_is_exploded_into_component_lines_linked_to_it(seller, account):
    cup, saucer = make_sku(seller, code="CUP"), make_sku(seller, code="SAUCER")
    kit = make_kit(seller, [(cup, 1), (saucer, 2)], code="TEA-SET")
    make_sku_map(account, channel_sku="TEASET", sku=kit)

    order = ingest(account, lines=(line("TEASET", 3),)).order

    kit_line = order.lines.get(kind=LineKind.KIT)
    parts = {str(p.sku): (p.quantity, p.original_quantity) for p in kit_line.components.all()}
    assert kit_line.sku == kit and parts == {"CUP": (3, 3), "SAUCER": (6, 6)}
    assert all(p.kind == LineKind.COMPONENT for p in kit_line.components.all())

    ingest(
        account,
        replace(normalised(), external_id=order.external_id, lines=(line("TEASET", 1, original_quantity=3),)),
    )
    parts = {str(p.sku): (p.quantity, p.original_quantity) for p in kit_line.components.all()}
    assert parts == {"CUP": (1, 3), "SAUCER": (2, 6)}


def test_cancellation_from_the_channel_releases_the_reservation_and_emits_order_cancelled(seller, account):
    from haicang.inventory.models import Reservation
    from haicang.inventory.services import DemandLine, stock_receive, stock_reserve
    from haicang.network.services.virtual import virtual_locations_ensure
    from haicang.network.tests.factories import make_location
    from haicang.orders.models import OrderLine
    from haicang.parties.tests.factories import make_agreement, make_operator

    virtual_locations_ensure(actor=SYSTEM)
    warehouse = make_agreement(seller, make_operator()).warehouses.get()
    stocked = make_sku(seller, code="LUMEN-TS")
    stock_receive(actor=SYSTEM, owner=seller, sku=stocked, location=make_location(warehouse), quantity=10)
    make_sku_map(account, channel_sku="TS-BLK-M", sku=stocked)
    given = normalised(external_id="C-1")
    order = ingest(account, given).order
    order_line = order.lines.get()
    reservation = stock_reserve(
        actor=SYSTEM,
        owner=seller,
        warehouse=warehouse,
        lines=[DemandLine(stocked, 2)],
        demand_type="order_line",
        demand_ref=str(order_line.pk),
    )[0]
    OrderLine.objects.filter(pk=order_line.pk).update(reservation=reservation)  # routing will do this

    result = ingest(account, replace(given, status=OrderStatus.CANCELLED, platform_status="cancelled"))

    reservation.refresh_from_db()
    assert result.order.status == "cancelled" and result.order.cancelled_at is not None
    assert (reservation.open_quantity, reservation.released_quantity) == (0, 2)
    assert Reservation.objects.get(pk=reservation.pk).status == "closed"
    assert _events(order)[-1] == ("order.cancelled", 2)
    assert order.history.get(version=2).event == "cancelled"


def test_a_disabled_account_or_another_platforms_order_is_refused(account, sku):
    with pytest.raises(PlatformMismatch):
        ingest(account, platform=Platform.TEMU)
    channel_account_disable(actor=SYSTEM, account=account)
    account.refresh_from_db()
    with pytest.raises(AccountDisabled):
        ingest(account)
    assert Order.objects.count() == 0


def test_an_order_without_amounts_takes_the_accounts_currency(seller):
    temu = make_channel_account(seller, platform="temu", name="Temu US", currency="USD")

    order = ingest(
        temu,
        platform=Platform.TEMU,
        currency=None,
        shipping_charged=None,
        lines=(line("X-1", unit_price=None),),
    ).order

    assert order.currency == "USD" and order.shipping_charged is None
