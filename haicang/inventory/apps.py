from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "haicang.inventory"
    label = "inventory"
    verbose_name = "Inventory (the stock ledger)"

    def ready(self) -> None:
        from haicang.inventory import scoping_rules  # noqa: F401 - registers the scoping rules
