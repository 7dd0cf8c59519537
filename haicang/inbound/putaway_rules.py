"""Where received units should go: the putaway suggestion, a pure rule (no Django).

Given one SKU (its unit volume and weight, either may be unknown), a quantity, and the warehouse's active pick
and bulk bins as they are now, :func:`putaway_suggest` picks one bin and says why:

1. **A pick bin already holding the SKU** (the same owner's units) with room for the quantity. Bins whose room
   is sure come first; bins whose room cannot be checked (the SKU has no dimensions or weight, or the bin holds
   items without them) come after, and the reason says the room is unknown. Among equals: lowest pick
   sequence, then code.
2. Otherwise **an empty bin** (holding nothing of anyone) whose kind and capacity fit. *Decision, kind:* a pick
   bin when the whole quantity surely fits an empty pick bin, else a bulk bin — we do not know how fast a SKU
   sells, but what fits a pick bin can be picked from where it lands. In order: empty pick bins that surely
   fit, empty bulk bins that surely fit, empty bulk bins whose room is unknown, empty pick bins whose room is
   unknown (unknown room goes to bulk first: it is the safer guess for a quantity we cannot measure). Among
   equals: **nearest in pick sequence** to the bins already holding the SKU (pick or bulk), or — when none
   does — the lowest pick sequence; bins without a sequence last, then by code.
3. Otherwise **nothing fits**, and the reason says so.

Room: a bin's capacity (volume in mm³, weight in g) empty means *not limited*. Against a limit, the units
already there (every SKU of every owner: their unit volume × quantity) plus the new units must not exceed it.
A bin never surely fits when either measure is over; it fits *unknown* when a limited measure cannot be
computed. A bin that surely does not fit is never suggested.

Every suggestion carries sentences (a code and its parameters) that read as the reason; :data:`TEXTS` holds
their English text (the pages translate the same texts, ``haicang.inbound.putaway``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class BinKind(StrEnum):
    PICK = "pick"
    BULK = "bulk"


class Fit(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Rule(StrEnum):
    HOLDS_SKU = "holds_sku"  # (1) a pick bin already holding the SKU
    EMPTY_PICK = "empty_pick"  # (2) an empty pick bin
    EMPTY_BULK = "empty_bulk"  # (2) an empty bulk bin
    NONE = "none"  # (3) nothing fits


# The sentences a reason is made of, in English, with %-style named parameters.
TEXTS: dict[str, str] = {
    "holds_room": "%(bin)s already holds %(held)s × %(sku)s and has room for %(quantity)s more.",
    "holds_unchecked": "%(bin)s already holds %(held)s × %(sku)s; whether %(quantity)s more fit could not be checked.",
    "holders_full": "The pick bins holding %(sku)s have no room for %(quantity)s more.",
    "empty_pick": "%(bin)s is an empty pick bin with room for %(quantity)s.",
    "empty_bulk": "%(bin)s is an empty bulk bin with room for %(quantity)s.",
    "empty_pick_unchecked": "%(bin)s is an empty pick bin; whether %(quantity)s fit could not be checked.",
    "empty_bulk_unchecked": "%(bin)s is an empty bulk bin; whether %(quantity)s fit could not be checked.",
    "no_pick_fits": "No empty pick bin is known to have room for %(quantity)s.",
    "nearest": "It is the nearest in pick sequence to the bins already holding %(sku)s.",
    "lowest": "It comes first in pick sequence.",
    "unsequenced": "It has no pick sequence; bins without one are taken by code.",
    "sku_volume_unknown": "%(sku)s has no dimensions, so its volume is unknown.",
    "sku_weight_unknown": "%(sku)s has no weight, so its weight is unknown.",
    "bin_contents_unknown": "%(bin)s holds items without dimensions or weight, so its free room is unknown.",
    "no_empty_fits": "No empty pick or bulk bin has room for %(quantity)s.",
    "no_bins": "The warehouse has no active pick or bulk bin.",
    "nothing_fits": "No bin fits %(quantity)s × %(sku)s.",
}


@dataclass(frozen=True)
class Item:
    """The SKU to put away: its code and per-unit measures (None: unknown)."""

    sku: str
    unit_volume_mm3: int | None = None
    unit_weight_g: int | None = None


@dataclass(frozen=True)
class Bin:
    """One active pick or bulk bin as it is now.

    ``held``: units of the SKU being put away (same owner) already there. ``used_*``: what everything in the
    bin takes up (None: unknown, something there has no dimensions/weight). ``empty``: nothing of anyone."""

    code: str
    kind: str
    pick_sequence: int | None = None
    capacity_volume_mm3: int | None = None  # None: not limited
    capacity_weight_g: int | None = None  # None: not limited
    held: int = 0
    used_volume_mm3: int | None = 0
    used_weight_g: int | None = 0
    empty: bool = True


@dataclass(frozen=True)
class Sentence:
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, texts: Mapping[str, str] | None = None) -> str:
        return str((texts or TEXTS)[self.code]) % dict(self.params)


@dataclass(frozen=True)
class Room:
    fit: Fit
    notes: tuple[
        str, ...
    ] = ()  # why it is unknown: sku_volume_unknown, sku_weight_unknown, bin_contents_unknown


@dataclass(frozen=True)
class Suggestion:
    """The bin to put ``quantity`` units into (None: nothing fits), the rule that chose it, and why."""

    bin: Bin | None
    rule: Rule
    fit: Fit
    sentences: tuple[Sentence, ...]

    @property
    def code(self) -> str | None:
        return self.bin.code if self.bin is not None else None

    @property
    def reason(self) -> str:
        return self.reason_in(TEXTS)

    def reason_in(self, texts: Mapping[str, str]) -> str:
        """The reason with each sentence read from ``texts`` (e.g. translated ones with the same codes)."""
        return " ".join(sentence.text(texts) for sentence in self.sentences)


def _measure(capacity: int | None, used: int | None, unit: int | None, quantity: int) -> Fit:
    if capacity is None:
        return Fit.YES
    if unit is None or used is None:
        return Fit.UNKNOWN
    return Fit.YES if used + unit * quantity <= capacity else Fit.NO


def room_for(bin: Bin, item: Item, quantity: int) -> Room:
    """Whether ``quantity`` more units of ``item`` fit ``bin``: yes, no, or unknown (with why)."""
    volume = _measure(bin.capacity_volume_mm3, bin.used_volume_mm3, item.unit_volume_mm3, quantity)
    weight = _measure(bin.capacity_weight_g, bin.used_weight_g, item.unit_weight_g, quantity)
    if Fit.NO in (volume, weight):
        return Room(Fit.NO)
    if Fit.UNKNOWN not in (volume, weight):
        return Room(Fit.YES)
    notes: list[str] = []
    if volume is Fit.UNKNOWN and item.unit_volume_mm3 is None:
        notes.append("sku_volume_unknown")
    if weight is Fit.UNKNOWN and item.unit_weight_g is None:
        notes.append("sku_weight_unknown")
    # The bin's contents matter only where the SKU's own measure is known (else that is the reason).
    if (volume is Fit.UNKNOWN and bin.used_volume_mm3 is None and item.unit_volume_mm3 is not None) or (
        weight is Fit.UNKNOWN and bin.used_weight_g is None and item.unit_weight_g is not None
    ):
        notes.append("bin_contents_unknown")
    return Room(Fit.UNKNOWN, tuple(notes))


def _by_sequence(bin: Bin) -> tuple[int, int, str]:
    return (bin.pick_sequence is None, bin.pick_sequence or 0, bin.code)


def _nearest_key(anchors: Sequence[int]) -> Callable[[Bin], tuple[int, int, int, str]]:
    def key(bin: Bin) -> tuple[int, int, int, str]:
        if bin.pick_sequence is None:
            return (1, 0, 0, bin.code)
        if not anchors:
            return (0, bin.pick_sequence, bin.pick_sequence, bin.code)
        distance = min(abs(bin.pick_sequence - anchor) for anchor in anchors)
        return (0, distance, bin.pick_sequence, bin.code)

    return key


def _check_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValueError(f"a quantity to put away is a whole number above 0, not {quantity!r}")
    return quantity


def putaway_suggest(item: Item, quantity: int, bins: Iterable[Bin]) -> Suggestion:
    """The bin for ``quantity`` units of ``item`` among ``bins`` (rules in the module's docstring)."""
    quantity = _check_quantity(quantity)
    usable = sorted((b for b in bins if b.kind in (BinKind.PICK, BinKind.BULK)), key=lambda b: b.code)
    sku = {"sku": item.sku, "quantity": quantity}
    if not usable:
        return Suggestion(None, Rule.NONE, Fit.NO, (Sentence("nothing_fits", sku), Sentence("no_bins")))
    rooms = {b.code: room_for(b, item, quantity) for b in usable}

    def notes(chosen: Bin) -> tuple[Sentence, ...]:
        return tuple(Sentence(note, {**sku, "bin": chosen.code}) for note in rooms[chosen.code].notes)

    holders = [b for b in usable if b.held > 0 and b.kind == BinKind.PICK]
    for fit in (Fit.YES, Fit.UNKNOWN):
        fitting = sorted((b for b in holders if rooms[b.code].fit is fit), key=_by_sequence)
        if fitting:
            chosen = fitting[0]
            params = {**sku, "bin": chosen.code, "held": chosen.held}
            code = "holds_room" if fit is Fit.YES else "holds_unchecked"
            return Suggestion(chosen, Rule.HOLDS_SKU, fit, (Sentence(code, params), *notes(chosen)))

    lead: list[Sentence] = [Sentence("holders_full", sku)] if holders else []
    anchors = sorted({b.pick_sequence for b in usable if b.held > 0 and b.pick_sequence is not None})
    key = _nearest_key(anchors)
    empties = [b for b in usable if b.empty]
    order = (
        (BinKind.PICK, Fit.YES),
        (BinKind.BULK, Fit.YES),
        (BinKind.BULK, Fit.UNKNOWN),
        (BinKind.PICK, Fit.UNKNOWN),
    )
    for kind, fit in order:
        fitting = sorted(
            (b for b in empties if b.kind == kind and rooms[b.code].fit is fit),
            key=key,
        )
        if not fitting:
            continue
        chosen = fitting[0]
        sentences = list(lead)
        if kind == BinKind.BULK:
            sentences.append(Sentence("no_pick_fits", sku))
        what = f"empty_{kind}" if fit is Fit.YES else f"empty_{kind}_unchecked"
        sentences.append(Sentence(what, {**sku, "bin": chosen.code}))
        if chosen.pick_sequence is None:
            sentences.append(Sentence("unsequenced"))
        elif anchors:
            sentences.append(Sentence("nearest", sku))
        else:
            sentences.append(Sentence("lowest"))
        sentences.extend(notes(chosen))
        rule = Rule.EMPTY_PICK if kind == BinKind.PICK else Rule.EMPTY_BULK
        return Suggestion(chosen, rule, fit, tuple(sentences))

    return Suggestion(
        None, Rule.NONE, Fit.NO, (Sentence("nothing_fits", sku), *lead, Sentence("no_empty_fits", sku))
    )
