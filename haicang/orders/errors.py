"""Errors of the orders app, with stable codes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from haicang.core.errors import Conflict, ValidationFailed


class OrdersErrorCode(StrEnum):
    INPUT_INVALID = "orders.input_invalid"
    PLATFORM_MISMATCH = "orders.platform_mismatch"
    ACCOUNT_DISABLED = "orders.account_disabled"
    ACCOUNT_UNKNOWN = "orders.account_unknown"
    WEBHOOK_REJECTED = "orders.webhook_rejected"
    ON_HOLD = "orders.on_hold"
    NOT_ROUTABLE = "orders.not_routable"
    NOT_CANCELLABLE = "orders.not_cancellable"


class OrderInputInvalid(ValidationFailed):
    """An order given to the API or in a file cannot be read into a normalised order."""

    code: ClassVar[str] = OrdersErrorCode.INPUT_INVALID
    title = "The order cannot be read"


class PlatformMismatch(ValidationFailed):
    code: ClassVar[str] = OrdersErrorCode.PLATFORM_MISMATCH
    title = "The order comes from another platform than the channel account"


class AccountDisabled(Conflict):
    code: ClassVar[str] = OrdersErrorCode.ACCOUNT_DISABLED
    title = "The channel account is disabled"


class AccountUnknown(ValidationFailed):
    code: ClassVar[str] = OrdersErrorCode.ACCOUNT_UNKNOWN
    title = "No such channel account"


class OrderOnHold(Conflict):
    """Routing refused: the order has an open hold (holds block release and reservation)."""

    code: ClassVar[str] = OrdersErrorCode.ON_HOLD
    title = "The order is on hold"


class OrderNotRoutable(Conflict):
    """Routing refused: the order is not waiting to ship (cancelled, shipped, delivered, pending payment…)."""

    code: ClassVar[str] = OrdersErrorCode.NOT_ROUTABLE
    title = "The order cannot be routed"


class OrderNotCancellable(Conflict):
    """The seller's cancellation refused: the order is already cancelled, or it has shipped."""

    code: ClassVar[str] = OrdersErrorCode.NOT_CANCELLABLE
    title = "The order cannot be cancelled"
