import datetime as dt

import pytest

from haicang.core.audit import audit_entries_for
from haicang.core.countries import CountryUnknown
from haicang.core.money import CurrencyUnknown
from haicang.parties.errors import ComplianceIdInvalid, LastOwner, MembershipExists, PartyInvalid, RoleInvalid
from haicang.parties.services import (
    compliance_id_set,
    membership_add,
    membership_deactivate,
    membership_role_change,
    seller_create,
    seller_market_set,
)
from haicang.parties.tests.factories import SYSTEM, make_member, make_operator, make_seller, make_user

pytestmark = pytest.mark.django_db


def test_creating_a_seller_validates_country_currency_and_code_and_is_audited():
    seller = seller_create(
        actor=SYSTEM, code="lumen", name="Shenzhen Lumen", country="cn", base_currency="cny"
    )

    assert (seller.country, seller.base_currency) == ("CN", "CNY")
    assert [e.action for e in audit_entries_for(subject=seller)] == ["seller.created"]
    with pytest.raises(PartyInvalid) as caught:
        seller_create(actor=SYSTEM, code="lumen", name="Again", country="CN", base_currency="CNY")
    assert caught.value.field == "code"
    with pytest.raises(CountryUnknown):
        seller_create(actor=SYSTEM, code="x1", name="X", country="XX", base_currency="CNY")
    with pytest.raises(CurrencyUnknown):
        seller_create(actor=SYSTEM, code="x2", name="X", country="CN", base_currency="ABC")
    with pytest.raises(PartyInvalid):
        seller_create(actor=SYSTEM, code="Not A Slug", name="X", country="CN", base_currency="CNY")


def test_a_member_gets_a_role_of_their_partys_kind_only():
    seller, operator = make_seller(), make_operator()
    user = make_user()

    with pytest.raises(RoleInvalid):
        membership_add(actor=SYSTEM, party=seller, user=user, role="warehouse_staff")
    with pytest.raises(RoleInvalid):
        membership_add(actor=SYSTEM, party=operator, user=user, role="planner")
    membership = membership_add(actor=SYSTEM, party=seller, user=user, role="planner")
    assert membership.party == seller


def test_a_user_joins_a_party_once():
    seller = make_seller()
    member = make_member(seller, "viewer")

    with pytest.raises(MembershipExists):
        membership_add(actor=SYSTEM, party=seller, user=member.user, role="planner")


def test_the_last_owner_cannot_be_demoted_or_removed():
    seller = make_seller()
    owner = make_member(seller, "owner")

    with pytest.raises(LastOwner):
        membership_role_change(actor=SYSTEM, membership=owner, role="viewer")
    with pytest.raises(LastOwner):
        membership_deactivate(actor=SYSTEM, membership=owner)

    make_member(seller, "owner")
    assert membership_role_change(actor=SYSTEM, membership=owner, role="viewer").role == "viewer"


def test_markets_record_whether_import_vat_is_recoverable():
    seller = make_seller()

    seller_market_set(actor=SYSTEM, seller=seller, country="de", import_vat_recoverable=False)
    seller_market_set(actor=SYSTEM, seller=seller, country="DE", import_vat_recoverable=True)

    assert list(seller.markets.values_list("country", "import_vat_recoverable")) == [("DE", True)]


def test_compliance_ids_are_validated_normalised_and_replaced():
    seller = make_seller()

    compliance_id_set(actor=SYSTEM, seller=seller, kind="vat", market="DE", value="DE 136695976")
    record = compliance_id_set(
        actor=SYSTEM,
        seller=seller,
        kind="ioss",
        market="eu",
        value="IM2500000014",
        valid_from=dt.date(2026, 1, 1),
    )

    assert record.market == "EU"
    assert sorted(seller.compliance_ids.values_list("kind", "value")) == [
        ("ioss", "IM2500000014"),
        ("vat", "DE136695976"),
    ]
    with pytest.raises(ComplianceIdInvalid) as caught:
        compliance_id_set(actor=SYSTEM, seller=seller, kind="vat", market="DE", value="DE000")
    assert caught.value.field == "value"
    assert seller.compliance_ids.get(kind="vat").value == "DE136695976"
