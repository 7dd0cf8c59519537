"""Fee maths from a fee schedule, as pure functions (no Django): what an operation will cost before it is made.

Amounts are exact ``Decimal`` in the schedule's currency; results are :class:`~haicang.core.money.Money`
rounded to the currency's minor units only at the end of each estimate.
Storage: per m³ per day, free for the first ``free_days`` days of a unit's FIFO age, plus the surcharge of the age
band the unit is in on that day, times the peak factor in peak months.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from haicang.core.money import Money

MM3_PER_M3 = Decimal(1_000_000_000)


@dataclass(frozen=True)
class AgeBand:
    from_day: int
    to_day: int | None  # inclusive; None: no upper bound
    surcharge_m3_day: Decimal

    def covers(self, age_days: int) -> bool:
        return age_days >= self.from_day and (self.to_day is None or age_days <= self.to_day)


@dataclass(frozen=True)
class FeeTable:
    currency: str
    lines: Mapping[str, Decimal]
    free_days: int = 0
    bands: Sequence[AgeBand] = field(default_factory=tuple)
    peak_factor: Decimal = Decimal(1)
    peak_months: frozenset[int] = frozenset()

    def rate(self, kind: str) -> Decimal:
        return self.lines.get(kind, Decimal(0))


def bands_check(bands: Sequence[AgeBand]) -> None:
    """Bands must start at ascending days without overlap; only the last may be open-ended. ValueError if not."""
    ordered = sorted(bands, key=lambda b: b.from_day)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.to_day is None or earlier.to_day >= later.from_day:
            raise ValueError(
                f"age band from day {earlier.from_day} overlaps the band from day {later.from_day}"
            )
    for band in ordered:
        if band.to_day is not None and band.to_day < band.from_day:
            raise ValueError(f"age band from day {band.from_day} ends before it starts")
        if band.surcharge_m3_day < 0:
            raise ValueError("a surcharge cannot be negative")


def storage_day_rate(table: FeeTable, *, age_days: int, on: dt.date) -> Decimal:
    """Price per m³ for one day of a unit that is ``age_days`` old (day 1 = the day it was received) on ``on``."""
    if age_days <= table.free_days:
        return Decimal(0)
    rate = table.rate("storage_m3_day")
    rate += sum((b.surcharge_m3_day for b in table.bands if b.covers(age_days)), Decimal(0))
    if on.month in table.peak_months:
        rate *= table.peak_factor
    return rate


def storage_cost(
    table: FeeTable, *, volume_mm3: int, received_on: dt.date, start: dt.date, end: dt.date
) -> Money:
    """Storage for ``volume_mm3`` received on ``received_on``, over the days ``start`` .. ``end`` inclusive."""
    if end < start:
        raise ValueError("the period ends before it starts")
    total = Decimal(0)
    day = max(start, received_on)
    while day <= end:
        age = (day - received_on).days + 1
        total += storage_day_rate(table, age_days=age, on=day)
        day += dt.timedelta(days=1)
    return Money(total * Decimal(volume_mm3) / MM3_PER_M3, table.currency).rounded()


def outbound_cost(table: FeeTable, *, units: int, with_packaging: bool = True) -> Money:
    """One order of ``units`` units: per order, per unit beyond the first, and packaging."""
    if units <= 0:
        raise ValueError("an order ships at least one unit")
    amount = table.rate("outbound_order") + table.rate("outbound_extra_unit") * (units - 1)
    if with_packaging:
        amount += table.rate("packaging")
    return Money(amount, table.currency).rounded()


def inbound_cost(table: FeeTable, *, cartons: int = 0, pallets: int = 0, units: int = 0) -> Money:
    amount = (
        table.rate("inbound_carton") * cartons
        + table.rate("inbound_pallet") * pallets
        + table.rate("inbound_unit") * units
    )
    return Money(amount, table.currency).rounded()
