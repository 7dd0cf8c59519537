"""The ``catalog`` import kind: the catalogue's columns and its validate and apply steps for the framework.

Registered from ``CatalogConfig.ready()``. The rules themselves are the catalogue's (``columns``,
``import_plan``, ``importing``); see ``docs/catalog.md`` for the columns and ``docs/exchange.md`` for the flow.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from haicang.catalog.columns import COLUMNS, SELLER_COLUMN
from haicang.catalog.errors import CatalogErrorCode
from haicang.catalog.errors import Problem as CatalogProblem
from haicang.catalog.importing import catalog_plan_write, catalog_rows_check
from haicang.catalog.labels import FIELD_LABELS, PROBLEM_REASONS
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, Progress, Validation

SYNONYMS: dict[str, tuple[str, ...]] = {
    "sku_code": ("sku", "seller_sku", "item_code", "货号", "SKU编码"),
    "name_en": ("name", "english_name", "title"),
    "name_zh": ("chinese_name", "中文名称", "中文名"),
    "colour": ("color",),
    "barcodes": ("barcode", "ean", "upc", "gtin"),
    "weight_g": ("weight", "weight_grams"),
    "hs_code": ("hscode", "海关编码"),
    "origin_country": ("country_of_origin", "origin"),
    "declared_value": ("customs_value",),
    "units_per_carton": ("carton_qty", "qty_per_carton"),
    "kit_components": ("components",),
}

DESCRIPTIONS = {
    "sku_code": _("The SKU's code; rows are matched to existing SKUs by it."),
    "style_code": _("The product (style) the SKU is a variant of; empty: none."),
    "product_name_en": _("The product's name (English)."),
    "product_name_zh": _("The product's name (Chinese)."),
    "declared_value_currency": _("Currency of the declared value; default: the seller's base currency."),
    "purchase_cost_currency": _("Currency of the purchase cost; default: the seller's base currency."),
    "barcodes": _("Barcodes separated by |."),
    "kit_components": _("A kit's components as CODE*quantity separated by |."),
    "seller_code": _("Only in an operator's export of several sellers: must be the importing seller's code."),
}


def _spec(name: str, target: str) -> ColumnSpec:
    description = DESCRIPTIONS.get(name) or FIELD_LABELS.get(target) or FIELD_LABELS.get(name, "")
    return ColumnSpec(
        name=name, required=name == "sku_code", description=description, synonyms=SYNONYMS.get(name, ())
    )


CATALOG_COLUMNS: tuple[ColumnSpec, ...] = tuple(_spec(c.name, c.target) for c in [*COLUMNS, SELLER_COLUMN])


def _problem(p: CatalogProblem) -> Problem:
    return Problem(p.row, p.column, str(p.code), p.detail)


class CatalogImporter(Importer):
    kind = "catalog"
    label = _("Catalogue (SKUs)")
    description = _(
        "Create and update SKUs, matched by SKU code. A column the file lacks leaves that field as it is."
    )
    columns = CATALOG_COLUMNS
    permission = "catalog:write"
    party_kinds = ("seller",)

    def problem_label(self, code: str) -> object:
        return PROBLEM_REASONS.get(code)

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        checked = catalog_rows_check(seller=context.owner, table=table, progress=progress)
        return Validation(problems=[_problem(p) for p in checked.problems], counts=checked.counts)

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        checked = catalog_rows_check(seller=context.owner, table=table, progress=progress)
        if checked.problems or checked.plan is None:
            raise RowsRejected([_problem(p) for p in checked.problems])
        try:
            with transaction.atomic():
                catalog_plan_write(
                    actor=context.actor, seller=context.owner, plan=checked.plan, filename=context.filename
                )
        except IntegrityError as exc:  # a concurrent change slipped between the checks and the writes
            raise RowsRejected(
                [
                    Problem(
                        None,
                        None,
                        CatalogErrorCode.FILE_INVALID,
                        f"the catalogue changed during the import: {exc}",
                    )
                ]
            ) from exc
        return checked.counts


CATALOG_IMPORTER = CatalogImporter()
