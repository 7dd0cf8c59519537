from enum import StrEnum

from haicang.core.errors import Conflict, PermissionDenied, ValidationFailed


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


class CountErrorCode(StrEnum):
    """Codes of the cycle counts (``haicang.inventory.counting``)."""

    TASK_INVALID = "count.task_invalid"
    STATUS_INVALID = "count.status_invalid"
    LINE_INVALID = "count.line_invalid"
    STALE = "count.stale"
    ASSIGNEE_INVALID = "count.assignee_invalid"
    POLICY_INVALID = "count.policy_invalid"
    SELF_APPROVAL = "count.self_approval"


class CountInvalid(ValidationFailed):
    """A count task or line that cannot be (a location outside the task, an unknown lot…)."""

    code = CountErrorCode.TASK_INVALID


class CountLineInvalid(ValidationFailed):
    code = CountErrorCode.LINE_INVALID


class CountAssigneeInvalid(ValidationFailed):
    code = CountErrorCode.ASSIGNEE_INVALID


class CountPolicyInvalid(ValidationFailed):
    code = CountErrorCode.POLICY_INVALID


class CountStatusInvalid(Conflict):
    code = CountErrorCode.STATUS_INVALID
    title = "The count task is not in a state that allows this"


class StaleCount(Conflict):
    """Stock moved at counted locations after they were counted: nothing was applied; recount those lines."""

    code = CountErrorCode.STALE
    title = "The stock changed since it was counted"


class CountSelfApproval(PermissionDenied):
    """Segregation of duties: whoever counted or submitted a task does not approve its variances."""

    code = CountErrorCode.SELF_APPROVAL
