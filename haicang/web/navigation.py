"""The navigation registry: which entries the header shows, and to whom.

Each app that has pages registers its entries once, from its ``AppConfig.ready()``::

    from haicang.web.navigation import NavEntry, has_permission, navigation

    navigation.register(NavEntry(key="orders", label=_("Orders"), url_name="orders:list", order=20,
                                 visible_to=has_permission("orders:read")))

``visible_to`` is a predicate on the user (:data:`Visibility`): :func:`signed_in`, :func:`staff`, or one that
also reads the request, a :class:`RequestVisibility` — such as :func:`has_permission`, true when the user's
*current* scope (the party picked in the header's switcher, else their first membership) holds a permission.
``all_of`` and ``any_of`` combine predicates of either kind. A predicate only hides an entry: every view
still checks access itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

type User = AbstractBaseUser | AnonymousUser
type Visibility = Callable[[User], bool]


@dataclass(frozen=True, slots=True)
class RequestVisibility:
    """A predicate that reads the request too (the session's chosen party), not only the user.

    It is still a :data:`Visibility`: called with the user alone it sees no request (``request`` is None).
    ``name`` says what it tests, for reading and for tests.
    """

    check: Callable[[User, HttpRequest | None], bool]
    name: str = ""

    def __call__(self, user: User) -> bool:
        return self.check(user, None)


def is_visible(predicate: Visibility, user: User, request: HttpRequest | None = None) -> bool:
    """``predicate`` applied to ``user``, handing it ``request`` when it is request-aware."""
    if isinstance(predicate, RequestVisibility):
        return predicate.check(user, request)
    return predicate(user)


def signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def staff(user: User) -> bool:
    return signed_in(user) and bool(getattr(user, "is_staff", False))


def has_permission(permission: str) -> RequestVisibility:
    """True when the signed-in user's current scope holds ``permission`` (e.g. ``"members:read"``).

    With a request, the scope is the request's (``parties.access.scope_for_request``: the party chosen in
    the session under ``PARTY_SESSION_KEY``, else the first membership); without one, the first membership's.
    """

    def check(user: User, request: HttpRequest | None) -> bool:
        if not signed_in(user):
            return False
        from haicang.parties.access import scope_for_request, scope_for_user

        scope = scope_for_request(request) if request is not None else scope_for_user(user)
        return scope.can(permission)

    return RequestVisibility(check, name=f"has_permission({permission!r})")


def all_of(*predicates: Visibility) -> RequestVisibility:
    def check(user: User, request: HttpRequest | None) -> bool:
        return all(is_visible(p, user, request) for p in predicates)

    return RequestVisibility(check, name="all_of")


def any_of(*predicates: Visibility) -> RequestVisibility:
    def check(user: User, request: HttpRequest | None) -> bool:
        return any(is_visible(p, user, request) for p in predicates)

    return RequestVisibility(check, name="any_of")


@dataclass(frozen=True, slots=True)
class NavEntry:
    """One link in the header. ``key`` is unique; lower ``order`` comes first (ties keep registration order).

    ``exact`` marks the entry active only on its own URL (for Home at ``/``); otherwise any page below
    its URL counts as inside the entry.
    """

    key: str
    label: StrOrPromise
    url_name: str
    visible_to: Visibility = signed_in
    order: int = 100
    exact: bool = False


@dataclass(frozen=True, slots=True)
class NavLink:
    """A registered entry resolved for one request."""

    key: str
    label: StrOrPromise
    url: str
    active: bool


class NavRegistry:
    def __init__(self) -> None:
        self._entries: dict[str, NavEntry] = {}

    def register(self, entry: NavEntry) -> NavEntry:
        if entry.key in self._entries:
            raise ImproperlyConfigured(f"navigation entry {entry.key!r} is registered twice")
        self._entries[entry.key] = entry
        return entry

    def entries(self) -> list[NavEntry]:
        return sorted(self._entries.values(), key=lambda e: e.order)

    def links_for(self, *, user: User, path: str, request: HttpRequest | None = None) -> list[NavLink]:
        """The entries ``user`` may see, in order, with the one that contains ``path`` marked active.

        Pass the ``request`` (whose user is ``user``) so that request-aware predicates see its session.
        """
        links = []
        for entry in self.entries():
            if not is_visible(entry.visible_to, user, request):
                continue
            url = reverse(entry.url_name)
            active = path == url if entry.exact else path.startswith(url)
            links.append(NavLink(key=entry.key, label=entry.label, url=url, active=active))
        return links


navigation = NavRegistry()
