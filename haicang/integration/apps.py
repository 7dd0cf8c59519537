from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "haicang.integration"
    label = "integration"
    verbose_name = _("Integration (outbox and webhooks)")

    def ready(self) -> None:
        from haicang.integration import rendering, scoping_rules  # noqa: F401 - registers rules and renderers
        from haicang.integration.notices import disabled_subscription_notices
        from haicang.web.navigation import NavEntry, has_permission, navigation
        from haicang.web.notices import notices

        navigation.register(
            NavEntry(
                key="webhooks",
                label=_("Webhooks"),
                url_name="integration:webhook-list",
                order=70,
                visible_to=has_permission("integration:read"),
            )
        )
        notices.register("integration.disabled-webhooks", disabled_subscription_notices)
        from haicang.core.sealing import sealed_field_register
        from haicang.integration.models import WebhookSubscription

        for column in ("secret_sealed", "previous_secret_sealed"):  # haicang rotate-keys re-seals them
            sealed_field_register(
                WebhookSubscription, column, context=lambda row: f"webhook-secret:{row.pk}".encode("ascii")
            )
