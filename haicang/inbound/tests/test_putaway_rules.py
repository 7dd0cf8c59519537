"""The putaway suggestion as a pure rule: table-driven cases and properties checked by hypothesis."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicang.inbound.putaway_rules import (
    TEXTS,
    Bin,
    Fit,
    Item,
    Rule,
    putaway_suggest,
    room_for,
)

A = Item("A", unit_volume_mm3=1_000_000, unit_weight_g=500)  # 100 × 100 × 100 mm, 500 g
NO_DIMS = Item("N", unit_volume_mm3=None, unit_weight_g=500)
NO_WEIGHT = Item("W", unit_volume_mm3=1_000_000, unit_weight_g=None)
CAP = {"capacity_volume_mm3": 5_000_000, "capacity_weight_g": 50_000}  # five units of A


def pick(code: str, seq: int | None, **fields: object) -> Bin:
    return Bin(code, "pick", seq, **{**CAP, **fields})  # type: ignore[arg-type]


def bulk(code: str, seq: int | None, **fields: object) -> Bin:
    return Bin(code, "bulk", seq, **fields)  # type: ignore[arg-type]


def holding(code: str, seq: int | None, held: int, *, other_volume: int | None = 0, **fields: object) -> Bin:
    """A pick bin with ``held`` units of A (and ``other_volume`` mm³ of other things)."""
    used = None if other_volume is None else held * 1_000_000 + other_volume
    return pick(code, seq, held=held, used_volume_mm3=used, used_weight_g=held * 500, empty=False, **fields)


def full(code: str, seq: int | None, kind: str = "pick") -> Bin:
    """A bin holding someone else's stock that fills it."""
    return Bin(code, kind, seq, **CAP, used_volume_mm3=5_000_000, used_weight_g=100, empty=False)


CASES = [
    # (name, item, quantity, bins, expected bin, rule, fit, sentence codes)
    (
        "a pick bin holding the SKU with room wins over an empty bin nearer the start",
        A,
        2,
        [pick("P-1", 1), holding("P-9", 9, 3)],
        "P-9",
        Rule.HOLDS_SKU,
        Fit.YES,
        ["holds_room"],
    ),
    (
        "of two holding bins with room, the lower pick sequence",
        A,
        1,
        [holding("P-7", 7, 1), holding("P-3", 3, 4)],
        "P-3",
        Rule.HOLDS_SKU,
        Fit.YES,
        ["holds_room"],
    ),
    (
        "a holding bin without room for the quantity is passed over for an empty pick bin near it",
        A,
        3,
        [holding("P-10", 10, 3), pick("P-2", 2), pick("P-11", 11), pick("P-30", 30)],
        "P-11",
        Rule.EMPTY_PICK,
        Fit.YES,
        ["holders_full", "empty_pick", "nearest"],
    ),
    (
        "no bin holds the SKU: the empty pick bin lowest in pick sequence",
        A,
        5,
        [pick("P-5", 5), pick("P-2", 2), bulk("B-1", 1)],
        "P-2",
        Rule.EMPTY_PICK,
        Fit.YES,
        ["empty_pick", "lowest"],
    ),
    (
        "more than fits a pick bin goes to an empty bulk bin",
        A,
        6,
        [pick("P-1", 1), bulk("B-50", 50), bulk("B-40", 40)],
        "B-40",
        Rule.EMPTY_BULK,
        Fit.YES,
        ["no_pick_fits", "empty_bulk", "lowest"],
    ),
    (
        "a bulk bin holding the SKU anchors the nearest empty bin",
        A,
        6,
        [
            bulk("B-10", 10, held=9, used_volume_mm3=9_000_000, used_weight_g=4500, empty=False),
            bulk("B-90", 90),
            bulk("B-12", 12),
        ],
        "B-12",
        Rule.EMPTY_BULK,
        Fit.YES,
        ["no_pick_fits", "empty_bulk", "nearest"],
    ),
    (
        "a bin holding other stock is neither a holder nor empty",
        A,
        1,
        [full("P-1", 1), pick("P-2", 2)],
        "P-2",
        Rule.EMPTY_PICK,
        Fit.YES,
        ["empty_pick", "lowest"],
    ),
    (
        "unknown dimensions: a holding bin is still suggested, and the reason says its room is unknown",
        NO_DIMS,
        4,
        [pick("P-1", 1), pick("P-8", 8, held=2, used_volume_mm3=None, used_weight_g=1000, empty=False)],
        "P-8",
        Rule.HOLDS_SKU,
        Fit.UNKNOWN,
        ["holds_unchecked", "sku_volume_unknown"],
    ),
    (
        "unknown dimensions and no holder: a bulk bin without limits surely fits",
        NO_DIMS,
        4,
        [pick("P-1", 1), bulk("B-9", 9)],
        "B-9",
        Rule.EMPTY_BULK,
        Fit.YES,
        ["no_pick_fits", "empty_bulk", "lowest"],
    ),
    (
        "unknown dimensions, only limited bins: bulk first, and the reason says why it is unchecked",
        NO_DIMS,
        4,
        [pick("P-1", 1), bulk("B-9", 9, **CAP)],
        "B-9",
        Rule.EMPTY_BULK,
        Fit.UNKNOWN,
        ["no_pick_fits", "empty_bulk_unchecked", "lowest", "sku_volume_unknown"],
    ),
    (
        "unknown weight, only limited pick bins: an unchecked pick bin rather than nothing",
        NO_WEIGHT,
        1,
        [pick("P-4", 4), pick("P-3", 3)],
        "P-3",
        Rule.EMPTY_PICK,
        Fit.UNKNOWN,
        ["empty_pick_unchecked", "lowest", "sku_weight_unknown"],
    ),
    (
        "a holding bin whose other contents have no dimensions: room unknown, said so",
        A,
        1,
        [holding("P-6", 6, 1, other_volume=None)],
        "P-6",
        Rule.HOLDS_SKU,
        Fit.UNKNOWN,
        ["holds_unchecked", "bin_contents_unknown"],
    ),
    (
        "a sure fit elsewhere comes before an unchecked holder of the same rule",
        A,
        1,
        [holding("P-1", 1, 1, other_volume=None), holding("P-5", 5, 1)],
        "P-5",
        Rule.HOLDS_SKU,
        Fit.YES,
        ["holds_room"],
    ),
    (
        "too heavy for the pick bin although small enough",
        Item("H", unit_volume_mm3=1000, unit_weight_g=20_000),
        3,
        [pick("P-1", 1), bulk("B-2", 2)],
        "B-2",
        Rule.EMPTY_BULK,
        Fit.YES,
        ["no_pick_fits", "empty_bulk", "lowest"],
    ),
    (
        "bins without a pick sequence come last, by code",
        A,
        1,
        [pick("P-Z", None), pick("P-Y", None)],
        "P-Y",
        Rule.EMPTY_PICK,
        Fit.YES,
        ["empty_pick", "unsequenced"],
    ),
    (
        "receiving and other areas are never suggested",
        A,
        1,
        [Bin("RCV-01", "receiving", 1), pick("P-2", 2)],
        "P-2",
        Rule.EMPTY_PICK,
        Fit.YES,
        ["empty_pick", "lowest"],
    ),
]


@pytest.mark.parametrize(("name", "item", "quantity", "bins", "code", "rule", "fit", "sentences"), CASES)
def test_the_suggestion_table(name, item, quantity, bins, code, rule, fit, sentences):
    suggestion = putaway_suggest(item, quantity, bins)

    assert (suggestion.code, suggestion.rule, suggestion.fit) == (code, rule, fit), name
    assert [s.code for s in suggestion.sentences] == sentences, name
    assert code in suggestion.reason


def test_nothing_fits_and_the_reason_says_so():
    # given holding bins without room and only full or too small empty bins
    bins = [holding("P-1", 1, 5), full("P-2", 2), pick("P-3", 3), bulk("B-4", 4, **CAP)]

    suggestion = putaway_suggest(A, 6, bins)

    assert (suggestion.bin, suggestion.rule) == (None, Rule.NONE)
    assert suggestion.reason == (
        "No bin fits 6 × A. The pick bins holding A have no room for 6 more. "
        "No empty pick or bulk bin has room for 6."
    )


def test_a_warehouse_without_bins_says_so():
    suggestion = putaway_suggest(A, 1, [Bin("RCV-01", "receiving", 1)])

    assert suggestion.bin is None
    assert suggestion.reason == "No bin fits 1 × A. The warehouse has no active pick or bulk bin."


def test_the_reason_reads_as_sentences_with_the_numbers():
    suggestion = putaway_suggest(A, 2, [holding("A-01-01-1-1", 10, 3)])

    assert suggestion.reason == "A-01-01-1-1 already holds 3 × A and has room for 2 more."


def test_an_unknown_volume_is_said_in_the_reason():
    suggestion = putaway_suggest(NO_DIMS, 2, [pick("P-1", 1)])

    assert "N has no dimensions, so its volume is unknown." in suggestion.reason


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True, "3", None])
def test_a_quantity_is_a_whole_number_above_zero(quantity):
    with pytest.raises(ValueError, match="whole number"):
        putaway_suggest(A, quantity, [pick("P-1", 1)])


def test_room_is_exact_at_the_limit():
    assert room_for(pick("P", 1), A, 5).fit is Fit.YES
    assert room_for(pick("P", 1), A, 6).fit is Fit.NO
    assert room_for(bulk("B", 1), A, 10**9).fit is Fit.YES  # not limited


# --- properties -------------------------------------------------------------------------------------------

measures = st.one_of(st.none(), st.integers(min_value=1, max_value=2_000_000))


@st.composite
def bins_strategy(draw: st.DrawFn) -> list[Bin]:
    count = draw(st.integers(min_value=0, max_value=12))
    out = []
    for i in range(count):
        kind = draw(st.sampled_from(["pick", "bulk", "receiving"]))
        held = draw(st.integers(min_value=0, max_value=20))
        others = draw(st.booleans())
        empty = held == 0 and not others
        out.append(
            Bin(
                code=f"X-{i:02d}",
                kind=kind,
                pick_sequence=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=50))),
                capacity_volume_mm3=draw(
                    st.one_of(st.none(), st.integers(min_value=0, max_value=40_000_000))
                ),
                capacity_weight_g=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=40_000))),
                held=held,
                used_volume_mm3=0 if empty else draw(st.one_of(st.none(), st.integers(0, 40_000_000))),
                used_weight_g=0 if empty else draw(st.one_of(st.none(), st.integers(0, 40_000))),
                empty=empty,
            )
        )
    return out


@given(
    item=st.builds(Item, sku=st.just("S"), unit_volume_mm3=measures, unit_weight_g=measures),
    quantity=st.integers(min_value=1, max_value=30),
    bins=bins_strategy(),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_properties_of_every_suggestion(item, quantity, bins, seed):
    suggestion = putaway_suggest(item, quantity, bins)
    rooms = {b.code: room_for(b, item, quantity).fit for b in bins}

    # the order the bins come in does not matter
    shuffled = list(bins)
    random.Random(seed).shuffle(shuffled)
    assert putaway_suggest(item, quantity, shuffled) == suggestion

    # every suggestion says why, in sentences that exist
    assert suggestion.reason and all(s.code in TEXTS for s in suggestion.sentences)

    holders = [b for b in bins if b.kind == "pick" and b.held > 0 and rooms[b.code] is not Fit.NO]
    empties = [b for b in bins if b.kind in ("pick", "bulk") and b.empty and rooms[b.code] is not Fit.NO]
    if suggestion.bin is None:
        # nothing is suggested only when no holder nor empty bin might take the units
        assert not holders and not empties
        return
    chosen = suggestion.bin
    # the bin is a pick or bulk bin that does not surely lack room, and the reason names it
    assert chosen in bins and chosen.kind in ("pick", "bulk")
    assert rooms[chosen.code] is suggestion.fit and suggestion.fit is not Fit.NO
    assert chosen.code in suggestion.reason
    # a sure fit is sure: what is there plus the units stays within each limit
    if suggestion.fit is Fit.YES:
        if chosen.capacity_volume_mm3 is not None:
            assert item.unit_volume_mm3 is not None and chosen.used_volume_mm3 is not None
            assert chosen.used_volume_mm3 + item.unit_volume_mm3 * quantity <= chosen.capacity_volume_mm3
        if chosen.capacity_weight_g is not None:
            assert item.unit_weight_g is not None and chosen.used_weight_g is not None
            assert chosen.used_weight_g + item.unit_weight_g * quantity <= chosen.capacity_weight_g
    # rule 1 first: a holder that might take the units always wins, a sure one over an unsure one
    if holders:
        assert suggestion.rule is Rule.HOLDS_SKU and chosen in holders
        if any(rooms[b.code] is Fit.YES for b in holders):
            assert suggestion.fit is Fit.YES
    else:
        assert chosen in empties
        # an empty pick bin that surely fits is taken before any bulk bin
        if any(b.kind == "pick" and rooms[b.code] is Fit.YES for b in empties):
            assert chosen.kind == "pick" and suggestion.fit is Fit.YES
        elif any(rooms[b.code] is Fit.YES for b in empties):
            assert chosen.kind == "bulk" and suggestion.fit is Fit.YES
        # nearest: no bin of the same kind and fit is nearer to the SKU's bins
        anchors = [b.pick_sequence for b in bins if b.held > 0 and b.pick_sequence is not None]
        peers = [b for b in empties if b.kind == chosen.kind and rooms[b.code] is suggestion.fit]
        if chosen.pick_sequence is not None:

            def distance(b: Bin) -> int:
                assert b.pick_sequence is not None
                return min((abs(b.pick_sequence - a) for a in anchors), default=b.pick_sequence)

            assert all(distance(chosen) <= distance(b) for b in peers if b.pick_sequence is not None)
        else:
            assert all(b.pick_sequence is None for b in peers)
