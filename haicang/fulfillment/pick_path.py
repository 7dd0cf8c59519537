"""Pick paths: the order in which a picker visits a pick list's bins. Pure: no Django import.

A pick list names bins (:class:`Stop`: a key, the bin's pick sequence and its floor point in millimetres).
The picker leaves a start point (the cart pick-up or the pack station), visits every bin once and walks back
to the start (or to a separate ``end``, e.g. the pack station when the carts stand elsewhere).

**Routes.**

- :func:`route_in_sequence` walks the bins in pick-sequence order (the serpentine walk order the layout gave
  the bins, ``haicang.network.layout``): the standard "S-shape" route, and the starting point of the others.
- :func:`route_improved` improves the sequence route by **2-opt** (reverse a stretch of the route) and
  **or-opt** (move a run of one to three bins elsewhere, either way round), first improvement first: 2-opt
  until it finds nothing, then an or-opt sweep, again while or-opt finds something, for at most
  ``max_iterations`` rounds. It does the same from two more starts, the nearest-neighbour route and the
  sequence walked backwards, and keeps the shortest result (the sequence one on a tie). Only strictly shorter moves are taken, so the result is never
  longer than the sequence route; it is deterministic (fixed scan order, integer distances, ties broken by the
  sequence).
- :func:`route_exact` solves the small case exactly (Held-Karp dynamic programming, at most
  :data:`MAX_EXACT_STOPS` bins): the yardstick the benchmark measures the heuristic's gap against.

OR-Tools' routing solver is not used: it is not installed, and on the demo layout this search is within a
fraction of a percent of the optimum on average (``bench/fulfillment_paths.py``, ``docs/fulfillment.md``).

**Walking distance.** Without a floor plan, :func:`distance_mm` is the rectilinear (Manhattan) distance
``|dx| + |dy|``, as in ``haicang.network.layout``: exact within one aisle and along a cross-aisle, a lower bound
when the walk leaves one aisle mid-way for another (the picker must first walk to an aisle end). Given the
aisles (:class:`Aisle`, e.g. from :func:`aisles_infer` over the zone's bins), the distance is **aisle-aware**:
between two aisles the picker walks to the front or the back end of the first, along the cross-aisle, and into
the second, whichever is shorter. Its limits: aisles are straight walkways parallel to the y axis with a
cross-aisle at both ends only (no middle cross-aisles), one aisle per distinct ``x``, a bin is reached from the aisle point at its own
``x`` (both faces of an aisle share it), any point not on an aisle (a depot, a dock) is open floor, and
congestion, one-way aisles and lift or ladder time for high levels are ignored.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

MAX_EXACT_STOPS = 12
"""The most bins :func:`route_exact` accepts (Held-Karp is O(2ⁿ·n²))."""

DEFAULT_MAX_ITERATIONS = 50


class Located(Protocol):
    @property
    def x_mm(self) -> int: ...

    @property
    def y_mm(self) -> int: ...


class Point(NamedTuple):
    """A point on the floor (millimetres): the start or end of a walk."""

    x_mm: int
    y_mm: int


class Stop(NamedTuple):
    """A bin to visit: its key (e.g. the location id or code), pick sequence and floor point."""

    key: str
    sequence: int
    x_mm: int
    y_mm: int


@dataclass(frozen=True, slots=True)
class Aisle:
    """An aisle: a walkway along y at ``x_mm``, entered from cross-aisles at ``front_y_mm`` and ``back_y_mm``."""

    x_mm: int
    front_y_mm: int
    back_y_mm: int


Aisles = Mapping[int, Aisle]
"""Aisles by their ``x_mm``."""


def aisles_infer(points: Iterable[Located], *, clearance_mm: int = 0) -> dict[int, Aisle]:
    """The aisles of a zone from its bins' points: one per distinct ``x``, its ends ``clearance_mm`` past the
    first and last bin (the cross-aisle's centre line beyond the rack end). Pass every bin of the zone, not just
    a pick list's: a list's bins do not reach the aisle ends."""
    ends: dict[int, tuple[int, int]] = {}
    for p in points:
        low, high = ends.get(p.x_mm, (p.y_mm, p.y_mm))
        ends[p.x_mm] = (min(low, p.y_mm), max(high, p.y_mm))
    return {
        x: Aisle(x_mm=x, front_y_mm=low - clearance_mm, back_y_mm=high + clearance_mm)
        for x, (low, high) in ends.items()
    }


def distance_mm(a: Located, b: Located, aisles: Aisles | None = None) -> int:
    """Millimetres walked from ``a`` to ``b``: Manhattan, or aisle-aware given ``aisles`` (module docstring)."""
    dx = abs(a.x_mm - b.x_mm)
    if not aisles:
        return dx + abs(a.y_mm - b.y_mm)
    in_a = aisles.get(a.x_mm)
    in_b = aisles.get(b.x_mm)
    if in_a is None and in_b is None:
        return dx + abs(a.y_mm - b.y_mm)
    if dx == 0 and in_a is not None and _within(in_a, a.y_mm) and _within(in_a, b.y_mm):
        return abs(a.y_mm - b.y_mm)
    return min(_via_end(a, in_a, b, in_b, dx, front=True), _via_end(a, in_a, b, in_b, dx, front=False))


def _via_end(a: Located, in_a: Aisle | None, b: Located, in_b: Aisle | None, dx: int, *, front: bool) -> int:
    """Leave a's aisle (if it is in one) at its front or back end, cross, enter b's aisle at the same end."""
    ay = (in_a.front_y_mm if front else in_a.back_y_mm) if in_a is not None else a.y_mm
    by = (in_b.front_y_mm if front else in_b.back_y_mm) if in_b is not None else b.y_mm
    return abs(a.y_mm - ay) + dx + abs(ay - by) + abs(by - b.y_mm)


def _within(aisle: Aisle, y: int) -> bool:
    return aisle.front_y_mm <= y <= aisle.back_y_mm


def route_length_mm(
    route: Sequence[Located], start: Located, *, end: Located | None = None, aisles: Aisles | None = None
) -> int:
    """Millimetres walked from ``start`` through ``route`` in order to ``end`` (default: back to ``start``)."""
    total = 0
    previous: Located = start
    for stop in route:
        total += distance_mm(previous, stop, aisles)
        previous = stop
    return total + distance_mm(previous, end if end is not None else start, aisles)


def _sequence_order(stops: Iterable[Stop]) -> list[Stop]:
    ordered = sorted(stops, key=lambda s: (s.sequence, s.key))
    keys = [s.key for s in ordered]
    if len(set(keys)) != len(keys):
        raise ValueError("a pick list visits each bin once: merge the lines of one bin into one stop")
    return ordered


def route_in_sequence(stops: Iterable[Stop], start: Located | None = None) -> list[Stop]:
    """The bins in pick-sequence order (ties by key). ``start`` is accepted for symmetry and not used."""
    del start
    return _sequence_order(stops)


def _matrix(points: Sequence[Located], aisles: Aisles | None) -> list[list[int]]:
    n = len(points)
    d = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            d[i][j] = d[j][i] = distance_mm(points[i], points[j], aisles)
    return d


def route_improved(
    stops: Iterable[Stop],
    start: Located,
    *,
    end: Located | None = None,
    aisles: Aisles | None = None,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> list[Stop]:
    """The sequence route improved by 2-opt and or-opt (module docstring); never longer than the sequence route.

    One iteration is 2-opt to its local optimum and one or-opt sweep; the search stops early when the or-opt
    sweep finds nothing. With ``max_iterations=0`` it is the shortest of the three starting routes.
    """
    if max_iterations < 0:
        raise ValueError("max_iterations cannot be negative")
    ordered = _sequence_order(stops)
    n = len(ordered)
    if n < 2:
        return ordered
    # Index 0 is the start, 1..n the stops in sequence order, n + 1 the end.
    d = _matrix([start, *ordered, end if end is not None else start], aisles)
    best: list[int] | None = None
    best_length = 0
    starts = (list(range(n + 2)), _nearest_neighbour(d), [0, *range(n, 0, -1), n + 1])
    for path in starts:
        for _ in range(max_iterations):
            # 2-opt to a local optimum first (cheap), then or-opt; again while or-opt finds something.
            while _two_opt_pass(path, d):
                pass
            if not _or_opt_pass(path, d):
                break
        length = sum(d[a][b] for a, b in itertools.pairwise(path))
        if best is None or length < best_length:
            best, best_length = path, length
    return [ordered[i - 1] for i in (best or [])[1:-1]]


def _nearest_neighbour(d: list[list[int]]) -> list[int]:
    """From the start, always on to the nearest unvisited stop (ties: the earlier in sequence); then the end."""
    end = len(d) - 1
    left = set(range(1, end))
    path = [0]
    while left:
        here = d[path[-1]]
        nearest = min(left, key=lambda k: (here[k], k))
        path.append(nearest)
        left.remove(nearest)
    return [*path, end]


def _two_opt_pass(path: list[int], d: list[list[int]]) -> bool:
    """Reverse ``path[i..j]`` wherever that shortens the walk; True if anything changed."""
    improved = False
    last = len(path) - 2  # the last stop's position
    for i in range(1, last):
        for j in range(i + 1, last + 1):
            a, b, c, e = path[i - 1], path[i], path[j], path[j + 1]
            if d[a][c] + d[b][e] < d[a][b] + d[c][e]:
                path[i : j + 1] = path[i : j + 1][::-1]
                improved = True
    return improved


def _or_opt_pass(path: list[int], d: list[list[int]]) -> bool:
    """Move a run of 1-3 stops between two other neighbours (either way round) wherever that shortens the walk."""
    improved = False
    for length in (1, 2, 3):
        i = 1
        while i + length <= len(path) - 1:
            j = i + length - 1  # the run is path[i..j]
            first, last = path[i], path[j]
            gain = d[path[i - 1]][first] + d[last][path[j + 1]] - d[path[i - 1]][path[j + 1]]
            to_first, to_last = d[first], d[last]  # d is symmetric: d[p][first] == d[first][p]
            # Insert between path[k] and path[k + 1], outside the run and its old place.
            for k in itertools.chain(range(i - 1), range(j + 1, len(path) - 1)):
                p, q = path[k], path[k + 1]
                if to_first[p] + to_last[q] - d[p][q] < gain:
                    run = path[i : j + 1]
                elif length > 1 and to_last[p] + to_first[q] - d[p][q] < gain:
                    run = path[i : j + 1][::-1]
                else:
                    continue
                rest = path[:i] + path[j + 1 :]
                at = k + 1 if k < i else k + 1 - length
                path[:] = [*rest[:at], *run, *rest[at:]]
                improved = True
                break
            else:
                i += 1
    return improved


def route_exact(
    stops: Iterable[Stop], start: Located, *, end: Located | None = None, aisles: Aisles | None = None
) -> list[Stop]:
    """The shortest route through at most :data:`MAX_EXACT_STOPS` bins (Held-Karp), ties to the sequence."""
    ordered = _sequence_order(stops)
    n = len(ordered)
    if n > MAX_EXACT_STOPS:
        raise ValueError(f"route_exact solves at most {MAX_EXACT_STOPS} stops, not {n}")
    if n < 2:
        return ordered
    d = _matrix([start, *ordered, end if end is not None else start], aisles)
    full = (1 << n) - 1
    infinity = 1 << 62
    # cost[mask * n + j]: the shortest walk from the start through the stops in ``mask``, ending at stop j.
    cost = [infinity] * ((1 << n) * n)
    parent = [-1] * ((1 << n) * n)
    for j in range(n):
        cost[(1 << j) * n + j] = d[0][j + 1]
    for mask in range(1, full + 1):
        base = mask * n
        for j in range(n):
            here = cost[base + j]
            if here == infinity or not mask & (1 << j):
                continue
            row = d[j + 1]
            for k in range(n):
                if mask & (1 << k):
                    continue
                slot = (mask | (1 << k)) * n + k
                walk = here + row[k + 1]
                if walk < cost[slot]:
                    cost[slot] = walk
                    parent[slot] = j
    best_j = min(range(n), key=lambda j: (cost[full * n + j] + d[j + 1][n + 1], j))
    order: list[int] = []
    mask, j = full, best_j
    while j != -1:
        order.append(j)
        j, mask = parent[mask * n + j], mask & ~(1 << j)
    return [ordered[j] for j in reversed(order)]
