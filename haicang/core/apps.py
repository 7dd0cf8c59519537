from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haicang.core"
    label = "core"
    verbose_name = "Haicang core"
    default_auto_field = "django.db.models.BigAutoField"
