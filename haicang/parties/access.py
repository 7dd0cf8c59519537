"""Resolve the :class:`~haicang.parties.scoping.Scope` of a user, an API key or a request."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from haicang.core.actors import Actor
from haicang.parties.models import ApiKey, Membership
from haicang.parties.roles import PartyKind, parse_scopes, permissions_for
from haicang.parties.scoping import Scope

PARTY_HEADER = "HTTP_X_HAICANG_PARTY"
PARTY_SESSION_KEY = "haicang_party_id"
# Installation admins run the installation: they list the party registries and read the audit log,
# but see no customer data (access to it goes through the logged break-glass path of the privacy vault).
INSTALLATION_ADMIN_PERMISSIONS = frozenset({"party:read", "members:read", "audit:read"})


def memberships_of(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("seller", "operator")
        .order_by("created_at")
    )


def scope_for_membership(membership: Membership, *, actor: Actor) -> Scope:
    kind = PartyKind.SELLER if membership.seller_id else PartyKind.OPERATOR
    return Scope(
        actor=actor,
        party_kind=kind,
        party_id=membership.party.pk,
        permissions=permissions_for(kind, membership.role),
    )


def scope_for_user(user: Any, *, party_id: uuid.UUID | str | None = None) -> Scope:
    """The user's scope in ``party_id`` (or in their first party). Staff with no membership: installation admin."""
    actor = Actor.for_user(user)
    memberships = memberships_of(user)
    chosen = None
    if party_id is not None:
        chosen = next((m for m in memberships if str(m.party.pk) == str(party_id)), None)
    elif memberships:
        chosen = memberships[0]
    if chosen is not None:
        return scope_for_membership(chosen, actor=actor)
    if user.is_staff and party_id is None:
        return Scope(
            actor=actor,
            party_kind=None,
            party_id=None,
            permissions=INSTALLATION_ADMIN_PERMISSIONS,
            is_installation_admin=True,
        )
    return Scope(actor=actor, party_kind=None, party_id=None)


def scope_for_api_key(key: ApiKey) -> Scope:
    kind = PartyKind.SELLER if key.seller_id else PartyKind.OPERATOR
    return Scope(
        actor=key.actor,
        party_kind=kind,
        party_id=key.seller_id or key.operator_id,
        permissions=parse_scopes(list(key.scopes)),
    )


def scope_for_request(request: Any) -> Scope:
    """The scope of an HTTP request (DRF or plain Django), computed once per request."""
    cached = getattr(request, "_haicang_scope", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        scope = scope_for_api_key(auth)
    else:
        party_id = request.META.get(PARTY_HEADER) or request.session.get(PARTY_SESSION_KEY)
        scope = scope_for_user(request.user, party_id=party_id)
    request._haicang_scope = scope
    return scope


def api_key_authenticate(plaintext: str) -> ApiKey | None:
    """The live key with this plaintext, marking its last use (at most once a minute); None if unknown."""
    from haicang.parties.api_keys import key_digest, key_looks_valid

    if not key_looks_valid(plaintext):
        return None
    now = timezone.now()
    key = ApiKey.objects.select_related("seller", "operator").filter(digest=key_digest(plaintext)).first()
    if key is None or key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
