"""Roles and what each may do: a pure table, no Django.

A permission is ``<resource>:<action>`` with action ``read`` or ``write`` (write implies read). Each role of a
party grants a fixed set; an API key carries a subset of its party's permissions (its scopes).
"""

from __future__ import annotations

from enum import StrEnum


class PartyKind(StrEnum):
    SELLER = "seller"
    OPERATOR = "operator"


class SellerRole(StrEnum):
    OWNER = "owner"
    PLANNER = "planner"
    ORDER_MANAGER = "order_manager"
    FINANCE = "finance"
    VIEWER = "viewer"


class OperatorRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    WAREHOUSE_STAFF = "warehouse_staff"
    BILLING = "billing"


RESOURCES: tuple[str, ...] = (
    "party",  # the party's own profile, markets, compliance ids
    "members",  # memberships and roles
    "api_keys",
    "agreements",  # service agreements, data-sharing scope, fee schedules
    "catalog",
    "network",  # warehouses, locations, calendars, carriers
    "inventory",
    "inbound",
    "orders",
    "fulfillment",
    "returns",
    "billing",
    "planning",
    "integration",
    "imports",  # uploaded files and mapping profiles (each import kind also needs its own permission)
    "audit",
)


def _perms(*specs: str) -> frozenset[str]:
    """``"catalog:write"`` expands to read and write; ``"*:read"`` to every resource's read."""
    out: set[str] = set()
    for spec in specs:
        resource, action = spec.split(":")
        resources = RESOURCES if resource == "*" else (resource,)
        for res in resources:
            out.add(f"{res}:read")
            if action == "write":
                out.add(f"{res}:write")
    return frozenset(out)


# Permissions beyond read/write of a resource. ``orders:pii``: open the customer's personal data (name, street,
# phone, e-mail) of the seller's orders; every such read is audited. Others see those fields masked.
EXTRA_PERMISSIONS: frozenset[str] = frozenset({"orders:pii"})

SELLER_ROLES: dict[SellerRole, frozenset[str]] = {
    SellerRole.OWNER: (_perms("*:write") - {"network:write", "fulfillment:write"}) | {"orders:pii"},
    SellerRole.PLANNER: _perms(
        "*:read", "catalog:write", "planning:write", "inbound:write", "inventory:write", "imports:write"
    )
    - {"members:read", "api_keys:read", "billing:read"},
    SellerRole.ORDER_MANAGER: (
        _perms("*:read", "orders:write", "returns:write", "imports:write")
        - {"members:read", "api_keys:read", "billing:read", "planning:read"}
    )
    | {"orders:pii"},
    SellerRole.FINANCE: _perms("*:read", "billing:write") - {"members:read", "api_keys:read"},
    SellerRole.VIEWER: _perms("*:read") - {"members:read", "api_keys:read", "billing:read", "audit:read"},
}

OPERATOR_ROLES: dict[OperatorRole, frozenset[str]] = {
    OperatorRole.OWNER: _perms("*:write")
    - {"catalog:write", "orders:write", "planning:read", "planning:write"},
    OperatorRole.MANAGER: _perms(
        "*:read",
        "network:write",
        "inbound:write",
        "fulfillment:write",
        "returns:write",
        "inventory:write",
        "imports:write",
    )
    - {"members:read", "api_keys:read", "planning:read"},
    OperatorRole.WAREHOUSE_STAFF: _perms(
        "catalog:read",
        "network:read",
        "inventory:read",
        "inbound:write",
        "fulfillment:write",
        "returns:write",
    ),
    OperatorRole.BILLING: _perms("party:read", "agreements:read", "billing:write", "catalog:read"),
}

ALL_PERMISSIONS: frozenset[str] = _perms("*:write") | EXTRA_PERMISSIONS


def role_choices(kind: PartyKind) -> list[str]:
    return [r.value for r in (SellerRole if kind is PartyKind.SELLER else OperatorRole)]


def permissions_for(kind: PartyKind, role: str) -> frozenset[str]:
    """The permissions of ``role`` in a party of ``kind``; an unknown role grants nothing."""
    if kind is PartyKind.SELLER:
        return SELLER_ROLES.get(SellerRole(role), frozenset()) if role in role_choices(kind) else frozenset()
    return OPERATOR_ROLES.get(OperatorRole(role), frozenset()) if role in role_choices(kind) else frozenset()


def parse_scopes(scopes: list[str]) -> frozenset[str]:
    """Validate API-key scopes (``catalog:read``, ``orders:write``…); write implies read. Raises ValueError."""
    out: set[str] = set()
    for scope in scopes:
        if scope in EXTRA_PERMISSIONS:
            out.add(scope)
            continue
        resource, _, action = scope.partition(":")
        if resource not in RESOURCES or action not in {"read", "write"}:
            raise ValueError(f"unknown scope {scope!r}")
        out |= _perms(scope)
    return frozenset(out)
