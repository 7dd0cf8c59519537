"""Plain functions that build catalogue data through the services, for tests across the apps."""

from __future__ import annotations

import itertools
from typing import Any

from haicang.catalog.models import Product, Sku
from haicang.catalog.services import kit_set_components, product_create, sku_create
from haicang.core.actors import Actor
from haicang.parties.models import Seller

SYSTEM = Actor.system("tests")
_n = itertools.count(1)


def make_product(seller: Seller, *, style_code: str | None = None, **fields: Any) -> Product:
    n = next(_n)
    fields.setdefault("name_en", f"Style {n}")
    return product_create(actor=SYSTEM, seller=seller, style_code=style_code or f"STYLE-{n}", **fields)


def make_sku(seller: Seller, *, code: str | None = None, name_en: str | None = None, **fields: Any) -> Sku:
    n = next(_n)
    return sku_create(
        actor=SYSTEM, seller=seller, code=code or f"SKU-{n:05d}", name_en=name_en or f"Item {n}", **fields
    )


def make_kit(
    seller: Seller, components: list[tuple[Sku, int]], *, code: str | None = None, **fields: Any
) -> Sku:
    kit = make_sku(seller, code=code, **fields)
    kit_set_components(actor=SYSTEM, kit=kit, components=components)
    return kit
