"""Writes of the catalogue: products, SKUs, barcodes and kits. Each takes the actor and writes an audit entry.

Entry points (API, UI, CLI) check the caller's scope and permission; these services check the data: every
field against ``sku_fields``, codes and barcodes against ``identifiers``, and that a SKU's product, barcodes
and kit components belong to the SKU's own seller. Imports of whole files go through
``haicang.catalog.importing.catalog_import``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from haicang.catalog.errors import (
    BarcodeTaken,
    BarcodeUnknown,
    CatalogErrorCode,
    CatalogInvalid,
    KitInvalid,
    SkuCodeTaken,
    StyleCodeTaken,
    VariantTaken,
)
from haicang.catalog.identifiers import barcode_check, barcode_key, code_check
from haicang.catalog.models import Barcode, KitComponent, Product, Sku
from haicang.catalog.selectors import sku_values
from haicang.catalog.sku_fields import (
    PRODUCT_FIELD_LIMITS,
    SKU_FIELD_RULES,
    SkuStatus,
    empty_value,
    record_check,
    value_check,
)
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.parties.models import Seller


# --- products ----------------------------------------------------------------------------------------------
def _product_fields_check(fields: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in fields.items():
        if name not in PRODUCT_FIELD_LIMITS:
            raise CatalogInvalid(
                f"products have no field {name!r}", field=name, code=CatalogErrorCode.FIELD_UNKNOWN
            )
        if value is not None and not isinstance(value, str):
            raise CatalogInvalid(f"{name} is text", field=name)
        text = (value or "").strip()
        if len(text) > PRODUCT_FIELD_LIMITS[name]:
            raise CatalogInvalid(
                f"{name} has at most {PRODUCT_FIELD_LIMITS[name]} characters",
                field=name,
                code=CatalogErrorCode.TEXT_TOO_LONG,
            )
        if name == "name_en" and not text:
            raise CatalogInvalid("name_en is required", field=name, code=CatalogErrorCode.FIELD_REQUIRED)
        out[name] = text
    return out


@transaction.atomic
def product_create(
    *,
    actor: Actor,
    seller: Seller,
    style_code: str,
    name_en: str,
    name_zh: str = "",
    brand: str = "",
    category: str = "",
) -> Product:
    """A style of ``seller``; its variants are SKUs that point at it. Style codes are unique per seller."""
    style_code = code_check(style_code, field="style_code", what="style code")
    fields = _product_fields_check(
        {"name_en": name_en, "name_zh": name_zh, "brand": brand, "category": category}
    )
    if Product.objects.filter(seller=seller, style_code=style_code).exists():
        raise StyleCodeTaken(
            f"{seller} already has a product with style code {style_code}", field="style_code"
        )
    try:
        with transaction.atomic():
            product = Product.objects.create(seller=seller, style_code=style_code, **fields)
    except IntegrityError as exc:
        raise StyleCodeTaken(
            f"{seller} already has a product with style code {style_code}", field="style_code"
        ) from exc
    audit_record(
        actor=actor, action="product.created", subject=product, after={"style_code": style_code, **fields}
    )
    return product


@transaction.atomic
def product_update(*, actor: Actor, product: Product, **changes: Any) -> Product:
    """Change a product's names, brand or category (``style_code`` too, if still free)."""
    style_code = changes.pop("style_code", None)
    fields = _product_fields_check(changes)
    if style_code is not None and style_code != product.style_code:
        style_code = code_check(style_code, field="style_code", what="style code")
        if Product.objects.filter(seller_id=product.seller_id, style_code=style_code).exists():
            raise StyleCodeTaken(f"the style code {style_code} is taken", field="style_code")
        fields["style_code"] = style_code
    before = {name: getattr(product, name) for name in fields}
    changed = {name: value for name, value in fields.items() if before[name] != value}
    if not changed:
        return product
    for name, value in changed.items():
        setattr(product, name, value)
    product.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="product.updated",
        subject=product,
        before={k: before[k] for k in changed},
        after=changed,
    )
    return product


# --- SKUs --------------------------------------------------------------------------------------------------
def _fields_check(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in fields.items():
        rule = SKU_FIELD_RULES.get(name)
        if rule is None:
            raise CatalogInvalid(
                f"SKUs have no field {name!r}", field=name, code=CatalogErrorCode.FIELD_UNKNOWN
            )
        out[name] = value_check(rule, value)
    return out


def _product_check(seller_id: object, product: Product | None) -> Product | None:
    if product is not None and product.seller_id != seller_id:
        raise CatalogInvalid(
            "the product belongs to another seller", field="product", code=CatalogErrorCode.SELLER_MISMATCH
        )
    return product


def _variant_check(sku: Sku) -> None:
    if sku.product_id is None:
        return
    clash = (
        Sku.objects.filter(product_id=sku.product_id, colour=sku.colour, size=sku.size)
        .exclude(pk=sku.pk)
        .first()
    )
    if clash is not None:
        raise VariantTaken(
            f"{clash.code} is already the {sku.colour or '—'} / {sku.size or '—'} variant of this product",
            field="size" if sku.size else "colour",
            sku=clash.code,
        )


def _save(sku: Sku, *, creating: bool, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            if creating:
                sku.save(force_insert=True)
            else:
                sku.save(update_fields=update_fields)
    except IntegrityError as exc:
        if Sku.objects.filter(seller_id=sku.seller_id, code=sku.code).exclude(pk=sku.pk).exists():
            raise SkuCodeTaken(f"the SKU code {sku.code} is taken", field="code") from exc
        raise VariantTaken("another SKU of this product has this colour and size", field="size") from exc


@transaction.atomic
def sku_create(
    *,
    actor: Actor,
    seller: Seller,
    code: str,
    name_en: str,
    product: Product | None = None,
    barcodes: Iterable[str] = (),
    **fields: Any,
) -> Sku:
    """A new SKU of ``seller``. ``fields`` are any of ``sku_fields.SKU_FIELD_RULES`` (dimensions, customs…)."""
    code = code_check(code)
    values = {name: empty_value(rule) for name, rule in SKU_FIELD_RULES.items()}
    values.update(_fields_check({"name_en": name_en, **fields}))
    record_check(values)
    if Sku.objects.filter(seller=seller, code=code).exists():
        raise SkuCodeTaken(f"{seller} already has a SKU with code {code}", field="code")
    sku = Sku(seller=seller, code=code, product=_product_check(seller.pk, product), **values)
    if sku.status == SkuStatus.DISCONTINUED:
        sku.discontinued_at = timezone.now()
    _variant_check(sku)
    _save(sku, creating=True)
    audit_record(
        actor=actor,
        action="sku.created",
        subject=sku,
        after={"code": code, "product": product.style_code if product else None, **sku_values(sku)},
    )
    for value in barcodes:
        barcode_add(actor=actor, sku=sku, value=value)
    return sku


@transaction.atomic
def sku_update(*, actor: Actor, sku: Sku, **changes: Any) -> Sku:
    """Change any of a SKU's fields (its ``code`` and ``product`` too); unchanged values write nothing."""
    before = {"code": sku.code, "product": sku.product.style_code if sku.product else None, **sku_values(sku)}
    update: dict[str, Any] = {}
    if "code" in changes:
        code = code_check(changes.pop("code"))
        if code != sku.code:
            if Sku.objects.filter(seller_id=sku.seller_id, code=code).exists():
                raise SkuCodeTaken(f"the SKU code {code} is taken", field="code")
            update["code"] = code
    if "product" in changes:
        product = _product_check(sku.seller_id, changes.pop("product"))
        if (product.pk if product else None) != sku.product_id:
            update["product"] = product
    update.update({k: v for k, v in _fields_check(changes).items() if before.get(k) != v})
    if not update:
        return sku
    record_check({**before, **update})
    if "status" in update:
        sku.discontinued_at = timezone.now() if update["status"] == SkuStatus.DISCONTINUED else None
    for name, value in update.items():
        setattr(sku, name, value)
    _variant_check(sku)
    columns = [f"{name}_amount" if name in ("declared_value", "purchase_cost") else name for name in update]
    columns += [f"{name}_currency" for name in update if name in ("declared_value", "purchase_cost")]
    columns += ["discontinued_at"] if "status" in update else []
    _save(sku, creating=False, update_fields=[*columns, "updated_at"])
    after = {"code": sku.code, "product": sku.product.style_code if sku.product else None, **sku_values(sku)}
    audit_record(actor=actor, action="sku.updated", subject=sku, before=before, after=after)
    return sku


def sku_discontinue(*, actor: Actor, sku: Sku) -> Sku:
    """No longer sold or bought. Its stock, barcodes and kit memberships stay; it can be reactivated."""
    return sku_update(actor=actor, sku=sku, status=SkuStatus.DISCONTINUED.value)


def sku_reactivate(*, actor: Actor, sku: Sku) -> Sku:
    return sku_update(actor=actor, sku=sku, status=SkuStatus.ACTIVE.value)


# --- barcodes ----------------------------------------------------------------------------------------------
@transaction.atomic
def barcode_add(*, actor: Actor, sku: Sku, value: str) -> Barcode:
    """Print ``value`` on ``sku``: a GTIN (check digit verified) or the seller's own code; unique per seller."""
    checked = barcode_check(value, field="barcode")
    holder = Barcode.objects.filter(seller_id=sku.seller_id, key=checked.key).select_related("sku").first()
    if holder is not None:
        if holder.sku_id == sku.pk:
            return holder
        raise BarcodeTaken(
            f"{checked.value} is already on SKU {holder.sku.code}", field="barcode", sku=holder.sku.code
        )
    try:
        with transaction.atomic():
            barcode = Barcode.objects.create(
                seller_id=sku.seller_id,
                sku=sku,
                value=checked.value,
                kind=checked.kind.value,
                key=checked.key,
            )
    except IntegrityError as exc:
        raise BarcodeTaken(f"{checked.value} is already on another SKU", field="barcode") from exc
    audit_record(
        actor=actor,
        action="sku.barcode_added",
        subject=sku,
        after={"barcode": checked.value, "kind": checked.kind},
    )
    return barcode


@transaction.atomic
def barcode_remove(*, actor: Actor, sku: Sku, value: str) -> None:
    barcode = Barcode.objects.filter(sku=sku, key=barcode_key(value)).first()
    if barcode is None:
        raise BarcodeUnknown(f"SKU {sku.code} has no barcode {value}", field="barcode")
    barcode.delete()
    audit_record(actor=actor, action="sku.barcode_removed", subject=sku, before={"barcode": barcode.value})


# --- kits --------------------------------------------------------------------------------------------------
@transaction.atomic
def kit_set_components(
    *, actor: Actor, kit: Sku, components: Sequence[tuple[Sku, int]]
) -> list[KitComponent]:
    """Make ``kit`` a kit of exactly ``components`` (SKU, quantity per kit); an empty list makes it a plain SKU.

    Kits are one level deep: a component is a plain SKU of the kit's seller, never a kit, never the kit
    itself, and a SKU that is a component of some kit cannot become a kit — so no cycle can ever form.
    The rows of the kit and its components are locked in primary-key order while the rules are checked.
    """
    wanted: dict[Any, int] = {}
    for component, quantity in components:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise KitInvalid(f"the quantity of {component.code} must be a whole number of at least 1")
        if component.pk in wanted:
            raise KitInvalid(f"{component.code} is listed twice; give its quantity once")
        wanted[component.pk] = quantity
    ids = sorted({kit.pk, *wanted}, key=str)
    locked = {s.pk: s for s in Sku.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    current = locked[kit.pk]
    for pk in wanted:
        component = locked[pk]
        if pk == kit.pk:
            raise KitInvalid(f"{kit.code} cannot be a component of itself", code=CatalogErrorCode.KIT_SELF)
        if component.seller_id != current.seller_id:
            raise KitInvalid(
                f"{component.code} belongs to another seller", code=CatalogErrorCode.KIT_OTHER_SELLER
            )
        if component.is_kit:
            raise KitInvalid(
                f"{component.code} is itself a kit; list its components instead",
                code=CatalogErrorCode.KIT_NESTED,
            )
    if wanted:
        used_in = KitComponent.objects.filter(component_id=kit.pk).select_related("kit").first()
        if used_in is not None:
            raise KitInvalid(
                f"{kit.code} is a component of kit {used_in.kit.code}, so it cannot be a kit itself",
                code=CatalogErrorCode.KIT_NESTED,
            )
    existing = {c.component_id: c.quantity for c in KitComponent.objects.filter(kit_id=kit.pk)}
    if existing == wanted and current.is_kit == bool(wanted):
        return list(KitComponent.objects.filter(kit_id=kit.pk).select_related("component"))
    KitComponent.objects.filter(kit_id=kit.pk).delete()
    rows = KitComponent.objects.bulk_create(
        [KitComponent(kit_id=kit.pk, component_id=pk, quantity=qty) for pk, qty in wanted.items()]
    )
    if current.is_kit != bool(wanted):
        Sku.objects.filter(pk=kit.pk).update(is_kit=bool(wanted), updated_at=timezone.now())
    kit.is_kit = bool(wanted)
    codes = {pk: locked[pk].code for pk in {*wanted, *existing} if pk in locked}
    missing = [pk for pk in existing if pk not in codes]
    codes.update(dict(Sku.objects.filter(pk__in=missing).values_list("pk", "code")))
    audit_record(
        actor=actor,
        action="sku.kit_components_set",
        subject=kit,
        before={"components": {codes[pk]: q for pk, q in existing.items()}},
        after={"components": {codes[pk]: q for pk, q in wanted.items()}},
    )
    return rows
