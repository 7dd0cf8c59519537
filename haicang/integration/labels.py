"""What the webhook pages call event types, delivery states and errors, in the reader's language.

Codes and the catalogue stay English in the database and the API; people read these labels. An event type a
later app adds without a label here shows the catalogue's English description.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from haicang.core.errors import DomainError
from haicang.integration.catalogue import EventType
from haicang.integration.errors import IntegrationErrorCode as C

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EVENT_DESCRIPTIONS: dict[str, StrOrPromise] = {
    "order.created": _("A seller's order was created."),
    "order.changed": _("An order's lines, address, service level or status changed."),
    "order.cancelled": _("An order was cancelled."),
    "stock.available_changed": _(
        "Available-to-sell (sellable on hand minus reserved) of one SKU at one warehouse changed."
    ),
    "channel.stock_changed": _(
        "The quantity a channel account may sell of one SKU changed (its share of the available stock)."
    ),
    "fulfillment_request.changed": _(
        "A fulfillment request sent to an operator was created or changed status."
    ),
    "shipment.confirmed": _("A shipment left the warehouse with its carrier and tracking numbers."),
    "inbound.received": _("Goods of an advance shipping notice were received at the warehouse."),
    "return.received": _("A customer return arrived at the warehouse and was graded."),
    "invoice.issued": _("An operator issued an invoice to a seller."),
    "webhook.test": _("A test event sent on request to one subscription."),
}

_ERRORS: dict[str, StrOrPromise] = {
    C.EVENT_TYPE_UNKNOWN: _("Choose at least one event type from the catalogue."),
    C.URL_INVALID: _(
        "Enter an absolute https:// address without a user name or password "
        "(plain http:// only to 127.0.0.1, ::1 or localhost)."
    ),
    C.SECRET_ROTATION_INVALID: _("The old secret may stay live for at most 7 days."),
    C.SUBSCRIPTION_INACTIVE: _("Turn the subscription on before sending it a test event."),
    C.DELIVERY_NOT_DEAD: _("Only a dead letter can be replayed."),
}


def event_description(event: EventType) -> StrOrPromise:
    return EVENT_DESCRIPTIONS.get(event.name, event.description)


def error_message(exc: DomainError) -> StrOrPromise:
    """A service error as the person reads it: a translated sentence for the known codes, else its detail."""
    return _ERRORS.get(exc.code, exc.detail)
