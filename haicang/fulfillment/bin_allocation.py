"""Which bins a pick task takes units from (docs/fulfillment.md, "Waves").

Picking moves no stock: a task names a bin (and lot) chosen when its wave is released, and ship confirmation
later consumes the reservation *from the picked bins*. So the bins are chosen here, in the order the ledger
would ship from (``inventory.services._pick_lines``): the seller's layers of the SKU in the warehouse's pick
and bulk bins, **FIFO** by receipt date — **FEFO** by lot expiry for expiry-tracked SKUs — then walk order and
lot. A bin gives at most what its balance holds **minus what other open work already takes from it**: tasks
still to pick (their whole quantity: the picked part is on a cart, the rest on the shelf), and the units of
picked or short tasks whose outbound has not shipped (on a cart or a packing bench, still in the bin's
ledger balance until ship confirmation moves them). Bins with a cycle count open (e.g. raised by a short
pick) are skipped until the count is done: their balance is in doubt.

Callers hold the warehouse's lock (``waves._warehouse_lock``) so two releases never count the same units.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Sum, When

from haicang.fulfillment.models import OutboundStatus, PickTask, PickTaskStatus
from haicang.inventory.models import Balance, CountTask, CountTaskStatus, Lot
from haicang.network.models import Location, Warehouse
from haicang.network.models.locations import SELLABLE_KINDS

type BinKey = tuple[uuid.UUID, str]  # (location id, lot code)


@dataclass
class BinStock:
    """Units of one SKU of one owner in one bin (and lot) that new tasks may still take."""

    location: Location
    lot_code: str
    free: int


@dataclass
class Take:
    source: BinStock
    quantity: int

    @property
    def location(self) -> Location:
        return self.source.location

    @property
    def lot_code(self) -> str:
        return self.source.lot_code


@dataclass
class Stock:
    """What the bins of a warehouse can still give, per (owner, SKU), in the order to take it."""

    bins: dict[tuple[uuid.UUID, uuid.UUID], list[BinStock]] = field(default_factory=dict)

    def take(
        self, owner_id: uuid.UUID, sku_id: uuid.UUID, quantity: int, *, exclude: Iterable[uuid.UUID] = ()
    ) -> tuple[list[Take], int]:
        """Take up to ``quantity`` units (first bins first); returns the takes and the units still missing.
        What is taken is gone for later calls."""
        skipped = set(exclude)
        takes: list[Take] = []
        needed = quantity
        for stock in self.bins.get((owner_id, sku_id), []):
            if needed == 0:
                break
            if stock.free <= 0 or stock.location.pk in skipped:
                continue
            amount = min(needed, stock.free)
            stock.free -= amount
            needed -= amount
            takes.append(Take(stock, amount))
        return takes, needed

    @staticmethod
    def give_back(takes: Iterable[Take]) -> None:
        """Undo :meth:`take` (an outbound that could not be allocated in full takes nothing)."""
        for take in takes:
            take.source.free += take.quantity

    def units_by_zone(self, owner_id: uuid.UUID, sku_id: uuid.UUID) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for stock in self.bins.get((owner_id, sku_id), []):
            out[stock.location.zone] += max(0, stock.free)
        return dict(out)

    def first_sequence(self, owner_id: uuid.UUID, sku_id: uuid.UUID) -> int | None:
        found = [
            s.location.pick_sequence
            for s in self.bins.get((owner_id, sku_id), [])
            if s.free > 0 and s.location.pick_sequence is not None
        ]
        return min(found) if found else None


def held_in_bins(warehouse: Warehouse, sku_ids: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, BinKey], int]:
    """Units open work takes from each (SKU, (bin, lot)) of ``warehouse`` (module docstring)."""
    rows = (
        PickTask.objects.filter(location__warehouse=warehouse, sku_id__in=list(sku_ids))
        .exclude(status=PickTaskStatus.CANCELLED)
        .exclude(outbound__status__in=(OutboundStatus.SHIPPED, OutboundStatus.CANCELLED))
        .values("sku_id", "location_id", "lot_code")
        .annotate(
            units=Sum(
                Case(
                    When(status=PickTaskStatus.OPEN, then=F("quantity")),
                    default=F("picked_quantity"),
                    output_field=IntegerField(),
                )
            )
        )
    )
    return {(r["sku_id"], (r["location_id"], r["lot_code"])): int(r["units"] or 0) for r in rows}


def bins_in_count(warehouse: Warehouse) -> set[uuid.UUID]:
    """Locations of ``warehouse`` with a cycle count open or awaiting approval."""
    return set(
        CountTask.locations.through.objects.filter(
            counttask__warehouse=warehouse,
            counttask__status__in=(CountTaskStatus.OPEN, CountTaskStatus.COUNTED),
        ).values_list("location_id", flat=True)
    )


def stock_load(warehouse: Warehouse, wanted: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> Stock:
    """The bins that can still give units of each wanted (owner, SKU) at ``warehouse``, in taking order."""
    keys = set(wanted)
    if not keys:
        return Stock()
    owners = {owner for owner, _ in keys}
    skus = {sku for _, sku in keys}
    layers = (
        Balance.objects.filter(
            owner_id__in=owners,
            sku_id__in=skus,
            location__warehouse=warehouse,
            location__kind__in=sorted(SELLABLE_KINDS),
            location__is_active=True,
            quantity__gt=0,
        )
        .select_related("location", "sku")
        .order_by("received_on", "location__pick_sequence", "lot_code", "location__code")
    )
    expiry: dict[tuple[uuid.UUID, str], dt.date | None] = {}
    per_key: dict[tuple[uuid.UUID, uuid.UUID], list[Balance]] = defaultdict(list)
    tracked: set[uuid.UUID] = set()
    for layer in layers:
        key = (layer.owner_id, layer.sku_id)
        if key in keys:
            per_key[key].append(layer)
            if layer.sku.track_expiry:
                tracked.add(layer.sku_id)
    expiring = tracked
    if expiring:
        expiry = {
            (sku_id, code): expires
            for sku_id, code, expires in Lot.objects.filter(sku_id__in=expiring).values_list(
                "sku_id", "code", "expires_on"
            )
        }
    held = held_in_bins(warehouse, skus)
    counting = bins_in_count(warehouse)
    stock = Stock()
    for key, found in per_key.items():
        sku_id = key[1]
        if sku_id in expiring:
            found.sort(key=lambda b: (expiry.get((b.sku_id, b.lot_code)) or dt.date.max, b.received_on))
        merged: dict[BinKey, BinStock] = {}
        for layer in found:  # layers of one bin and lot merge; the first layer's place orders them
            if layer.location_id in counting:
                continue
            bin_key = (layer.location_id, layer.lot_code)
            if bin_key not in merged:
                merged[bin_key] = BinStock(layer.location, layer.lot_code, 0)
            merged[bin_key].free += int(layer.quantity)
        for bin_key, stock_bin in merged.items():
            stock_bin.free -= held.get((sku_id, bin_key), 0)
        stock.bins[key] = [b for b in merged.values() if b.free > 0]
    return stock
