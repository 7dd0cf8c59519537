from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _seller_with_orders(user: Any, request: HttpRequest | None) -> bool:
    """Channel accounts are a seller's: the entry shows to a seller's member who may read orders."""
    if not (user.is_authenticated and user.is_active):
        return False
    from haicang.parties.access import scope_for_request, scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.seller_id is not None and scope.can("orders:read")


def _sealed_context(what: str) -> Callable[[Any], bytes]:
    """The seal context of a column (``haicang.channels.services`` seals with the same)."""
    return lambda row: f"channel-account:{row.pk}:{what}".encode("ascii")


class ChannelsConfig(AppConfig):
    name = "haicang.channels"
    label = "channels"
    verbose_name = _("Sales channels")

    def ready(self) -> None:
        from haicang.channels import events, scoping_rules  # noqa: F401 - registers scoping rules and renderers
        from haicang.channels.importer import CHANNEL_SKU_MAP_IMPORTER
        from haicang.exchange.registry import importers
        from haicang.web.navigation import NavEntry, RequestVisibility, navigation

        navigation.register(
            NavEntry(
                key="channels",
                label=_("Channels"),
                url_name="channels:account-list",
                order=25,
                visible_to=RequestVisibility(_seller_with_orders, name="seller_with_orders_read"),
            )
        )
        importers.register(CHANNEL_SKU_MAP_IMPORTER)  # the `channel_sku_map` import kind (docs/exchange.md)
        self._register_sealed_fields()

    @staticmethod
    def _register_sealed_fields() -> None:
        """The credentials and webhook secrets, for ``haicang rotate-keys`` (haicang.core.sealing)."""
        from haicang.channels.models import ChannelAccount
        from haicang.core.sealing import sealed_field_register

        for column, what in (
            ("credentials_sealed", "credentials"),
            ("webhook_secret_sealed", "webhook-secret"),
        ):
            sealed_field_register(ChannelAccount, column, context=_sealed_context(what))
