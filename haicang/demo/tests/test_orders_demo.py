"""The demo's sales: channel accounts on five platforms, four months of order history with weekly seasonality,
opening stock, and today's open orders in every state — with the ledger still consistent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from haicang.channels.models import ChannelAccount, ChannelSkuMap, ChannelStockLevel, StockShareRule
from haicang.core.actors import Actor
from haicang.demo import order_data, seed
from haicang.demo.order_history import history
from haicang.demo.seed import demo_world_seed
from haicang.inventory.models import Move
from haicang.inventory.verify import ledger_verify
from haicang.orders.models import Order, OrderHold
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.sla import request_sla_state

pytestmark = pytest.mark.django_db

CLOSED = ("shipped", "delivered", "cancelled")


def test_the_demo_sells_on_six_stores_with_months_of_history_and_todays_open_orders(monkeypatch):
    # the sales as the orders demo leaves them: the warehouses' day that follows is test_fulfillment_demo.py's
    monkeypatch.setattr(seed, "demo_operations_build", lambda **kwargs: None)
    demo_world_seed(actor=Actor.system("demo"))
    now = timezone.now()

    # six stores on five platforms, each selling from the warehouses that serve its markets, maps where needed
    accounts = {a.name: a for a in ChannelAccount.objects.prefetch_related("warehouses")}
    assert len(accounts) == 6
    assert Counter(a.platform for a in accounts.values()) == {
        "temu": 2, "shein": 1, "tiktok": 1, "amazon": 1, "shopify": 1,
    }  # fmt: skip
    assert {w.code for w in accounts["Lumen Living (Shopify)"].warehouses.all()} == {"LAX1", "FRA1", "BHX1"}
    assert ChannelSkuMap.objects.filter(account=accounts["Amazon US"], channel_sku="LUM-KIT-TRAVEL").exists()
    assert ChannelSkuMap.objects.count() > 250 and StockShareRule.objects.count() == 8

    # about four months of closed orders, to the countries the account's warehouses serve
    past = Order.objects.filter(status__in=CLOSED)
    assert 6000 < past.count() < 11000
    placed = list(past.order_by("placed_at").values_list("placed_at", flat=True))
    assert (placed[-1] - placed[0]).days >= order_data.HISTORY_DAYS - 2
    assert set(past.values_list("ship_country", flat=True)) == {"US", "DE", "FR", "NL", "GB"}
    serving = {
        a.pk: {m for w in a.warehouses.all() for m in w.markets.values_list("country", flat=True)}
        for a in accounts.values()
    }
    assert all(
        country in serving[account] for account, country in past.values_list("account", "ship_country")
    )
    statuses = Counter(past.values_list("status", flat=True))
    assert statuses["delivered"] > statuses["shipped"] > statuses["cancelled"] > 100
    # weekly seasonality: Sundays and Mondays (in Berlin) busier than Thursdays and Fridays
    days = Counter(p.astimezone(dt.timezone(dt.timedelta(hours=1))).weekday() for p in placed)
    assert days[6] + days[0] > 1.1 * (days[3] + days[4])
    # past orders hold no stock and were never routed
    assert not past.exclude(allocation_status="unallocated").exists()
    assert not Move.objects.filter(document_type="order").exists()

    # today's open orders: allocated and released, held with reasons, backordered, pending
    today = Order.objects.exclude(status__in=CLOSED)
    assert Counter(today.values_list("allocation_status", flat=True)) == {
        "allocated": 28, "backordered": 5, "unallocated": 8,
    }  # fmt: skip
    assert set(OrderHold.objects.filter(released_at=None).values_list("reason", flat=True)) == {
        "postcode_invalid", "phone_invalid", "sku_unmapped", "address_change_pending", "platform_hold",
        "address_missing",
    }  # fmt: skip
    requests = list(FulfillmentRequest.objects.all())
    assert len(requests) == 24
    assert Counter(r.status for r in requests) == {"submitted": 16, "accepted": 5, "in_progress": 3}
    states = Counter(str(request_sla_state(r, now=now)) for r in requests)
    assert states["at_risk"] >= 1 and states["late"] >= 1
    assert sum(r.cancellation == "requested" for r in requests) == 1

    # the channels publish what they may sell, and the ledger is consistent
    assert ChannelStockLevel.objects.filter(quantity__gt=0).count() > 300
    assert ledger_verify() == []


def test_the_history_is_the_same_for_the_same_day_and_seed():
    now = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)

    first = [
        (name, order.external_id, order.placed_at, order.lines)
        for name, order in history(today=now.date(), now=now)
    ]
    again = [
        (name, order.external_id, order.placed_at, order.lines)
        for name, order in history(today=now.date(), now=now)
    ]

    assert first == again
    assert len({external_id for _, external_id, _, _ in first}) == len(first)
