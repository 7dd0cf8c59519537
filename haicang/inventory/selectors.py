"""Reads of the stock ledger: the states users see are derived here, never stored."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from haicang.inventory.models import Balance, Move, StockCounter
from haicang.network.models import LocationKind
from haicang.network.models.locations import SELLABLE_KINDS


@dataclass
class StockLevels:
    """Units of one SKU of one owner at one warehouse, by state."""

    sku_id: uuid.UUID
    warehouse_id: uuid.UUID
    in_transit: int = 0
    sellable: int = 0  # on hand in pick and bulk bins
    receiving: int = 0  # receiving and dock
    damaged: int = 0
    in_returns: int = 0
    quarantine: int = 0
    reserved: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def on_hand(self) -> int:
        return self.sellable + self.receiving + self.damaged + self.in_returns + self.quarantine

    @property
    def available(self) -> int:
        return self.sellable - self.reserved


_STATE_OF_KIND: dict[str, str] = {
    LocationKind.PICK: "sellable",
    LocationKind.BULK: "sellable",
    LocationKind.RECEIVING: "receiving",
    LocationKind.DOCK: "receiving",
    LocationKind.DAMAGED: "damaged",
    LocationKind.RETURNS: "in_returns",
    LocationKind.QUARANTINE: "quarantine",
    LocationKind.IN_TRANSIT: "in_transit",
}


def stock_levels(
    *, balances: QuerySet[Balance], counters: QuerySet[StockCounter]
) -> dict[tuple[uuid.UUID, uuid.UUID], StockLevels]:
    """Levels per (SKU, warehouse) from scoped querysets of balances and counters: one grouped query each."""
    levels: dict[tuple[uuid.UUID, uuid.UUID], StockLevels] = {}

    def level(sku_id: uuid.UUID, warehouse_id: uuid.UUID) -> StockLevels:
        key = (sku_id, warehouse_id)
        if key not in levels:
            levels[key] = StockLevels(sku_id=sku_id, warehouse_id=warehouse_id)
        return levels[key]

    rows = (
        balances.filter(location__warehouse__isnull=False)
        .values("sku_id", "location__warehouse_id", "location__kind")
        .annotate(total=Sum("quantity"))
    )
    for row in rows:
        item = level(row["sku_id"], row["location__warehouse_id"])
        state = _STATE_OF_KIND.get(row["location__kind"])
        if state:
            setattr(item, state, getattr(item, state) + int(row["total"]))
        item.by_kind[row["location__kind"]] = item.by_kind.get(row["location__kind"], 0) + int(row["total"])
    for counter in counters.values("sku_id", "warehouse_id", "reserved"):
        level(counter["sku_id"], counter["warehouse_id"]).reserved = int(counter["reserved"])
    return levels


def sellable_on_hand(*, owner_id: uuid.UUID, sku_id: uuid.UUID, warehouse_id: uuid.UUID) -> int:
    total = Balance.objects.filter(
        owner_id=owner_id,
        sku_id=sku_id,
        location__warehouse_id=warehouse_id,
        location__kind__in=sorted(SELLABLE_KINDS),
    ).aggregate(t=Sum("quantity"))["t"]
    return int(total or 0)


def move_history(moves: QuerySet[Move]) -> QuerySet[Move]:
    return moves.select_related(
        "sku", "from_location", "to_location", "from_location__warehouse", "to_location__warehouse"
    )


def layer_ages(*, balances: QuerySet[Balance]) -> dict[uuid.UUID, list[tuple[object, int]]]:
    """Per SKU, (receipt date, units) of the layers on hand at real locations: FIFO ageing."""
    out: dict[uuid.UUID, list[tuple[object, int]]] = defaultdict(list)
    rows = (
        balances.filter(location__warehouse__isnull=False, quantity__gt=0)
        .exclude(location__kind=LocationKind.IN_TRANSIT)
        .values("sku_id", "received_on")
        .annotate(total=Sum("quantity"))
        .order_by("sku_id", "received_on")
    )
    for row in rows:
        out[row["sku_id"]].append((row["received_on"], int(row["total"])))
    return out
