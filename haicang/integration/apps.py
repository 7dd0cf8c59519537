from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "haicang.integration"
    label = "integration"
    verbose_name = "Integration (outbox and webhooks)"

    def ready(self) -> None:
        from haicang.integration import rendering, scoping_rules  # noqa: F401 - registers rules and renderers
