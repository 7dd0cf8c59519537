from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "haicang.fulfillment"
    label = "fulfillment"
    verbose_name = "Warehouse operations"

    def ready(self) -> None:
        from haicang.fulfillment import scoping_rules  # noqa: F401 - registers scoping rules
