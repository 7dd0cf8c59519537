"""The ``inbound_packing_list`` import kind: a supplier's packing list (CSV or Excel) becomes the cartons of a
draft inbound shipment, and its lines' quantities.

Registered from ``InboundConfig.ready()``. The upload names the draft with the option ``shipment`` (its
number, e.g. ``ASN-2026-000001``, or its id). The rules of the rows are pure (``packing_list``); this module
looks up the shipment and the SKUs, checks the resulting document with the shipment's own rules
(``asn_rules`` through ``documents.document_check``) and writes it through ``inbound_update`` — all or
nothing. See docs/inbound.md, "Packing-list import", and docs/exchange.md for the flow.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haicang.catalog.errors import CatalogInvalid
from haicang.catalog.identifiers import barcode_check
from haicang.catalog.models import Barcode, Sku
from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.exchange.errors import RowsRejected
from haicang.exchange.mapping import ColumnSpec, MappedTable
from haicang.exchange.problems import Problem
from haicang.exchange.registry import ImportContext, Importer, OptionSpec, Progress, Validation
from haicang.inbound.documents import document_check, spec_of
from haicang.inbound.errors import InboundErrorCode, InboundInvalid
from haicang.inbound.models import InboundShipment, ShipmentStatus
from haicang.inbound.packing_list import (
    DIMENSION_UNITS,
    WEIGHT_UNITS,
    PackingListCode,
    PackingPlan,
    packing_list_read,
    packing_list_spec,
    spec_problem_place,
)
from haicang.inbound.services import inbound_update
from haicang.parties.models import Seller

C = PackingListCode


SYNONYMS: dict[str, tuple[str, ...]] = {
    "carton_no": ("carton", "carton no.", "carton number", "ctn no", "ctn no.", "ctn", "c/no", "c/no.", "case no",
                  "case no.", "箱号", "箱號", "箱号范围", "外箱编号"),
    "sku_code": ("sku", "seller sku", "item", "item no", "item no.", "item code", "article", "article no", "货号",
                 "SKU编码", "产品编码", "商品编码"),
    "qty_per_carton": ("qty per carton", "qty/ctn", "qty/carton", "pcs/ctn", "pcs per carton", "units per carton",
                       "quantity per carton", "每箱数量", "每箱件数", "单箱数量", "装箱数", "装箱数量", "入数"),
    "carton_count": ("cartons", "ctns", "carton qty", "no. of cartons", "number of cartons", "total cartons", "箱数",
                     "总箱数", "件数"),
    "carton_length": ("length", "carton length", "ctn length", "l", "长", "箱长", "外箱长", "长度"),
    "carton_width": ("width", "carton width", "ctn width", "w", "宽", "箱宽", "外箱宽", "宽度"),
    "carton_height": ("height", "carton height", "ctn height", "h", "高", "箱高", "外箱高", "高度"),
    "carton_dimensions": ("dimensions", "carton dimensions", "carton size", "ctn size", "measurement", "meas.",
                          "l*w*h", "lxwxh", "外箱尺寸", "箱规", "尺寸", "纸箱尺寸"),
    "dimension_unit": ("dimension unit", "dim unit", "size unit", "dimensions unit", "尺寸单位"),
    "gross_weight_kg": ("gross weight", "gross weight per carton", "g.w.", "g.w", "gw", "gw/ctn", "weight", "毛重",
                        "单箱毛重", "每箱毛重"),
    "total_quantity": ("total qty", "total quantity", "total pcs", "qty", "quantity", "总数量", "合计数量", "总数"),
    "description": ("name", "product name", "品名", "中文品名", "产品名称", "商品名称", "english name", "英文品名"),
    "net_weight": ("net weight", "n.w.", "n.w", "nw", "净重", "单箱净重"),
    "total_gross_weight": ("total gross weight", "total g.w.", "total gw", "总毛重"),
    "volume_cbm": ("cbm", "volume", "total cbm", "体积", "总体积", "立方数"),
    "remarks": ("remark", "note", "notes", "备注"),
}  # fmt: skip

NOT_USED = _("Read but not used.")
LENGTH_UNITS = tuple(DIMENSION_UNITS)
MASS_UNITS = tuple(WEIGHT_UNITS)


def _column(
    name: str, description: Any, *, required: bool = False, units: tuple[str, ...] = ()
) -> ColumnSpec:
    return ColumnSpec(name, required=required, description=description, synonyms=SYNONYMS[name], units=units)


COLUMNS: tuple[ColumnSpec, ...] = (
    _column(
        "carton_no",
        _(
            "The carton's number, or a range of identical cartons like 1-20. Without this column the cartons "
            "are numbered in file order."
        ),
    ),
    _column("sku_code", _("The SKU's code, or one of its barcodes."), required=True),
    _column("qty_per_carton", _("Units of the SKU in each carton."), required=True),
    _column("carton_count", _("How many such cartons; with a range it must be the range's size. Default 1.")),
    _column(
        "carton_length",
        _("The carton's length, in cm unless the header or the unit column says mm."),
        units=LENGTH_UNITS,
    ),
    _column(
        "carton_width",
        _("The carton's width, in cm unless the header or the unit column says mm."),
        units=LENGTH_UNITS,
    ),
    _column(
        "carton_height",
        _("The carton's height, in cm unless the header or the unit column says mm."),
        units=LENGTH_UNITS,
    ),
    _column(
        "carton_dimensions",
        _("Length × width × height in one cell, e.g. 60x40x35 (cm) or 600*400*350mm."),
        units=LENGTH_UNITS,
    ),
    _column("dimension_unit", _("cm or mm: the unit of the row's dimensions (default cm).")),
    _column("gross_weight_kg", _("Gross weight of one carton in kg."), units=MASS_UNITS),
    _column(
        "total_quantity",
        _("Units of the row in all its cartons; checked against units per carton × cartons."),
    ),
    _column("description", _("Read but not used (the SKU's own names are kept).")),
    _column("net_weight", NOT_USED, units=MASS_UNITS),
    _column("total_gross_weight", NOT_USED, units=MASS_UNITS),
    _column("volume_cbm", NOT_USED),
    _column("remarks", NOT_USED),
)

PROBLEM_LABELS: dict[str, Any] = {
    C.VALUE_REQUIRED: _("A value is required."),
    C.CARTON_NUMBER_INVALID: _("Not a carton number or a range like 1-20."),
    C.CARTON_COUNT_MISMATCH: _("The carton count does not match the range."),
    C.QUANTITY_INVALID: _("Not a whole number above 0."),
    C.TOTAL_MISMATCH: _("The total does not match units per carton × cartons."),
    C.DIMENSION_INVALID: _("Not a valid carton dimension."),
    C.WEIGHT_INVALID: _("Not a valid weight in kg."),
    C.UNIT_INVALID: _("Not a valid unit."),
    C.CARTON_CONFLICT: _("The rows of one carton disagree on its size or weight."),
    C.SKU_TWICE_IN_CARTON: _("The SKU is in this carton twice."),
    C.TOO_MANY_CARTONS: _("Too many cartons."),
    C.EMPTY: _("The packing list has no rows."),
    C.SKU_UNKNOWN: _("No SKU of yours has this code or barcode."),
    C.SHIPMENT_INVALID: _("The shipment cannot take a packing list."),
    InboundErrorCode.COST_MISSING: _("The SKU has no purchase cost."),
    InboundErrorCode.DESTINATION_INVALID: _("The destination warehouse is not under an active agreement."),
    InboundErrorCode.CARTON_INVALID: _("Invalid carton."),
    InboundErrorCode.FIELD_INVALID: _("Invalid value."),
    InboundErrorCode.FIELD_REQUIRED: _("A value is required."),
}


def shipment_for(owner: Any, reference: str) -> tuple[InboundShipment | None, str]:
    """The seller's shipment named by number or id, and why it cannot take a packing list ("" if it can)."""
    if not isinstance(owner, Seller):
        return None, "only a seller imports packing lists"
    reference = (reference or "").strip()
    if not reference:
        return None, "name the draft shipment (its number, e.g. ASN-2026-000001)"
    rows = InboundShipment.objects.filter(seller=owner).select_related("warehouse")
    try:
        shipment = rows.filter(pk=uuid.UUID(reference)).first()
    except ValueError:
        shipment = rows.filter(number=reference.upper()).first()
    if shipment is None:
        return None, f"{owner.code} has no inbound shipment {reference}"
    if shipment.status != ShipmentStatus.DRAFT:
        return shipment, f"{shipment.number} is {shipment.status}: only a draft takes a packing list"
    return shipment, ""


def skus_resolve(seller: Seller, texts: Iterable[str]) -> dict[str, uuid.UUID]:
    """Each SKU text of the file → the seller's SKU with that code, else with that barcode."""
    wanted = set(texts)
    found = dict(Sku.objects.filter(seller=seller, code__in=wanted).values_list("code", "pk"))
    keys: dict[str, str] = {}
    for text in wanted - set(found):
        try:
            keys[barcode_check(text).key] = text
        except CatalogInvalid:
            continue
    if keys:
        for key, sku_id in Barcode.objects.filter(seller=seller, key__in=keys).values_list("key", "sku_id"):
            found[keys[key]] = sku_id
    return found


def _checked(
    context: ImportContext, table: MappedTable, progress: Progress
) -> tuple[list[Problem], PackingPlan | None, InboundShipment | None]:
    """Every problem of the file for the named draft, and what it would write (None when anything is wrong)."""
    problems: list[Problem] = []
    shipment, why = shipment_for(context.owner, context.options.get("shipment", ""))
    if why:
        problems.append(Problem(None, None, C.SHIPMENT_INVALID, why))
    progress(0, len(table.rows), "reading the packing list")
    packing = packing_list_read(table)
    problems += packing.problems
    progress(len(table.rows), len(table.rows), "checking the SKUs")
    sku_ids: dict[str, uuid.UUID] = {}
    if isinstance(context.owner, Seller) and packing.sku_rows:
        sku_ids = skus_resolve(context.owner, packing.sku_rows)
        problems += [
            Problem(
                row, "sku_code", C.SKU_UNKNOWN, f"{context.owner.code} has no SKU with code or barcode {text}"
            )
            for text, row in packing.sku_rows.items()
            if text not in sku_ids
        ]
    if problems or shipment is None:
        return problems, None, shipment
    plan = packing_list_spec(packing, sku_ids=sku_ids, current=spec_of(shipment))
    if plan.problems:
        return plan.problems, None, shipment
    try:
        document_check(shipment.seller, shipment.warehouse, plan.spec)
    except InboundInvalid as exc:
        return rule_problems(exc, plan), None, shipment
    return [], plan, shipment


def rule_problems(exc: InboundInvalid, plan: PackingPlan) -> list[Problem]:
    """The shipment rules' problems placed on the rows and columns of the file behind them."""
    out = []
    for problem in exc.problems:
        row, column = spec_problem_place(problem.field, plan)
        out.append(Problem(row, column, str(problem.code), problem.detail))
    return out


def inbound_packing_list_import(
    *, actor: Actor, shipment: InboundShipment, plan: PackingPlan, filename: str = ""
) -> InboundShipment:
    """Replace the draft's cartons and lines (and keep its customs lines of SKUs still shipped) with those of
    a checked packing list; compare-and-set on the version read when it was checked."""
    with transaction.atomic():
        updated = inbound_update(
            actor=actor,
            shipment=shipment,
            changes={
                "lines": plan.spec.lines,
                "cartons": plan.spec.cartons,
                "customs_lines": plan.spec.customs_lines,
            },
            version=shipment.version,
        )
        audit_record(
            actor=actor,
            action="inbound.packing_list_imported",
            subject=updated,
            after={"file": filename, **plan.counts},
            summary=f"{updated.number}: packing list {filename} — "
            + ", ".join(f"{v} {k}" for k, v in plan.counts.items()),
        )
    return updated


class PackingListImporter(Importer):
    kind = "inbound_packing_list"
    label = _("Inbound packing list")
    description = _(
        "The cartons of a draft inbound shipment as the supplier packed them: replaces its cartons and sets "
        "its lines' quantities (purchase costs of SKUs already on it are kept). Name the draft in the option "
        "shipment."
    )
    columns = COLUMNS
    permission = "inbound:write"
    party_kinds = ("seller",)
    options = (
        OptionSpec(
            "shipment",
            required=True,
            description=_("The draft shipment's number (e.g. ASN-2026-000001) or id."),
        ),
    )

    def problem_label(self, code: str) -> Any:
        return PROBLEM_LABELS.get(code)

    def options_problems(self, owner: Any, options: Mapping[str, str]) -> list[str]:
        _shipment, why = shipment_for(owner, options.get("shipment", ""))
        return [why] if why else []

    def validate(self, context: ImportContext, table: MappedTable, progress: Progress) -> Validation:
        problems, plan, _shipment = _checked(context, table, progress)
        return Validation(problems=problems, counts=plan.counts if plan else {})

    def apply(self, context: ImportContext, table: MappedTable, progress: Progress) -> dict[str, int]:
        problems, plan, shipment = _checked(context, table, progress)
        if problems or plan is None or shipment is None:
            raise RowsRejected(problems)
        try:
            inbound_packing_list_import(
                actor=context.actor, shipment=shipment, plan=plan, filename=context.filename
            )
        except InboundInvalid as exc:  # changed between the check and the write
            raise RowsRejected(rule_problems(exc, plan)) from exc
        return plan.counts


PACKING_LIST_IMPORTER = PackingListImporter()
