"""The navigation registry: which entries the header shows, and to whom.

Each app that has pages registers its entries once, from its ``AppConfig.ready()``::

    from haicang.web.navigation import NavEntry, navigation, signed_in

    navigation.register(NavEntry(key="orders", label=_("Orders"), url_name="orders:list", order=20,
                                 visible_to=signed_in))

``visible_to`` is a predicate on the user. Until parties and roles exist, the predicates are
:func:`signed_in` and :func:`staff`; the parties app will add role predicates (a function returning a
predicate, e.g. ``has_role("seller.planner")``) and entries will pass those. ``all_of`` and ``any_of``
combine predicates. A predicate only hides an entry: every view still checks access itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

type User = AbstractBaseUser | AnonymousUser
type Visibility = Callable[[User], bool]


def signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def staff(user: User) -> bool:
    return signed_in(user) and bool(getattr(user, "is_staff", False))


def all_of(*predicates: Visibility) -> Visibility:
    def visible(user: User) -> bool:
        return all(p(user) for p in predicates)

    return visible


def any_of(*predicates: Visibility) -> Visibility:
    def visible(user: User) -> bool:
        return any(p(user) for p in predicates)

    return visible


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

    def links_for(self, *, user: User, path: str) -> list[NavLink]:
        """The entries ``user`` may see, in order, with the one that contains ``path`` marked active."""
        links = []
        for entry in self.entries():
            if not entry.visible_to(user):
                continue
            url = reverse(entry.url_name)
            active = path == url if entry.exact else path.startswith(url)
            links.append(NavLink(key=entry.key, label=entry.label, url=url, active=active))
        return links


navigation = NavRegistry()
