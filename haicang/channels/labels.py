"""What the channel pages call the channels' errors, in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from haicang.channels.errors import ChannelsErrorCode as C
from haicang.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_ERRORS: dict[str, StrOrPromise] = {
    C.NAME_INVALID: _("A name has 1 to 100 characters."),
    C.NAME_TAKEN: _("You already have a channel account with this name."),
    C.SHOP_TAKEN: _("This store is already one of your channel accounts."),
    C.REGION_INVALID: _("A region is up to 16 letters, digits, “-” or “_” (US, EU, GLOBAL, DE…)."),
    C.PLATFORM_UNKNOWN: _("Choose one of the platforms in the list."),
    C.WAREHOUSE_INVALID: _("Choose warehouses of your active service agreements."),
    C.ACCOUNT_DISABLED: _("Enable the account first."),
    "money.currency_unknown": _("Enter a three-letter currency code such as USD or EUR."),
}


def error_message(exc: DomainError) -> StrOrPromise:
    """A service error as the person reads it: a translated sentence for the known codes, else its detail."""
    if exc.code == C.SHARE_RULE_INVALID:
        return _("This sharing rule is not valid: %(detail)s") % {"detail": exc.detail}
    if exc.code == C.CREDENTIALS_INVALID:
        return _("The credentials are incomplete: %(detail)s") % {"detail": exc.detail}
    return _ERRORS.get(exc.code, exc.detail)
