from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _acting_for_an_operator(user: Any, request: Any) -> bool:
    from haicang.parties.access import scope_for_request, scope_for_user

    scope = scope_for_request(request) if request is not None else scope_for_user(user)
    return scope.operator_id is not None


class InventoryConfig(AppConfig):
    name = "haicang.inventory"
    label = "inventory"
    verbose_name = "Inventory (the stock ledger)"

    def ready(self) -> None:
        from haicang.inventory import scoping_rules  # noqa: F401 - registers the scoping rules
        from haicang.web.navigation import NavEntry, RequestVisibility, all_of, has_permission, navigation

        navigation.register(
            NavEntry(
                key="stock",
                label=_("Stock"),
                url_name="inventory:stock-list",
                order=35,
                visible_to=has_permission("inventory:read"),
            )
        )
        navigation.register(
            NavEntry(
                key="counts",
                label=_("Counts"),
                url_name="inventory:count-list",
                order=36,
                visible_to=all_of(
                    has_permission("inventory:read"),
                    RequestVisibility(_acting_for_an_operator, name="operator"),
                ),
            )
        )
