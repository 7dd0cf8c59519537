import pytest
from django.contrib.auth import get_user_model

from haicang.catalog.models import Sku
from haicang.core.actors import Actor
from haicang.core.models import AuditEntry
from haicang.demo.seed import ALL_LOGINS, demo_world_seed
from haicang.network.models import Location, Warehouse
from haicang.parties.access import scope_for_user
from haicang.parties.models import Membership, Operator, Seller, ServiceAgreement

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_one_seller_two_operators_three_warehouses_and_a_catalogue():
    demo_world_seed(actor=Actor.system("demo"))

    assert Seller.objects.count() == 1
    assert Operator.objects.count() == 2
    assert sorted(Warehouse.objects.values_list("code", flat=True)) == ["BHX1", "FRA1", "LAX1"]
    assert Location.objects.filter(warehouse__code="FRA1", kind="pick").count() == 480
    assert 140 <= Sku.objects.count() <= 160
    assert Sku.objects.filter(is_kit=True).count() == 4
    assert Sku.objects.filter(lithium_battery=True).exists()
    assert ServiceAgreement.objects.filter(status="active").count() == 2
    frankfurt = Warehouse.objects.get(code="FRA1")
    assert sorted(frankfurt.markets.values_list("country", flat=True)) == ["AT", "BE", "DE", "FR", "NL"]


def test_every_printed_login_works_and_has_its_role():
    logins = demo_world_seed(actor=Actor.system("demo"))

    users = get_user_model().objects
    for login in logins:
        assert users.get(username=login.username).check_password(login.password), login.username
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "owner",
        "planner",
        "order_manager",
        "finance",
        "viewer",
        "manager",
        "warehouse_staff",
        "billing",
    }
    assert scope_for_user(users.get(username="admin")).is_installation_admin
    assert "catalog:write" in scope_for_user(users.get(username="lumen.planner")).permissions


def test_seeding_twice_changes_nothing():
    demo_world_seed(actor=Actor.system("demo"))
    counts = (Sku.objects.count(), Location.objects.count(), AuditEntry.objects.count(), len(ALL_LOGINS))

    demo_world_seed(actor=Actor.system("demo"))

    assert (
        Sku.objects.count(),
        Location.objects.count(),
        AuditEntry.objects.count(),
        len(ALL_LOGINS),
    ) == counts
