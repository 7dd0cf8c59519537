"""Errors of the integration app, with stable codes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from haicang.core.errors import Conflict, ValidationFailed


class IntegrationErrorCode(StrEnum):
    EVENT_TYPE_UNKNOWN = "integration.event_type_unknown"
    OUTSIDE_TRANSACTION = "integration.outside_transaction"
    URL_INVALID = "integration.url_invalid"
    SECRET_ROTATION_INVALID = "integration.secret_rotation_invalid"  # noqa: S105 - an error code
    SUBSCRIPTION_INACTIVE = "integration.subscription_inactive"
    DELIVERY_NOT_DEAD = "integration.delivery_not_dead"


class EventTypeUnknown(ValidationFailed):
    code: ClassVar[str] = IntegrationErrorCode.EVENT_TYPE_UNKNOWN


class OutboxOutsideTransaction(RuntimeError):
    """A programming error: an event must commit or roll back with the change it announces."""

    code: ClassVar[str] = IntegrationErrorCode.OUTSIDE_TRANSACTION


class WebhookUrlInvalid(ValidationFailed):
    code: ClassVar[str] = IntegrationErrorCode.URL_INVALID


class SecretRotationInvalid(ValidationFailed):
    code: ClassVar[str] = IntegrationErrorCode.SECRET_ROTATION_INVALID


class SubscriptionInactive(Conflict):
    code: ClassVar[str] = IntegrationErrorCode.SUBSCRIPTION_INACTIVE


class DeliveryNotDead(Conflict):
    code: ClassVar[str] = IntegrationErrorCode.DELIVERY_NOT_DEAD
