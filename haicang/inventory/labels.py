"""What the pages call stock states, count statuses and ledger errors, in the reader's language.

Codes stay English in the database and the API; people read these labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicang.core.errors import DomainError
from haicang.inventory.errors import CountErrorCode, InventoryErrorCode

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATE_LABELS: dict[str, StrOrPromise] = {
    "in_transit": pgettext_lazy("stock state", "In transit"),
    "on_hand": pgettext_lazy("stock state", "On hand"),
    "sellable": pgettext_lazy("stock state", "Sellable"),
    "reserved": pgettext_lazy("stock state", "Reserved"),
    "available": pgettext_lazy("stock state", "Available"),
    "receiving": pgettext_lazy("stock state", "Receiving"),
    "damaged": pgettext_lazy("stock state", "Damaged"),
    "in_returns": pgettext_lazy("stock state", "In returns"),
    "quarantine": pgettext_lazy("stock state", "Quarantine"),
}
STATES = list(STATE_LABELS)

COUNT_STATUS_LABELS: dict[str, StrOrPromise] = {
    "open": pgettext_lazy("count status", "Counting"),
    "counted": pgettext_lazy("count status", "Awaiting approval"),
    "applied": pgettext_lazy("count status", "Applied"),
    "cancelled": pgettext_lazy("count status", "Cancelled"),
}

COUNT_KIND_LABELS: dict[str, StrOrPromise] = {
    "location": pgettext_lazy("count kind", "By location"),
    "sku": pgettext_lazy("count kind", "By SKU"),
}

APPROVAL_REASON_LABELS: dict[str, StrOrPromise] = {
    "units": _("more units than the limit"),
    "value": _("worth more than the limit"),
    "value_unknown": _("value unknown"),
}

DOCUMENT_TYPE_LABELS: dict[str, StrOrPromise] = {
    "receipt": pgettext_lazy("document type", "Receipt"),
    "move": pgettext_lazy("document type", "Move"),
    "order": pgettext_lazy("document type", "Order"),
    "transfer": pgettext_lazy("document type", "Transfer"),
    "adjustment": pgettext_lazy("document type", "Adjustment"),
    "correction": pgettext_lazy("document type", "Correction"),
    "cycle_count": pgettext_lazy("document type", "Cycle count"),
    "inbound": pgettext_lazy("document type", "Inbound shipment"),
    "putaway": pgettext_lazy("document type", "Putaway"),
}

_ERRORS: dict[str, StrOrPromise] = {
    CountErrorCode.STATUS_INVALID: _("This count is no longer open for that: reload the page."),
    CountErrorCode.SELF_APPROVAL: _(
        "You counted or submitted this count yourself: another manager approves its variances."
    ),
    CountErrorCode.STALE: _(
        "Stock moved at a counted location after it was counted. Nothing was applied: count those lines again."
    ),
    InventoryErrorCode.INSUFFICIENT: _(
        "The stock cannot go this low: more units are reserved there than would remain. Release reservations first."
    ),
}


def state_label(state: str) -> StrOrPromise:
    return STATE_LABELS.get(state, state)


def count_status_label(status: str) -> StrOrPromise:
    return COUNT_STATUS_LABELS.get(status, status)


def count_kind_label(kind: str) -> StrOrPromise:
    return COUNT_KIND_LABELS.get(kind, kind)


def approval_reason_labels(reasons: str) -> list[StrOrPromise]:
    return [APPROVAL_REASON_LABELS.get(r, r) for r in reasons.split(",") if r]


def document_type_label(document_type: str) -> StrOrPromise:
    return DOCUMENT_TYPE_LABELS.get(document_type, document_type)


def error_message(exc: DomainError) -> StrOrPromise:
    """A service error as the person reads it: a translated sentence for the known codes, else its detail."""
    return _ERRORS.get(exc.code, exc.detail)
