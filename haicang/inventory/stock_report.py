"""Stock by SKU × warehouse × state for one scope: the rows of the API's ``/stock/`` and of the stock pages.

A page of (owner, SKU, warehouse) keys is read from the scoped balances grouped in SQL; their levels come
from :func:`haicang.inventory.selectors.stock_levels` (one grouped query over balances, one over counters).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from haicang.catalog.models import Sku
from haicang.inventory.models import Balance, StockCounter
from haicang.inventory.selectors import StockLevels, stock_levels
from haicang.network.models import Warehouse
from haicang.parties.scoping import Scope, scope_queryset

READ = "inventory:read"


@dataclass(frozen=True)
class StockRow:
    owner_id: uuid.UUID
    sku: Sku
    warehouse: Warehouse
    levels: StockLevels


def scoped_balances(scope: Scope) -> QuerySet[Balance]:
    """The balances ``scope`` sees at warehouses (real locations and stock in transit to them)."""
    return scope_queryset(Balance.objects.filter(location__warehouse__isnull=False), scope, permission=READ)


def stock_keys(balances: QuerySet[Balance], *, has_stock: bool | None = None) -> QuerySet[Any]:
    """(owner, SKU, warehouse) with their total units, ordered by SKU code then warehouse code."""
    keys = (
        balances.values("owner_id", "sku_id", "location__warehouse_id")
        .annotate(units=Sum("quantity"))
        .order_by("sku__code", "location__warehouse__code", "owner_id")
    )
    if has_stock is True:
        keys = keys.filter(units__gt=0)
    elif has_stock is False:
        keys = keys.filter(units=0)
    return keys


def stock_rows(scope: Scope, keys: list[dict[str, Any]], balances: QuerySet[Balance]) -> list[StockRow]:
    sku_ids = {k["sku_id"] for k in keys}
    warehouse_ids = {k["location__warehouse_id"] for k in keys}
    counters = scope_queryset(
        StockCounter.objects.filter(sku_id__in=sku_ids, warehouse_id__in=warehouse_ids),
        scope,
        permission=READ,
    )
    levels = stock_levels(
        balances=balances.filter(sku_id__in=sku_ids, location__warehouse_id__in=warehouse_ids),
        counters=counters,
    )
    skus = {sku.pk: sku for sku in Sku.objects.filter(pk__in=sku_ids)}
    warehouses = {w.pk: w for w in Warehouse.objects.filter(pk__in=warehouse_ids)}
    return [
        StockRow(key["owner_id"], skus[key["sku_id"]], warehouses[key["location__warehouse_id"]], level)
        for key in keys
        if (level := levels.get((key["sku_id"], key["location__warehouse_id"]))) is not None
    ]
