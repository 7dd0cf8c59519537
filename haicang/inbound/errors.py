"""Domain errors of inbound shipments, with stable codes. Pure: no Django import."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from haicang.core.errors import Conflict, ValidationFailed


class InboundErrorCode(StrEnum):
    INVALID = "inbound.invalid"  # the shipment as a whole: ``errors`` lists every problem
    SKU_UNKNOWN = "inbound.sku_unknown"
    SKU_DUPLICATE = "inbound.sku_duplicate"
    QUANTITY_INVALID = "inbound.quantity_invalid"
    CARTONS_INCONSISTENT = "inbound.cartons_inconsistent"
    CARTON_INVALID = "inbound.carton_invalid"
    DESTINATION_INVALID = "inbound.destination_invalid"
    FIELD_INVALID = "inbound.field_invalid"
    FIELD_REQUIRED = "inbound.field_required"
    COST_MISSING = "inbound.purchase_cost_missing"
    STATUS_INVALID = "inbound.status_invalid"
    STALE = "inbound.stale"
    RECEIPT_INVALID = "inbound.receipt_invalid"
    OVER_RECEIPT = "inbound.over_receipt"
    LOCATION_MISSING = "inbound.location_missing"
    LANDED_COST_UNAVAILABLE = "inbound.landed_cost_unavailable"


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem of a shipment document: a dotted path into it (``lines.2.quantity``), a code, the reason."""

    field: str | None
    code: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": str(self.code), "detail": self.detail}


class InboundInvalid(ValidationFailed):
    """A shipment document with at least one problem; ``problems`` lists every one. Nothing was written."""

    code = InboundErrorCode.INVALID
    title = "Invalid inbound shipment"

    def __init__(self, problems: list[FieldProblem]) -> None:
        count = len(problems)
        first = problems[0] if problems else None
        detail = (
            f"{first.field}: {first.detail}"
            if count == 1 and first is not None and first.field
            else f"{count} problem{'s' if count != 1 else ''} found; nothing was saved"
        )
        super().__init__(detail, field=None)
        self.problems = problems


class InboundStatusInvalid(Conflict):
    code = InboundErrorCode.STATUS_INVALID
    title = "The shipment is not in a state that allows this"


class InboundStale(Conflict):
    code = InboundErrorCode.STALE
    title = "The shipment changed since you read it"


class ReceiptInvalid(ValidationFailed):
    code = InboundErrorCode.RECEIPT_INVALID
    title = "Invalid receipt"


class OverReceipt(Conflict):
    code = InboundErrorCode.OVER_RECEIPT
    title = "More units than expected"


class ReceivingLocationMissing(Conflict):
    code = InboundErrorCode.LOCATION_MISSING
    title = "The warehouse has no location for this"


# --- receiving: scans, discrepancies, the receipt report ---------------------------------------------------


class ReceivingErrorCode(StrEnum):
    SCAN_UNKNOWN = (
        "inbound.scan_unknown"  # neither a carton label, nor a barcode or code of the seller's SKUs
    )
    SKU_NOT_ON_SHIPMENT = "inbound.sku_not_on_shipment"
    CARTON_UNKNOWN = "inbound.carton_unknown"  # another shipment's label, or no such carton
    DISCREPANCY_INVALID = "inbound.discrepancy_invalid"
    PHOTO_INVALID = "inbound.photo_invalid"
    REPORT_MISSING = "inbound.report_missing"
    REPORT_STATUS_INVALID = "inbound.report_status_invalid"


class ScanUnknown(ValidationFailed):
    code = ReceivingErrorCode.SCAN_UNKNOWN
    title = "Nothing on this shipment has this barcode"


class SkuNotOnShipment(Conflict):
    code = ReceivingErrorCode.SKU_NOT_ON_SHIPMENT
    title = "The SKU is not on this shipment"


class CartonUnknown(ValidationFailed):
    code = ReceivingErrorCode.CARTON_UNKNOWN
    title = "Not a carton of this shipment"


class DiscrepancyInvalid(ValidationFailed):
    code = ReceivingErrorCode.DISCREPANCY_INVALID
    title = "Invalid discrepancy"


class PhotoInvalid(ValidationFailed):
    code = ReceivingErrorCode.PHOTO_INVALID
    title = "Invalid photo"


class ReportMissing(Conflict):
    code = ReceivingErrorCode.REPORT_MISSING
    title = "The shipment has no receipt report yet"


class ReportStatusInvalid(Conflict):
    code = ReceivingErrorCode.REPORT_STATUS_INVALID
    title = "The receipt report was already answered"
