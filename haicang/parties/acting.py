"""Which party the signed-in user acts for, and which others they could switch to (the header shows both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from haicang.parties.access import memberships_of, scope_for_request
from haicang.parties.labels import role_label
from haicang.parties.models import Membership

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class PartyOption:
    membership: Membership
    role: StrOrPromise

    @property
    def party_id(self) -> str:
        return str(self.membership.party.pk)

    @property
    def name(self) -> str:
        return self.membership.party.name


@dataclass(frozen=True)
class ActingAs:
    current: PartyOption
    others: list[PartyOption]


def acting_as(request: Any) -> ActingAs | None:
    """The membership the request's scope comes from and the user's other parties; None without one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = memberships_of(user)
    if not memberships:
        return None
    scope = scope_for_request(request)
    current = next((m for m in memberships if m.party.pk == scope.party_id), None)
    if current is None:
        return None
    return ActingAs(
        current=PartyOption(current, role_label(current.role)),
        others=[PartyOption(m, role_label(m.role)) for m in memberships if m is not current],
    )
