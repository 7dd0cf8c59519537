"""Who sees the catalogue in the header: members of a party whose role reads the catalogue."""

from __future__ import annotations

from typing import Any

from haicang.parties.access import memberships_of
from haicang.parties.roles import PartyKind, permissions_for


def can_read_catalog(user: Any) -> bool:
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    for membership in memberships_of(user):
        kind = PartyKind.SELLER if membership.seller_id else PartyKind.OPERATOR
        if "catalog:read" in permissions_for(kind, membership.role):
            return True
    return False
