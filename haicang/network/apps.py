from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "haicang.network"
    label = "network"
    verbose_name = "Warehouse network"

    def ready(self) -> None:
        from haicang.network import scoping_rules  # noqa: F401 - registers the scoping rules
