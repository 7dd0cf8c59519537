from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "haicang.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from haicang.catalog import scoping_rules  # noqa: F401 - registers the scoping rules
        from haicang.catalog.importer import CATALOG_IMPORTER
        from haicang.exchange.registry import importers
        from haicang.web.navigation import NavEntry, has_permission, navigation

        navigation.register(
            NavEntry(
                key="catalog",
                label=_("Catalogue"),
                url_name="catalog:sku-list",
                order=30,
                visible_to=has_permission("catalog:read"),
            )
        )
        importers.register(CATALOG_IMPORTER)  # the `catalog` import kind (docs/exchange.md)
