"""The rules of an inbound shipment document (the ASN), checked all at once. Pure: no Django.

:func:`asn_check` takes the document as the caller gave it (:class:`AsnSpec`) and what the catalogue knows of
its SKUs, and returns the normalised document — or raises :class:`~haicang.inbound.errors.InboundInvalid`
listing **every** problem with a dotted path into the document (``lines.2.quantity``,
``cartons.0.contents.1.sku``), never just the first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from haicang.catalog.errors import CatalogInvalid
from haicang.catalog.identifiers import hs_code_check
from haicang.core.countries import CountryUnknown, country_check
from haicang.core.money import Money
from haicang.inbound.errors import FieldProblem, InboundErrorCode, InboundInvalid
from haicang.inbound.landed_cost import DEFAULT_BASIS, Basis, CostKind

MODES = ("sea_fcl", "sea_lcl", "air", "rail", "express")
MAX_LINES = 2000
MAX_CARTONS = 5000
TEXT_LIMITS = {
    "reference": 64,
    "carrier": 100,
    "origin_city": 100,
    "origin_port": 100,
    "container_number": 20,
    "bill_of_lading": 40,
    "air_waybill": 20,
    "note": 500,
}
SkuRef = str | uuid.UUID  # a SKU's code, or its id


@dataclass(frozen=True)
class LineSpec:
    sku: SkuRef
    quantity: object
    purchase_cost: Money | None = None


@dataclass(frozen=True)
class ContentSpec:
    sku: SkuRef
    quantity: object


@dataclass(frozen=True)
class CartonSpec:
    number: object
    contents: Sequence[ContentSpec]
    length_mm: object = None
    width_mm: object = None
    height_mm: object = None
    gross_weight_g: object = None


@dataclass(frozen=True)
class CustomsSpec:
    sku: SkuRef
    hs_code: str | None = None
    origin_country: str | None = None
    declared_value: Money | None = None


@dataclass(frozen=True)
class CostSpec:
    kind: str
    amount: Money
    basis: str | None = None
    note: str = ""


@dataclass(frozen=True)
class AsnSpec:
    mode: str
    origin_country: str
    reference: str = ""
    carrier: str = ""
    origin_city: str = ""
    origin_port: str = ""
    container_number: str = ""
    bill_of_lading: str = ""
    air_waybill: str = ""
    etd: dt.date | None = None
    eta: dt.date | None = None
    note: str = ""
    lines: Sequence[LineSpec] = ()
    cartons: Sequence[CartonSpec] = ()
    customs_lines: Sequence[CustomsSpec] = ()
    costs: Sequence[CostSpec] = ()


@dataclass(frozen=True)
class SkuFacts:
    """What the rules need of a catalogue SKU."""

    id: uuid.UUID
    code: str
    purchase_cost: Money | None = None
    hs_code: str = ""
    origin_country: str = ""
    declared_value: Money | None = None


@dataclass(frozen=True)
class CheckedLine:
    sku: SkuFacts
    quantity: int
    purchase_cost: Money


@dataclass(frozen=True)
class CheckedCarton:
    number: int
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    gross_weight_g: int | None
    contents: tuple[tuple[SkuFacts, int], ...]


@dataclass(frozen=True)
class CheckedCustoms:
    sku: SkuFacts
    hs_code: str
    origin_country: str
    declared_value: Money


@dataclass(frozen=True)
class CheckedCost:
    kind: str
    amount: Money
    basis: str
    note: str


@dataclass
class CheckedAsn:
    header: dict[str, object]
    lines: list[CheckedLine] = field(default_factory=list)
    cartons: list[CheckedCarton] = field(default_factory=list)
    customs_lines: list[CheckedCustoms] = field(default_factory=list)
    costs: list[CheckedCost] = field(default_factory=list)


class _Problems:
    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, path: str | None, code: str, detail: str) -> None:
        self.items.append(FieldProblem(path, code, detail))


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _optional_positive(value: object, path: str, problems: _Problems, what: str) -> int | None:
    if value is None:
        return None
    checked = _positive_int(value)
    if checked is None:
        problems.add(
            path, InboundErrorCode.CARTON_INVALID, f"{what} is a whole number above 0, not {value!r}"
        )
    return checked


def _too_fine(money: Money, places: int) -> bool:
    exponent = money.amount.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent < -places


def _sku(ref: SkuRef, skus: Mapping[SkuRef, SkuFacts], path: str, problems: _Problems) -> SkuFacts | None:
    found = skus.get(ref)
    if found is None:
        problems.add(path, InboundErrorCode.SKU_UNKNOWN, f"the seller has no SKU {ref}")
    return found


def asn_check(
    spec: AsnSpec,
    *,
    skus: Mapping[SkuRef, SkuFacts],
    destination_problem: str | None,
    require_lines: bool = False,
) -> CheckedAsn:
    """The normalised document, or InboundInvalid listing every problem. ``skus`` maps each code and id the
    seller owns (of those the document names) to its facts; ``destination_problem`` says why the warehouse may
    not receive this seller's goods (no active agreement), or None."""
    problems = _Problems()
    header = _check_header(spec, problems)
    if destination_problem:
        problems.add("warehouse", InboundErrorCode.DESTINATION_INVALID, destination_problem)
    out = CheckedAsn(header=header)
    line_by_sku = _check_lines(spec, skus, problems, out, require_lines=require_lines)
    _check_cartons(spec, skus, problems, out, line_by_sku)
    _check_customs(spec, skus, problems, out, line_by_sku, header.get("origin_country"))
    _check_costs(spec, problems, out)
    if problems.items:
        raise InboundInvalid(problems.items)
    return out


def _check_header(spec: AsnSpec, problems: _Problems) -> dict[str, object]:
    header: dict[str, object] = {}
    if spec.mode not in MODES:
        problems.add("mode", InboundErrorCode.FIELD_INVALID, f"mode is one of {', '.join(MODES)}")
    header["mode"] = spec.mode
    try:
        header["origin_country"] = country_check(spec.origin_country or "", field="origin_country")
    except CountryUnknown as exc:
        problems.add("origin_country", InboundErrorCode.FIELD_INVALID, exc.detail)
    for name, limit in TEXT_LIMITS.items():
        value = getattr(spec, name)
        if not isinstance(value, str):
            problems.add(name, InboundErrorCode.FIELD_INVALID, f"{name} is text")
            continue
        value = value.strip()
        if len(value) > limit:
            problems.add(name, InboundErrorCode.FIELD_INVALID, f"{name} has more than {limit} characters")
        header[name] = value
    if spec.container_number:
        header["container_number"] = spec.container_number.strip().upper().replace(" ", "")
    if spec.etd and spec.eta and spec.eta < spec.etd:
        problems.add("eta", InboundErrorCode.FIELD_INVALID, "the ETA is before the ETD")
    header["etd"], header["eta"] = spec.etd, spec.eta
    return header


def _check_lines(
    spec: AsnSpec,
    skus: Mapping[SkuRef, SkuFacts],
    problems: _Problems,
    out: CheckedAsn,
    *,
    require_lines: bool,
) -> dict[uuid.UUID, CheckedLine]:
    if require_lines and not spec.lines:
        problems.add("lines", InboundErrorCode.FIELD_REQUIRED, "a shipment has at least one line")
    if len(spec.lines) > MAX_LINES:
        problems.add("lines", InboundErrorCode.FIELD_INVALID, f"a shipment has at most {MAX_LINES} lines")
    by_sku: dict[uuid.UUID, CheckedLine] = {}
    for i, line in enumerate(spec.lines):
        path = f"lines.{i}"
        sku = _sku(line.sku, skus, f"{path}.sku", problems)
        quantity = _positive_int(line.quantity)
        if quantity is None:
            problems.add(
                f"{path}.quantity",
                InboundErrorCode.QUANTITY_INVALID,
                f"a quantity is a whole number above 0, not {line.quantity!r}",
            )
        cost = line.purchase_cost if line.purchase_cost is not None else (sku.purchase_cost if sku else None)
        if cost is None and sku is not None:
            problems.add(
                f"{path}.purchase_cost",
                InboundErrorCode.COST_MISSING,
                f"{sku.code} has no purchase cost: give one on the line or on the SKU",
            )
        elif cost is not None and cost.is_negative():
            problems.add(f"{path}.purchase_cost", InboundErrorCode.FIELD_INVALID, "a cost is not negative")
        elif cost is not None and _too_fine(cost, 6):
            problems.add(
                f"{path}.purchase_cost", InboundErrorCode.FIELD_INVALID, "a unit cost has at most 6 decimals"
            )
        if sku is None:
            continue
        if sku.id in by_sku:
            problems.add(f"{path}.sku", InboundErrorCode.SKU_DUPLICATE, f"{sku.code} is on an earlier line")
            continue
        if quantity is not None and cost is not None:
            checked = CheckedLine(sku=sku, quantity=quantity, purchase_cost=cost)
            by_sku[sku.id] = checked
            out.lines.append(checked)
        else:
            by_sku[sku.id] = CheckedLine(sku=sku, quantity=0, purchase_cost=Money.zero("USD"))
    return by_sku


def _check_cartons(
    spec: AsnSpec,
    skus: Mapping[SkuRef, SkuFacts],
    problems: _Problems,
    out: CheckedAsn,
    line_by_sku: Mapping[uuid.UUID, CheckedLine],
) -> None:
    if len(spec.cartons) > MAX_CARTONS:
        problems.add(
            "cartons", InboundErrorCode.FIELD_INVALID, f"a shipment has at most {MAX_CARTONS} cartons"
        )
    numbers: set[int] = set()
    packed: dict[uuid.UUID, int] = defaultdict(int)
    for i, carton in enumerate(spec.cartons):
        path = f"cartons.{i}"
        number = _positive_int(carton.number)
        if number is None:
            problems.add(
                f"{path}.number", InboundErrorCode.CARTON_INVALID, "a carton number is a whole number above 0"
            )
        elif number in numbers:
            problems.add(f"{path}.number", InboundErrorCode.CARTON_INVALID, f"carton {number} appears twice")
        else:
            numbers.add(number)
        dims = [
            _optional_positive(getattr(carton, name), f"{path}.{name}", problems, name)
            for name in ("length_mm", "width_mm", "height_mm")
        ]
        given = [getattr(carton, name) is not None for name in ("length_mm", "width_mm", "height_mm")]
        if any(given) and not all(given):
            problems.add(path, InboundErrorCode.CARTON_INVALID, "give a carton's three dimensions, or none")
        weight = _optional_positive(
            carton.gross_weight_g, f"{path}.gross_weight_g", problems, "gross_weight_g"
        )
        if not carton.contents:
            problems.add(
                f"{path}.contents", InboundErrorCode.CARTON_INVALID, "a carton holds at least one SKU"
            )
        contents: list[tuple[SkuFacts, int]] = []
        seen: set[uuid.UUID] = set()
        for j, content in enumerate(carton.contents):
            cpath = f"{path}.contents.{j}"
            sku = _sku(content.sku, skus, f"{cpath}.sku", problems)
            quantity = _positive_int(content.quantity)
            if quantity is None:
                problems.add(
                    f"{cpath}.quantity",
                    InboundErrorCode.QUANTITY_INVALID,
                    f"a quantity is a whole number above 0, not {content.quantity!r}",
                )
            if sku is None:
                continue
            if sku.id not in line_by_sku:
                problems.add(
                    f"{cpath}.sku",
                    InboundErrorCode.CARTONS_INCONSISTENT,
                    f"{sku.code} is in a carton but on no line",
                )
            if sku.id in seen:
                problems.add(
                    f"{cpath}.sku",
                    InboundErrorCode.CARTON_INVALID,
                    f"{sku.code} is listed twice in the carton",
                )
            seen.add(sku.id)
            if quantity is not None:
                packed[sku.id] += quantity
                contents.append((sku, quantity))
        if number is not None:
            out.cartons.append(CheckedCarton(number, dims[0], dims[1], dims[2], weight, tuple(contents)))
    if spec.cartons:
        for sku_id, line in line_by_sku.items():
            if line.quantity and packed.get(sku_id, 0) != line.quantity:
                problems.add(
                    "cartons",
                    InboundErrorCode.CARTONS_INCONSISTENT,
                    f"{line.sku.code}: the lines say {line.quantity}, the cartons hold {packed.get(sku_id, 0)}",
                )


def _check_customs(
    spec: AsnSpec,
    skus: Mapping[SkuRef, SkuFacts],
    problems: _Problems,
    out: CheckedAsn,
    line_by_sku: Mapping[uuid.UUID, CheckedLine],
    origin: object,
) -> None:
    seen: set[uuid.UUID] = set()
    for i, customs in enumerate(spec.customs_lines):
        path = f"customs_lines.{i}"
        sku = _sku(customs.sku, skus, f"{path}.sku", problems)
        if sku is None:
            continue
        if sku.id in seen:
            problems.add(f"{path}.sku", InboundErrorCode.SKU_DUPLICATE, f"{sku.code} is declared twice")
        seen.add(sku.id)
        line = line_by_sku.get(sku.id)
        if line is None:
            problems.add(f"{path}.sku", InboundErrorCode.SKU_UNKNOWN, f"{sku.code} is on no line")
        hs_code = ""
        try:
            hs_code = hs_code_check(
                customs.hs_code if customs.hs_code is not None else sku.hs_code, field=f"{path}.hs_code"
            )
        except CatalogInvalid as exc:
            problems.add(f"{path}.hs_code", InboundErrorCode.FIELD_INVALID, exc.detail)
        else:
            if not hs_code:
                problems.add(f"{path}.hs_code", InboundErrorCode.FIELD_REQUIRED, f"{sku.code} has no HS code")
        country = customs.origin_country or sku.origin_country or (origin if isinstance(origin, str) else "")
        try:
            country = country_check(country, field=f"{path}.origin_country")
        except CountryUnknown as exc:
            problems.add(f"{path}.origin_country", InboundErrorCode.FIELD_INVALID, exc.detail)
        value = customs.declared_value
        if value is None and sku.declared_value is not None:
            if line is None or not line.quantity:
                continue  # the line's own problem is listed already
            value = sku.declared_value * line.quantity
        if value is None:
            problems.add(
                f"{path}.declared_value", InboundErrorCode.FIELD_REQUIRED, f"{sku.code} has no declared value"
            )
        elif value.is_negative() or _too_fine(value, 4):
            problems.add(
                f"{path}.declared_value",
                InboundErrorCode.FIELD_INVALID,
                "a declared value is not negative and has at most 4 decimals",
            )
        else:
            out.customs_lines.append(CheckedCustoms(sku, hs_code, str(country), value))


def _check_costs(spec: AsnSpec, problems: _Problems, out: CheckedAsn) -> None:
    kinds = {k.value for k in CostKind}
    bases = {b.value for b in Basis}
    for i, cost in enumerate(spec.costs):
        path = f"costs.{i}"
        ok = True
        if cost.kind not in kinds:
            problems.add(
                f"{path}.kind", InboundErrorCode.FIELD_INVALID, f"kind is one of {', '.join(sorted(kinds))}"
            )
            ok = False
        basis = cost.basis or DEFAULT_BASIS.get(cost.kind, Basis.VALUE)
        if basis not in bases:
            problems.add(
                f"{path}.basis", InboundErrorCode.FIELD_INVALID, f"basis is one of {', '.join(sorted(bases))}"
            )
            ok = False
        if cost.amount.is_negative() or _too_fine(cost.amount, 4):
            problems.add(
                f"{path}.amount",
                InboundErrorCode.FIELD_INVALID,
                "a cost is not negative and has at most 4 decimals",
            )
            ok = False
        if len(cost.note or "") > 200:
            problems.add(f"{path}.note", InboundErrorCode.FIELD_INVALID, "a note has at most 200 characters")
            ok = False
        if ok:
            out.costs.append(CheckedCost(cost.kind, cost.amount, str(basis), (cost.note or "").strip()))


def costs_check(costs: Sequence[CostSpec]) -> list[CheckedCost]:
    """The freight costs alone, checked (``costs.N.field`` paths); raises InboundInvalid listing every problem."""
    problems = _Problems()
    out = CheckedAsn(header={})
    _check_costs(AsnSpec(mode="", origin_country="", costs=costs), problems, out)
    if problems.items:
        raise InboundInvalid(problems.items)
    return out.costs
