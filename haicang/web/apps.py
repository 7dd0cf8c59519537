from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "haicang.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from haicang.web.navigation import NavEntry, navigation, signed_in, staff

        navigation.register(
            NavEntry(
                key="home", label=_("Home"), url_name="web:home", order=0, exact=True, visible_to=signed_in
            )
        )
        navigation.register(
            NavEntry(key="admin", label=_("Admin"), url_name="admin:index", order=900, visible_to=staff)
        )
        navigation.register(
            NavEntry(key="api-docs", label=_("API docs"), url_name="api-docs", order=910, visible_to=staff)
        )
