from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "haicang.fulfillment"
    label = "fulfillment"
    verbose_name = "Warehouse operations"

    def ready(self) -> None:
        from haicang.fulfillment import (
            scoping_rules,  # noqa: F401 - registers scoping rules
            shipping_events,  # noqa: F401 - parcel.shipped, outbound.shipped
        )
        from haicang.fulfillment.views_picking import register_navigation as register_outbound_navigation

        register_outbound_navigation()
        # Tracking (docs/fulfillment.md, "Tracking"): events and renderers, the CSV import kind, the sealed
        # webhook secrets (re-sealed by `haicang rotate-keys`), the header's Tracking entry.
        from haicang.exchange.registry import importers
        from haicang.fulfillment import tracking_events  # noqa: F401 - tracking.updated, tracking.alert_*
        from haicang.fulfillment.tracking_import import TRACKING_EVENTS_IMPORTER
        from haicang.fulfillment.tracking_secrets import register_sealed_fields
        from haicang.fulfillment.tracking_views import register_navigation as register_tracking_navigation

        importers.register(TRACKING_EVENTS_IMPORTER)
        register_sealed_fields()
        register_tracking_navigation()
