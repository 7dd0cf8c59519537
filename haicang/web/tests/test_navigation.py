from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured

from haicang.web.navigation import NavEntry, NavRegistry, all_of, any_of, navigation, signed_in, staff


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
