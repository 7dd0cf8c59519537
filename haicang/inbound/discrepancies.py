"""Discrepancies found while receiving: units over the expected quantity, units of a SKU that is not on the
shipment, damaged units (``discrepancy_record``); units short are recorded by the close.

Over and unexpected units are received **only** this way — an explicit action with a note — and come from
the supplier (they were never in transit): good units into a receiving location. Over units enter the
weighted-average landed cost at their line's landed unit cost; units of an unexpected SKU have no cost on
this shipment and do not. Over is recorded once the line has nothing open any more (receive the expected
units first). Damaged units are received from in transit into a damaged location like any receipt (the
line's damaged counter). Each discrepancy may carry a photo, kept in the file storage (``core.files``).
Units of a lot-tracked SKU name their lot (``lot_code``, and ``expires_on`` for a new lot of an
expiry-tracked SKU), as every receipt does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.files import file_delete, file_store
from haicang.core.ids import new_id
from haicang.inbound import costing
from haicang.inbound.errors import DiscrepancyInvalid, PhotoInvalid, SkuNotOnShipment
from haicang.inbound.models import Carton, Discrepancy, DiscrepancyKind, InboundShipment
from haicang.inbound.receiving import (
    RECEIVABLE,
    ReceiptLine,
    _area,
    lot_of,
    receipt_apply,
    receiving_start,
)
from haicang.inbound.receiving_rules import NOTE_REQUIRED, RECORDABLE
from haicang.inbound.services import shipment_hold
from haicang.inventory import locks
from haicang.inventory.errors import InvalidLot
from haicang.inventory.services import stock_receive
from haicang.network.models import Location, LocationKind

PHOTO_MAX_BYTES = 10 * 1024 * 1024
_IMAGE_TYPES = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


@dataclass(frozen=True)
class Photo:
    """An uploaded photo: its bytes (JPEG, PNG, GIF or WebP)."""

    content: bytes
    name: str = ""


def photo_extension(content: bytes) -> str:
    """The file extension of an image by its first bytes; PhotoInvalid for anything else or too large."""
    if not content:
        raise PhotoInvalid("the photo is empty", field="photo")
    if len(content) > PHOTO_MAX_BYTES:
        raise PhotoInvalid(f"a photo has at most {PHOTO_MAX_BYTES // (1024 * 1024)} MB", field="photo")
    for magic, extension in _IMAGE_TYPES:
        if content.startswith(magic):
            return extension
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    raise PhotoInvalid("a photo is a JPEG, PNG, GIF or WebP image", field="photo")


def _quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DiscrepancyInvalid(f"a quantity is a whole number above 0, not {value!r}", field="quantity")
    return value


def discrepancy_check(*, kind: str, quantity: object, note: str) -> tuple[int, str]:
    """The kind, quantity and note of a discrepancy to record; DiscrepancyInvalid names the first problem."""
    if kind == DiscrepancyKind.SHORT:
        raise DiscrepancyInvalid("units short are recorded when the shipment is closed", field="kind")
    if kind not in RECORDABLE:
        raise DiscrepancyInvalid(f"{kind!r} is not a kind of discrepancy", field="kind")
    note = (note or "").strip()
    if len(note) > 500:
        raise DiscrepancyInvalid("a note has at most 500 characters", field="note")
    if kind in NOTE_REQUIRED and not note:
        raise DiscrepancyInvalid("say in a note what was found", field="note")
    return _quantity(quantity), note


def discrepancy_record(
    *,
    actor: Actor,
    shipment: InboundShipment,
    kind: str,
    sku: Sku,
    quantity: int,
    note: str = "",
    carton: Carton | None = None,
    photo: Photo | None = None,
    location: Location | None = None,
    damaged_location: Location | None = None,
    lot_code: str = "",
    expires_on: dt.date | None = None,
) -> Discrepancy:
    """Record what was found and receive its units: ``over`` (a SKU of the shipment, beyond what it expects)
    and ``unexpected_sku`` (a SKU of the seller not on the shipment) into a receiving location, from the
    supplier; ``damaged`` from in transit into a damaged location. Over and unexpected need a note. Units of
    a lot-tracked SKU name ``lot_code`` (with ``expires_on`` for a new lot of an expiry-tracked SKU)."""
    quantity, note = discrepancy_check(kind=kind, quantity=quantity, note=note)
    extension = photo_extension(photo.content) if photo is not None else ""
    pk = new_id()
    path = ""
    if photo is not None:
        path = file_store(
            actor=actor, path=f"inbound/discrepancies/{shipment.pk}/{pk}.{extension}", content=photo.content
        )
    try:
        return locks.ledger_atomic(
            lambda: discrepancy_apply(
                actor=actor,
                shipment=shipment,
                kind=kind,
                sku=sku,
                quantity=quantity,
                note=note,
                carton=carton,
                photo_path=path,
                location=location,
                damaged_location=damaged_location,
                pk=pk,
                lot_code=lot_code,
                expires_on=expires_on,
            )
        )
    except BaseException:
        if path:  # the discrepancy was not written: its photo goes too
            file_delete(actor=actor, path=path)
        raise


def discrepancy_apply(
    *,
    actor: Actor,
    shipment: InboundShipment,
    kind: str,
    sku: Sku,
    quantity: int,
    note: str,
    carton: Carton | None = None,
    photo_path: str = "",
    location: Location | None = None,
    damaged_location: Location | None = None,
    pk: uuid.UUID | None = None,
    lot_code: str = "",
    expires_on: dt.date | None = None,
) -> Discrepancy:
    """``discrepancy_record`` inside the caller's ledger transaction (checked arguments)."""
    if carton is not None and carton.shipment_id != shipment.pk:
        raise DiscrepancyInvalid(
            f"carton {carton.number} is not a carton of {shipment.number}", field="carton"
        )
    if sku.seller_id != shipment.seller_id:
        raise DiscrepancyInvalid(f"{sku.code} is not a SKU of the shipment's seller", field="sku")
    lot_code, expires_on = lot_of(sku, lot_code, expires_on)
    if kind == DiscrepancyKind.DAMAGED:
        try:
            current = receipt_apply(
                actor=actor,
                shipment=shipment,
                lines=[ReceiptLine(sku.pk, 0, quantity, lot_code, expires_on)],
                damaged_location=damaged_location,
            )
        except InvalidLot as exc:  # the receipt names its one line's field; here it is the form's own
            raise InvalidLot(exc.detail, field=(exc.field or "lot_code").rsplit(".", 1)[-1]) from exc
    else:
        current = _extra_receive(
            actor=actor,
            shipment=shipment,
            kind=kind,
            sku=sku,
            quantity=quantity,
            location=location,
            lot_code=lot_code,
            expires_on=expires_on,
        )
    found = Discrepancy.objects.create(
        id=pk or new_id(),
        shipment=current,
        carton=carton,
        kind=kind,
        sku=sku,
        quantity=quantity,
        lot_code=lot_code,
        note=note,
        photo=photo_path,
        actor_label=actor.label[:200],
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="inbound.discrepancy_recorded",
        subject=current,
        after={
            "kind": kind,
            "sku": sku.code,
            "quantity": quantity,
            "lot": lot_code,
            "carton": carton.number if carton else None,
            "note": note,
            "photo": bool(photo_path),
        },
        summary=note[:500],
    )
    return found


def _extra_receive(
    *,
    actor: Actor,
    shipment: InboundShipment,
    kind: str,
    sku: Sku,
    quantity: int,
    location: Location | None,
    lot_code: str = "",
    expires_on: dt.date | None = None,
) -> InboundShipment:
    """Over or unexpected units: from the supplier into a receiving location (never from in transit, which
    holds only what the ASN announced)."""
    current = shipment_hold(shipment, *RECEIVABLE)
    line = current.lines.filter(sku=sku).first()
    if kind == DiscrepancyKind.OVER:
        if line is None:
            raise SkuNotOnShipment(
                f"{sku.code} is not on {current.number}: record it as an unexpected SKU", field="sku"
            )
        if line.short_quantity > 0:
            raise DiscrepancyInvalid(
                f"{line.short_quantity} units of {sku.code} are still expected: receive them first, then "
                "record what is over",
                field="quantity",
                open=line.short_quantity,
            )
    elif line is not None:
        raise DiscrepancyInvalid(
            f"{sku.code} is on {current.number}: record units over instead", field="kind"
        )
    to = _area(current, LocationKind.RECEIVING, location, "location")
    if line is not None:
        average = costing.averages_hold(current, [sku.pk])[sku.pk]
        on_hand = costing.on_hand_at_warehouse(current, sku.pk)
    stock_receive(
        actor=actor,
        owner=current.seller,
        sku=sku,
        location=to,
        quantity=quantity,
        lot_code=lot_code,
        expires_on=expires_on,
        document_type="inbound",
        document_ref=current.number,
    )
    if line is not None:
        costing.landed_average_receive(
            average=average,
            shipment=current,
            on_hand_before=on_hand,
            unit_cost=line.landed_unit_cost,
            units=quantity,
        )
    receiving_start(current, actor)
    return current
