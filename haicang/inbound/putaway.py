"""Putaway: received units go from a receiving location into a pick or bulk bin.

Reads (selectors): what waits in the receiving locations of the operator's warehouses (:func:`putaway_queue`),
and where units of a SKU should go (:func:`putaway_suggestion`, the pure rule of ``putaway_rules`` fed with
the warehouse's bins as they are now). The write (:func:`putaway_confirm`) moves the units through the ledger
(``haicang.inventory.services.stock_move``, document type ``putaway``) once the operator has scanned the bin:
a code that is not an active pick or bulk bin of the warehouse is refused (``putaway.wrong_bin``); a bin other
than the one suggested is refused (``putaway.bin_mismatch``) unless the operator chose it on purpose, and the
choice is recorded in the audit entry (``inbound.putaway``) with the suggestion and its reason.

Putaway is the operator's work in its own warehouses: reads need ``inbound:read``, the move ``inbound:write``
(warehouse staff hold both); a seller is refused (403). See docs/inbound.md, *Putaway*.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import Conflict, ValidationFailed
from haicang.inbound.models import InboundShipment
from haicang.inbound.putaway_rules import Bin, Item, Suggestion, putaway_suggest
from haicang.inventory import locks
from haicang.inventory.models import Balance, Move
from haicang.inventory.services import stock_move
from haicang.network.errors import LocationCodeInvalid
from haicang.network.location_codes import location_code_normalise
from haicang.network.models import Location, LocationKind, Warehouse
from haicang.parties.models import Seller
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

READ, WRITE = "inbound:read", "inbound:write"
BIN_KINDS = (LocationKind.PICK, LocationKind.BULK)
DOCUMENT_TYPE = "putaway"


class PutawayErrorCode:
    INVALID = "putaway.invalid"
    WRONG_BIN = "putaway.wrong_bin"
    BIN_MISMATCH = "putaway.bin_mismatch"
    NOT_ENOUGH = "putaway.not_enough"


class PutawayInvalid(ValidationFailed):
    code = PutawayErrorCode.INVALID
    title = "Invalid putaway"


class PutawayWrongBin(ValidationFailed):
    """The scanned code is not an active pick or bulk bin of the warehouse (``reason`` says which way)."""

    code = PutawayErrorCode.WRONG_BIN
    title = "Not a bin to put away into"


class PutawayBinMismatch(Conflict):
    """Another bin than the suggested one was scanned, without choosing it on purpose."""

    code = PutawayErrorCode.BIN_MISMATCH
    title = "Not the suggested bin"


class PutawayNotEnough(Conflict):
    code = PutawayErrorCode.NOT_ENOUGH
    title = "Fewer units wait there"


# The reason's sentences in the reader's language: the same English texts as ``putaway_rules.TEXTS``.
REASON_TEXTS: dict[str, StrOrPromise] = {
    "holds_room": _("%(bin)s already holds %(held)s × %(sku)s and has room for %(quantity)s more."),
    "holds_unchecked": _(
        "%(bin)s already holds %(held)s × %(sku)s; whether %(quantity)s more fit could not be checked."
    ),
    "holders_full": _("The pick bins holding %(sku)s have no room for %(quantity)s more."),
    "empty_pick": _("%(bin)s is an empty pick bin with room for %(quantity)s."),
    "empty_bulk": _("%(bin)s is an empty bulk bin with room for %(quantity)s."),
    "empty_pick_unchecked": _("%(bin)s is an empty pick bin; whether %(quantity)s fit could not be checked."),
    "empty_bulk_unchecked": _("%(bin)s is an empty bulk bin; whether %(quantity)s fit could not be checked."),
    "no_pick_fits": _("No empty pick bin is known to have room for %(quantity)s."),
    "nearest": _("It is the nearest in pick sequence to the bins already holding %(sku)s."),
    "lowest": _("It comes first in pick sequence."),
    "unsequenced": _("It has no pick sequence; bins without one are taken by code."),
    "sku_volume_unknown": _("%(sku)s has no dimensions, so its volume is unknown."),
    "sku_weight_unknown": _("%(sku)s has no weight, so its weight is unknown."),
    "bin_contents_unknown": _(
        "%(bin)s holds items without dimensions or weight, so its free room is unknown."
    ),
    "no_empty_fits": _("No empty pick or bulk bin has room for %(quantity)s."),
    "no_bins": _("The warehouse has no active pick or bulk bin."),
    "nothing_fits": _("No bin fits %(quantity)s × %(sku)s."),
}


def reason_text(suggestion: Suggestion) -> str:
    """The suggestion's reason in the active language."""
    return suggestion.reason_in({code: str(text) for code, text in REASON_TEXTS.items()})


# --- who -------------------------------------------------------------------------------------------------


def operator_id_of(scope: Scope, permission: str = READ) -> uuid.UUID:
    """The acting operator's id (with ``permission``); AccessDenied (403) for anyone else."""
    scope.require(permission)
    if scope.operator_id is None:
        raise AccessDenied("putaway is the warehouse operator's work", permission=permission)
    return scope.operator_id


def putaway_warehouses(scope: Scope) -> Any:
    """The operator's active warehouses."""
    return Warehouse.objects.filter(operator_id=operator_id_of(scope), is_active=True).order_by("code")


def putaway_warehouse_get(scope: Scope, pk: Any) -> Warehouse:
    from haicang.core.errors import NotFound

    try:
        return putaway_warehouses(scope).get(pk=pk)
    except (Warehouse.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(f"no warehouse with id {pk}", field="warehouse") from exc


def putaway_sku_get(scope: Scope, pk: Any) -> Sku:
    """A SKU of a seller the operator works for."""
    from haicang.core.errors import NotFound

    operator_id_of(scope)
    try:
        return scope_queryset(Sku.objects.select_related("seller"), scope, permission=READ).get(pk=pk)
    except (Sku.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(f"no SKU with id {pk}", field="sku") from exc


def receiving_location_get(scope: Scope, *, warehouse: Warehouse, ref: Any) -> Location:
    """A receiving location of ``warehouse`` by id or code."""
    from haicang.core.errors import NotFound

    operator_id_of(scope)
    found: Location | None = None
    locations = Location.objects.filter(warehouse=warehouse).select_related("warehouse")
    try:
        found = locations.filter(pk=uuid.UUID(str(ref))).first()
    except ValueError:
        try:
            canonical, _parts = location_code_normalise(ref, field="from_location")
        except LocationCodeInvalid:
            canonical = ""
        found = locations.filter(code=canonical).first() if canonical else None
    if found is None:
        raise NotFound(f"no location {ref} in {warehouse.code}", field="from_location")
    if found.kind != LocationKind.RECEIVING:
        raise PutawayInvalid(
            f"{found.code} is a {found.kind} location: putaway takes units from a receiving location",
            field="from_location",
        )
    return found


# --- the queue -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentRef:
    id: uuid.UUID | None
    number: str


@dataclass(frozen=True)
class QueueRow:
    """Units of one SKU of one owner waiting at one receiving location, and the shipments that brought them
    there (newest receipt first)."""

    owner: Seller
    sku: Sku
    location: Location
    quantity: int
    shipments: tuple[ShipmentRef, ...]

    @property
    def key(self) -> str:
        return f"{self.sku.pk}:{self.location.pk}"


def putaway_queue(scope: Scope, *, warehouse: Warehouse | None = None) -> list[QueueRow]:
    """What waits in the receiving locations of the operator's warehouses (or of ``warehouse``), by location
    code, then SKU code."""
    warehouses = putaway_warehouses(scope)
    if warehouse is not None:
        warehouses = warehouses.filter(pk=warehouse.pk)
    balances = scope_queryset(Balance.objects.all(), scope, permission=READ).filter(
        location__kind=LocationKind.RECEIVING, location__warehouse__in=warehouses
    )
    groups = list(
        balances.values("owner_id", "sku_id", "location_id")
        .annotate(units=Sum("quantity"))
        .filter(units__gt=0)
        .order_by()
    )
    if not groups:
        return []
    skus = Sku.objects.select_related("seller").in_bulk({g["sku_id"] for g in groups})
    locations = Location.objects.select_related("warehouse").in_bulk({g["location_id"] for g in groups})
    receipts = (
        Move.objects.filter(
            document_type="inbound",
            to_location_id__in=list(locations),
            sku_id__in=list(skus),
        )
        .values("owner_id", "sku_id", "to_location_id", "document_ref")
        .annotate(last=Max("effective_at"))
        .order_by()
    )
    numbers: dict[tuple[Any, Any, Any], list[tuple[Any, str]]] = defaultdict(list)
    for r in receipts:
        numbers[(r["owner_id"], r["sku_id"], r["to_location_id"])].append((r["last"], r["document_ref"]))
    ids = {
        (seller_id, number): pk
        for pk, seller_id, number in InboundShipment.objects.filter(
            seller_id__in={g["owner_id"] for g in groups},
            number__in={ref for refs in numbers.values() for _at, ref in refs},
        ).values_list("pk", "seller_id", "number")
    }
    rows = []
    for g in groups:
        sku, location = skus[g["sku_id"]], locations[g["location_id"]]
        refs = sorted(numbers.get((g["owner_id"], g["sku_id"], g["location_id"]), []), reverse=True)
        rows.append(
            QueueRow(
                owner=sku.seller,
                sku=sku,
                location=location,
                quantity=int(g["units"]),
                shipments=tuple(ShipmentRef(ids.get((g["owner_id"], ref)), ref) for _at, ref in refs),
            )
        )
    rows.sort(
        key=lambda row: (str(row.location.warehouse), row.location.code, row.sku.code, str(row.owner.pk))
    )
    return rows


def waiting_units(*, sku: Sku, location: Location) -> int:
    """Units of ``sku`` (its owner's) at ``location`` now."""
    total = Balance.objects.filter(owner_id=sku.seller_id, sku=sku, location=location).aggregate(
        units=Sum("quantity")
    )["units"]
    return int(total or 0)


# --- the suggestion --------------------------------------------------------------------------------------


def item_of(sku: Sku) -> Item:
    return Item(sku=sku.code, unit_volume_mm3=sku.volume_mm3, unit_weight_g=sku.weight_g)


def _volume(length: int | None, width: int | None, height: int | None) -> int | None:
    if length is None or width is None or height is None:
        return None
    return length * width * height


def bins_now(*, warehouse: Warehouse, sku: Sku) -> list[Bin]:
    """The warehouse's active pick and bulk bins with what they hold now, as the pure rule sees them: the
    units of ``sku`` (its owner's) there, and the volume and weight of everything there."""
    locations = list(
        Location.objects.filter(warehouse=warehouse, kind__in=BIN_KINDS, is_active=True).values_list(
            "pk", "code", "kind", "pick_sequence", "capacity_volume_mm3", "capacity_weight_g"
        )
    )
    contents = list(
        Balance.objects.filter(
            location__warehouse=warehouse,
            location__kind__in=BIN_KINDS,
            location__is_active=True,
            quantity__gt=0,
        )
        .values("location_id", "owner_id", "sku_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    measures: Mapping[Any, tuple[int | None, int | None]] = {
        pk: (_volume(length, width, height), weight)
        for pk, length, width, height, weight in Sku.objects.filter(
            pk__in={c["sku_id"] for c in contents}
        ).values_list("pk", "length_mm", "width_mm", "height_mm", "weight_g")
    }
    held: dict[Any, int] = defaultdict(int)
    volume: dict[Any, int | None] = defaultdict(int)
    weight: dict[Any, int | None] = defaultdict(int)
    filled: set[Any] = set()
    for c in contents:
        where, units = c["location_id"], int(c["units"])
        filled.add(where)
        if c["sku_id"] == sku.pk and c["owner_id"] == sku.seller_id:
            held[where] += units
        unit_volume, unit_weight = measures.get(c["sku_id"], (None, None))
        used_volume, used_weight = volume[where], weight[where]
        volume[where] = (
            None if used_volume is None or unit_volume is None else used_volume + unit_volume * units
        )
        weight[where] = (
            None if used_weight is None or unit_weight is None else used_weight + unit_weight * units
        )
    return [
        Bin(
            code=code,
            kind=kind,
            pick_sequence=sequence,
            capacity_volume_mm3=cap_volume,
            capacity_weight_g=cap_weight,
            held=held.get(pk, 0),
            used_volume_mm3=volume.get(pk, 0),
            used_weight_g=weight.get(pk, 0),
            empty=pk not in filled,
        )
        for pk, code, kind, sequence, cap_volume, cap_weight in locations
    ]


def putaway_suggestion(*, warehouse: Warehouse, sku: Sku, quantity: int) -> Suggestion:
    """Where ``quantity`` units of ``sku`` should go in ``warehouse`` now (``putaway_rules``)."""
    try:
        return putaway_suggest(item_of(sku), quantity, bins_now(warehouse=warehouse, sku=sku))
    except ValueError as exc:
        raise PutawayInvalid(str(exc), field="quantity") from exc


# --- the putaway -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PutawayDone:
    moves: list[Move]
    to_location: Location
    quantity: int
    suggestion: Suggestion
    followed: bool  # the bin was the one suggested
    left: int  # units of the SKU still at the receiving location


def bin_by_scan(*, warehouse: Warehouse, scanned: str) -> Location:
    """The active pick or bulk bin of ``warehouse`` whose code was scanned (any case, any zero padding);
    PutawayWrongBin saying why not otherwise."""
    text = (scanned or "").strip()
    if not text:
        raise PutawayWrongBin("scan the bin's code", field="to_location", reason="empty")
    try:
        canonical, _parts = location_code_normalise(text, field="to_location")
    except LocationCodeInvalid as exc:
        raise PutawayWrongBin(
            f"{text} is not a location code", field="to_location", reason="not_a_code", scanned=text
        ) from exc
    location = (
        Location.objects.filter(warehouse=warehouse, code=canonical).select_related("warehouse").first()
    )
    if location is None:
        raise PutawayWrongBin(
            f"there is no bin {canonical} in {warehouse.code}",
            field="to_location",
            reason="unknown",
            scanned=canonical,
        )
    if location.kind not in BIN_KINDS:
        raise PutawayWrongBin(
            f"{canonical} is a {location.kind} location, not a pick or bulk bin",
            field="to_location",
            reason="kind",
            scanned=canonical,
            kind=location.kind,
        )
    if not location.is_active:
        raise PutawayWrongBin(
            f"{canonical} is not in use (inactive)", field="to_location", reason="inactive", scanned=canonical
        )
    return location


def _canonical(code: str) -> str:
    try:
        return location_code_normalise(code.strip(), field="suggested")[0]
    except LocationCodeInvalid:
        return code.strip().upper()


def _latest_shipment(*, sku: Sku, location: Location) -> str:
    move = (
        Move.objects.filter(owner_id=sku.seller_id, sku=sku, to_location=location, document_type="inbound")
        .order_by("-effective_at", "-recorded_at")
        .values_list("document_ref", flat=True)
        .first()
    )
    return move or ""


def putaway_confirm(
    *,
    actor: Actor,
    sku: Sku,
    from_location: Location,
    scanned: str,
    quantity: int,
    suggested: str = "",
    other_bin: bool = False,
) -> PutawayDone:
    """Put ``quantity`` units of ``sku`` (its owner's) away from the receiving location ``from_location``
    into the bin whose code was ``scanned``. ``suggested`` is the bin the operator was shown: scanning another
    one is refused (``putaway.bin_mismatch``) unless ``other_bin`` says the operator chose it on purpose.
    Partial putaways are fine; more than waits there is ``putaway.not_enough``. Audited ``inbound.putaway``
    with the suggestion, its reason and whether it was followed."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise PutawayInvalid(f"a quantity is a whole number above 0, not {quantity!r}", field="quantity")
    if from_location.kind != LocationKind.RECEIVING or from_location.warehouse_id is None:
        raise PutawayInvalid(
            f"{from_location.code} is not a receiving location: putaway takes units from one",
            field="from_location",
        )
    warehouse = cast(Warehouse, from_location.warehouse)
    to_location = bin_by_scan(warehouse=warehouse, scanned=scanned)
    if suggested and _canonical(suggested) != to_location.code and not other_bin:
        raise PutawayBinMismatch(
            f"you scanned {to_location.code}, not the suggested bin {_canonical(suggested)}: scan "
            f"{_canonical(suggested)}, or choose {to_location.code} as another bin",
            field="to_location",
            scanned=to_location.code,
            suggested=_canonical(suggested),
        )

    def put() -> PutawayDone:
        waiting = waiting_units(sku=sku, location=from_location)
        if waiting < quantity:
            raise PutawayNotEnough(
                f"only {waiting} × {sku.code} wait at {from_location.code}, not {quantity}",
                field="quantity",
                waiting=waiting,
            )
        suggestion = putaway_suggestion(warehouse=warehouse, sku=sku, quantity=quantity)
        # Followed: the bin the operator was shown (else the one suggested now) is the one scanned.
        expected = _canonical(suggested) if suggested else suggestion.code
        followed = expected == to_location.code
        reason = f"putaway {from_location.code} → {to_location.code}"
        if not followed:
            reason += f" (suggested {expected or 'none'})"
        moves = stock_move(
            actor=actor,
            owner=sku.seller,
            sku=sku,
            from_location=from_location,
            to_location=to_location,
            quantity=quantity,
            document_type=DOCUMENT_TYPE,
            document_ref=_latest_shipment(sku=sku, location=from_location),
            reason=reason[:200],
        )
        audit_record(
            actor=actor,
            action="inbound.putaway",
            subject=moves[0],
            after={
                "sku": sku.code,
                "quantity": quantity,
                "from_location": from_location.code,
                "to_location": to_location.code,
                "suggested": suggestion.code,
                "suggestion_rule": str(suggestion.rule),
                "suggestion_reason": suggestion.reason,
                "shown": _canonical(suggested) if suggested else None,
                "followed": followed,
                "chosen_by_operator": not followed,
            },
            summary=reason,
        )
        return PutawayDone(
            moves=moves,
            to_location=to_location,
            quantity=quantity,
            suggestion=suggestion,
            followed=followed,
            left=waiting - quantity,
        )

    return locks.ledger_atomic(put)
