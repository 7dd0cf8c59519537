"""Channel stock sync: warehouses and rules (audited), the job that follows the inventory's events, the levels,
their ``channel.stock_changed`` events, the sum invariant and idempotency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from haicang.catalog.tests.factories import make_sku
from haicang.channels.errors import AccountDisabled, ShareRuleInvalid, SkuOtherSeller, WarehouseInvalid
from haicang.channels.events import render_level
from haicang.channels.models import ChannelAccount, ChannelStockLevel, StockShareRule, StockSyncCursor
from haicang.channels.services import channel_account_disable
from haicang.channels.stock_sync import (
    channel_account_warehouses_set,
    channel_stock_sync_run,
    stock_share_rule_delete,
    stock_share_rule_set,
)
from haicang.channels.tests.factories import make_channel_account
from haicang.core.models import AuditEntry
from haicang.integration.models import OutboxEvent, WebhookSubscription
from haicang.integration.rendering import subscription_scope
from haicang.inventory.models import StockCounter
from haicang.inventory.services import DemandLine, stock_receive, stock_reserve
from haicang.inventory.tests.factories import StockWorld, make_stock_world
from haicang.network.tests.factories import make_warehouse
from haicang.parties.tests.factories import SYSTEM, make_agreement, make_operator, make_seller

pytestmark = pytest.mark.django_db


@dataclass
class World:
    stock: StockWorld
    temu: ChannelAccount
    shop: ChannelAccount


def _world(received: int = 100) -> World:
    seller = make_seller()
    operator = make_operator()
    warehouse = make_warehouse(operator)
    make_agreement(seller, operator, warehouses=[warehouse])
    stock = make_stock_world(seller=seller, warehouse=warehouse)
    stock_receive(actor=SYSTEM, owner=seller, sku=stock.sku, location=stock.pick, quantity=received)
    temu = make_channel_account(seller, platform="temu", name="Temu US")
    shop = make_channel_account(seller, platform="shopify", name="Shop")
    for account in (temu, shop):
        channel_account_warehouses_set(actor=SYSTEM, account=account, warehouses=[warehouse])
    return World(stock=stock, temu=temu, shop=shop)


def _levels(w: World) -> dict[str, int]:
    return {
        level.account.name: level.quantity
        for level in ChannelStockLevel.objects.filter(sku=w.stock.sku).select_related("account")
    }


def _channel_events(**filters: Any) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(event_type="channel.stock_changed", **filters).order_by("pk"))


def _available(w: World) -> int:
    counter = StockCounter.objects.get(owner=w.stock.seller, sku=w.stock.sku, warehouse=w.stock.warehouse)
    return counter.sellable - counter.reserved


def _reserve(w: World, quantity: int, ref: str) -> None:
    stock_reserve(
        actor=SYSTEM, owner=w.stock.seller, warehouse=w.stock.warehouse,
        lines=[DemandLine(w.stock.sku, quantity)], demand_type="order", demand_ref=ref,
    )  # fmt: skip


def test_accounts_without_rules_share_the_warehouse_and_the_levels_are_announced():
    # given two accounts serving one warehouse with 100 units, no rules
    w = _world()
    # then each warehouse change recomputed: Temu alone had 100 (version 1), then 50 each (Temu version 2)
    assert _levels(w) == {"Temu US": 50, "Shop": 50}
    temu = ChannelStockLevel.objects.get(account=w.temu)
    shop = ChannelStockLevel.objects.get(account=w.shop)
    events = _channel_events()
    assert [(e.subject_id, e.subject_version) for e in events] == [
        (str(temu.pk), 1),
        (str(temu.pk), 2),
        (str(shop.pk), 1),
    ]
    assert (temu.version, shop.version) == (2, 1)
    assert all(e.seller_id == w.stock.seller.pk and e.operator_id is None for e in events)


def test_a_reservation_changes_the_levels_after_the_sync_job_runs():
    # given Temu 60 % with a buffer of 2 and the shop a fixed 10, on 100 units
    w = _world()
    stock_share_rule_set(actor=SYSTEM, account=w.temu, mode="percent", percent="60", buffer=2)
    stock_share_rule_set(actor=SYSTEM, account=w.shop, sku=w.stock.sku, mode="fixed", quantity=10)
    assert _levels(w) == {"Temu US": 52, "Shop": 10}  # 60 % of the 90 left after the fixed 10, minus 2
    temu_level = ChannelStockLevel.objects.get(account=w.temu, sku=w.stock.sku)
    version_before = temu_level.version
    events_before = len(_channel_events())

    # when 30 units are reserved through the inventory (its event goes to the outbox) and the job runs
    _reserve(w, 30, "ORD-1")
    assert _levels(w) == {"Temu US": 52, "Shop": 10}  # nothing changes before the job
    report = channel_stock_sync_run()

    # then Temu's level follows (60 % of 60 − 2 = 34), the shop's fixed 10 does not move
    assert _levels(w) == {"Temu US": 34, "Shop": 10}
    assert report.events >= 1 and report.changed == 1
    temu_level.refresh_from_db()
    assert temu_level.version == version_before + 1
    new = _channel_events()[events_before:]
    assert [(e.subject_id, e.subject_version) for e in new] == [(str(temu_level.pk), temu_level.version)]
    # and never more than available across the accounts
    assert sum(_levels(w).values()) <= _available(w)


def test_the_job_is_idempotent():
    w = _world()
    _reserve(w, 7, "ORD-1")
    channel_stock_sync_run()
    levels, events = _levels(w), len(_channel_events())
    # when it runs again (the last seconds of events are read again) and again
    channel_stock_sync_run()
    channel_stock_sync_run()
    # then nothing changes and nothing is emitted
    assert _levels(w) == levels == {"Temu US": 47, "Shop": 46}
    assert len(_channel_events()) == events
    assert StockSyncCursor.objects.count() == 1


def test_the_sum_over_accounts_never_exceeds_available_through_many_changes():
    w = _world(received=40)
    third = make_channel_account(w.stock.seller, platform="amazon", name="Amazon DE")
    channel_account_warehouses_set(actor=SYSTEM, account=third, warehouses=[w.stock.warehouse])
    stock_share_rule_set(actor=SYSTEM, account=w.temu, mode="percent", percent="80")
    stock_share_rule_set(actor=SYSTEM, account=third, mode="fixed", quantity=25, buffer=1)
    for n, quantity in enumerate([3, 11, 9, 5, 8], start=1):
        _reserve(w, quantity, f"ORD-{n}")
        channel_stock_sync_run()
        levels = _levels(w)
        assert all(q >= 0 for q in levels.values())
        assert sum(levels.values()) <= _available(w), levels
    assert _available(w) == 4
    assert sum(_levels(w).values()) <= 4


def test_a_disabled_account_sells_nothing_and_its_share_goes_to_the_others():
    w = _world()
    channel_account_disable(actor=SYSTEM, account=w.shop)
    assert _levels(w) == {"Temu US": 100, "Shop": 0}


def test_an_account_sells_only_from_its_own_warehouses():
    w = _world()
    other = make_warehouse(make_operator())
    # a warehouse outside the seller's active agreements is refused
    with pytest.raises(WarehouseInvalid):
        channel_account_warehouses_set(actor=SYSTEM, account=w.shop, warehouses=[other])
    # no warehouse: the account sells nothing, the other gets all
    channel_account_warehouses_set(actor=SYSTEM, account=w.shop, warehouses=[])
    assert _levels(w) == {"Temu US": 100, "Shop": 0}
    entry = AuditEntry.objects.filter(action="channel_account.warehouses_set").order_by("-id")[0]
    assert entry.changes["before"] == {"warehouses": [w.stock.warehouse.code]}
    assert entry.changes["after"] == {"warehouses": []}


def test_rules_are_checked_audited_and_removed():
    w = _world()
    for bad in (
        {"mode": "percent", "percent": "101"},
        {"mode": "percent", "percent": "12.345"},
        {"mode": "percent", "percent": "abc"},
        {"mode": "fixed", "quantity": -1},
        {"mode": "fixed", "quantity": None},
        {"mode": "share", "percent": "5"},
        {"mode": "percent", "percent": "5", "buffer": -2},
    ):
        with pytest.raises(ShareRuleInvalid):
            stock_share_rule_set(actor=SYSTEM, account=w.temu, **bad)
    with pytest.raises(SkuOtherSeller):
        stock_share_rule_set(
            actor=SYSTEM, account=w.temu, sku=make_sku(make_seller()), mode="fixed", quantity=1
        )

    rule = stock_share_rule_set(actor=SYSTEM, account=w.temu, sku=w.stock.sku, mode="percent", percent="25.5")
    assert rule.percent == Decimal("25.50")
    created = AuditEntry.objects.get(action="stock_share_rule.created")
    assert created.changes["after"]["percent"] == "25.50"
    assert created.changes["after"]["sku"] == w.stock.sku.code
    assert _levels(w)["Temu US"] == 20  # 25.5 % and 100 % share 100 units in proportion: 100 × 25.5 / 125.5
    stock_share_rule_set(actor=SYSTEM, account=w.temu, sku=w.stock.sku, mode="fixed", quantity=70)
    assert AuditEntry.objects.filter(action="stock_share_rule.changed").count() == 1
    assert _levels(w) == {"Temu US": 70, "Shop": 30}
    stock_share_rule_delete(actor=SYSTEM, rule=StockShareRule.objects.get(account=w.temu))
    assert AuditEntry.objects.filter(action="stock_share_rule.deleted").count() == 1
    assert _levels(w) == {"Temu US": 50, "Shop": 50}


def test_a_disabled_account_takes_no_rule():
    w = _world()
    channel_account_disable(actor=SYSTEM, account=w.shop)
    with pytest.raises(AccountDisabled):
        stock_share_rule_set(actor=SYSTEM, account=w.shop, mode="fixed", quantity=1)


def test_the_event_renders_for_the_seller_only():
    w = _world()
    level = ChannelStockLevel.objects.get(account=w.temu, sku=w.stock.sku)
    seller_sub = WebhookSubscription(seller=w.stock.seller, url="https://example.com/h", event_types=["*"])
    data = render_level(str(level.pk), subscription_scope(seller_sub))
    assert data is not None
    assert data["quantity"] == 50 and data["sku"]["code"] == w.stock.sku.code
    assert data["account"] == {"id": str(w.temu.pk), "name": "Temu US", "platform": "temu"}
    operator_sub = WebhookSubscription(
        operator=w.stock.warehouse.operator, url="https://example.com/h", event_types=["*"]
    )
    assert render_level(str(level.pk), subscription_scope(operator_sub)) is None
    other_sub = WebhookSubscription(seller=make_seller(), url="https://example.com/h", event_types=["*"])
    assert render_level(str(level.pk), subscription_scope(other_sub)) is None


def test_a_kit_sells_what_each_accounts_share_of_its_components_makes():
    # given 100 cups and 30 saucers shared half and half by two accounts, and a set of 2 cups + 1 saucer
    from haicang.catalog.tests.factories import make_kit
    from haicang.channels.stock_sync import channel_stock_recompute

    w = _world()
    saucer = make_sku(w.stock.seller, code="SAUCER")
    stock_receive(actor=SYSTEM, owner=w.stock.seller, sku=saucer, location=w.stock.pick, quantity=30)
    kit = make_kit(w.stock.seller, [(w.stock.sku, 2), (saucer, 1)], code="TEA-SET")
    channel_stock_recompute(seller_id=w.stock.seller.pk)

    def kits() -> dict[str, int]:
        rows = ChannelStockLevel.objects.filter(sku=kit).select_related("account")
        return {level.account.name: level.quantity for level in rows}

    # then each account's sets are made from its own share: min(50 // 2, 15 // 1) = 15
    assert kits() == {"Temu US": 15, "Shop": 15}

    # when 10 saucers are reserved and the job runs, the sets follow the component
    stock_reserve(
        actor=SYSTEM, owner=w.stock.seller, warehouse=w.stock.warehouse,
        lines=[DemandLine(saucer, 10)], demand_type="order", demand_ref="ORD-K",
    )  # fmt: skip
    channel_stock_sync_run()

    assert kits() == {"Temu US": 10, "Shop": 10}
    assert sum(kits().values()) <= min(_available(w) // 2, 20 // 1)
    kit_levels = ChannelStockLevel.objects.filter(sku=kit)
    assert {e.subject_id for e in _channel_events()} >= {str(level.pk) for level in kit_levels}

    # and a rule on the kit itself only lowers it for that account
    stock_share_rule_set(actor=SYSTEM, account=w.temu, sku=kit, mode="fixed", quantity=3)
    assert kits() == {"Temu US": 3, "Shop": 10}
    stock_share_rule_set(actor=SYSTEM, account=w.temu, sku=kit, mode="fixed", quantity=300)
    assert kits() == {"Temu US": 10, "Shop": 10}  # never more than the components make
