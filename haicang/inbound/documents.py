"""The shipment document in the database: which SKUs it names, whether its warehouse may receive the
seller's goods, the checked document written into the nested tables, and read back as an ``AsnSpec``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from haicang.catalog.models import Sku
from haicang.core.money import Money
from haicang.inbound.asn_rules import (
    AsnSpec,
    CartonSpec,
    CheckedAsn,
    CheckedCost,
    ContentSpec,
    CostSpec,
    CustomsSpec,
    LineSpec,
    SkuFacts,
    SkuRef,
    asn_check,
)
from haicang.inbound.models import (
    Carton,
    CartonContent,
    CustomsLine,
    FreightCost,
    InboundShipment,
    ShipmentLine,
)
from haicang.network.models import Warehouse
from haicang.parties.models import AgreementStatus, Seller, ServiceAgreement

HEADER_FIELDS = (
    "mode",
    "origin_country",
    "reference",
    "carrier",
    "origin_city",
    "origin_port",
    "container_number",
    "bill_of_lading",
    "air_waybill",
    "etd",
    "eta",
    "note",
)
NESTED_FIELDS = ("lines", "cartons", "customs_lines", "costs")


def _facts(sku: Sku) -> SkuFacts:
    return SkuFacts(
        id=sku.pk,
        code=sku.code,
        purchase_cost=sku.purchase_cost,
        hs_code=sku.hs_code,
        origin_country=sku.origin_country,
        declared_value=sku.declared_value,
    )


def _refs(spec: AsnSpec) -> list[SkuRef]:
    refs: list[SkuRef] = [line.sku for line in spec.lines]
    refs += [content.sku for carton in spec.cartons for content in carton.contents]
    refs += [customs.sku for customs in spec.customs_lines]
    return refs


def skus_named(seller: Seller, spec: AsnSpec) -> dict[SkuRef, SkuFacts]:
    """The seller's SKUs the document names, by code and by id (another seller's SKU is simply unknown)."""
    refs = _refs(spec)
    ids = {ref for ref in refs if isinstance(ref, uuid.UUID)}
    codes = {ref for ref in refs if isinstance(ref, str)}
    found: dict[SkuRef, SkuFacts] = {}
    if ids or codes:
        for sku in Sku.objects.filter(seller=seller).filter(Q(pk__in=ids) | Q(code__in=codes)):
            facts = _facts(sku)
            found[sku.pk] = facts
            found[sku.code] = facts
    return found


def destination_problem(
    seller: Seller, warehouse: Warehouse | None, *, on: dt.date | None = None
) -> str | None:
    """Why ``warehouse`` may not receive ``seller``'s goods, or None: it needs an active service agreement
    covering it that is valid ``on`` that day (today by default), and to be active itself."""
    if warehouse is None:
        return "name the destination warehouse"
    on = on or timezone.localdate()
    covered = (
        ServiceAgreement.objects.filter(
            seller=seller, warehouses=warehouse, status=AgreementStatus.ACTIVE, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exists()
    )
    if not covered:
        return f"{warehouse.code} is not under an active service agreement with {seller.code}"
    if not warehouse.is_active:
        return f"{warehouse.code} is not active"
    return None


def document_check(
    seller: Seller, warehouse: Warehouse | None, spec: AsnSpec, *, require_lines: bool = False
) -> CheckedAsn:
    return asn_check(
        spec,
        skus=skus_named(seller, spec),
        destination_problem=destination_problem(seller, warehouse),
        require_lines=require_lines,
    )


def nested_write(shipment: InboundShipment, checked: CheckedAsn, fields: Sequence[str]) -> None:
    """Replace the named nested lists of a draft with the checked ones."""
    if "lines" in fields:
        shipment.lines.all().delete()
        ShipmentLine.objects.bulk_create(
            ShipmentLine(
                shipment=shipment,
                sku_id=line.sku.id,
                position=position,
                expected_quantity=line.quantity,
                purchase_cost=line.purchase_cost,
            )
            for position, line in enumerate(checked.lines, start=1)
        )
    if "cartons" in fields:
        shipment.cartons.all().delete()
        cartons = Carton.objects.bulk_create(
            Carton(
                shipment=shipment,
                number=carton.number,
                length_mm=carton.length_mm,
                width_mm=carton.width_mm,
                height_mm=carton.height_mm,
                gross_weight_g=carton.gross_weight_g,
            )
            for carton in checked.cartons
        )
        CartonContent.objects.bulk_create(
            CartonContent(carton=row, sku_id=sku.id, quantity=quantity)
            for row, carton in zip(cartons, checked.cartons, strict=True)
            for sku, quantity in carton.contents
        )
    if "customs_lines" in fields:
        shipment.customs_lines.all().delete()
        CustomsLine.objects.bulk_create(
            CustomsLine(
                shipment=shipment,
                sku_id=customs.sku.id,
                hs_code=customs.hs_code,
                origin_country=customs.origin_country,
                declared_value=customs.declared_value,
            )
            for customs in checked.customs_lines
        )
    if "costs" in fields:
        costs_write(shipment, checked.costs)


def costs_write(shipment: InboundShipment, costs: Sequence[CheckedCost]) -> None:
    shipment.costs.all().delete()
    FreightCost.objects.bulk_create(
        FreightCost(shipment=shipment, kind=cost.kind, amount=cost.amount, basis=cost.basis, note=cost.note)
        for cost in costs
    )


def spec_of(shipment: InboundShipment) -> AsnSpec:
    """The shipment's document as it stands (SKUs by id), to change some fields of it."""
    contents: dict[uuid.UUID, list[ContentSpec]] = {}
    for content in CartonContent.objects.filter(carton__shipment=shipment).order_by("carton_id", "id"):
        contents.setdefault(content.carton_id, []).append(ContentSpec(content.sku_id, content.quantity))
    return AsnSpec(
        **{name: getattr(shipment, name) for name in HEADER_FIELDS},
        lines=[
            LineSpec(line.sku_id, line.expected_quantity, line.purchase_cost)
            for line in shipment.lines.order_by("position")
        ],
        cartons=[
            CartonSpec(
                number=carton.number,
                contents=contents.get(carton.pk, []),
                length_mm=carton.length_mm,
                width_mm=carton.width_mm,
                height_mm=carton.height_mm,
                gross_weight_g=carton.gross_weight_g,
            )
            for carton in shipment.cartons.order_by("number")
        ],
        customs_lines=[
            CustomsSpec(c.sku_id, c.hs_code, c.origin_country, c.declared_value)
            for c in shipment.customs_lines.order_by("id")
        ],
        costs=[
            CostSpec(c.kind, c.amount or Money.zero("EUR"), c.basis, c.note)
            for c in shipment.costs.order_by("id")
        ],
    )
