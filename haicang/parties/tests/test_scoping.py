import pytest

from haicang.parties.access import scope_for_api_key, scope_for_user
from haicang.parties.models import Operator, Seller, ServiceAgreement
from haicang.parties.scoping import AccessDenied, scope_queryset
from haicang.parties.services import api_key_issue
from haicang.parties.tests.factories import (
    SYSTEM,
    make_agreement,
    make_member,
    make_operator,
    make_seller,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_a_seller_sees_itself_and_the_operators_it_has_agreements_with():
    seller, other_seller = make_seller(), make_seller()
    partner, stranger = make_operator(), make_operator()
    make_agreement(seller, partner)
    make_agreement(other_seller, stranger)
    scope = scope_for_user(make_member(seller, "viewer").user)

    assert list(scope_queryset(Seller.objects.all(), scope, permission="party:read")) == [seller]
    assert list(scope_queryset(Operator.objects.all(), scope, permission="party:read")) == [partner]


def test_an_operator_sees_only_its_own_agreements_once_each():
    seller = make_seller()
    operator, other = make_operator(), make_operator()
    mine = [make_agreement(seller, operator), make_agreement(seller, operator)]
    make_agreement(seller, other)
    scope = scope_for_user(make_member(operator, "manager").user)

    visible = list(scope_queryset(ServiceAgreement.objects.all(), scope, permission="agreements:read"))

    assert sorted(a.pk for a in visible) == sorted(a.pk for a in mine)


def test_a_role_without_the_permission_is_refused():
    seller = make_seller()
    scope = scope_for_user(make_member(seller, "viewer").user)

    with pytest.raises(AccessDenied) as caught:
        scope_queryset(Seller.objects.all(), scope, permission="party:write")
    assert caught.value.status == 403


def test_a_user_without_membership_sees_nothing_and_may_do_nothing():
    make_seller()
    scope = scope_for_user(make_user())

    with pytest.raises(AccessDenied):
        scope_queryset(Seller.objects.all(), scope, permission="party:read")


def test_an_installation_admin_lists_the_registries_but_no_party_data():
    seller, operator = make_seller(), make_operator()
    make_agreement(seller, operator)
    scope = scope_for_user(make_user(is_staff=True))

    assert scope.is_installation_admin
    assert set(scope_queryset(Seller.objects.all(), scope, permission="party:read")) == {seller}
    with pytest.raises(AccessDenied):
        scope_queryset(ServiceAgreement.objects.all(), scope, permission="agreements:read")


def test_a_user_in_two_parties_acts_in_the_one_chosen():
    seller, operator = make_seller(), make_operator()
    member = make_member(seller, "planner")
    from haicang.parties.services import membership_add

    membership_add(actor=SYSTEM, party=operator, user=member.user, role="billing")

    assert scope_for_user(member.user).party_id == seller.pk
    assert scope_for_user(member.user, party_id=operator.pk).party_id == operator.pk
    # a party the user does not belong to gives no access at all
    assert scope_for_user(member.user, party_id=make_seller().pk).permissions == frozenset()


def test_an_api_key_acts_for_its_party_with_its_scopes_only():
    seller = make_seller()
    key, _ = api_key_issue(actor=SYSTEM, party=seller, name="erp", scopes=["catalog:read"])

    scope = scope_for_api_key(key)

    assert scope.party_id == seller.pk
    assert scope.permissions == {"catalog:read"}
