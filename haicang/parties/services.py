"""Writes of the parties registry. Each takes the actor and writes one audit entry per change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.countries import country_check
from haicang.core.money import currency_check
from haicang.parties.api_keys import key_generate
from haicang.parties.compliance import EU, compliance_value_check
from haicang.parties.errors import (
    ApiKeyInvalid,
    ComplianceIdInvalid,
    LastOwner,
    MarketInvalid,
    MembershipExists,
    PartyInvalid,
    RoleInvalid,
)
from haicang.parties.models import (
    ApiKey,
    ComplianceId,
    ComplianceKind,
    Membership,
    Operator,
    Seller,
    SellerMarket,
)
from haicang.parties.roles import PartyKind, parse_scopes, permissions_for, role_choices

Party = Seller | Operator


def _code(code: str) -> str:
    value = slugify(code or "")
    if not value or value != code:
        raise PartyInvalid(f"code {code!r} must be a lower-case slug (letters, digits, dashes)", field="code")
    return value


def _name(name: str) -> str:
    value = (name or "").strip()
    if not value:
        raise PartyInvalid("a name is required", field="name")
    return value


@transaction.atomic
def seller_create(
    *, actor: Actor, code: str, name: str, country: str, base_currency: str, legal_name: str = ""
) -> Seller:
    code = _code(code)
    if Seller.objects.filter(code=code).exists():
        raise PartyInvalid(f"a seller with code {code!r} exists", field="code")
    seller = Seller.objects.create(
        code=code,
        name=_name(name),
        legal_name=legal_name.strip(),
        country=country_check(country),
        base_currency=currency_check(base_currency.upper()),
    )
    audit_record(
        actor=actor, action="seller.created", subject=seller, after={"code": code, "currency": base_currency}
    )
    return seller


@transaction.atomic
def operator_create(
    *, actor: Actor, code: str, name: str, country: str, billing_currency: str, legal_name: str = ""
) -> Operator:
    code = _code(code)
    if Operator.objects.filter(code=code).exists():
        raise PartyInvalid(f"an operator with code {code!r} exists", field="code")
    operator = Operator.objects.create(
        code=code,
        name=_name(name),
        legal_name=legal_name.strip(),
        country=country_check(country),
        billing_currency=currency_check(billing_currency.upper()),
    )
    audit_record(
        actor=actor,
        action="operator.created",
        subject=operator,
        after={"code": code, "currency": billing_currency},
    )
    return operator


def _party_kind(party: Party) -> PartyKind:
    return PartyKind.SELLER if isinstance(party, Seller) else PartyKind.OPERATOR


def _role_check(party: Party, role: str) -> str:
    kind = _party_kind(party)
    if role not in role_choices(kind) or not permissions_for(kind, role):
        raise RoleInvalid(
            f"{role!r} is not a {kind} role; choose one of {', '.join(role_choices(kind))}", field="role"
        )
    return role


@transaction.atomic
def membership_add(*, actor: Actor, party: Party, user: Any, role: str) -> Membership:
    role = _role_check(party, role)
    party_field = "seller" if isinstance(party, Seller) else "operator"
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, role=role, **{party_field: party})
    except IntegrityError as exc:
        raise MembershipExists(f"{user.get_username()} is already a member of {party}", field="user") from exc
    audit_record(
        actor=actor,
        action="membership.added",
        subject=membership,
        after={"user": user.get_username(), "role": role, party_field: party.code},
    )
    return membership


def _owners_left(membership: Membership) -> int:
    party_filter: dict[str, Any] = (
        {"seller_id": membership.seller_id}
        if membership.seller_id
        else {"operator_id": membership.operator_id}
    )
    return (
        Membership.objects.select_for_update()
        .filter(role="owner", is_active=True, **party_filter)
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def membership_role_change(*, actor: Actor, membership: Membership, role: str) -> Membership:
    role = _role_check(membership.party, role)
    before = membership.role
    if before == "owner" and role != "owner" and _owners_left(membership) == 0:
        raise LastOwner(f"{membership.party} must keep at least one owner", field="role")
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.role_changed",
        subject=membership,
        before={"role": before},
        after={"role": role},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    if membership.role == "owner" and _owners_left(membership) == 0:
        raise LastOwner(f"{membership.party} must keep at least one owner")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="membership.deactivated",
        subject=membership,
        before={"is_active": True},
        after={"is_active": False},
    )
    return membership


@transaction.atomic
def seller_market_set(
    *, actor: Actor, seller: Seller, country: str, import_vat_recoverable: bool
) -> SellerMarket:
    try:
        country = country_check(country)
    except Exception as exc:
        raise MarketInvalid(str(getattr(exc, "detail", exc)), field="country") from exc
    market, created = SellerMarket.objects.get_or_create(
        seller=seller, country=country, defaults={"import_vat_recoverable": import_vat_recoverable}
    )
    before = None if created else {"import_vat_recoverable": market.import_vat_recoverable}
    if not created and market.import_vat_recoverable != import_vat_recoverable:
        market.import_vat_recoverable = import_vat_recoverable
        market.save(update_fields=["import_vat_recoverable"])
    audit_record(
        actor=actor,
        action="seller.market_set",
        subject=seller,
        before={f"market {country}": before} if before else None,
        after={f"market {country}": {"import_vat_recoverable": import_vat_recoverable}},
    )
    return market


@transaction.atomic
def compliance_id_set(
    *,
    actor: Actor,
    seller: Seller,
    kind: str,
    market: str,
    value: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> ComplianceId:
    if kind not in ComplianceKind.values:
        raise ComplianceIdInvalid(f"unknown kind {kind!r}", field="kind")
    market = market.strip().upper()
    if market != EU:
        market = country_check(market, field="market")
    try:
        normalised = compliance_value_check(kind, market, value)
    except ValueError as exc:
        raise ComplianceIdInvalid(str(exc), field="value") from exc
    if valid_from and valid_to and valid_to < valid_from:
        raise ComplianceIdInvalid("valid_to is before valid_from", field="valid_to")
    existing = ComplianceId.objects.filter(seller=seller, kind=kind, market=market).first()
    before = {"value": existing.value} if existing else None
    record, _ = ComplianceId.objects.update_or_create(
        seller=seller,
        kind=kind,
        market=market,
        defaults={"value": normalised, "valid_from": valid_from, "valid_to": valid_to},
    )
    audit_record(
        actor=actor,
        action="seller.compliance_id_set",
        subject=seller,
        before={f"{kind} {market}": before["value"]} if before else None,
        after={f"{kind} {market}": normalised},
    )
    return record


@transaction.atomic
def api_key_issue(
    *,
    actor: Actor,
    party: Party,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
    created_by: Any = None,
) -> tuple[ApiKey, str]:
    """Create a key; return it with its plaintext, which is shown once and never stored."""
    if not (name or "").strip():
        raise ApiKeyInvalid("a name is required", field="name")
    try:
        granted = parse_scopes(scopes)
    except ValueError as exc:
        raise ApiKeyInvalid(str(exc), field="scopes") from exc
    if not scopes:
        raise ApiKeyInvalid("a key needs at least one scope", field="scopes")
    possible = frozenset().union(
        *(permissions_for(_party_kind(party), r) for r in role_choices(_party_kind(party)))
    )
    if not granted <= possible:
        extra = ", ".join(sorted(granted - possible))
        raise ApiKeyInvalid(f"a {_party_kind(party)} key cannot hold {extra}", field="scopes")
    if expires_at is not None and expires_at <= timezone.now():
        raise ApiKeyInvalid("the expiry is in the past", field="expires_at")
    material = key_generate()
    party_field = "seller" if isinstance(party, Seller) else "operator"
    key = ApiKey.objects.create(
        name=name.strip(),
        prefix=material.prefix,
        digest=material.digest,
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=created_by,
        **{party_field: party},
    )
    audit_record(
        actor=actor,
        action="api_key.issued",
        subject=key,
        after={"name": key.name, "prefix": key.prefix, "scopes": key.scopes, "expires_at": expires_at},
    )
    return key, material.plaintext


@transaction.atomic
def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_key.revoked", subject=key, after={"revoked_at": key.revoked_at})
    return key
