"""How each party sees the channels: a seller its own accounts and SKU maps; operators and installation admins
nothing (a seller's stores and credentials are its own business)."""

from django.db.models import Q

from haicang.channels.models import ChannelAccount, ChannelSkuMap, ChannelStockLevel, StockShareRule
from haicang.parties.scoping import register_scoped

register_scoped(ChannelAccount, seller=lambda party: Q(seller_id=party))
register_scoped(ChannelSkuMap, seller=lambda party: Q(account__seller_id=party))
register_scoped(StockShareRule, seller=lambda party: Q(account__seller_id=party))
register_scoped(ChannelStockLevel, seller=lambda party: Q(account__seller_id=party))
