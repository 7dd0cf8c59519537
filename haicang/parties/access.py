"""Resolve the :class:`~haicang.parties.scoping.Scope` of a user, an API key or a request."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.errors import ValidationFailed
from haicang.core.models import AuditEntry
from haicang.parties.models import ApiKey, Membership
from haicang.parties.roles import PartyKind, parse_scopes, permissions_for
from haicang.parties.scoping import Scope, is_scoped, scope_queryset

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


def membership_chosen(
    memberships: list[Membership], party_id: uuid.UUID | str | None, *, fall_back: bool = False
) -> Membership | None:
    """The membership in ``party_id`` (or the first one when no party is named).

    A named party the user is no member of gives None, unless ``fall_back``: then the first membership (a
    party chosen in the session earlier whose membership has since ended).
    """
    if party_id is None:
        return memberships[0] if memberships else None
    chosen = next((m for m in memberships if str(m.party.pk) == str(party_id)), None)
    if chosen is None and fall_back and memberships:
        return memberships[0]
    return chosen


def scope_for_user(user: Any, *, party_id: uuid.UUID | str | None = None, fall_back: bool = False) -> Scope:
    """The user's scope in ``party_id`` (or in their first party). Staff with no membership: installation admin.

    ``fall_back`` (for the party remembered in the session): a party the user no longer belongs to gives the
    first membership instead of an empty scope.
    """
    actor = Actor.for_user(user)
    memberships = memberships_of(user)
    chosen = membership_chosen(memberships, party_id, fall_back=fall_back)
    if chosen is not None:
        return scope_for_membership(chosen, actor=actor)
    if user.is_staff and (party_id is None or (fall_back and not memberships)):
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


def session_party_id(request: Any) -> str | None:
    """The party chosen in the header's switcher (``PARTY_SESSION_KEY``), if any."""
    session = getattr(request, "session", None)
    value = session.get(PARTY_SESSION_KEY) if session is not None else None
    return str(value) if value else None


def scope_for_request(request: Any) -> Scope:
    """The scope of an HTTP request (DRF or plain Django), computed once per request."""
    cached = getattr(request, "_haicang_scope", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        scope = scope_for_api_key(auth)
    else:
        header = request.META.get(PARTY_HEADER)
        if header:  # an explicit choice: a party the user is no member of gets an empty scope
            scope = scope_for_user(request.user, party_id=header)
        else:  # the party picked in the header's switcher, if the membership still holds
            scope = scope_for_user(request.user, party_id=session_party_id(request), fall_back=True)
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


def audit_subject_visible(scope: Scope, *, model: type[Any], subject_id: str) -> bool:
    """May ``scope`` read the audit trail of this object? Installation admins read every trail (summaries
    carry no personal data); a party reads the trail of objects in its scope when its role holds ``audit:read``."""
    if not scope.can("audit:read"):
        return False
    if scope.is_installation_admin and scope.party_id is None:
        return True
    if not is_scoped(model):
        return False
    try:
        candidates = model._default_manager.filter(pk=subject_id)
        return scope_queryset(candidates, scope, permission="audit:read").exists()
    except (ValueError, ValidationError):
        return False


def audit_entries_for_request(request: Any, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The audit entries the API may answer this request (``HAICANG_AUDIT_ACCESS``): all of them for an
    installation admin; for a party, the trail of one object in its scope, named by ``subject_type`` and
    ``subject_id``."""
    scope = scope_for_request(request)
    scope.require("audit:read")
    if scope.is_installation_admin and scope.party_id is None:
        return entries
    subject_type = request.query_params.get("subject_type", "")
    subject_id = request.query_params.get("subject_id", "")
    if not subject_type or not subject_id:
        raise ValidationFailed(
            "a party reads the audit trail of one object at a time: filter by subject_type and subject_id",
            field="subject_id",
        )
    app_label, _, model_name = subject_type.partition(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
    model = content_type.model_class() if content_type else None
    if model is None or not audit_subject_visible(scope, model=model, subject_id=subject_id):
        return entries.none()
    return entries.filter(subject_type=content_type, subject_id=subject_id)
