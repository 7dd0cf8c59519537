from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haicang.core"
    label = "core"
    verbose_name = "Haicang core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haicang.core.models.idempotency import IdempotencyRecord
        from haicang.core.sealing import sealed_field_register

        # Stored answers of idempotent calls are sealed to their row (haicang rotate-keys re-seals them).
        sealed_field_register(IdempotencyRecord, "response_body", context=lambda row: row.seal_context)
