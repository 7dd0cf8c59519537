"""Pick paths and wave planning, pure (no database): walking distance on the demo layout, gap to the optimum,
pick lists routed per second, and wave planning for 10,000 requests.

The floor is the demo warehouses' pick face, planned by the same pure layout module the demo uses
(``haicang.network.layout``): zone A, 6 aisles × 10 racks × 4 levels × 2 positions from (5 m, 10 m), aisles
3 m apart, racks 2.7 m wide; the picker starts and ends at the dock area DOCK-01 (2 m, 2 m). Pick lists draw
distinct bins at random (fixed seed); "order-line order" visits them in the order drawn, as an order lists its
lines. Distances are measured both as Manhattan and aisle-aware (cross-aisles at both aisle ends).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench.harness import Table
from haicang.fulfillment.pick_path import (
    Aisles,
    Point,
    Stop,
    aisles_infer,
    route_exact,
    route_improved,
    route_in_sequence,
    route_length_mm,
)
from haicang.fulfillment.wave_rules import WaveCandidate, pick_plan, waves_plan
from haicang.network.layout import BinRange, Layout, plan_range

DEPOT = Point(2_000, 2_000)  # DOCK-01
SEED = 20_260_302


def demo_pick_face() -> list[Stop]:
    """Zone A of a demo warehouse, as ``haicang.demo.world`` creates it; the first range, so sequences 1…."""
    bins = BinRange.of(zone="A", aisles=(1, 6), racks=(1, 10), levels=(1, 4), positions=(1, 2))
    layout = Layout(origin_x_m=Decimal("5.00"), origin_y_m=Decimal("10.00"))
    return [
        Stop(str(b.code), b.walk_index + 1, int(b.point.x * 1000), int(b.point.y * 1000))
        for b in plan_range(bins, layout)
    ]


def pick_lists(face: Sequence[Stop], *, size: int, count: int, rng: random.Random) -> list[list[Stop]]:
    """``count`` lists of ``size`` distinct bins, in the order drawn (the order lines' order)."""
    return [rng.sample(list(face), size) for _ in range(count)]


def _mean_m(lengths: Sequence[int]) -> str:
    return f"{statistics.fmean(lengths) / 1000:.1f}"


def _saving(better: Sequence[int], worse: Sequence[int]) -> str:
    return f"{(1 - sum(better) / sum(worse)) * 100:.1f} %"


def distances(face: Sequence[Stop], aisles: Aisles, *, sizes: Sequence[int], count: int) -> Table:
    table = Table(
        "Pick-path distance on the demo pick face (mean metres per list; saving of the improved route)",
        [
            "metric",
            "bins",
            "lists",
            "order-line m",
            "sequence m",
            "improved m",
            "vs order-line",
            "vs sequence",
        ],
    )
    for metric, floor in (("manhattan", None), ("aisle-aware", aisles)):
        rng = random.Random(SEED)
        for size in sizes:
            lists = pick_lists(face, size=size, count=count, rng=rng)
            as_drawn = [route_length_mm(s, DEPOT, aisles=floor) for s in lists]
            in_seq = [route_length_mm(route_in_sequence(s), DEPOT, aisles=floor) for s in lists]
            improved = [
                route_length_mm(route_improved(s, DEPOT, aisles=floor), DEPOT, aisles=floor) for s in lists
            ]
            table.add(
                metric,
                size,
                count,
                _mean_m(as_drawn),
                _mean_m(in_seq),
                _mean_m(improved),
                _saving(improved, as_drawn),
                _saving(improved, in_seq),
            )
    return table


def optimality_gap(face: Sequence[Stop], aisles: Aisles, *, sizes: Sequence[int], count: int) -> Table:
    table = Table(
        "Improved route vs the exact optimum (Held-Karp) on small lists",
        ["metric", "bins", "lists", "mean gap", "worst gap", "optimal lists", "exact ms/list"],
    )
    for metric, floor in (("manhattan", None), ("aisle-aware", aisles)):
        rng = random.Random(SEED + 1)
        for size in sizes:
            gaps: list[float] = []
            exact_seconds = 0.0
            for stops in pick_lists(face, size=size, count=count, rng=rng):
                improved = route_length_mm(route_improved(stops, DEPOT, aisles=floor), DEPOT, aisles=floor)
                started = time.perf_counter()
                exact = route_length_mm(route_exact(stops, DEPOT, aisles=floor), DEPOT, aisles=floor)
                exact_seconds += time.perf_counter() - started
                gaps.append(improved / exact - 1)
            table.add(
                metric,
                size,
                count,
                f"{statistics.fmean(gaps) * 100:.2f} %",
                f"{max(gaps) * 100:.2f} %",
                f"{sum(g == 0 for g in gaps)}/{count}",
                f"{exact_seconds / count * 1000:.1f}",
            )
    return table


def throughput(face: Sequence[Stop], aisles: Aisles, *, sizes: Sequence[int], count: int) -> Table:
    table = Table(
        "Pick lists routed per second (route_improved, one core)", ["metric", "bins", "lists", "lists/s"]
    )
    for metric, floor in (("manhattan", None), ("aisle-aware", aisles)):
        rng = random.Random(SEED + 2)
        for size in sizes:
            lists = pick_lists(face, size=size, count=count, rng=rng)
            started = time.perf_counter()
            for stops in lists:
                route_improved(stops, DEPOT, aisles=floor)
            table.add(metric, size, count, f"{count / (time.perf_counter() - started):,.0f}")
    return table


def wave_candidates(count: int, now: datetime, rng: random.Random) -> list[WaveCandidate]:
    pickups = [now + timedelta(hours=h, minutes=30) for h in range(1, 9)]
    levels = ["express", "expedited", "ground", "economy"]
    candidates = []
    for i in range(count):
        units = 1 + min(int(rng.expovariate(0.5)), 40)
        lines = max(1, min(units, 1 + int(rng.expovariate(0.8))))
        candidates.append(
            WaveCandidate(
                key=f"FR-{i:06d}",
                pickup_at=rng.choice(pickups),
                service_level=rng.choices(levels, weights=[1, 2, 5, 2])[0],
                zone=rng.choice("AB"),
                units=units,
                lines=lines,
                est_weight_g=units * rng.randint(80, 2_500),
                est_volume_mm3=units * rng.randint(100_000, 6_000_000),
                first_pick_sequence=rng.randint(1, 480),
            )
        )
    return candidates


def waves(*, sizes: Sequence[int], repeat: int = 3) -> Table:
    table = Table(
        "Wave planning, pure part (group, order, split; then single/batch pick work per wave), best of 3",
        ["requests", "waves", "singles", "batches", "plan ms", "pick work ms", "total ms"],
    )
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    for size in sizes:
        candidates = wave_candidates(size, now, random.Random(SEED + 3))
        by_key = {c.key: c for c in candidates}
        plan_s = work_s = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            planned = waves_plan(candidates, max_units_per_wave=600, max_requests_per_wave=200, now=now)
            planned_at = time.perf_counter()
            plans = [
                pick_plan([by_key[k] for k in w.keys], max_orders_per_batch=12, max_units_per_batch=40)
                for w in planned
            ]
            plan_s = min(plan_s, planned_at - started)
            work_s = min(work_s, time.perf_counter() - planned_at)
        assert sum(len(w.keys) for w in planned) == size
        table.add(
            size,
            len(planned),
            sum(len(p.singles) for p in plans),
            sum(len(p.batches) for p in plans),
            f"{plan_s * 1000:.1f}",
            f"{work_s * 1000:.1f}",
            f"{(plan_s + work_s) * 1000:.1f}",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", help="ignored: pure")
    parser.add_argument("--url", help="ignored: pure")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    face = demo_pick_face()
    aisles = aisles_infer(face, clearance_mm=1_000)
    count = 50 if args.quick else 300
    print(distances(face, aisles, sizes=(5, 10, 20, 40), count=count).render(), end="\n\n")
    gap_sizes = (6, 8, 10) if args.quick else (6, 8, 10, 12)
    print(optimality_gap(face, aisles, sizes=gap_sizes, count=20 if args.quick else 100).render(), end="\n\n")
    print(throughput(face, aisles, sizes=(10, 20, 40), count=count).render(), end="\n\n")
    print(waves(sizes=(10_000,) if args.quick else (10_000, 50_000)).render(), end="\n\n")


if __name__ == "__main__":
    main()
