from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "haicang.network"
    label = "network"
    verbose_name = "Warehouse network"

    def ready(self) -> None:
        from haicang.network import scoping_rules  # noqa: F401 - registers the scoping rules
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
