from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "haicang.network"
    label = "network"
    verbose_name = "Warehouse network"

    def ready(self) -> None:
        from haicang.exchange.registry import importers
        from haicang.network import scoping_rules  # noqa: F401 - registers the scoping rules
        from haicang.network.rate_import import RATE_CARD_IMPORTER
        from haicang.web.navigation import NavEntry, has_permission, navigation

        navigation.register(
            NavEntry(
                key="warehouses",
                label=_("Warehouses"),
                url_name="network:warehouse-list",
                order=40,
                visible_to=has_permission("network:read"),
            )
        )
        navigation.register(
            NavEntry(
                key="carriers",
                label=_("Carriers"),
                url_name="network:carrier-list",
                order=41,
                visible_to=has_permission("network:read"),
            )
        )
        importers.register(RATE_CARD_IMPORTER)  # the `rate_card` import kind (docs/network.md)
