"""What the pages call location kinds and network errors, in the reader's language.

Codes stay English in the database and the API; people read these labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicang.core.errors import DomainError
from haicang.network.errors import NetworkErrorCode as C

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOCATION_KIND_LABELS: dict[str, StrOrPromise] = {
    "pick": pgettext_lazy("location kind", "Pick"),
    "bulk": pgettext_lazy("location kind", "Bulk"),
    "receiving": pgettext_lazy("location kind", "Receiving"),
    "dock": pgettext_lazy("location kind", "Dock"),
    "returns": pgettext_lazy("location kind", "Returns"),
    "quarantine": pgettext_lazy("location kind", "Quarantine"),
    "damaged": pgettext_lazy("location kind", "Damaged"),
    "supplier": pgettext_lazy("location kind", "Supplier (virtual)"),
    "in_transit": pgettext_lazy("location kind", "In transit (virtual)"),
    "customer": pgettext_lazy("location kind", "Customer (virtual)"),
    "inventory_loss": pgettext_lazy("location kind", "Inventory loss (virtual)"),
    "scrap": pgettext_lazy("location kind", "Scrap (virtual)"),
}

_ERRORS: dict[str, StrOrPromise] = {
    C.HOLIDAY_EXISTS: _("This date is already a holiday."),
}

_CALENDAR_ERRORS: dict[str, StrOrPromise] = {
    "on": _("Enter a date."),
    "name": _("Give the holiday a name of at most 100 characters."),
}


def location_kind_label(kind: str) -> StrOrPromise:
    return LOCATION_KIND_LABELS.get(kind, kind)


def error_message(exc: DomainError) -> StrOrPromise:
    """A service error as the person reads it: a translated sentence for the known codes, else its detail."""
    if exc.code == C.CALENDAR_INVALID:
        return _CALENDAR_ERRORS.get(exc.field or "", exc.detail)
    return _ERRORS.get(exc.code, exc.detail)
