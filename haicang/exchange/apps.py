from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "haicang.exchange"
    label = "exchange"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from haicang.exchange import scoping_rules  # noqa: F401 - registers the scoping rules
        from haicang.web.navigation import NavEntry, has_permission, navigation

        navigation.register(
            NavEntry(
                key="imports",
                label=_("Imports"),
                url_name="exchange:job-list",
                order=70,
                visible_to=has_permission("imports:read"),
            )
        )
