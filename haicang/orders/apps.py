from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _seller_with_orders(user: Any, request: HttpRequest | None) -> bool:
    """Orders are a seller's: the entry shows to a seller's member who may read orders (operators see none)."""
    if not (user.is_authenticated and user.is_active):
        return False
    from haicang.parties.access import scope_for_request, scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.seller_id is not None and scope.can("orders:read")


class OrdersConfig(AppConfig):
    name = "haicang.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from haicang.exchange.registry import importers
        from haicang.orders import events, scoping_rules  # noqa: F401 - registers scoping rules and renderers
        from haicang.orders.importer import ORDERS_IMPORTER
        from haicang.web.navigation import NavEntry, RequestVisibility, navigation

        navigation.register(
            NavEntry(
                key="orders",
                label=_("Orders"),
                url_name="orders:order-list",
                order=24,
                visible_to=RequestVisibility(_seller_with_orders, name="seller_with_orders_read"),
            )
        )
        importers.register(ORDERS_IMPORTER)  # the `orders` import kind (docs/orders.md)
        self._register_sealed_fields()
        from haicang.orders.fulfilment_app import fulfilment_ready

        fulfilment_ready()  # fulfillment requests: scoping, event renderer, sealed columns, navigation

    @staticmethod
    def _register_sealed_fields() -> None:
        from haicang.core.sealing import sealed_field_register
        from haicang.orders.contact import SEALED_COLUMNS, column_context
        from haicang.orders.models import Order

        for column in SEALED_COLUMNS.values():  # haicang rotate-keys re-seals them
            sealed_field_register(Order, column, context=column_context(column))
