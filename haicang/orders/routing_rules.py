"""Pure routing rules: which warehouse (or warehouses) ships an order. No Django, no database.

Given what the order needs (units per SKU), the candidate warehouses (those serving the ship-to country under
an active agreement of the seller) with their available stock per SKU, their cheapest quote for the parcel and
the days it would take (handling + transit), and the delivery promise, :func:`route_plan` decides:

1. **One warehouse** that has everything: among those that keep the promise, the cheapest (unknown cost last,
   then fewer days, then the code). When every warehouse with the stock misses the promise, the fastest of
   them is chosen anyway (then the cheapest) and the decision says it will be late — stock on the shelf is
   never backordered for a promise it cannot keep anywhere.
2. Else, when the seller allows it, a **split**: the smallest number of warehouses whose stock together
   covers the order (fewest parcels), then the fewest parts missing the promise, then the lowest **summed cost
   of the parts**, then the fewest days. Each SKU ships whole from one warehouse (the cheapest of the set that
   has all its units): an order line holds one reservation. Each part is priced for **its own parcel** (only
   its units) by the caller's ``price_part`` — a candidate's own quote is for the whole order's parcel.
3. Else a **backorder**.

Every candidate gets a reason in words ("LAX1: 12 in stock, USD 4.10, 3 days"; "FRA1: 0 in stock"), and every
part of the decision (one parcel per chosen warehouse) its own ("LAX1 ships A ×2: USD 4.10, 3 days"). The
decision's **estimated cost** is the sum of its parts' costs (``None`` when a part has no price).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import combinations

MAX_SPLIT_CANDIDATES = 12  # subsets of at most this many candidates are searched (2^12 sets)

# Words in a channel's service level that promise fast delivery, and the days they allow (no deliver_by).
SERVICE_LEVEL_DAYS: tuple[tuple[str, int], ...] = (
    ("same day", 0),
    ("next day", 1),
    ("nextday", 1),
    ("one day", 1),
    ("overnight", 1),
    ("two day", 2),
    ("2day", 2),
    ("2-day", 2),
    ("express", 2),
    ("priority", 3),
    ("expedited", 3),
)


class Outcome(StrEnum):
    SINGLE = "single"  # one warehouse ships everything
    SPLIT = "split"  # several warehouses, one parcel each
    BACKORDER = "backorder"  # nobody has it (or a split is not allowed)


@dataclass(frozen=True)
class Candidate:
    """One warehouse that could ship the order.

    ``cost``: the cheapest quote's total in the comparison currency (``None``: no service can price the
    parcel); ``cost_label`` is how it is shown (the quote's own currency). ``days``: handling + transit
    (``None``: unknown transit)."""

    code: str
    available: Mapping[str, int]
    cost: Decimal | None = None
    cost_label: str = ""
    days: int | None = None
    service: str = ""
    note: str = ""  # why no price, e.g. "no service delivers to US"

    def stock_of(self, sku: str) -> int:
        return max(0, int(self.available.get(sku, 0)))

    def has_all(self, demand: Mapping[str, int]) -> bool:
        return all(self.stock_of(sku) >= qty for sku, qty in demand.items())

    def in_stock_units(self, demand: Mapping[str, int]) -> int:
        """Units of the demand this warehouse can cover (each SKU capped at what is needed)."""
        return sum(min(self.stock_of(sku), qty) for sku, qty in demand.items())


@dataclass(frozen=True)
class Allocation:
    code: str
    lines: tuple[tuple[str, int], ...]  # (sku, quantity), sorted by SKU


@dataclass(frozen=True)
class PartQuote:
    """The price of one part (one warehouse's parcel of the order): ``cost`` in the comparison currency (``None``:
    no price), how it is shown, the days (handling + transit; ``None``: unknown) and the carrier service."""

    cost: Decimal | None = None
    cost_label: str = ""
    days: int | None = None
    service: str = ""
    note: str = ""


# Prices the part ``lines`` ((sku, quantity) pairs) shipped by ``candidate``; the default reuses the candidate's
# whole-order quote (exact for a single warehouse, an upper bound for a part).
PartPricer = Callable[[Candidate, tuple[tuple[str, int], ...]], PartQuote]


def whole_order_quote(candidate: Candidate, lines: tuple[tuple[str, int], ...]) -> PartQuote:
    """The default :data:`PartPricer`: the candidate's quote for the whole order's parcel."""
    return PartQuote(
        cost=candidate.cost,
        cost_label=candidate.cost_label,
        days=candidate.days,
        service=candidate.service,
        note=candidate.note,
    )


@dataclass(frozen=True)
class Part:
    """One parcel of the decision: what ``code`` ships, its own price and days, and why in words."""

    code: str
    lines: tuple[tuple[str, int], ...]
    cost: Decimal | None
    cost_label: str
    days: int | None
    keeps_promise: bool | None
    text: str


@dataclass(frozen=True)
class CandidateReason:
    code: str
    chosen: bool
    in_stock: int  # units of the order it could cover
    has_all: bool
    cost: str  # the display label, "" when unknown
    days: int | None
    keeps_promise: bool | None  # None: no promise
    text: str


@dataclass(frozen=True)
class Plan:
    outcome: Outcome
    allocations: tuple[Allocation, ...] = ()
    reasons: tuple[CandidateReason, ...] = ()
    late: bool = False  # chosen although it misses the promise
    summary: str = ""
    chosen: tuple[str, ...] = field(default=())
    parts: tuple[Part, ...] = ()  # one per allocation, same order
    estimated_cost: Decimal | None = None  # the sum of the parts' costs; None if one has no price (or none)


def promise_days(*, days_until_deliver_by: int | None, service_level: str = "") -> int | None:
    """The days the order may take to arrive: the platform's deliver-by (in whole days from today) wins; else
    a fast service level's days (``SERVICE_LEVEL_DAYS``); else no promise (``None``)."""
    if days_until_deliver_by is not None:
        return max(0, days_until_deliver_by)
    level = service_level.strip().lower()
    for words, days in SERVICE_LEVEL_DAYS:
        if words in level:
            return days
    return None


def _keeps(candidate: Candidate, promise: int | None) -> bool | None:
    return _keeps_days(candidate.days, promise)


def _keeps_days(days: int | None, promise: int | None) -> bool | None:
    if promise is None:
        return None
    return days is not None and days <= promise


_UNKNOWN = Decimal("1e18")


def _cost_key(candidate: Candidate) -> Decimal:
    return candidate.cost if candidate.cost is not None else _UNKNOWN


def _days_key(candidate: Candidate) -> int:
    return candidate.days if candidate.days is not None else 10_000


def _reason_text(candidate: Candidate, demand: Mapping[str, int], keeps: bool | None) -> str:
    units = candidate.in_stock_units(demand)
    needed = sum(demand.values())
    if units == 0:
        return f"{candidate.code}: 0 in stock"
    stock = f"{units} in stock" if units >= needed else f"{units} of {needed} in stock"
    if len(demand) == 1:  # one SKU: say how many the warehouse holds, not just what is needed
        (sku,) = demand
        stock = f"{candidate.stock_of(sku)} in stock"
        if candidate.stock_of(sku) < demand[sku]:
            stock += f" (needs {demand[sku]})"
    parts = [stock]
    parts.append(candidate.cost_label or (f"no price ({candidate.note})" if candidate.note else "no price"))
    if candidate.days is not None:
        parts.append(f"{candidate.days} day{'s' if candidate.days != 1 else ''}")
    if keeps is False:
        parts.append("misses the promise" if candidate.days is not None else "transit days unknown")
    return f"{candidate.code}: " + ", ".join(parts)


def _single(
    demand: Mapping[str, int], candidates: Sequence[Candidate], promise: int | None
) -> Candidate | None:
    full = [c for c in candidates if c.has_all(demand)]
    if not full:
        return None
    keeping = [c for c in full if _keeps(c, promise) is not False]
    if keeping:
        return min(keeping, key=lambda c: (_cost_key(c), _days_key(c), c.code))
    return min(full, key=lambda c: (_days_key(c), _cost_key(c), c.code))


def _assign(demand: Mapping[str, int], group: Sequence[Candidate]) -> tuple[Allocation, ...] | None:
    """Give each SKU, whole, to the cheapest warehouse of ``group`` that has all its units (a SKU's units are
    never split: an order line holds one reservation). ``None`` when a SKU fits nowhere or a warehouse would
    get nothing (a smaller group then covers the order)."""
    ordered = sorted(group, key=lambda c: (_cost_key(c), _days_key(c), c.code))
    taken: dict[str, dict[str, int]] = {c.code: {} for c in ordered}
    for sku in sorted(demand):
        home = next((c for c in ordered if c.stock_of(sku) >= demand[sku]), None)
        if home is None:
            return None
        taken[home.code][sku] = demand[sku]
    if any(not lines for lines in taken.values()):
        return None
    return tuple(Allocation(code, tuple(sorted(taken[code].items()))) for code in sorted(taken))


def _part_text(code: str, lines: tuple[tuple[str, int], ...], quote: PartQuote, keeps: bool | None) -> str:
    goods = ", ".join(f"{sku} ×{qty}" for sku, qty in lines)
    parts = [quote.cost_label or (f"no price ({quote.note})" if quote.note else "no price")]
    if quote.days is not None:
        parts.append(f"{quote.days} day{'s' if quote.days != 1 else ''}")
    if keeps is False:
        parts.append("misses the promise" if quote.days is not None else "transit days unknown")
    return f"{code} ships {goods}: " + ", ".join(parts)


def _part(code: str, lines: tuple[tuple[str, int], ...], quote: PartQuote, promise: int | None) -> Part:
    keeps = _keeps_days(quote.days, promise)
    return Part(
        code=code,
        lines=lines,
        cost=quote.cost,
        cost_label=quote.cost_label,
        days=quote.days,
        keeps_promise=keeps,
        text=_part_text(code, lines, quote, keeps),
    )


def _priced(
    group: Sequence[Candidate], allocations: Sequence[Allocation], price: PartPricer, promise: int | None
) -> tuple[Part, ...]:
    by_code = {c.code: c for c in group}
    return tuple(_part(a.code, a.lines, price(by_code[a.code], a.lines), promise) for a in allocations)


_SplitOption = tuple[
    tuple[int, Decimal, int, tuple[str, ...]], tuple[Candidate, ...], tuple[Allocation, ...], tuple[Part, ...]
]


def _split(
    demand: Mapping[str, int], candidates: Sequence[Candidate], promise: int | None, price: PartPricer
) -> tuple[tuple[Candidate, ...], tuple[Allocation, ...], tuple[Part, ...]] | None:
    useful = sorted(
        (c for c in candidates if any(c.stock_of(sku) >= qty for sku, qty in demand.items())),
        key=lambda c: (-c.in_stock_units(demand), _cost_key(c), c.code),
    )[:MAX_SPLIT_CANDIDATES]
    for size in range(2, len(useful) + 1):
        options: list[_SplitOption] = []
        for group in combinations(useful, size):
            allocations = _assign(demand, group)
            if allocations is None:
                continue
            parts = _priced(group, allocations, price, promise)
            misses = sum(1 for p in parts if p.keeps_promise is False)
            cost = sum((p.cost if p.cost is not None else _UNKNOWN for p in parts), Decimal(0))
            days = max(p.days if p.days is not None else 10_000 for p in parts)
            options.append(((misses, cost, days, tuple(c.code for c in group)), group, allocations, parts))
        if options:
            _, group, allocations, parts = min(options, key=lambda option: option[0])
            return group, allocations, parts
    return None


def route_plan(
    *,
    demand: Mapping[str, int],
    candidates: Sequence[Candidate],
    promise: int | None = None,
    allow_split: bool = False,
    price_part: PartPricer | None = None,
    currency: str = "",
) -> Plan:
    """Decide where ``demand`` (units per SKU, all positive) ships from. See the module's docstring.

    ``price_part`` prices a split's part for its own parcel (default: the candidate's whole-order quote);
    ``currency`` is the comparison currency of the costs, named in a split's summary."""
    demand = {sku: int(qty) for sku, qty in demand.items() if int(qty) > 0}
    candidates = sorted(candidates, key=lambda c: c.code)
    price = price_part or whole_order_quote
    chosen: tuple[Candidate, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    parts: tuple[Part, ...] = ()
    outcome = Outcome.BACKORDER
    if demand:
        single = _single(demand, candidates, promise)
        if single is not None:
            outcome, chosen = Outcome.SINGLE, (single,)
            lines = tuple(sorted(demand.items()))
            allocations = (Allocation(single.code, lines),)
            parts = (_part(single.code, lines, whole_order_quote(single, lines), promise),)
        elif allow_split:
            found = _split(demand, candidates, promise, price)
            if found is not None:
                outcome, (chosen, allocations, parts) = Outcome.SPLIT, found
    codes = {c.code for c in chosen}
    reasons = tuple(
        CandidateReason(
            code=c.code,
            chosen=c.code in codes,
            in_stock=c.in_stock_units(demand),
            has_all=c.has_all(demand),
            cost=c.cost_label,
            days=c.days,
            keeps_promise=_keeps(c, promise),
            text=_reason_text(c, demand, _keeps(c, promise)),
        )
        for c in candidates
    )
    late = any(p.keeps_promise is False for p in parts)
    costs = [p.cost for p in parts]
    estimated = sum((c for c in costs if c is not None), Decimal(0)) if costs and None not in costs else None
    return Plan(
        outcome=outcome,
        allocations=allocations,
        reasons=reasons,
        late=late,
        summary=_summary(outcome, chosen, candidates, allow_split, late, estimated, currency),
        chosen=tuple(sorted(codes)),
        parts=parts,
        estimated_cost=estimated,
    )


def _summary(
    outcome: Outcome,
    chosen: Sequence[Candidate],
    candidates: Sequence[Candidate],
    allow_split: bool,
    late: bool,
    estimated: Decimal | None = None,
    currency: str = "",
) -> str:
    if outcome == Outcome.SINGLE:
        text = f"ships from {chosen[0].code}"
    elif outcome == Outcome.SPLIT:
        text = f"split: {len(chosen)} parcels from {', '.join(sorted(c.code for c in chosen))}"
        if estimated is not None:
            text += f", {(currency + ' ') if currency else ''}{estimated} in all"
    elif not candidates:
        text = "backordered: no warehouse of the seller serves the ship-to country"
    elif allow_split:
        text = "backordered: the warehouses together do not have enough stock"
    else:
        text = "backordered: no single warehouse has everything (splitting is not allowed)"
    return text + (" (misses the delivery promise)" if late else "")
