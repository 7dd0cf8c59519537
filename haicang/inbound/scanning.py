"""The receiving page's scans: every scan (or typed entry) is kept as a ``ReceivingScan``, applied or not.

A scan is read as a **carton label** (``carton_codes``: ``<seller>/<ASN number>/<carton>``), which selects the
carton being received, or as a **SKU** of the shipment's seller by barcode (GTINs in any length) or code,
which receives ``quantity`` units (default 1) of it — good units into a receiving location, or, marked
damaged, into a damaged location with a *damaged* discrepancy. ``receiving_carton_confirm`` receives what a
carton's label declares and was not counted in it yet. Units of a lot-tracked SKU are received into the lot
the receiver names with the scan (``lot_code``; ``expires_on`` when the lot is new and the SKU
expiry-tracked); for other SKUs the lot is ignored, so a lot left on the page does no harm.

A scan that cannot be applied is **kept** with its reason (a stable code and a sentence) and never lost:
unknown barcode (``inbound.scan_unknown``), a label of another shipment or a carton it does not have
(``inbound.carton_unknown``), a SKU not on the shipment (``inbound.sku_not_on_shipment``: record an
unexpected SKU instead), more than expected (``inbound.over_receipt``: record units over instead), a shipment
that is not being received (``inbound.status_invalid``), and any other refusal of the receipt.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from haicang.catalog.identifiers import barcode_key
from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import DomainError
from haicang.core.files import file_delete, file_store
from haicang.core.ids import new_id
from haicang.inbound.carton_codes import CartonCode, carton_barcode_parse
from haicang.inbound.discrepancies import Photo, discrepancy_apply, photo_extension
from haicang.inbound.errors import (
    CartonUnknown,
    InboundStatusInvalid,
    ReceiptInvalid,
    ScanUnknown,
    SkuNotOnShipment,
)
from haicang.inbound.models import (
    Carton,
    DiscrepancyKind,
    InboundShipment,
    ReceivingScan,
    ScanKind,
    ScanStatus,
)
from haicang.inbound.receiving import RECEIVABLE, ReceiptLine, lot_of, receipt_apply
from haicang.inbound.receiving_rules import carton_remaining
from haicang.inbound.services import shipment_hold
from haicang.inventory import locks
from haicang.network.models import Location

RAW_MAX = 200


def sku_for_scan(shipment: InboundShipment, text: str) -> Sku:
    """The SKU of the shipment's seller whose barcode or code ``text`` is; ScanUnknown otherwise."""
    text = (text or "").strip()
    found = (
        Sku.objects.filter(seller_id=shipment.seller_id)
        .filter(Q(code__iexact=text) | Q(barcodes__key=barcode_key(text)))
        .distinct()
        .order_by("code")
        .first()
        if text
        else None
    )
    if found is None:
        raise ScanUnknown(f"no SKU of {shipment.seller.code} has the barcode or code {text}", field="raw")
    return found


def carton_for_label(shipment: InboundShipment, code: CartonCode) -> Carton:
    if not code.names(shipment.seller.code, shipment.number):
        raise CartonUnknown(
            f"{code} is a label of {code.shipment} of {code.seller}, not of {shipment.number}", field="raw"
        )
    carton = Carton.objects.filter(shipment=shipment, number=code.carton).first()
    if carton is None:
        raise CartonUnknown(f"{shipment.number} has no carton {code.carton}", field="raw")
    return carton


def _receivable(shipment: InboundShipment) -> InboundShipment:
    fresh = InboundShipment.objects.select_related("seller", "warehouse").get(pk=shipment.pk)
    if fresh.status not in RECEIVABLE:
        raise InboundStatusInvalid(
            f"{fresh.number} is {fresh.status}; receiving needs it arrived or receiving", status=fresh.status
        )
    return fresh


def _kept(
    *,
    actor: Actor,
    shipment: InboundShipment,
    kind: str,
    raw: str,
    carton: Carton | None,
    sku: Sku | None,
    quantity: int,
    damaged: bool,
    error: DomainError | None,
    lot_code: str = "",
) -> ReceivingScan:
    """Write the scan (inside the caller's transaction when applied) and audit it."""
    scan = ReceivingScan.objects.create(
        shipment=shipment,
        carton=carton,
        kind=kind,
        raw=raw[:RAW_MAX],
        sku=sku,
        quantity=quantity if error is None else 0,
        damaged=damaged,
        lot_code=(lot_code or "")[:64],
        status=ScanStatus.APPLIED if error is None else ScanStatus.REJECTED,
        reason_code="" if error is None else str(error.code)[:64],
        reason="" if error is None else error.detail[:500],
        actor_label=actor.label[:200],
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="inbound.scan_applied" if error is None else "inbound.scan_rejected",
        subject=scan,
        after={
            "shipment": shipment.number,
            "kind": kind,
            "raw": raw[:RAW_MAX],
            "sku": sku.code if sku else None,
            "carton": carton.number if carton else None,
            "quantity": quantity,
            "damaged": damaged,
            "lot": scan.lot_code,
            "reason": scan.reason_code,
        },
    )
    return scan


def _rejected(
    actor: Actor,
    shipment: InboundShipment,
    kind: str,
    raw: str,
    carton: Carton | None,
    sku: Sku | None,
    quantity: int,
    damaged: bool,
    error: DomainError,
    lot_code: str = "",
) -> ReceivingScan:
    with transaction.atomic():
        return _kept(
            actor=actor,
            shipment=shipment,
            kind=kind,
            raw=raw,
            carton=carton,
            sku=sku,
            quantity=quantity,
            damaged=damaged,
            error=error,
            lot_code=lot_code,
        )


def receiving_scan_record(
    *,
    actor: Actor,
    shipment: InboundShipment,
    raw: str,
    carton: Carton | None = None,
    quantity: Any = 1,
    damaged: bool = False,
    note: str = "",
    photo: Photo | None = None,
    location: Location | None = None,
    damaged_location: Location | None = None,
    lot_code: str = "",
    expires_on: Any = None,
) -> ReceivingScan:
    """Read and apply one scan; the scan is kept either way (``status`` applied or rejected, with the
    reason). A carton label selects the carton (the scan's ``carton``); a SKU receives ``quantity`` units,
    counted in ``carton`` when given, in lot ``lot_code`` when the SKU is lot-tracked (``expires_on``: a date,
    or its ISO text as typed). Only an empty scan is refused without being kept."""
    raw = (raw or "").strip()
    if not raw:
        raise ReceiptInvalid("scan a carton label or an item", field="raw")
    if carton is not None and carton.shipment_id != shipment.pk:
        carton = None
    label = carton_barcode_parse(raw)
    kind = ScanKind.CARTON if label is not None else ScanKind.SKU
    sku: Sku | None = None
    units = quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 0
    try:
        current = _receivable(shipment)
        if label is not None:
            carton = carton_for_label(current, label)
            units = 0
        else:
            sku = sku_for_scan(current, raw)
            if not current.lines.filter(sku=sku).exists():
                raise SkuNotOnShipment(
                    f"{sku.code} is not on {current.number}: record it as an unexpected SKU", field="raw"
                )
            if units < 1:
                raise ReceiptInvalid(
                    f"a quantity is a whole number above 0, not {quantity!r}", field="quantity"
                )
            expires_on = expiry_of(expires_on)
    except DomainError as exc:
        return _rejected(actor, shipment, kind, raw, carton, sku, units, damaged, exc, lot_code)
    if label is not None:
        with transaction.atomic():
            return _kept(
                actor=actor,
                shipment=current,
                kind=kind,
                raw=raw,
                carton=carton,
                sku=None,
                quantity=0,
                damaged=False,
                error=None,
            )
    assert sku is not None  # noqa: S101 - a SKU scan found its SKU above
    return _receive(
        actor=actor,
        shipment=current,
        raw=raw,
        carton=carton,
        sku=sku,
        units=units,
        damaged=damaged,
        note=note,
        photo=photo,
        location=location,
        damaged_location=damaged_location,
        lot_code=lot_code,
        expires_on=expires_on,
    )


def expiry_of(value: Any) -> dt.date | None:
    """An expiry date given as a date or as typed (``2027-03-31``; empty: none); ReceiptInvalid otherwise."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReceiptInvalid(
            f"an expiry date is written 2027-03-31, not {text!r}", field="expires_on"
        ) from None


def _receive(
    *,
    actor: Actor,
    shipment: InboundShipment,
    raw: str,
    carton: Carton | None,
    sku: Sku,
    units: int,
    damaged: bool,
    note: str,
    photo: Photo | None,
    location: Location | None,
    damaged_location: Location | None,
    lot_code: str = "",
    expires_on: dt.date | None = None,
) -> ReceivingScan:
    path = ""
    pk = new_id()
    lot_code, expires_on = lot_of(sku, lot_code, expires_on)
    try:
        if damaged and photo is not None:
            extension = photo_extension(photo.content)
            path = file_store(
                actor=actor,
                path=f"inbound/discrepancies/{shipment.pk}/{pk}.{extension}",
                content=photo.content,
            )
        if len((note or "").strip()) > 500:
            raise ReceiptInvalid("a note has at most 500 characters", field="note")

        def apply() -> ReceivingScan:
            if damaged:
                discrepancy_apply(
                    actor=actor,
                    shipment=shipment,
                    kind=DiscrepancyKind.DAMAGED,
                    sku=sku,
                    quantity=units,
                    note=(note or "").strip(),
                    carton=carton,
                    photo_path=path,
                    damaged_location=damaged_location,
                    pk=pk,
                    lot_code=lot_code,
                    expires_on=expires_on,
                )
            else:
                receipt_apply(
                    actor=actor,
                    shipment=shipment,
                    lines=[ReceiptLine(sku.pk, units, 0, lot_code, expires_on)],
                    location=location,
                )
            return _kept(
                actor=actor,
                shipment=shipment,
                kind=ScanKind.SKU,
                raw=raw,
                carton=carton,
                sku=sku,
                quantity=units,
                damaged=damaged,
                error=None,
                lot_code=lot_code,
            )

        return locks.ledger_atomic(apply)
    except DomainError as exc:
        if path:
            file_delete(actor=actor, path=path)
        return _rejected(actor, shipment, ScanKind.SKU, raw, carton, sku, units, damaged, exc, lot_code)


def counted_in_carton(carton: Carton) -> dict[uuid.UUID, int]:
    """Units received per SKU by the applied scans of ``carton`` (good and damaged)."""
    rows = (
        ReceivingScan.objects.filter(carton=carton, status=ScanStatus.APPLIED, sku__isnull=False)
        .values("sku_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["sku_id"]: int(row["units"] or 0) for row in rows}


def declared_in_carton(carton: Carton) -> dict[uuid.UUID, int]:
    return {c.sku_id: c.quantity for c in carton.contents.order_by("id")}


def receiving_carton_confirm(
    *,
    actor: Actor,
    shipment: InboundShipment,
    carton: Carton,
    location: Location | None = None,
    lot_code: str = "",
    expires_on: Any = None,
) -> list[ReceivingScan]:
    """Receive carton ``carton`` as labelled: per SKU its label declares, the units not counted in it yet
    (one applied scan per SKU); its lot-tracked SKUs in lot ``lot_code`` (a carton of one lot — otherwise
    scan its items lot by lot). Refused as a whole — and kept as one rejected scan — when nothing is left in
    it, a line would get more than expected, or a lot-tracked SKU's lot is missing."""
    raw = f"confirm carton {carton.number}"
    if carton.shipment_id != shipment.pk:
        error: DomainError = CartonUnknown(
            f"carton {carton.number} is not of {shipment.number}", field="carton"
        )
        return [_rejected(actor, shipment, ScanKind.CONFIRM, raw, None, None, 0, False, error)]

    def apply() -> list[ReceivingScan]:
        current = shipment_hold(shipment, *RECEIVABLE)
        remaining = carton_remaining(declared_in_carton(carton), counted_in_carton(carton))
        if not remaining:
            raise ReceiptInvalid(f"everything carton {carton.number} declares was counted", field="carton")
        skus = Sku.objects.in_bulk(list(remaining))
        expiry = expiry_of(expires_on)
        lots = {sku_id: lot_of(skus[sku_id], lot_code, expiry) for sku_id in remaining}
        receipt_apply(
            actor=actor,
            shipment=current,
            lines=[ReceiptLine(sku_id, n, 0, *lots[sku_id]) for sku_id, n in remaining.items()],
            location=location,
        )
        return [
            _kept(
                actor=actor,
                shipment=current,
                kind=ScanKind.CONFIRM,
                raw=raw,
                carton=carton,
                sku=skus[sku_id],
                quantity=n,
                damaged=False,
                error=None,
                lot_code=lots[sku_id][0],
            )
            for sku_id, n in remaining.items()
        ]

    try:
        return locks.ledger_atomic(apply)
    except DomainError as exc:
        return [_rejected(actor, shipment, ScanKind.CONFIRM, raw, carton, None, 0, False, exc)]
