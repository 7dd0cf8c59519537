"""Errors of the channels app, with stable codes (the connectors' ``channels.payload_invalid`` is in
:mod:`haicang.channels.normalised`)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from haicang.core.errors import Conflict, ValidationFailed


class ChannelsErrorCode(StrEnum):
    PAYLOAD_INVALID = "channels.payload_invalid"
    PLATFORM_UNKNOWN = "channels.platform_unknown"
    NAME_INVALID = "channels.name_invalid"
    NAME_TAKEN = "channels.name_taken"
    SHOP_TAKEN = "channels.shop_taken"
    REGION_INVALID = "channels.region_invalid"
    CREDENTIALS_INVALID = "channels.credentials_invalid"
    ACCOUNT_DISABLED = "channels.account_disabled"
    CHANNEL_SKU_INVALID = "channels.channel_sku_invalid"
    SKU_OTHER_SELLER = "channels.sku_other_seller"
    SKU_UNKNOWN = "channels.sku_unknown"
    ACCOUNT_UNKNOWN = "channels.account_unknown"
    WAREHOUSE_INVALID = "channels.warehouse_invalid"
    SHARE_RULE_INVALID = "channels.share_rule_invalid"
    LISTING_INVALID = "channels.listing_invalid"


class PlatformUnknown(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.PLATFORM_UNKNOWN


class NameInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.NAME_INVALID


class NameTaken(Conflict):
    code: ClassVar[str] = ChannelsErrorCode.NAME_TAKEN


class ShopTaken(Conflict):
    code: ClassVar[str] = ChannelsErrorCode.SHOP_TAKEN


class RegionInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.REGION_INVALID


class CredentialsInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.CREDENTIALS_INVALID


class AccountDisabled(Conflict):
    code: ClassVar[str] = ChannelsErrorCode.ACCOUNT_DISABLED


class ChannelSkuInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.CHANNEL_SKU_INVALID


class SkuOtherSeller(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.SKU_OTHER_SELLER


class SkuUnknown(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.SKU_UNKNOWN


class AccountUnknown(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.ACCOUNT_UNKNOWN


class WarehouseInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.WAREHOUSE_INVALID


class ShareRuleInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.SHARE_RULE_INVALID


class ListingInvalid(ValidationFailed):
    code: ClassVar[str] = ChannelsErrorCode.LISTING_INVALID
