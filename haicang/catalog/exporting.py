"""``catalog_export``: SKUs as a CSV or Excel file with the import's columns, so that importing an export
changes nothing. Operators get no commercial columns (purchase cost, supplier, MOQ, lead time) and, when
they serve several sellers, a leading ``seller_code`` column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from haicang.catalog.columns import Column, ColumnKind, export_columns
from haicang.catalog.identifiers import kit_components_format
from haicang.catalog.models import Sku
from haicang.catalog.selectors import sku_detail_queryset, skus_visible
from haicang.catalog.sku_fields import SKU_FIELD_RULES, FieldKind, money_text
from haicang.exchange.tables import CONTENT_TYPES, FileFormat, write_csv, write_xlsx
from haicang.parties.models import Seller
from haicang.parties.roles import PartyKind
from haicang.parties.scoping import Scope

CHUNK = 2000


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def catalog_export(
    *,
    format: FileFormat | str,
    scope: Scope | None = None,
    seller: Seller | None = None,
    skus: QuerySet[Sku] | None = None,
) -> ExportFile:
    """The SKUs a ``scope`` may read (narrowed by ``skus``, e.g. the list's filters), or all of ``seller``'s."""
    fmt = FileFormat(format)
    if scope is not None:
        queryset = skus_visible(scope) if skus is None else skus
        commercial = scope.party_kind is PartyKind.SELLER
    elif seller is not None:
        queryset = Sku.objects.filter(seller=seller) if skus is None else skus.filter(seller=seller)
        commercial = True
    else:
        raise ValueError("catalog_export needs a scope or a seller")
    queryset = sku_detail_queryset(
        queryset.prefetch_related(None).select_related("product", "seller")
    ).order_by("seller__code", "code")
    sellers = set(queryset.values_list("seller_id", flat=True).distinct()[:2])
    columns = export_columns(with_seller=len(sellers) > 1, commercial=commercial)
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for sku in queryset.iterator(chunk_size=CHUNK):
            count += 1
            yield _row(sku, columns, typed=fmt is FileFormat.XLSX)

    header = [c.name for c in columns]
    content = (
        write_xlsx(header, rows(), sheet_title="SKUs")
        if fmt is FileFormat.XLSX
        else write_csv(header, rows())
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    prefix = seller.code if seller else "catalogue"
    if seller is None and len(sellers) == 1:
        prefix = Seller.objects.filter(pk__in=sellers).values_list("code", flat=True).first() or prefix
    return ExportFile(
        content=content,
        filename=f"{prefix or 'catalogue'}-skus-{stamp}.{fmt.value}",
        content_type=CONTENT_TYPES[fmt],
        rows=count,
    )


def _row(sku: Sku, columns: list[Column], *, typed: bool) -> list[Any]:
    product = sku.product
    out: list[Any] = []
    for column in columns:
        kind = column.kind
        value: Any
        if kind is ColumnKind.SKU_CODE:
            value = sku.code
        elif kind is ColumnKind.SELLER:
            value = sku.seller.code
        elif kind is ColumnKind.STYLE:
            value = product.style_code if product else ""
        elif kind is ColumnKind.PRODUCT:
            value = getattr(product, column.target) if product else ""
        elif kind is ColumnKind.BARCODES:
            value = "|".join(b.value for b in sku.barcodes.all())
        elif kind is ColumnKind.KIT:
            value = kit_components_format([(c.component.code, c.quantity) for c in sku.components.all()])
        elif kind is ColumnKind.MONEY:
            value = money_text(getattr(sku, column.target))[0]
        elif kind is ColumnKind.CURRENCY:
            value = money_text(getattr(sku, column.target))[1]
        else:
            value = _field_value(column.target, getattr(sku, column.target), typed=typed)
        out.append(value)
    return out


def _field_value(name: str, value: Any, *, typed: bool) -> Any:
    kind = SKU_FIELD_RULES[name].kind
    if value is None:
        return ""
    if kind is FieldKind.BOOL:
        return value if typed else ("true" if value else "false")
    if kind is FieldKind.INT:
        return value if typed else str(value)
    return value
