from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "haicang.parties"
    label = "parties"
    verbose_name = "Parties and access"

    def ready(self) -> None:
        from haicang.parties import scoping_rules  # noqa: F401 - registers the scoping rules
