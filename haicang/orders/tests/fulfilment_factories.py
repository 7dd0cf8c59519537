"""Fulfillment requests for tests across the apps (the route walk too)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from haicang.catalog.tests.factories import make_sku
from haicang.channels.tests.factories import make_channel_account, make_sku_map
from haicang.network.models import Warehouse
from haicang.orders.fulfilment import fulfilment_request_create
from haicang.orders.models import Order
from haicang.orders.models_fulfilment import FulfillmentRequest
from haicang.orders.tests.factories import SYSTEM, line, make_order
from haicang.parties.models import Seller


def make_sold_order(seller: Seller, **overrides: Any) -> Order:
    """An unshipped order of ``seller`` (the US customer of ``factories.CUSTOMER``) with one mapped line of 2."""
    account = make_channel_account(seller)
    sku = make_sku(seller)
    make_sku_map(account, channel_sku=f"CH-{sku.code}", sku=sku)
    overrides.setdefault("lines", (line(f"CH-{sku.code}", 2),))
    return make_order(account, **overrides)


def make_fulfilment_request(
    seller: Seller,
    warehouse: Warehouse,
    *,
    order: Order | None = None,
    now: datetime | None = None,
    **overrides: Any,
) -> FulfillmentRequest:
    """A submitted request of a new order of ``seller`` to ``warehouse`` (an active agreement must cover it)."""
    order = order or make_sold_order(seller, **overrides)
    return fulfilment_request_create(actor=SYSTEM, order=order, warehouse=warehouse, now=now)
