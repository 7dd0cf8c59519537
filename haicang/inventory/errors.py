from enum import StrEnum

from haicang.core.errors import Conflict, ValidationFailed


class InventoryErrorCode(StrEnum):
    INSUFFICIENT = "stock.insufficient"
    QUANTITY_INVALID = "stock.quantity_invalid"
    LOCATION_INVALID = "stock.location_invalid"
    OWNER_INVALID = "stock.owner_invalid"
    RESERVATION_CLOSED = "stock.reservation_closed"
    STALE_CORRECTION = "stock.stale_correction"
    LOT_INVALID = "stock.lot_invalid"


class InsufficientStock(Conflict):
    code = InventoryErrorCode.INSUFFICIENT
    title = "Not enough stock"


class InvalidQuantity(ValidationFailed):
    code = InventoryErrorCode.QUANTITY_INVALID


class InvalidLocation(ValidationFailed):
    code = InventoryErrorCode.LOCATION_INVALID


class InvalidOwner(ValidationFailed):
    code = InventoryErrorCode.OWNER_INVALID


class ReservationClosed(Conflict):
    code = InventoryErrorCode.RESERVATION_CLOSED


class StaleCorrection(Conflict):
    code = InventoryErrorCode.STALE_CORRECTION
    title = "The stock changed since you read it"


class InvalidLot(ValidationFailed):
    code = InventoryErrorCode.LOT_INVALID
