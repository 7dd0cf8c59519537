"""The payload of ``channel.stock_changed``, rendered at delivery time through the receiving party's scope
(``haicang.integration.rendering``): the account, the SKU and the quantity it may sell now. Sellers only."""

from __future__ import annotations

from typing import Any

from haicang.channels.models import ChannelStockLevel
from haicang.channels.selectors import READ
from haicang.integration.catalogue import CHANNEL_STOCK_CHANGED
from haicang.integration.rendering import renderer_register
from haicang.parties.scoping import Scope, scope_queryset


def _level(subject_id: str, scope: Scope) -> ChannelStockLevel | None:
    if not scope.can(READ):
        return None
    try:
        levels = ChannelStockLevel.objects.filter(pk=subject_id).select_related("account", "sku")
        return scope_queryset(levels, scope, permission=READ).first()
    except (ValueError, TypeError):
        return None


def level_visible(subject_id: str, scope: Scope) -> bool:
    return _level(subject_id, scope) is not None


def render_level(subject_id: str, scope: Scope) -> dict[str, Any] | None:
    level = _level(subject_id, scope)
    if level is None:
        return None
    return {
        "account": {
            "id": str(level.account_id),
            "name": level.account.name,
            "platform": level.account.platform,
        },
        "sku": {"id": str(level.sku_id), "code": level.sku.code},
        "quantity": level.quantity,
        "computed_at": level.computed_at.isoformat().replace("+00:00", "Z"),
    }


renderer_register(CHANNEL_STOCK_CHANGED, render_level, visible=level_visible)
