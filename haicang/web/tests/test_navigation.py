from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured

from haicang.web.navigation import (
    NavEntry,
    NavRegistry,
    RequestVisibility,
    all_of,
    any_of,
    has_permission,
    navigation,
    signed_in,
    staff,
)


def _user(**flags) -> User:
    return User(username="u", is_active=flags.get("is_active", True), is_staff=flags.get("is_staff", False))


def test_entries_show_in_order_only_to_whom_they_are_visible():
    registry = NavRegistry()
    registry.register(
        NavEntry(key="admin", label="Admin", url_name="admin:index", order=900, visible_to=staff)
    )
    registry.register(NavEntry(key="home", label="Home", url_name="web:home", order=0, exact=True))

    member = [link.key for link in registry.links_for(user=_user(), path="/")]
    boss = [link.key for link in registry.links_for(user=_user(is_staff=True), path="/")]
    nobody = registry.links_for(user=AnonymousUser(), path="/")

    assert member == ["home"]
    assert boss == ["home", "admin"]
    assert nobody == []


def test_the_entry_containing_the_current_page_is_marked_active():
    registry = NavRegistry()
    registry.register(NavEntry(key="home", label="Home", url_name="web:home", exact=True))
    registry.register(NavEntry(key="admin", label="Admin", url_name="admin:index", visible_to=staff))

    links = registry.links_for(user=_user(is_staff=True), path="/admin/auth/user/")

    assert {link.key: link.active for link in links} == {"home": False, "admin": True}


def test_registering_the_same_key_twice_is_refused():
    registry = NavRegistry()
    registry.register(NavEntry(key="home", label="Home", url_name="web:home"))

    with pytest.raises(ImproperlyConfigured):
        registry.register(NavEntry(key="home", label="Start", url_name="web:home"))


def test_predicates_combine_and_an_inactive_user_sees_nothing():
    assert all_of(signed_in, staff)(_user(is_staff=True))
    assert not all_of(signed_in, staff)(_user())
    assert any_of(staff, signed_in)(_user())
    assert not signed_in(_user(is_active=False))


def test_the_shell_registers_home_for_members_and_admin_and_api_docs_for_staff():
    keys = {entry.key: entry for entry in navigation.entries()}

    assert {"home", "admin", "api-docs"} <= set(keys)
    assert keys["home"].visible_to is signed_in
    assert keys["admin"].visible_to is staff
    assert keys["api-docs"].visible_to is staff


# --- navigation by permission -------------------------------------------------------------------------------
def _predicate_name(entry: NavEntry) -> str:
    assert isinstance(entry.visible_to, RequestVisibility)
    return entry.visible_to.name


def test_the_parties_and_network_entries_show_by_permission_of_the_current_scope():
    keys = {
        entry.key: _predicate_name(entry)
        for entry in navigation.entries()
        if entry.order not in (0, 900, 910)
    }

    assert keys["warehouses"] == "has_permission('network:read')"
    assert keys["agreements"] == "has_permission('agreements:read')"
    assert keys["members"] == "has_permission('members:read')"
    assert keys["api-keys"] == "has_permission('api_keys:read')"
    assert keys["catalog"] == "has_permission('catalog:read')"


@pytest.mark.django_db
def test_has_permission_follows_the_party_chosen_in_the_session(rf):
    from django.contrib.sessions.backends.db import SessionStore

    from haicang.parties.access import PARTY_SESSION_KEY
    from haicang.parties.models import Membership
    from haicang.parties.tests.factories import make_member, make_operator, make_seller

    member = make_member(make_seller(), "owner")
    operator = make_operator()
    Membership.objects.create(user=member.user, operator=operator, role="warehouse_staff")
    request = rf.get("/")
    request.user = member.user
    request.session = SessionStore()
    request.session[PARTY_SESSION_KEY] = str(operator.pk)
    manage_members = has_permission("members:read")

    assert manage_members(member.user)  # no request: the first membership (the seller's owner)
    assert not manage_members.check(member.user, request)  # the session's party: warehouse staff
    assert has_permission("network:read").check(member.user, request)
    assert not has_permission("network:read")(AnonymousUser())


@pytest.mark.django_db
def test_links_for_hands_the_request_to_request_aware_predicates_even_when_combined(rf):
    seen = []

    def remember(user, request):
        seen.append(request)
        return True

    registry = NavRegistry()
    registry.register(
        NavEntry(
            key="x",
            label="X",
            url_name="web:home",
            visible_to=all_of(signed_in, RequestVisibility(remember, name="remember")),
        )
    )
    request = rf.get("/")

    links = registry.links_for(user=_user(), path="/", request=request)
    registry.links_for(user=_user(), path="/")

    assert [link.key for link in links] == ["x"]
    assert seen == [request, None]
