"""Reads of the catalogue. Everything a request reads goes through the request's scope (the one scoping helper)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from haicang.catalog.identifiers import barcode_key
from haicang.catalog.models import Barcode, KitComponent, Product, Sku
from haicang.catalog.sku_fields import DANGEROUS_GOODS, SKU_FIELD_RULES
from haicang.parties.scoping import Scope, scope_queryset, scoped_get

READ = "catalog:read"
WRITE = "catalog:write"


def sku_values(sku: Sku) -> dict[str, Any]:
    """The SKU's editable fields (those of ``sku_fields.SKU_FIELD_RULES``) by name; money as Money."""
    return {name: getattr(sku, name) for name in SKU_FIELD_RULES}


def skus_visible(scope: Scope, *, permission: str = READ) -> QuerySet[Sku]:
    return scope_queryset(Sku.objects.select_related("product", "seller"), scope, permission=permission)


def products_visible(scope: Scope, *, permission: str = READ) -> QuerySet[Product]:
    return scope_queryset(Product.objects.select_related("seller"), scope, permission=permission)


def sku_get(scope: Scope, pk: object, *, permission: str = READ) -> Sku:
    """One SKU in scope, or NotFound (404) — also for another party's SKU."""
    return scoped_get(Sku.objects.select_related("product", "seller"), scope, permission=permission, pk=pk)


def product_get(scope: Scope, pk: object, *, permission: str = READ) -> Product:
    return scoped_get(Product.objects.select_related("seller"), scope, permission=permission, pk=pk)


def sku_search(queryset: QuerySet[Sku], q: str) -> QuerySet[Sku]:
    """SKUs whose code, names or style code contain every word of ``q``, or that carry ``q`` as a barcode."""
    text = (q or "").strip()
    if not text:
        return queryset
    condition = Q()
    for word in text.split()[:8]:
        condition &= (
            Q(code__icontains=word)
            | Q(name_en__icontains=word)
            | Q(name_zh__icontains=word)
            | Q(product__style_code__icontains=word)
        )
    by_barcode = Exists(Barcode.objects.filter(sku_id=OuterRef("pk"), key=barcode_key(text)))
    return queryset.filter(condition | Q(by_barcode))


def sku_filter(
    queryset: QuerySet[Sku],
    *,
    status: str | None = None,
    is_kit: bool | None = None,
    dangerous: bool | None = None,
    flags: Iterable[str] = (),
    product: uuid.UUID | None = None,
    seller: uuid.UUID | None = None,
) -> QuerySet[Sku]:
    """Narrow SKUs: by status, kit or not, any dangerous-goods flag (or not), each named flag set, product."""
    if status:
        queryset = queryset.filter(status=status)
    if is_kit is not None:
        queryset = queryset.filter(is_kit=is_kit)
    if dangerous is not None:
        any_flag = Q()
        for name in DANGEROUS_GOODS:
            any_flag |= Q(**{name: True})
        queryset = queryset.filter(any_flag) if dangerous else queryset.exclude(any_flag)
    for name in flags:
        if name in DANGEROUS_GOODS:
            queryset = queryset.filter(**{name: True})
    if product is not None:
        queryset = queryset.filter(product_id=product)
    if seller is not None:
        queryset = queryset.filter(seller_id=seller)
    return queryset


def sku_detail_queryset(queryset: QuerySet[Sku]) -> QuerySet[Sku]:
    """SKUs with their barcodes and kit components loaded (two queries for any number of SKUs)."""
    return queryset.prefetch_related(
        Prefetch("barcodes", queryset=Barcode.objects.order_by("created_at")),
        Prefetch("components", queryset=KitComponent.objects.select_related("component").order_by("id")),
    )


def kit_components(kit: Sku) -> list[KitComponent]:
    return list(KitComponent.objects.filter(kit=kit).select_related("component").order_by("id"))


def kits_containing(sku: Sku) -> list[Sku]:
    return list(Sku.objects.filter(components__component=sku).order_by("code"))


def kit_dangerous_goods(kit: Sku) -> list[str]:
    """The dangerous-goods flags a kit carries: its own and those of every component."""
    flags = set(kit.dangerous_goods)
    for row in kit_components(kit):
        flags.update(row.component.dangerous_goods)
    return [name for name in DANGEROUS_GOODS if name in flags]


def sku_by_barcode(scope: Scope, scan: str) -> Sku | None:
    """The SKU in scope that carries the scanned barcode (a GTIN in any of its lengths), or None."""
    return skus_visible(scope).filter(barcodes__key=barcode_key(scan)).first()


def product_search(queryset: QuerySet[Product], q: str) -> QuerySet[Product]:
    text = (q or "").strip()
    if not text:
        return queryset
    condition = Q()
    for word in text.split()[:8]:
        condition &= (
            Q(style_code__icontains=word)
            | Q(name_en__icontains=word)
            | Q(name_zh__icontains=word)
            | Q(brand__icontains=word)
        )
    return queryset.filter(condition)


_SIZES = ["XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
_SIZE_RANK = {name: rank for rank, name in enumerate(_SIZES)}
_NXL = re.compile(r"([2-6])XL")


def size_sort_key(size: str) -> tuple[int, float, str]:
    """Sizes as a shop lists them: XS < S < M < L < XL < 2XL…, numbers ascending, anything else by name."""
    text = size.strip().upper()
    if text in _SIZE_RANK:
        return (0, _SIZE_RANK[text], text)
    match = _NXL.fullmatch(text)
    if match:
        return (0, _SIZE_RANK["XL"] + int(match.group(1)) - 1, text)
    try:
        return (1, float(text), text)
    except ValueError:
        return (2, 0, text)


def product_variants(product: Product) -> list[tuple[str, list[Sku]]]:
    """The product's SKUs grouped colour → size, as a marketplace lists them."""
    skus = list(Sku.objects.filter(product=product))
    colours: dict[str, list[Sku]] = {}
    for sku in sorted(skus, key=lambda s: (s.colour.lower(), size_sort_key(s.size), s.code)):
        colours.setdefault(sku.colour, []).append(sku)
    return list(colours.items())
