"""Landed cost of a first-leg shipment: goods cost plus each freight cost allocated to the units. Pure: no Django.

The rules (see docs/inbound.md, "Landed cost"):

- Everything is converted to the seller's base currency with the rates passed in (``rates[currency]`` is how
  many base units one unit of ``currency`` buys on the shipment's FX date). A missing rate is an error that
  names every missing currency.
- **Goods** of a line = quantity × purchase cost per unit, converted and rounded to the base currency's minor
  units (half-even).
- **Each cost line** is converted and rounded once, then split over the shipment's lines by its basis with the
  largest-remainder rule in minor units (:func:`haicang.core.allocation.allocate`), so its parts add up to it
  exactly:
  - ``volume``: the cartons' volume (each carton's volume split over its contents by units), or the SKUs'
    unit volume × quantity when the cartons do not all carry dimensions;
  - ``weight``: the same with the cartons' gross weight, or the SKUs' unit weight;
  - ``value``: the lines' converted goods value.
  When a basis cannot be measured (no dimensions anywhere, or every measure 0) the cost is split by units
  and the result says so (``basis_used = "units"``): the split is never guessed silently.
- **Import VAT** is a cost only when it is not recoverable in the destination market; a recoverable one is
  listed with ``counted = False`` and allocates nothing.
- A line's landed total = goods + its parts of every counted cost; the landed **unit** cost is that total over
  the quantity with 6 decimals (unit costs keep more decimals than totals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from haicang.core.allocation import allocate, allocate_units
from haicang.core.errors import ValidationFailed
from haicang.core.money import Money, sum_money

UNIT_COST_PLACES = 6


class Basis(StrEnum):
    VOLUME = "volume"
    WEIGHT = "weight"
    VALUE = "value"


UNITS = "units"  # the fallback when a basis cannot be measured (never chosen by a user)


class CostKind(StrEnum):
    FREIGHT = "freight"
    INSURANCE = "insurance"
    DUTY = "duty"
    IMPORT_VAT = "import_vat"
    BROKER = "broker"
    OTHER = "other"


DEFAULT_BASIS: Mapping[str, Basis] = {
    CostKind.FREIGHT: Basis.VOLUME,
    CostKind.INSURANCE: Basis.VALUE,
    CostKind.DUTY: Basis.VALUE,
    CostKind.IMPORT_VAT: Basis.VALUE,
    CostKind.BROKER: Basis.VALUE,
    CostKind.OTHER: Basis.VALUE,
}


class LandedCostUnavailable(ValidationFailed):
    """The landed cost cannot be computed (a missing FX rate, no lines); ``context`` says what is missing."""

    code = "inbound.landed_cost_unavailable"
    status = 409
    title = "The landed cost cannot be computed"


@dataclass(frozen=True, slots=True)
class GoodsLine:
    key: str  # the SKU's code (or any key unique in the shipment)
    quantity: int
    unit_cost: Money
    unit_volume_mm3: int | None = None
    unit_weight_g: int | None = None


@dataclass(frozen=True, slots=True)
class CartonMeasure:
    volume_mm3: int | None
    weight_g: int | None
    contents: tuple[tuple[str, int], ...]  # (line key, units)


@dataclass(frozen=True, slots=True)
class CostLine:
    kind: str
    amount: Money
    basis: str


@dataclass(frozen=True, slots=True)
class CostAllocation:
    kind: str
    basis: str
    basis_used: str  # the basis, or "units" when it could not be measured
    amount: Money  # as entered
    converted: Money  # in the base currency, rounded
    counted: bool  # False for recoverable import VAT
    parts: tuple[Money, ...]  # per line, in line order; sum == converted when counted, else all zero


@dataclass(frozen=True, slots=True)
class LineLanded:
    key: str
    quantity: int
    goods: Money
    costs: Money
    total: Money
    unit_cost: Money  # 6 decimals


@dataclass(frozen=True, slots=True)
class LandedCost:
    currency: str
    lines: tuple[LineLanded, ...]
    costs: tuple[CostAllocation, ...]
    goods_total: Money
    costs_total: Money  # the counted costs
    total: Money

    def unit_costs(self) -> dict[str, Money]:
        return {line.key: line.unit_cost for line in self.lines}


def _convert(money: Money, currency: str, rates: Mapping[str, Decimal]) -> Money:
    rate = Decimal(1) if money.currency == currency else rates[money.currency]
    return (Money(money.amount, currency) * rate).rounded(ROUND_HALF_EVEN)


def _carton_measures(
    keys: Sequence[str], cartons: Sequence[CartonMeasure], attribute: str
) -> list[int] | None:
    """Per line, its share of the cartons' volume or weight (each carton split over its contents by units with
    the largest remainder); None when some carton lacks the measure or there are no cartons."""
    if not cartons:
        return None
    totals: dict[str, int] = defaultdict(int)
    for carton in cartons:
        measure = getattr(carton, attribute)
        if measure is None:
            return None
        contents = [(key, units) for key, units in carton.contents if units > 0]
        if not contents:
            continue
        for (key, _units), share in zip(
            contents, allocate_units(measure, [units for _key, units in contents]), strict=True
        ):
            totals[key] += share
    return [totals.get(key, 0) for key in keys]


def _unit_measures(lines: Sequence[GoodsLine], attribute: str) -> list[int] | None:
    values = [getattr(line, attribute) for line in lines]
    if any(value is None for value in values):
        return None
    return [int(value) * line.quantity for value, line in zip(values, lines, strict=True)]


def _weights(
    basis: str,
    lines: Sequence[GoodsLine],
    cartons: Sequence[CartonMeasure],
    goods: Sequence[Money],
) -> tuple[str, list[int]]:
    measured: list[int] | None
    if basis == Basis.VOLUME:
        keys = [line.key for line in lines]
        measured = _carton_measures(keys, cartons, "volume_mm3") or _unit_measures(lines, "unit_volume_mm3")
    elif basis == Basis.WEIGHT:
        keys = [line.key for line in lines]
        measured = _carton_measures(keys, cartons, "weight_g") or _unit_measures(lines, "unit_weight_g")
    elif basis == Basis.VALUE:
        measured = [abs(value.to_minor_units()) for value in goods]
    else:
        raise ValueError(f"unknown allocation basis {basis!r}")
    if measured is None or not any(measured):
        return UNITS, [line.quantity for line in lines]
    return basis, measured


def landed_cost(
    *,
    lines: Sequence[GoodsLine],
    costs: Sequence[CostLine],
    currency: str,
    rates: Mapping[str, Decimal],
    import_vat_recoverable: bool,
    cartons: Sequence[CartonMeasure] = (),
) -> LandedCost:
    """The landed cost of ``lines`` in ``currency``; see the module's rules. Raises LandedCostUnavailable."""
    if not lines:
        raise LandedCostUnavailable("a shipment without lines has no landed cost", field="lines")
    for line in lines:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity <= 0:
            raise LandedCostUnavailable(f"{line.key}: the quantity is not above 0", field="lines")
    needed = {line.unit_cost.currency for line in lines} | {cost.amount.currency for cost in costs}
    missing = sorted(c for c in needed if c != currency and c not in rates)
    if missing:
        raise LandedCostUnavailable(
            f"no FX rate to {currency} for {', '.join(missing)}",
            field="rates",
            missing=missing,
            currency=currency,
        )

    goods = [_convert(line.unit_cost * line.quantity, currency, rates) for line in lines]
    zero = Money.zero(currency)
    allocations: list[CostAllocation] = []
    for cost in costs:
        converted = _convert(cost.amount, currency, rates)
        counted = not (cost.kind == CostKind.IMPORT_VAT and import_vat_recoverable)
        basis_used, weights = _weights(cost.basis, lines, cartons, goods)
        parts = tuple(allocate(converted, weights)) if counted else tuple(zero for _line in lines)
        allocations.append(
            CostAllocation(
                kind=cost.kind,
                basis=cost.basis,
                basis_used=basis_used,
                amount=cost.amount,
                converted=converted,
                counted=counted,
                parts=parts,
            )
        )

    landed: list[LineLanded] = []
    for index, line in enumerate(lines):
        line_costs = sum_money((a.parts[index] for a in allocations), currency=currency)
        total = goods[index] + line_costs
        unit = Money(total.amount / line.quantity, currency).rounded(places=UNIT_COST_PLACES)
        landed.append(
            LineLanded(
                key=line.key,
                quantity=line.quantity,
                goods=goods[index],
                costs=line_costs,
                total=total,
                unit_cost=unit,
            )
        )
    goods_total = sum_money(goods, currency=currency)
    costs_total = sum_money((a.converted for a in allocations if a.counted), currency=currency)
    return LandedCost(
        currency=currency,
        lines=tuple(landed),
        costs=tuple(allocations),
        goods_total=goods_total,
        costs_total=costs_total,
        total=goods_total + costs_total,
    )


def weighted_average(*, current: Money | None, on_hand: int, received_cost: Money, received: int) -> Money:
    """The moving weighted-average unit cost after ``received`` units at ``received_cost`` join ``on_hand``
    units at ``current`` (6 decimals). Without a current average or stock on hand, the new cost is the
    received one."""
    if received <= 0:
        raise ValueError("received is above 0")
    if current is None or on_hand <= 0:
        return received_cost.rounded(places=UNIT_COST_PLACES)
    total = current * on_hand + received_cost * received
    return Money(total.amount / (on_hand + received), total.currency).rounded(places=UNIT_COST_PLACES)
