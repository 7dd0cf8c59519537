from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "haicang.inbound"
    label = "inbound"
    verbose_name = "Inbound shipments"

    def ready(self) -> None:
        from haicang.exchange.registry import importers
        from haicang.inbound import events, scoping_rules  # noqa: F401 - registers scoping rules and renderers
        from haicang.inbound.importer import PACKING_LIST_IMPORTER

        importers.register(PACKING_LIST_IMPORTER)  # the packing-list import kind (docs/inbound.md)
        from haicang.inbound.putaway_views import register_navigation

        register_navigation()
        from haicang.inbound.receiving_views import register_navigation as register_receiving

        register_receiving()  # the header's Receiving entry (operators)
        from django.utils.translation import gettext_lazy as _

        from haicang.web.navigation import NavEntry, has_permission, navigation

        navigation.register(  # the shipment pages (views.py)
            NavEntry(
                key="inbound",
                label=_("Inbound"),
                url_name="inbound:shipment-list",
                order=38,
                visible_to=has_permission("inbound:read"),
            )
        )
