from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "haicang.parties"
    label = "parties"
    verbose_name = "Parties and access"

    def ready(self) -> None:
        from haicang.parties import scoping_rules  # noqa: F401 - registers the scoping rules
        from haicang.web.navigation import NavEntry, has_permission, navigation

        for key, label, url_name, order, permission in (
            ("agreements", _("Agreements"), "parties:agreement-list", 60, "agreements:read"),
            ("members", _("Members"), "parties:member-list", 80, "members:read"),
            ("api-keys", _("API keys"), "parties:api-key-list", 85, "api_keys:read"),
        ):
            navigation.register(
                NavEntry(
                    key=key,
                    label=label,
                    url_name=url_name,
                    order=order,
                    visible_to=has_permission(permission),
                )
            )
