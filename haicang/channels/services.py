"""Writes of the channels app: channel accounts (with sealed credentials) and channel SKU maps. Every write is
audited; credentials and webhook secrets never reach the audit log, only whether they are set.

Credentials are a mapping of the platform's names (``ShopifyConnector.credential_fields``…) to strings, stored
as sealed JSON (:mod:`haicang.core.crypto`, AES-GCM under the data keyring, bound to the account's id): only
:func:`channel_account_credentials` and :func:`channel_account_webhook_secret` open them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.channels.connectors import connector_for
from haicang.channels.connectors.base import Connector
from haicang.channels.errors import (
    AccountDisabled,
    ChannelSkuInvalid,
    CredentialsInvalid,
    ListingInvalid,
    NameInvalid,
    NameTaken,
    PlatformUnknown,
    RegionInvalid,
    ShopTaken,
    SkuOtherSeller,
)
from haicang.channels.models import AccountStatus, ChannelAccount, ChannelSkuMap
from haicang.channels.normalised import PayloadInvalid, Platform
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.crypto import seal, unseal
from haicang.core.money import currency_check
from haicang.parties.models import Seller

_REGION = re.compile(r"[A-Z0-9_-]{0,16}")
MAX_CREDENTIALS_BYTES = 16_384
MAX_SECRET_LENGTH = 500


def _context(account: ChannelAccount, what: str) -> bytes:
    return f"channel-account:{account.pk}:{what}".encode("ascii")


def _connector(platform: str) -> Connector:
    try:
        Platform(platform)
    except ValueError:
        raise PlatformUnknown(
            f"{platform!r} is not a platform Haicang connects ({', '.join(p.value for p in Platform)})",
            field="platform",
        ) from None
    return connector_for(platform)


def _name_check(name: str) -> str:
    value = " ".join(str(name or "").split())
    if not value or len(value) > 100:
        raise NameInvalid("a channel account's name has 1 to 100 characters", field="name")
    return value


def _region_check(region: str) -> str:
    value = str(region or "").strip().upper()
    if not _REGION.fullmatch(value):
        raise RegionInvalid(
            "a region is up to 16 letters, digits, '-' or '_' (US, EU, GLOBAL, DE…)", field="region"
        )
    return value


def _credentials_check(connector: Connector, credentials: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(credentials, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in credentials.items()
    ):
        raise CredentialsInvalid("credentials are names with text values", field="credentials")
    try:
        checked = connector.credentials_check(credentials)
    except PayloadInvalid as exc:
        raise CredentialsInvalid(exc.detail, field="credentials") from None
    if len(json.dumps(checked).encode()) > MAX_CREDENTIALS_BYTES:
        raise CredentialsInvalid("the credentials are too long", field="credentials")
    return checked


def _secret_check(secret: str) -> str:
    if not isinstance(secret, str) or len(secret) > MAX_SECRET_LENGTH:
        raise CredentialsInvalid(
            f"a webhook secret has at most {MAX_SECRET_LENGTH} characters", field="webhook_secret"
        )
    return secret


def _seal_credentials(account: ChannelAccount, credentials: Mapping[str, str] | None) -> None:
    if credentials is None:
        return
    if credentials:
        checked = _credentials_check(_connector(account.platform), credentials)
        account.credentials_sealed = seal(
            json.dumps(checked).encode(), context=_context(account, "credentials")
        )
    else:
        account.credentials_sealed = None
    account.credentials_updated_at = timezone.now()


def _seal_secret(account: ChannelAccount, secret: str | None) -> None:
    if secret is None:
        return
    secret = _secret_check(secret)
    account.webhook_secret_sealed = (
        seal(secret.encode(), context=_context(account, "webhook-secret")) if secret else None
    )


def _unique_check(account: ChannelAccount) -> None:
    others = ChannelAccount.objects.filter(seller_id=account.seller_id).exclude(pk=account.pk)
    if others.filter(name=account.name).exists():
        raise NameTaken(f"the seller has a channel account named {account.name!r}", field="name")
    if (
        account.external_shop_id
        and others.filter(platform=account.platform, external_shop_id=account.external_shop_id).exists()
    ):
        raise ShopTaken(
            f"the {account.get_platform_display()} store {account.external_shop_id!r} is already an account",
            field="external_shop_id",
        )


def _snapshot(account: ChannelAccount) -> dict[str, object]:
    """What the audit log keeps: never the credentials, only which names are set."""
    return {
        "name": account.name,
        "platform": account.platform,
        "external_shop_id": account.external_shop_id,
        "region": account.region,
        "currency": account.currency,
        "status": account.status,
        "credentials": sorted(channel_account_credentials(account)) if account.credentials_sealed else [],
        "webhook_secret_set": bool(account.webhook_secret_sealed),
    }


@transaction.atomic
def channel_account_create(
    *,
    actor: Actor,
    seller: Seller,
    platform: str,
    name: str,
    currency: str,
    external_shop_id: str = "",
    region: str = "",
    credentials: Mapping[str, str] | None = None,
    webhook_secret: str | None = None,
) -> ChannelAccount:
    """A new store of ``seller`` on ``platform``; credentials (the platform's names) and a webhook secret are
    sealed at once."""
    _connector(platform)
    account = ChannelAccount(
        seller=seller,
        platform=platform,
        name=_name_check(name),
        currency=currency_check(str(currency or "").upper()),
        external_shop_id=str(external_shop_id or "").strip()[:100],
        region=_region_check(region),
    )
    _unique_check(account)
    _seal_credentials(account, credentials)  # the id is set on construction: the seal binds to it
    _seal_secret(account, webhook_secret)
    account.save(force_insert=True)
    audit_record(actor=actor, action="channel_account.created", subject=account, after=_snapshot(account))
    return account


@transaction.atomic
def channel_account_update(
    *,
    actor: Actor,
    account: ChannelAccount,
    name: str | None = None,
    currency: str | None = None,
    external_shop_id: str | None = None,
    region: str | None = None,
    credentials: Mapping[str, str] | None = None,
    webhook_secret: str | None = None,
) -> ChannelAccount:
    """Change an account. ``None`` leaves a field as it is; ``credentials={}`` and ``webhook_secret=""`` remove
    them. New credentials replace the old ones as a whole."""
    account = ChannelAccount.objects.select_for_update().get(pk=account.pk)
    before = _snapshot(account)
    if name is not None:
        account.name = _name_check(name)
    if currency is not None:
        account.currency = currency_check(str(currency).upper())
    if external_shop_id is not None:
        account.external_shop_id = str(external_shop_id).strip()[:100]
    if region is not None:
        account.region = _region_check(region)
    _unique_check(account)
    _seal_credentials(account, credentials)
    _seal_secret(account, webhook_secret)
    account.save()
    after = _snapshot(account)
    if credentials:
        after["credentials_replaced"] = True
    audit_record(actor=actor, action="channel_account.changed", subject=account, before=before, after=after)
    if credentials is not None:  # what could not be pushed for want of credentials may be pushed now
        from haicang.channels.stock_push import levels_push_again

        levels_push_again(account_id=account.pk)
    return account


@transaction.atomic
def channel_account_disable(*, actor: Actor, account: ChannelAccount) -> ChannelAccount:
    """Stop taking orders from the account (its credentials stay sealed; enable it again any time)."""
    return _set_status(actor=actor, account=account, status=AccountStatus.DISABLED)


@transaction.atomic
def channel_account_enable(*, actor: Actor, account: ChannelAccount) -> ChannelAccount:
    return _set_status(actor=actor, account=account, status=AccountStatus.ACTIVE)


def _set_status(*, actor: Actor, account: ChannelAccount, status: AccountStatus) -> ChannelAccount:
    account = ChannelAccount.objects.select_for_update().get(pk=account.pk)
    if account.status == status:
        return account
    before = {"status": account.status}
    account.status = status
    account.disabled_at = timezone.now() if status == AccountStatus.DISABLED else None
    account.save(update_fields=["status", "disabled_at", "updated_at"])
    action = "channel_account.disabled" if status == AccountStatus.DISABLED else "channel_account.enabled"
    audit_record(actor=actor, action=action, subject=account, before=before, after={"status": status})
    from haicang.channels.stock_sync import (
        channel_stock_recompute,
    )  # the stock shares change with the accounts

    channel_stock_recompute(seller_id=account.seller_id)
    return account


def channel_account_credentials(account: ChannelAccount) -> dict[str, str]:
    """The account's credentials in clear, for the adapter that calls the platform ({} when none)."""
    if not account.credentials_sealed:
        return {}
    plain = unseal(bytes(account.credentials_sealed), context=_context(account, "credentials"))
    loaded: dict[str, str] = json.loads(plain)
    return loaded


def channel_account_webhook_secret(account: ChannelAccount) -> str:
    if not account.webhook_secret_sealed:
        return ""
    return unseal(bytes(account.webhook_secret_sealed), context=_context(account, "webhook-secret")).decode()


def channel_webhook_verify(*, account: ChannelAccount, headers: Mapping[str, str], raw_body: bytes) -> bool:
    """Whether a webhook to ``account`` carries a valid signature of its platform (False without a secret)."""
    secret = channel_account_webhook_secret(account)
    if not secret:
        return False
    return connector_for(account.platform).verify_webhook(headers=headers, raw_body=raw_body, secret=secret)


# --- SKU maps ----------------------------------------------------------------------------------------------
def channel_sku_check(channel_sku: str) -> str:
    value = str(channel_sku or "").strip()
    if not value or len(value) > 200 or any(ord(c) < 32 for c in value):
        raise ChannelSkuInvalid("a channel SKU has 1 to 200 printable characters", field="channel_sku")
    return value


LISTING_MAX_KEYS = 10


def listing_check(listing: Mapping[str, Any]) -> dict[str, str]:
    """A listing's platform ids: at most 10 names (lower-case letters, digits, ``_``; up to 40 characters) with
    text values of up to 200 characters; empty values are dropped."""
    if not isinstance(listing, Mapping):
        raise ListingInvalid("a listing is an object of names and ids", field="listing")
    out: dict[str, str] = {}
    for key, value in listing.items():
        name = str(key).strip()
        if not name or len(name) > 40 or not all(c.islower() or c.isdigit() or c == "_" for c in name):
            raise ListingInvalid(f"{name!r} is not a listing field name (like sku_id)", field="listing")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ListingInvalid(f"listing field {name!r} is text", field="listing")
        text = str(value).strip()
        if len(text) > 200:
            raise ListingInvalid(f"listing field {name!r} is longer than 200 characters", field="listing")
        if text:
            out[name] = text
    if len(out) > LISTING_MAX_KEYS:
        raise ListingInvalid(f"a listing has at most {LISTING_MAX_KEYS} fields", field="listing")
    return out


@transaction.atomic
def channel_sku_map_set(
    *,
    actor: Actor,
    account: ChannelAccount,
    channel_sku: str,
    sku: Sku,
    listing: Mapping[str, Any] | None = None,
) -> ChannelSkuMap:
    """Map ``channel_sku`` of ``account`` to ``sku`` (a plain SKU or a kit of the same seller); replaces an
    existing mapping of that channel SKU. ``listing``: the platform's ids of the listing that stock pushes need
    (``None`` keeps the stored ones; ``{}`` removes them). A new or changed mapping makes the SKUs' quantities due
    for a push again."""
    from haicang.channels.stock_push import levels_push_again

    if not ChannelAccount.objects.filter(pk=account.pk, status=AccountStatus.ACTIVE).exists():
        raise AccountDisabled(f"channel account {account.name!r} is disabled")
    if sku.seller_id != account.seller_id:
        raise SkuOtherSeller("the SKU belongs to another seller than the channel account", field="sku")
    value = channel_sku_check(channel_sku)
    ids = listing_check(listing) if listing is not None else None
    existing = ChannelSkuMap.objects.select_for_update().filter(account=account, channel_sku=value).first()
    if existing is not None:
        new_listing = existing.listing if ids is None else ids
        if existing.sku_id == sku.pk and existing.listing == new_listing:
            return existing
        before = {"sku": str(existing.sku_id), "listing": existing.listing}
        touched = {existing.sku_id, sku.pk}
        existing.sku, existing.listing = sku, new_listing
        existing.save(update_fields=["sku", "listing", "updated_at"])
        audit_record(
            actor=actor,
            action="channel_sku_map.changed",
            subject=existing,
            before=before,
            after={"sku": str(sku.pk), "listing": new_listing},
        )
        levels_push_again(account_id=account.pk, sku_ids=touched)
        return existing
    mapping = ChannelSkuMap.objects.create(account=account, channel_sku=value, sku=sku, listing=ids or {})
    audit_record(
        actor=actor,
        action="channel_sku_map.created",
        subject=mapping,
        after={
            "account": str(account.pk),
            "channel_sku": value,
            "sku": str(sku.pk),
            "sku_code": sku.code,
            "listing": mapping.listing,
        },
    )
    levels_push_again(account_id=account.pk, sku_ids=[sku.pk])
    return mapping


@transaction.atomic
def channel_sku_map_delete(*, actor: Actor, mapping: ChannelSkuMap) -> None:
    from haicang.channels.stock_push import levels_push_again

    audit_record(
        actor=actor,
        action="channel_sku_map.deleted",
        subject=mapping,
        before={"channel_sku": mapping.channel_sku, "sku": str(mapping.sku_id)},
    )
    mapping.delete()
    levels_push_again(account_id=mapping.account_id, sku_ids=[mapping.sku_id])  # its other listings re-split
