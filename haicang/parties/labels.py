"""What the pages call roles, permissions, fee kinds and agreement states, in the reader's language.

Codes stay English in the database and the API; people read these labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haicang.core.errors import DomainError
from haicang.parties.errors import PartiesErrorCode as C

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROLE_LABELS: dict[str, StrOrPromise] = {
    "owner": pgettext_lazy("role", "Owner"),
    "planner": pgettext_lazy("role", "Planner"),
    "order_manager": pgettext_lazy("role", "Order manager"),
    "finance": pgettext_lazy("role", "Finance"),
    "viewer": pgettext_lazy("role", "Viewer"),
    "manager": pgettext_lazy("role", "Manager"),
    "warehouse_staff": pgettext_lazy("role", "Warehouse staff"),
    "billing": pgettext_lazy("role", "Billing"),
}

RESOURCE_LABELS: dict[str, StrOrPromise] = {
    "party": _("Party profile"),
    "members": _("Members"),
    "api_keys": _("API keys"),
    "agreements": _("Agreements"),
    "catalog": _("Catalogue"),
    "network": _("Warehouse network"),
    "inventory": _("Inventory"),
    "inbound": _("Inbound"),
    "orders": _("Orders"),
    "fulfillment": _("Fulfilment"),
    "returns": _("Returns"),
    "billing": _("Billing"),
    "planning": _("Planning"),
    "integration": _("Integration"),
    "imports": _("Imports"),
    "audit": _("Audit log"),
}

FEE_KIND_LABELS: dict[str, StrOrPromise] = {
    "inbound_carton": _("Inbound, per carton"),
    "inbound_pallet": _("Inbound, per pallet"),
    "inbound_unit": _("Inbound, per unit"),
    "storage_m3_day": _("Storage, per m³ per day"),
    "outbound_order": _("Outbound, per order"),
    "outbound_extra_unit": _("Outbound, per extra unit"),
    "packaging": _("Packaging, per order"),
    "return_unit": _("Returns, per unit"),
    "labelling": _("Labelling, per unit"),
    "kitting": _("Kitting, per kit"),
    "postage_markup_pct": _("Postage markup, percent"),
}

AGREEMENT_STATUS_LABELS: dict[str, StrOrPromise] = {
    "draft": pgettext_lazy("agreement status", "Draft"),
    "active": pgettext_lazy("agreement status", "Active"),
    "terminated": pgettext_lazy("agreement status", "Terminated"),
}

_ERRORS: dict[str, StrOrPromise] = {
    C.LAST_OWNER: _("The party must keep at least one active owner."),
    C.ROLE_INVALID: _("This role does not exist for this kind of party."),
    C.MEMBERSHIP_EXISTS: _("This user is already a member (or was one: a membership is never reopened)."),
}

_API_KEY_ERRORS: dict[str, StrOrPromise] = {
    "name": _("Give the key a name."),
    "scopes": _("Choose at least one scope this party can hold."),
    "expires_at": _("The expiry date must be in the future."),
}


def role_label(role: str) -> StrOrPromise:
    return ROLE_LABELS.get(role, role)


def error_message(exc: DomainError) -> StrOrPromise:
    """A service error as the person reads it: a translated sentence for the known codes, else its detail."""
    if exc.code == C.API_KEY_INVALID:
        return _API_KEY_ERRORS.get(exc.field or "", exc.detail)
    return _ERRORS.get(exc.code, exc.detail)
