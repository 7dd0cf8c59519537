"""Pick paths, pure: distances (Manhattan and aisle-aware), the sequence route, 2-opt/or-opt and Held-Karp."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicang.fulfillment.pick_path import (
    MAX_EXACT_STOPS,
    Aisle,
    Point,
    Stop,
    aisles_infer,
    distance_mm,
    route_exact,
    route_improved,
    route_in_sequence,
    route_length_mm,
)

DEPOT = Point(0, 0)
# Two aisles 3 m apart, racks from y = 10 m to y = 30 m; cross-aisles at both ends.
AISLES = {5_000: Aisle(5_000, 10_000, 30_000), 8_000: Aisle(8_000, 10_000, 30_000)}


def stop(key: str, sequence: int, x: int, y: int) -> Stop:
    return Stop(key=key, sequence=sequence, x_mm=x, y_mm=y)


@pytest.mark.parametrize(
    ("a", "b", "aisles", "expected"),
    [
        pytest.param(Point(0, 0), Point(3, 4), None, 7, id="manhattan"),
        pytest.param(Point(5_000, 12_000), Point(5_000, 28_000), AISLES, 16_000, id="same aisle: straight"),
        # Mid-aisle to mid-aisle: out at the front (2 m + 2 m) beats the back (18 m + 18 m); plus 3 m across.
        pytest.param(
            Point(5_000, 12_000), Point(8_000, 12_000), AISLES, 7_000, id="next aisle via the front"
        ),
        pytest.param(Point(5_000, 28_000), Point(8_000, 27_000), AISLES, 8_000, id="next aisle via the back"),
        # Manhattan would say 3 m: through the racks.
        pytest.param(Point(5_000, 20_000), Point(8_000, 20_000), AISLES, 23_000, id="middle to middle"),
        pytest.param(Point(0, 0), Point(5_000, 20_000), AISLES, 25_000, id="depot in front: manhattan"),
        pytest.param(Point(5_000, 5_000), Point(5_000, 20_000), AISLES, 15_000, id="in front of the aisle"),
        pytest.param(Point(0, 0), Point(1, 1), AISLES, 2, id="open floor both"),
    ],
)
def test_distance_is_manhattan_or_walks_round_the_racks(
    a: Point, b: Point, aisles: dict[int, Aisle] | None, expected: int
) -> None:
    # given two points / when measured / then the walk, and the same either way
    assert distance_mm(a, b, aisles) == expected
    assert distance_mm(b, a, aisles) == expected


def test_aisles_are_inferred_from_every_bin_of_the_zone() -> None:
    # given the bins of two aisles
    bins = [Point(5_000, 11_000), Point(5_000, 29_000), Point(8_000, 15_000), Point(8_000, 12_000)]
    # when the aisles are inferred with a 1 m clearance to the cross-aisles
    aisles = aisles_infer(bins, clearance_mm=1_000)
    # then one aisle per x, ends past the first and last bin
    assert aisles == {5_000: Aisle(5_000, 10_000, 30_000), 8_000: Aisle(8_000, 11_000, 16_000)}


def test_sequence_route_follows_the_pick_sequence_with_ties_by_key() -> None:
    # given stops listed out of order
    stops = [stop("c", 3, 0, 0), stop("b", 1, 9, 9), stop("a", 1, 5, 5)]
    # when routed in sequence / then by sequence, then key
    assert [s.key for s in route_in_sequence(stops, DEPOT)] == ["a", "b", "c"]


def test_a_bin_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        route_improved([stop("a", 1, 0, 0), stop("a", 2, 1, 1)], DEPOT)


def test_route_length_walks_out_and_back() -> None:
    # given two stops on a line / when measured from the depot and back
    route = [stop("a", 1, 1_000, 0), stop("b", 2, 3_000, 0)]
    # then out 3 m and back 3 m; to a separate end point just the way there and on
    assert route_length_mm(route, DEPOT) == 6_000
    assert route_length_mm(route, DEPOT, end=Point(3_000, 1_000)) == 4_000
    assert route_length_mm([], DEPOT) == 0


def test_improvement_untangles_a_crossing_route() -> None:
    # given a sequence that zig-zags across a square
    stops = [
        stop("a", 1, 0, 10_000),
        stop("b", 2, 10_000, 0),
        stop("c", 3, 10_000, 10_000),
        stop("d", 4, 0, 1),
    ]
    start = Point(0, 0)
    # when improved
    route = route_improved(stops, start)
    # then it walks the square once round, as short as the optimum
    assert route_length_mm(route, start) == route_length_mm(route_exact(stops, start), start) == 40_000
    assert route_length_mm(route_in_sequence(stops), start) > 40_000


def test_without_iterations_the_shorter_start_is_kept() -> None:
    # given bins a sequence order zig-zags through, that the nearest-neighbour walk takes in a line
    stops = [stop("a", 1, 1_000, 0), stop("b", 2, 3_000, 0), stop("c", 3, 2_000, 0)]
    # when improved with no iterations of local search, ending at the far end of the line
    route = route_improved(stops, DEPOT, end=Point(10_000, 0), max_iterations=0)
    # then the nearest-neighbour route, shorter than the sequence route
    assert [s.key for s in route] == ["a", "c", "b"]
    # and when the sequence route is as short, the sequence route
    in_line = [stop("b", 1, 2_000, 0), stop("a", 2, 1_000, 0)]
    assert route_improved(in_line, DEPOT, max_iterations=0) == in_line


def test_exact_matches_brute_force_on_a_small_list() -> None:
    # given six scattered stops and a separate end point
    stops = [stop(k, i, x, y) for i, (k, x, y) in enumerate(
        [("a", 7, 3), ("b", 1, 8), ("c", 9, 9), ("d", 2, 2), ("e", 6, 1), ("f", 4, 7)]
    )]  # fmt: skip
    end = Point(10, 0)
    # when solved exactly / then no permutation is shorter
    best = min(route_length_mm(p, DEPOT, end=end) for p in itertools.permutations(stops))
    assert route_length_mm(route_exact(stops, DEPOT, end=end), DEPOT, end=end) == best


def test_exact_refuses_long_lists() -> None:
    stops = [stop(str(i), i, i, i) for i in range(MAX_EXACT_STOPS + 1)]
    with pytest.raises(ValueError, match="at most"):
        route_exact(stops, DEPOT)


def test_routes_are_deterministic() -> None:
    stops = [stop(str(i), i, (i * 7919) % 40_000, (i * 104_729) % 30_000) for i in range(40)]
    assert route_improved(stops, DEPOT) == route_improved(list(reversed(stops)), DEPOT)


coordinates = st.integers(min_value=0, max_value=40_000)
stop_lists = st.lists(
    st.tuples(st.integers(min_value=1, max_value=500), coordinates, coordinates), max_size=9
).map(lambda rows: [stop(f"B{i}", seq, x, y) for i, (seq, x, y) in enumerate(rows)])
floor_aisles = st.sampled_from([None, {x: Aisle(x, 0, 40_000) for x in range(0, 40_001, 4_000)}])


def snap(stops: list[Stop], aisles: dict[int, Aisle] | None) -> list[Stop]:
    """Put stops onto the aisles' x when there are aisles."""
    if not aisles:
        return stops
    return [s._replace(x_mm=s.x_mm // 4_000 * 4_000) for s in stops]


@settings(max_examples=60)
@given(stops=stop_lists, start=st.builds(Point, coordinates, coordinates), aisles=floor_aisles)
def test_exact_is_never_longer_than_improved_nor_improved_than_the_sequence(
    stops: list[Stop], start: Point, aisles: dict[int, Aisle] | None
) -> None:
    # given any list of bins and a start point
    stops = snap(stops, aisles)
    # when routed three ways
    in_sequence = route_in_sequence(stops, start)
    improved = route_improved(stops, start, aisles=aisles)
    exact = route_exact(stops, start, aisles=aisles)
    # then every route visits every bin exactly once
    for route in (in_sequence, improved, exact):
        assert sorted(route) == sorted(stops)
    # and exact <= improved <= in sequence
    lengths = [route_length_mm(r, start, aisles=aisles) for r in (exact, improved, in_sequence)]
    assert lengths == sorted(lengths)


@settings(max_examples=40)
@given(
    stops=st.lists(st.tuples(coordinates, coordinates), min_size=10, max_size=40).map(
        lambda rows: [stop(f"B{i}", i, x, y) for i, (x, y) in enumerate(rows)]
    ),
    end=st.builds(Point, coordinates, coordinates),
)
def test_improved_long_lists_visit_every_bin_once_and_never_lengthen(stops: list[Stop], end: Point) -> None:
    improved = route_improved(stops, DEPOT, end=end)
    assert sorted(improved) == sorted(stops)
    assert route_length_mm(improved, DEPOT, end=end) <= route_length_mm(stops, DEPOT, end=end)
