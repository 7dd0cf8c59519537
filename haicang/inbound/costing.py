"""Landed cost of shipments from the database: gather the inputs, call the pure ``landed_cost`` rules, keep the
landed unit cost per SKU per shipment, and the moving weighted average per SKU per warehouse.

**FX date.** A shipment's landed cost is converted at the rates of its dispatch date (``fx_date``): the day
the goods become the seller's stock in transit. Before dispatch a preview uses today's rates.

**When it is kept.** At dispatch, whenever the freight costs change afterwards, and at close. When it cannot
be computed (an FX rate is missing) the landed unit costs stay empty and the breakdown says why; nothing is
blocked. **The average** takes each receipt's units at the shipment's landed unit cost as known at that
receipt; units received while it is unknown do not enter it, and a later change of the shipment's costs does
not revalue units already received (documented in docs/inbound.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from haicang.core.fx import FxRateMissing, fx_rate_on
from haicang.core.money import Money
from haicang.inbound.landed_cost import (
    CartonMeasure,
    CostLine,
    GoodsLine,
    LandedCost,
    LandedCostUnavailable,
    landed_cost,
    weighted_average,
)
from haicang.inbound.models import InboundShipment, LandedCostAverage, ShipmentLine
from haicang.inventory.models import Balance
from haicang.network.models.locations import REAL_KINDS
from haicang.parties.models import SellerMarket


def import_vat_recoverable(shipment: InboundShipment) -> bool:
    """Whether the seller recovers import VAT in the destination warehouse's country (its market profile);
    a market the seller has not described counts as not recoverable, so the VAT is a cost."""
    value = (
        SellerMarket.objects.filter(seller_id=shipment.seller_id, country=shipment.warehouse.country)
        .values_list("import_vat_recoverable", flat=True)
        .first()
    )
    return bool(value)


def _rates(currencies: Iterable[str], *, to: str, on: dt.date) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for currency in sorted(set(currencies)):
        if currency == to:
            continue
        try:
            rates[currency] = fx_rate_on(base=currency, quote=to, on=on)
        except FxRateMissing:
            continue  # landed_cost names every missing currency at once
    return rates


def _required(money: Money | None) -> Money:
    if money is None:  # the columns are NOT NULL
        raise AssertionError("a required amount is empty")
    return money


def shipment_landed_cost(shipment: InboundShipment, *, on: dt.date | None = None) -> LandedCost:
    """The landed cost of ``shipment`` in its seller's base currency at the rates of ``on`` (default: its FX
    date, else today). Raises LandedCostUnavailable (a missing rate, no lines)."""
    on = on or shipment.fx_date or timezone.localdate()
    lines = list(shipment.lines.select_related("sku").order_by("position"))
    goods = [
        GoodsLine(
            key=line.sku.code,
            quantity=line.expected_quantity,
            unit_cost=_required(line.purchase_cost),
            unit_volume_mm3=line.sku.volume_mm3,
            unit_weight_g=line.sku.weight_g,
        )
        for line in lines
    ]
    cartons = [
        CartonMeasure(
            volume_mm3=carton.volume_mm3,
            weight_g=carton.gross_weight_g,
            contents=tuple((content.sku.code, content.quantity) for content in carton.contents.all()),
        )
        for carton in shipment.cartons.prefetch_related("contents__sku").order_by("number")
    ]
    costs = [CostLine(c.kind, _required(c.amount), c.basis) for c in shipment.costs.order_by("id")]
    currency = shipment.seller.base_currency
    needed = [g.unit_cost.currency for g in goods] + [c.amount.currency for c in costs]
    return landed_cost(
        lines=goods,
        costs=costs,
        cartons=cartons,
        currency=currency,
        rates=_rates(needed, to=currency, on=on),
        import_vat_recoverable=import_vat_recoverable(shipment),
    )


def landed_costs_persist(shipment: InboundShipment) -> bool:
    """Keep each line's landed unit cost (at the shipment's FX date); False when it cannot be computed, and
    the lines' costs are then left empty. Call inside the caller's transaction."""
    try:
        result = shipment_landed_cost(shipment)
    except LandedCostUnavailable:
        ShipmentLine.objects.filter(shipment=shipment).update(
            landed_unit_cost_amount=None, landed_unit_cost_currency=None, landed_at=None
        )
        return False
    by_code = result.unit_costs()
    now = timezone.now()
    for line in shipment.lines.select_related("sku"):
        line.landed_unit_cost = by_code[line.sku.code]
        line.landed_at = now
        line.save(update_fields=["landed_unit_cost_amount", "landed_unit_cost_currency", "landed_at"])
    return True


def averages_hold(
    shipment: InboundShipment, sku_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, LandedCostAverage]:
    """Create (if missing) and lock the average rows of ``sku_ids`` at the shipment's warehouse, in ascending
    SKU order. Taken before any ledger row of the receipt, so concurrent receipts of a SKU queue here."""
    ordered = sorted(set(sku_ids), key=str)
    LandedCostAverage.objects.bulk_create(
        [
            LandedCostAverage(
                seller_id=shipment.seller_id,
                sku_id=sku_id,
                warehouse_id=shipment.warehouse_id,
                unit_cost=Money.zero(shipment.seller.base_currency),
                units_received=0,
            )
            for sku_id in ordered
        ],
        ignore_conflicts=True,
    )
    held: dict[uuid.UUID, LandedCostAverage] = {}
    for sku_id in ordered:  # one row at a time, in order (PostgreSQL row locks; SQLite holds the write lock)
        held[sku_id] = LandedCostAverage.objects.select_for_update().get(
            seller_id=shipment.seller_id, sku_id=sku_id, warehouse_id=shipment.warehouse_id
        )
    return held


def on_hand_at_warehouse(shipment: InboundShipment, sku_id: uuid.UUID) -> int:
    total = Balance.objects.filter(
        owner_id=shipment.seller_id,
        sku_id=sku_id,
        location__warehouse_id=shipment.warehouse_id,
        location__kind__in=sorted(REAL_KINDS),
    ).aggregate(total=Sum("quantity"))["total"]
    return int(total or 0)


def landed_average_receive(
    *,
    average: LandedCostAverage,
    shipment: InboundShipment,
    on_hand_before: int,
    unit_cost: Money | None,
    units: int,
) -> LandedCostAverage:
    """Fold ``units`` received at ``unit_cost`` into the held ``average`` (units on hand at the warehouse
    before the receipt weigh the current average). Nothing changes when the unit cost is unknown."""
    if unit_cost is None or units <= 0:
        return average
    current = average.unit_cost if average.units_received > 0 else None
    average.unit_cost = weighted_average(
        current=current, on_hand=on_hand_before, received_cost=unit_cost, received=units
    )
    average.units_received += units
    average.last_shipment = shipment
    average.save(
        update_fields=[
            "unit_cost_amount",
            "unit_cost_currency",
            "units_received",
            "last_shipment",
            "updated_at",
        ]
    )
    return average
