from django.apps import AppConfig


class MoneyAppConfig(AppConfig):
    """A test-only app with models that carry money; installed by conftest.py only when tests run."""

    name = "haicang.core.tests.moneyapp"
    label = "moneyapp"
    default_auto_field = "django.db.models.BigAutoField"
