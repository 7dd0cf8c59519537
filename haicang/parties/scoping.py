"""The one scoping helper: who is asking, for which party, with which permissions — and what they may see.

Every query of party-owned data goes through :func:`scope_queryset`. A model declares how each kind of party
sees it with :func:`register_scoped`; a model with no rule for a party kind shows that party nothing. Objects
outside the scope are simply absent from the queryset, so the API answers 404 for another party's object; a
missing permission raises :class:`AccessDenied` (403).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from haicang.core.actors import Actor
from haicang.core.errors import PermissionDenied
from haicang.parties.roles import PartyKind

M = TypeVar("M", bound=models.Model)
Rule = Callable[[uuid.UUID], Q]


class AccessDenied(PermissionDenied):
    code = "access.denied"
    title = "Your role does not allow this"


@dataclass(frozen=True)
class Scope:
    """What one request may do: the acting party (None for an installation admin) and its permissions."""

    actor: Actor
    party_kind: PartyKind | None
    party_id: uuid.UUID | None
    permissions: frozenset[str] = field(default_factory=frozenset)
    is_installation_admin: bool = False

    @property
    def seller_id(self) -> uuid.UUID | None:
        return self.party_id if self.party_kind is PartyKind.SELLER else None

    @property
    def operator_id(self) -> uuid.UUID | None:
        return self.party_id if self.party_kind is PartyKind.OPERATOR else None

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise AccessDenied(f"this needs the permission {permission!r}", permission=permission)


@dataclass(frozen=True)
class _Rules:
    seller: Rule | None
    operator: Rule | None
    installation_admin: bool


_REGISTRY: dict[type[models.Model], _Rules] = {}


def register_scoped(
    model: type[models.Model],
    *,
    seller: Rule | None = None,
    operator: Rule | None = None,
    installation_admin: bool = False,
) -> None:
    """Declare how a seller and an operator see ``model``: each rule maps the party id to a filter.

    ``installation_admin=True`` lets installation admins list the model (registries only, never customer data).
    """
    _REGISTRY[model] = _Rules(seller=seller, operator=operator, installation_admin=installation_admin)


def is_scoped(model: type[models.Model]) -> bool:
    return model in _REGISTRY


def scope_queryset[M: models.Model](queryset: QuerySet[M], scope: Scope, *, permission: str) -> QuerySet[M]:
    """``queryset`` narrowed to what ``scope`` may see; raises AccessDenied without ``permission``."""
    model = queryset.model
    rules = _REGISTRY.get(model)
    if rules is None:
        raise LookupError(f"{model.__name__} has no scoping rule: call register_scoped() for it")
    if scope.is_installation_admin and scope.party_id is None:
        scope.require(permission)
        return queryset if rules.installation_admin else queryset.none()
    scope.require(permission)
    rule = rules.seller if scope.party_kind is PartyKind.SELLER else rules.operator
    if rule is None or scope.party_id is None:
        return queryset.none()
    # A subquery on the primary key keeps joins through agreements from duplicating rows.
    visible = model._default_manager.filter(rule(scope.party_id)).values("pk")
    return queryset.filter(pk__in=visible)


def scoped_get[M: models.Model](queryset: QuerySet[M], scope: Scope, *, permission: str, pk: object) -> M:
    """One object in scope, or :class:`haicang.core.errors.NotFound` (404) — never a hint it exists elsewhere."""
    from haicang.core.errors import NotFound

    try:
        return scope_queryset(queryset, scope, permission=permission).get(pk=pk)
    except (ValueError, models.ObjectDoesNotExist) as exc:
        raise NotFound(f"no {queryset.model._meta.verbose_name} with id {pk}") from exc
