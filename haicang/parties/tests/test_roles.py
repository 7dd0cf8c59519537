import pytest

from haicang.parties.roles import (
    OPERATOR_ROLES,
    SELLER_ROLES,
    OperatorRole,
    PartyKind,
    SellerRole,
    parse_scopes,
    permissions_for,
)


def test_write_implies_read_for_every_role():
    for table in (SELLER_ROLES, OPERATOR_ROLES):
        for role, perms in table.items():
            for perm in perms:
                resource, action = perm.split(":")
                if action == "write":
                    assert f"{resource}:read" in perms, (role, perm)


def test_a_seller_viewer_reads_the_catalogue_but_cannot_change_it():
    perms = permissions_for(PartyKind.SELLER, SellerRole.VIEWER)
    assert "catalog:read" in perms
    assert "catalog:write" not in perms


def test_only_operators_change_the_warehouse_network():
    assert all("network:write" not in p for p in SELLER_ROLES.values())
    assert "network:write" in OPERATOR_ROLES[OperatorRole.MANAGER]


def test_operators_never_change_a_sellers_catalogue_or_orders():
    for perms in OPERATOR_ROLES.values():
        assert "catalog:write" not in perms
        assert "orders:write" not in perms


def test_an_unknown_role_grants_nothing():
    assert permissions_for(PartyKind.SELLER, "warehouse_staff") == frozenset()
    assert permissions_for(PartyKind.OPERATOR, "planner") == frozenset()


def test_scopes_parse_with_write_implying_read_and_unknown_ones_refused():
    assert parse_scopes(["catalog:write"]) == {"catalog:read", "catalog:write"}
    with pytest.raises(ValueError, match="unknown scope"):
        parse_scopes(["catalog:delete"])
    with pytest.raises(ValueError, match="unknown scope"):
        parse_scopes(["spaceships:read"])
