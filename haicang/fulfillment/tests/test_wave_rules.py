"""Wave planning, pick mode and batches, pure: grouping, order, splitting, slots; 10,000 requests quickly."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicang.fulfillment.wave_rules import (
    BatchSlot,
    PickMode,
    PickModeRule,
    WaveCandidate,
    batches_form,
    pick_mode,
    pick_plan,
    waves_plan,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UPS_1500 = NOW + timedelta(hours=6)
DHL_1200 = NOW + timedelta(hours=3)


def req(
    key: str,
    pickup: datetime = UPS_1500,
    level: str = "ground",
    zone: str = "A",
    units: int = 1,
    lines: int = 1,
    volume: int = 1_000_000,
    first: int | None = None,
) -> WaveCandidate:
    return WaveCandidate(key, pickup, level, zone, units, lines, units * 300, volume, first)


def test_waves_group_by_pickup_level_and_zone_earliest_pickup_first() -> None:
    # given requests for two pick-ups, two service levels and two zones, listed mixed
    candidates = [
        req("r1"),
        req("r2", level="express"),
        req("r3", pickup=DHL_1200),
        req("r4", zone="B"),
        req("r5"),
        req("r6", level="economy", pickup=DHL_1200),
        req("r7", level="same_day"),
    ]
    # when planned
    waves = waves_plan(candidates, max_units_per_wave=100, max_requests_per_wave=100, now=NOW)
    # then one wave per group: earliest pick-up first, faster service first, then zone; requests in given order
    assert [(w.number, w.pickup_at, w.service_level, w.zone, w.keys) for w in waves] == [
        (1, DHL_1200, "ground", "A", ("r3",)),
        (2, DHL_1200, "economy", "A", ("r6",)),
        (3, UPS_1500, "express", "A", ("r2",)),
        (4, UPS_1500, "ground", "A", ("r1", "r5")),
        (5, UPS_1500, "ground", "B", ("r4",)),
        (6, UPS_1500, "same_day", "A", ("r7",)),
    ]
    assert waves[0].minutes_to_pickup == 180
    assert waves[3].units == 2 and waves[3].est_weight_g == 600


@pytest.mark.parametrize(
    ("units", "max_units", "max_requests", "expected", "oversized"),
    [
        pytest.param([1, 1, 1, 1, 1], 100, 2, [2, 2, 1], [], id="by request count"),
        pytest.param([4, 4, 4, 4], 10, 100, [2, 2], [], id="by units"),
        pytest.param([3, 30, 3], 10, 100, [1, 1, 1], [2], id="a request above the unit limit alone"),
        pytest.param([5, 5], 10, 2, [2], [], id="exactly at both limits"),
    ],
)
def test_oversized_groups_are_split_in_the_order_given(
    units: list[int], max_units: int, max_requests: int, expected: list[int], oversized: list[int]
) -> None:
    # given one group / when planned with limits
    candidates = [req(f"r{i}", units=u) for i, u in enumerate(units)]
    waves = waves_plan(candidates, max_units_per_wave=max_units, max_requests_per_wave=max_requests, now=NOW)
    # then consecutive chunks within the limits
    assert [len(w.keys) for w in waves] == expected
    assert [w.number for w in waves if w.oversized] == oversized
    assert [k for w in waves for k in w.keys] == [c.key for c in candidates]


def test_a_missed_pickup_is_still_planned_and_flagged() -> None:
    waves = waves_plan(
        [req("late", pickup=NOW - timedelta(minutes=30)), req("on time")],
        max_units_per_wave=10,
        max_requests_per_wave=10,
        now=NOW,
    )
    assert [(w.keys, w.pickup_missed, w.minutes_to_pickup) for w in waves] == [
        (("late",), True, -30),
        (("on time",), False, 360),
    ]


@pytest.mark.parametrize(
    ("candidates", "now", "message"),
    [
        pytest.param([req("a"), req("a")], NOW, "twice", id="duplicate"),
        pytest.param([req("a", pickup=datetime(2026, 3, 2, 15))], NOW, "aware", id="naive pickup"),  # noqa: DTZ001
        pytest.param([req("a")], datetime(2026, 3, 2, 9), "aware", id="naive now"),  # noqa: DTZ001
        pytest.param([req("a", units=-1)], NOW, "negative", id="negative units"),
    ],
)
def test_bad_candidates_are_refused(candidates: list[WaveCandidate], now: datetime, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        waves_plan(candidates, max_units_per_wave=10, max_requests_per_wave=10, now=now)


@pytest.mark.parametrize(
    ("request_", "mode"),
    [
        pytest.param(req("small", units=2, lines=2), PickMode.BATCH, id="small"),
        pytest.param(req("many units", units=10), PickMode.SINGLE, id="units at threshold"),
        pytest.param(req("many lines", units=6, lines=6), PickMode.SINGLE, id="lines at threshold"),
        pytest.param(req("bulky", units=1, volume=40_000_000), PickMode.SINGLE, id="volume at threshold"),
        pytest.param(req("just under", units=9, lines=5, volume=39_999_999), PickMode.BATCH, id="just under"),
    ],
)
def test_pick_mode_sends_large_requests_to_single_picking(request_: WaveCandidate, mode: PickMode) -> None:
    assert pick_mode(request_) is mode


def test_pick_mode_thresholds_are_a_rule() -> None:
    assert pick_mode(req("x", units=3), PickModeRule(single_min_units=3)) is PickMode.SINGLE


def test_batches_gather_nearby_orders_with_numbered_slots() -> None:
    # given small requests, some with known floor positions
    requests = [
        req("far", units=2, first=900),
        req("unknown", units=1),
        req("near", units=1, first=10),
        req("middle", units=3, first=400),
    ]
    # when batched by three orders and five units
    batches = batches_form(requests, max_orders_per_batch=3, max_units_per_batch=5)
    # then in floor order, unknown last; slots 1.. per batch
    assert [(b.number, b.slots, b.units) for b in batches] == [
        (1, (BatchSlot(1, "near", 1), BatchSlot(2, "middle", 3)), 4),
        (2, (BatchSlot(1, "far", 2), BatchSlot(2, "unknown", 1)), 3),
    ]


def test_a_request_too_big_for_a_batch_is_refused_there_and_picked_singly_in_the_plan() -> None:
    big = req("big", units=8)
    with pytest.raises(ValueError, match="singly"):
        batches_form([big], max_orders_per_batch=10, max_units_per_batch=6)
    plan = pick_plan(
        [big, req("large", units=12), req("s1"), req("s2")], max_orders_per_batch=10, max_units_per_batch=6
    )
    assert plan.singles == ("big", "large")
    assert [[s.key for s in b.slots] for b in plan.batches] == [["s1", "s2"]]


candidate_lists = st.lists(
    st.builds(
        req,
        key=st.just(""),
        pickup=st.sampled_from([DHL_1200, UPS_1500, NOW - timedelta(hours=1)]),
        level=st.sampled_from(["express", "ground", "economy", "other"]),
        zone=st.sampled_from(["A", "B"]),
        units=st.integers(min_value=0, max_value=30),
        lines=st.integers(min_value=0, max_value=8),
        first=st.none() | st.integers(min_value=1, max_value=500),
    ),
    max_size=60,
).map(lambda cs: [c._replace(key=f"r{i}") for i, c in enumerate(cs)])


@settings(max_examples=100)
@given(
    candidates=candidate_lists,
    max_units=st.integers(min_value=1, max_value=50),
    max_requests=st.integers(min_value=1, max_value=10),
)
def test_waves_partition_the_candidates_within_limits(
    candidates: list[WaveCandidate], max_units: int, max_requests: int
) -> None:
    # given any candidates / when planned
    waves = waves_plan(candidates, max_units_per_wave=max_units, max_requests_per_wave=max_requests, now=NOW)
    # then every request is in exactly one wave, of its own group
    assert sorted(k for w in waves for k in w.keys) == sorted(c.key for c in candidates)
    by_key = {c.key: c for c in candidates}
    for w in waves:
        assert {(by_key[k].pickup_at, by_key[k].service_level, by_key[k].zone) for k in w.keys} == {
            (w.pickup_at, w.service_level, w.zone)
        }
        assert w.units == sum(by_key[k].units for k in w.keys)
        # within both limits, unless one oversized request
        assert len(w.keys) <= max_requests
        assert w.units <= max_units or (w.oversized and len(w.keys) == 1)
    # and the waves come earliest pick-up first, numbered 1..n
    assert [w.pickup_at for w in waves] == sorted(w.pickup_at for w in waves)
    assert [w.number for w in waves] == list(range(1, len(waves) + 1))


@settings(max_examples=100)
@given(candidates=candidate_lists, max_orders=st.integers(1, 10), max_units=st.integers(30, 60))
def test_batches_partition_the_requests_within_limits(
    candidates: list[WaveCandidate], max_orders: int, max_units: int
) -> None:
    batches = batches_form(candidates, max_orders_per_batch=max_orders, max_units_per_batch=max_units)
    assert sorted(s.key for b in batches for s in b.slots) == sorted(c.key for c in candidates)
    for b in batches:
        assert [s.slot for s in b.slots] == list(range(1, len(b.slots) + 1))
        assert len(b.slots) <= max_orders and b.units <= max_units


def test_ten_thousand_requests_plan_in_well_under_a_second() -> None:
    # given 10,000 requests over 6 pick-ups, 4 levels and 3 zones
    pickups = [NOW + timedelta(hours=h) for h in range(1, 7)]
    candidates = [
        req(
            f"r{i}",
            pickups[i % 6],
            ["express", "ground", "economy", "expedited"][i % 4],
            "ABC"[i % 3],
            1 + i % 7,
        )
        for i in range(10_000)
    ]
    # when planned and each wave's pick work formed
    started = time.perf_counter()
    waves = waves_plan(candidates, max_units_per_wave=400, max_requests_per_wave=150, now=NOW)
    by_key = {c.key: c for c in candidates}
    for w in waves:
        pick_plan([by_key[k] for k in w.keys], max_orders_per_batch=12, max_units_per_batch=40)
    elapsed = time.perf_counter() - started
    # then all planned, fast
    assert sum(len(w.keys) for w in waves) == 10_000
    assert elapsed < 1.0
