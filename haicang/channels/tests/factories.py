"""Plain functions that build channel accounts and SKU maps through the services, for tests across the apps."""

from __future__ import annotations

import itertools
from typing import Any

from haicang.catalog.models import Sku
from haicang.catalog.tests.factories import make_sku
from haicang.channels.models import ChannelAccount, ChannelSkuMap
from haicang.channels.services import channel_account_create, channel_sku_map_set
from haicang.core.actors import Actor
from haicang.parties.models import Seller

SYSTEM = Actor.system("tests")
_n = itertools.count(1)


def make_channel_account(seller: Seller, *, platform: str = "shopify", **fields: Any) -> ChannelAccount:
    n = next(_n)
    fields.setdefault("name", f"Store {n}")
    fields.setdefault("currency", "USD")
    return channel_account_create(actor=SYSTEM, seller=seller, platform=platform, **fields)


def make_sku_map(
    account: ChannelAccount,
    *,
    channel_sku: str | None = None,
    sku: Sku | None = None,
    listing: dict[str, str] | None = None,
) -> ChannelSkuMap:
    sku = sku or make_sku(account.seller)
    return channel_sku_map_set(
        actor=SYSTEM, account=account, channel_sku=channel_sku or f"CH-{next(_n)}", sku=sku, listing=listing
    )
