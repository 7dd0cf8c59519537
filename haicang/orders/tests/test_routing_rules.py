"""The pure routing rules, table-driven: one warehouse when one has everything (cheapest within the promise),
a split only when the seller allows it (fewest parcels, then cost), else a backorder; a reason per candidate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haicang.orders.routing_rules import Candidate, Outcome, PartQuote, promise_days, route_plan


def wh(code: str, stock: dict[str, int], cost: str | None = None, days: int | None = None) -> Candidate:
    return Candidate(
        code=code,
        available=stock,
        cost=Decimal(cost) if cost is not None else None,
        cost_label=f"USD {cost}" if cost is not None else "",
        days=days,
    )


LAX = wh("LAX1", {"A": 12, "B": 5}, "4.10", 3)
NJ = wh("NJ1", {"A": 12, "B": 5}, "6.50", 2)
FRA = wh("FRA1", {"A": 0, "B": 0}, "12.00", 8)
ONLY_A = wh("ATL1", {"A": 10}, "3.00", 3)
ONLY_B = wh("DFW1", {"B": 10}, "3.50", 3)
SOME_B = wh("SEA1", {"B": 10, "A": 1}, "9.00", 4)
NO_PRICE = wh("ORD1", {"A": 10, "B": 10})

CASES = [
    # (id, demand, candidates, promise, allow_split, outcome, chosen, allocations)
    (
        "cheapest of two with everything",
        {"A": 2},
        [NJ, LAX, FRA],
        None,
        False,
        Outcome.SINGLE,
        ("LAX1",),
        None,
    ),
    ("promise rules out the cheaper", {"A": 2}, [NJ, LAX, FRA], 2, False, Outcome.SINGLE, ("NJ1",), None),
    (
        "nobody keeps the promise: fastest",
        {"A": 2},
        [LAX, wh("X1", {"A": 5}, "1.00", 6)],
        1,
        False,
        Outcome.SINGLE,
        ("LAX1",),
        None,
    ),
    ("priced before unpriced", {"A": 2}, [NO_PRICE, NJ], None, False, Outcome.SINGLE, ("NJ1",), None),
    (
        "unpriced still ships when alone",
        {"A": 2},
        [NO_PRICE, FRA],
        None,
        False,
        Outcome.SINGLE,
        ("ORD1",),
        None,
    ),
    (
        "one short: no split allowed",
        {"A": 2, "B": 2},
        [ONLY_A, ONLY_B],
        None,
        False,
        Outcome.BACKORDER,
        (),
        None,
    ),
    (
        "one short: split allowed",
        {"A": 2, "B": 2},
        [ONLY_A, ONLY_B, FRA],
        None,
        True,
        Outcome.SPLIT,
        ("ATL1", "DFW1"),
        {"ATL1": (("A", 2),), "DFW1": (("B", 2),)},
    ),
    (
        "split prefers the cheaper pair",
        {"A": 2, "B": 2},
        [ONLY_A, ONLY_B, SOME_B],
        None,
        True,
        Outcome.SPLIT,
        ("ATL1", "DFW1"),
        {"ATL1": (("A", 2),), "DFW1": (("B", 2),)},
    ),
    (
        "a single beats a cheaper split",
        {"A": 2, "B": 2},
        [ONLY_A, ONLY_B, NJ],
        None,
        True,
        Outcome.SINGLE,
        ("NJ1",),
        None,
    ),
    ("a SKU is never split across warehouses", {"A": 15}, [LAX, NJ], None, True, Outcome.BACKORDER, (), None),
    ("nobody serves the country", {"A": 1}, [], None, True, Outcome.BACKORDER, (), None),
    ("exactly the stock", {"A": 12}, [LAX], None, False, Outcome.SINGLE, ("LAX1",), None),
    ("one unit over the stock", {"A": 13}, [LAX], None, False, Outcome.BACKORDER, (), None),
]


@pytest.mark.parametrize(
    ("demand", "candidates", "promise", "allow_split", "outcome", "chosen", "allocations"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_route_plan(demand, candidates, promise, allow_split, outcome, chosen, allocations):
    plan = route_plan(demand=demand, candidates=candidates, promise=promise, allow_split=allow_split)

    assert plan.outcome == outcome
    assert plan.chosen == chosen
    assert [r.code for r in plan.reasons] == sorted(c.code for c in candidates)  # every candidate explained
    assert {r.code for r in plan.reasons if r.chosen} == set(chosen)
    if allocations is not None:
        assert {a.code: a.lines for a in plan.allocations} == allocations
    if outcome == Outcome.SINGLE:
        assert [(a.code, a.lines) for a in plan.allocations] == [(chosen[0], tuple(sorted(demand.items())))]
    if outcome == Outcome.BACKORDER:
        assert plan.allocations == () and plan.summary.startswith("backordered")


def test_reasons_read_like_the_issue():
    plan = route_plan(demand={"A": 2}, candidates=[LAX, FRA])

    assert [r.text for r in plan.reasons] == ["FRA1: 0 in stock", "LAX1: 12 in stock, USD 4.10, 3 days"]
    assert plan.summary == "ships from LAX1"


def test_reasons_name_a_missed_promise_and_a_missing_price():
    plan = route_plan(
        demand={"A": 20},
        candidates=[wh("X1", {"A": 5}, "1.00", 6), Candidate("Y1", {"A": 30}, note="no_rate_card")],
        promise=2,
    )

    assert [r.text for r in plan.reasons] == [
        "X1: 5 in stock (needs 20), USD 1.00, 6 days, misses the promise",
        "Y1: 30 in stock, no price (no_rate_card), transit days unknown",
    ]
    assert plan.chosen == ("Y1",) and plan.late is True  # unknown days cannot be shown to keep the promise


def test_a_late_choice_is_flagged():
    plan = route_plan(demand={"A": 1}, candidates=[LAX], promise=1)

    assert plan.chosen == ("LAX1",) and plan.late and "misses the delivery promise" in plan.summary


@pytest.mark.parametrize(
    ("days_left", "level", "expected"),
    [
        (5, "Standard", 5),
        (-2, "", 0),
        (None, "Standard", None),
        (None, "NextDay", 1),
        (None, "SecondDay / Two Day", 2),
        (None, "Expedited", 3),
        (4, "Express", 4),  # the platform's deadline wins over the words
    ],
)
def test_promise_days(days_left, level, expected):
    assert promise_days(days_until_deliver_by=days_left, service_level=level) == expected


# --- the parts of a decision and their cost ----------------------------------------------------------------
def _pricer(table: dict[tuple[str, tuple[tuple[str, int], ...]], tuple[str, int]]):
    """A part pricer from a table: (warehouse, part lines) → (cost, days)."""

    def price(candidate: Candidate, lines: tuple[tuple[str, int], ...]) -> PartQuote:
        cost, days = table[(candidate.code, lines)]
        return PartQuote(cost=Decimal(cost), cost_label=f"USD {cost}", days=days)

    return price


def test_a_splits_estimated_cost_is_the_sum_of_its_parts_each_with_its_reason():
    # given two warehouses that each hold one SKU, and prices for each part's own parcel
    price = _pricer({("ATL1", (("A", 2),)): ("2.20", 3), ("DFW1", (("B", 1),)): ("1.10", 2)})

    # when the order is split
    plan = route_plan(
        demand={"A": 2, "B": 1},
        candidates=[ONLY_A, ONLY_B],
        allow_split=True,
        price_part=price,
        currency="USD",
    )

    # then each part is priced for its own parcel, and the decision's cost is their sum
    assert plan.outcome == Outcome.SPLIT
    assert [(p.code, p.lines, p.cost) for p in plan.parts] == [
        ("ATL1", (("A", 2),), Decimal("2.20")),
        ("DFW1", (("B", 1),), Decimal("1.10")),
    ]
    assert [p.text for p in plan.parts] == [
        "ATL1 ships A ×2: USD 2.20, 3 days",
        "DFW1 ships B ×1: USD 1.10, 2 days",
    ]
    assert plan.estimated_cost == Decimal("3.30")
    assert plan.summary == "split: 2 parcels from ATL1, DFW1, USD 3.30 in all"


def test_the_split_is_chosen_on_the_parts_own_prices_not_the_whole_parcels():
    # given B can come from Q (cheaper for the whole order) or R (cheaper for B's own parcel)
    p = wh("P1", {"A": 5}, "1.00", 2)
    q = wh("Q1", {"B": 5}, "2.00", 2)
    r = wh("R1", {"B": 5}, "5.00", 2)
    price = _pricer(
        {
            ("P1", (("A", 1),)): ("1.00", 2),
            ("Q1", (("B", 1),)): ("4.00", 2),
            ("R1", (("B", 1),)): ("1.50", 2),
        }
    )

    plan = route_plan(demand={"A": 1, "B": 1}, candidates=[p, q, r], allow_split=True, price_part=price)

    assert plan.chosen == ("P1", "R1")
    assert plan.estimated_cost == Decimal("2.50")


def test_a_part_without_a_price_leaves_the_estimate_unknown_and_a_single_uses_its_quote():
    split = route_plan(demand={"A": 1, "B": 1}, candidates=[ONLY_A, wh("DFW1", {"B": 3})], allow_split=True)
    single = route_plan(demand={"A": 2}, candidates=[LAX])

    assert split.outcome == Outcome.SPLIT and split.estimated_cost is None
    assert [p.text for p in split.parts] == ["ATL1 ships A ×1: USD 3.00, 3 days", "DFW1 ships B ×1: no price"]
    assert single.estimated_cost == Decimal("4.10")
    assert [p.text for p in single.parts] == ["LAX1 ships A ×2: USD 4.10, 3 days"]
    assert route_plan(demand={"A": 99}, candidates=[LAX]).estimated_cost is None  # backorder


def test_a_split_part_that_misses_the_promise_makes_the_decision_late():
    price = _pricer({("ATL1", (("A", 1),)): ("2.00", 1), ("DFW1", (("B", 1),)): ("2.00", 5)})

    plan = route_plan(
        demand={"A": 1, "B": 1}, candidates=[ONLY_A, ONLY_B], promise=3, allow_split=True, price_part=price
    )

    assert plan.late and [p.keeps_promise for p in plan.parts] == [True, False]
    assert plan.parts[1].text == "DFW1 ships B ×1: USD 2.00, 5 days, misses the promise"
