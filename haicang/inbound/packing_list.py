"""The rules of a supplier's packing list, read row by row. Pure: no Django.

A packing list names, per row, a carton number or a range of identical cartons (``1-20``), the SKU, the units
per carton, how many cartons, their dimensions and gross weight. :func:`packing_list_read` checks **every**
row and returns the cartons it describes (ranges expanded, rows naming the same carton merged into one mixed
carton) with every problem found — each naming its row and column. :func:`packing_list_spec` turns the
cartons into the lines, cartons and customs lines of a draft shipment. See docs/inbound.md, "Packing-list
import", and the ``inbound_packing_list`` import kind in ``importer.py``.

Units: dimensions are **centimetres** unless the row's ``dimension_unit`` or the column's header says
otherwise (``Length (mm)``, ``长(毫米)``) or the value carries its unit (``600mm``); they are kept in whole
millimetres (half a millimetre rounds up). Gross weight is **kilograms** per carton, kept in whole grams.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from haicang.core.money import Money
from haicang.exchange.mapping import MappedTable
from haicang.exchange.problems import Problem
from haicang.inbound.asn_rules import (
    MAX_CARTONS,
    AsnSpec,
    CartonSpec,
    ContentSpec,
    CustomsSpec,
    LineSpec,
)

DIMENSION_UNITS: dict[str, int] = {"cm": 10, "mm": 1, "厘米": 10, "公分": 10, "毫米": 1}  # → millimetres
WEIGHT_UNITS: dict[str, int] = {"kg": 1000, "kgs": 1000, "公斤": 1000, "千克": 1000}  # → grams
DEFAULT_DIMENSION_UNIT = "cm"
DIMENSIONS = ("carton_length", "carton_width", "carton_height")
MAX_DIMENSION_MM = 3000  # a carton longer than 3 m is a unit mistake (mm read as cm), not a carton
MAX_WEIGHT_G = 1_000_000  # 1 t
MAX_UNITS = 10_000_000


class PackingListCode(StrEnum):
    VALUE_REQUIRED = "packing_list.value_required"
    CARTON_NUMBER_INVALID = "packing_list.carton_number_invalid"
    CARTON_COUNT_MISMATCH = "packing_list.carton_count_mismatch"
    QUANTITY_INVALID = "packing_list.quantity_invalid"
    TOTAL_MISMATCH = "packing_list.total_mismatch"
    DIMENSION_INVALID = "packing_list.dimension_invalid"
    WEIGHT_INVALID = "packing_list.weight_invalid"
    UNIT_INVALID = "packing_list.unit_invalid"
    CARTON_CONFLICT = "packing_list.carton_conflict"
    SKU_TWICE_IN_CARTON = "packing_list.sku_twice_in_carton"
    TOO_MANY_CARTONS = "packing_list.too_many_cartons"
    EMPTY = "packing_list.empty"
    SKU_UNKNOWN = "packing_list.sku_unknown"
    SHIPMENT_INVALID = "packing_list.shipment_invalid"


C = PackingListCode


@dataclass
class PackedCarton:
    """One physical carton: its number, size and weight, and what it holds (the file's SKU text → units)."""

    number: int
    row: int  # the first row naming it
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    gross_weight_g: int | None = None
    contents: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # SKU text → the row that put it in

    @property
    def dimensions(self) -> tuple[int, int, int] | None:
        if self.length_mm is None or self.width_mm is None or self.height_mm is None:
            return None
        return (self.length_mm, self.width_mm, self.height_mm)


@dataclass
class PackingList:
    cartons: list[PackedCarton] = field(default_factory=list)  # by number
    sku_rows: dict[str, int] = field(default_factory=dict)  # each SKU text → its first row, in file order
    problems: list[Problem] = field(default_factory=list)

    @property
    def units(self) -> int:
        return sum(sum(c.contents.values()) for c in self.cartons)


# --- cells -------------------------------------------------------------------------------------------------
_RANGE = re.compile(r"^(?:#|no\.?\s*|c/?no\.?\s*)?(\d+)\s*(?:(?:-|~|～|–|—|至|到)\s*(?:#)?(\d+))?$", re.I)
_NUMBER = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([^\d\s.,]*)$")
_DIMS = re.compile(r"^(.+?)\s*[x×*＊X]\s*(.+?)\s*[x×*＊X]\s*(.+?)$")
_COUNT_WORDS = (
    "pcs",
    "pc",
    "units",
    "unit",
    "ctns",
    "ctn",
    "cartons",
    "carton",
    "件",
    "个",
    "只",
    "箱",
    "套",
)


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def carton_range(text: str) -> tuple[int, int] | None:
    """``"7"`` → (7, 7); ``"1-20"``, ``"1~20"``, ``"#1 - #20"``, ``"1至20"`` → (1, 20); None if not a range
    of carton numbers (the end before the start, a carton 0 and text are not)."""
    match = _RANGE.match(_text(text).lower())
    if match is None:
        return None
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) is not None else start
    if start < 1 or end < start:
        return None
    return start, end


def _number(text: str) -> tuple[Decimal, str] | None:
    """A non-negative decimal with an optional unit after it; thousands separators as in ``1,200``."""
    match = _NUMBER.match(_text(text).lower())
    if match is None:
        return None
    digits, unit = match.group(1), match.group(2)
    if "," in digits and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        return None
    try:
        return Decimal(digits.replace(",", "")), unit
    except InvalidOperation:
        return None


def whole_count(text: str) -> int | None:
    """A whole number above 0: ``24``, ``24.0``, ``1,200``, ``24 pcs``, ``24件``; None otherwise."""
    parsed = _number(text)
    if parsed is None:
        return None
    value, unit = parsed
    if unit and unit not in _COUNT_WORDS:
        return None
    if value != value.to_integral_value() or value < 1 or value > MAX_UNITS:
        return None
    return int(value)


def _unit_key(text: str) -> str:
    return _text(text).lower().strip("()[] ")


# --- reading every row -------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, table: MappedTable) -> None:
        self.table = table
        self.problems: list[Problem] = []

    def add(self, row: int | None, column: str | None, code: str, reason: str) -> None:
        self.problems.append(Problem(row, column, code, reason))

    def once(self, row: int, column: str, code: str, reason: str) -> None:
        """A problem of a row's cartons, said once for the row (a range repeats it for every carton)."""
        if not any(p.row == row and p.column == column and p.code == code for p in self.problems[-50:]):
            self.add(row, column, code, reason)

    def value(self, values: Mapping[str, str], name: str) -> str:
        return (values.get(name) or "").strip()

    def unit_check(self, row: int, values: Mapping[str, str]) -> None:
        """The row's ``dimension_unit``, once: a unit of length, and not against what a header says."""
        given = self.value(values, "dimension_unit")
        if not given:
            return
        unit = _unit_key(given)
        if unit not in DIMENSION_UNITS:
            self.add(
                row, "dimension_unit", C.UNIT_INVALID, f"{given!r} is not a unit of length: write cm or mm"
            )
            return
        for column in (*DIMENSIONS, "carton_dimensions"):
            header = self.table.units.get(column)
            if header and self.value(values, column) and DIMENSION_UNITS[header] != DIMENSION_UNITS[unit]:
                self.add(
                    row,
                    "dimension_unit",
                    C.UNIT_INVALID,
                    f"the row says {given} but the header {self.table.sources.get(column, column)!r} says {header}",
                )
                return

    def dimension_unit(self, values: Mapping[str, str], column: str) -> tuple[str | None, bool]:
        """The unit a dimension column is read in (None: the row's unit is wrong, said by ``unit_check``)
        and whether the file states it (the row or the header) rather than the default."""
        given = self.value(values, "dimension_unit")
        if given:
            unit = _unit_key(given)
            return (unit if unit in DIMENSION_UNITS else None), True
        header = self.table.units.get(column)
        if header:
            return header, True
        return DEFAULT_DIMENSION_UNIT, False

    def millimetres(self, row: int, column: str, text: str, unit: str, stated: bool) -> int | None:
        parsed = _number(text)
        if parsed is None or parsed[0] <= 0:
            self.add(row, column, C.DIMENSION_INVALID, f"{text!r} is not a length above 0 (e.g. 60 or 60.5)")
            return None
        value, own = parsed
        if own:
            if own not in DIMENSION_UNITS:
                self.add(row, column, C.UNIT_INVALID, f"{own!r} is not a unit of length: write cm or mm")
                return None
            if stated and DIMENSION_UNITS[own] != DIMENSION_UNITS[unit]:
                self.add(row, column, C.UNIT_INVALID, f"the value says {own} but the file says {unit}")
                return None
            unit = own
        mm = int((value * DIMENSION_UNITS[unit]).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if mm < 1:
            self.add(row, column, C.DIMENSION_INVALID, f"{text!r} {unit} is less than 1 mm")
            return None
        if mm > MAX_DIMENSION_MM:
            self.add(
                row,
                column,
                C.DIMENSION_INVALID,
                f"{text} {unit} is more than {MAX_DIMENSION_MM // 1000} m: is the unit right? "
                "(dimensions are read in cm unless the file says mm)",
            )
            return None
        return mm

    def dimensions(self, row: int, values: Mapping[str, str]) -> tuple[int | None, ...] | None:
        """(length, width, height) in mm, all None when the row gives none; None when they are wrong."""
        combined = self.value(values, "carton_dimensions")
        separate = {name: self.value(values, name) for name in DIMENSIONS}
        if combined and any(separate.values()):
            self.add(
                row,
                "carton_dimensions",
                C.DIMENSION_INVALID,
                "give the dimensions either as L×W×H or in the length, width and height columns, not both",
            )
            return None
        if combined:
            match = _DIMS.match(_text(combined))
            if match is None:
                self.add(
                    row,
                    "carton_dimensions",
                    C.DIMENSION_INVALID,
                    f"{combined!r} is not length × width × height (e.g. 60x40x35 or 600*400*350mm)",
                )
                return None
            parts = [match.group(i).strip() for i in (1, 2, 3)]
            last = _number(parts[2])
            if last is not None and last[1]:  # "60x40x35cm": the unit at the end is the three's
                parts = [p if (n := _number(p)) is None or n[1] else f"{p}{last[1]}" for p in parts]
            unit, stated = self.dimension_unit(values, "carton_dimensions")
            if unit is None:
                return None
            combined_mm = [self.millimetres(row, "carton_dimensions", p, unit, stated) for p in parts]
            return tuple(combined_mm) if all(v is not None for v in combined_mm) else None
        if not any(separate.values()):
            return (None, None, None)
        missing = [name for name, text in separate.items() if not text]
        if missing:
            for name in missing:
                self.add(
                    row, name, C.VALUE_REQUIRED, "give a carton's length, width and height, or none of them"
                )
            return None
        found: list[int | None] = []
        for name, text in separate.items():
            unit, stated = self.dimension_unit(values, name)
            if unit is None:
                return None
            found.append(self.millimetres(row, name, text, unit, stated))
        return tuple(found) if all(v is not None for v in found) else None

    def grams(self, row: int, values: Mapping[str, str]) -> tuple[bool, int | None]:
        """(ok, gross weight in g or None when the row gives none)."""
        text = self.value(values, "gross_weight_kg")
        if not text:
            return True, None
        parsed = _number(text)
        if parsed is None or parsed[0] <= 0 or (parsed[1] and parsed[1] not in WEIGHT_UNITS):
            self.add(
                row,
                "gross_weight_kg",
                C.WEIGHT_INVALID,
                f"{text!r} is not a weight in kg above 0 (e.g. 12.5)",
            )
            return False, None
        grams = int((parsed[0] * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if grams > MAX_WEIGHT_G:
            self.add(
                row,
                "gross_weight_kg",
                C.WEIGHT_INVALID,
                f"{text} kg is more than {MAX_WEIGHT_G // 1000} kg for one carton: is the unit right?",
            )
            return False, None
        return True, max(grams, 1)


def packing_list_read(table: MappedTable) -> PackingList:
    """Every row checked; the cartons the file describes and every problem (row, column, code, reason).

    Ranges are expanded into identical cartons; rows naming the same carton number merge into one carton
    (a mixed carton: its size and weight given once, or the same on each row). Without a ``carton_no``
    column the cartons are numbered in file order, ``carton_count`` (default 1) per row."""
    reader = _Reader(table)
    out = PackingList()
    cartons: dict[int, PackedCarton] = {}
    numbered = table.has("carton_no")
    next_number = 1
    expanded = 0
    for mapped in table.rows:
        row, values = mapped.row, mapped.values
        sku = reader.value(values, "sku_code")
        if not sku:
            reader.add(row, "sku_code", C.VALUE_REQUIRED, "name the SKU")
        per_carton_text = reader.value(values, "qty_per_carton")
        per_carton = whole_count(per_carton_text) if per_carton_text else None
        if not per_carton_text:
            reader.add(row, "qty_per_carton", C.VALUE_REQUIRED, "give the units in each carton")
        elif per_carton is None:
            reader.add(
                row,
                "qty_per_carton",
                C.QUANTITY_INVALID,
                f"{per_carton_text!r} is not a whole number of units above 0",
            )
        count_text = reader.value(values, "carton_count")
        count = whole_count(count_text) if count_text else None
        if count_text and count is None:
            reader.add(
                row,
                "carton_count",
                C.QUANTITY_INVALID,
                f"{count_text!r} is not a whole number of cartons above 0",
            )
        span: tuple[int, int] | None = None
        if numbered:
            number_text = reader.value(values, "carton_no")
            if not number_text:
                reader.add(row, "carton_no", C.VALUE_REQUIRED, "give the carton number or a range like 1-20")
            elif (span := carton_range(number_text)) is None:
                reader.add(
                    row,
                    "carton_no",
                    C.CARTON_NUMBER_INVALID,
                    f"{number_text!r} is not a carton number or a range like 1-20 (the first one first)",
                )
            elif count is not None and count != span[1] - span[0] + 1:
                size = span[1] - span[0] + 1
                reader.add(
                    row,
                    "carton_count",
                    C.CARTON_COUNT_MISMATCH,
                    f"cartons {number_text} are {size} carton{'s' if size != 1 else ''}, "
                    f"but the carton count says {count}",
                )
                span = None
        elif not count_text or count is not None:
            span = (next_number, next_number + (count or 1) - 1)
            next_number = span[1] + 1
        cartons_here = (span[1] - span[0] + 1) if span else (count or 1)
        total_text = reader.value(values, "total_quantity")
        if total_text and per_carton is not None:
            total = whole_count(total_text)
            if total is None:
                reader.add(
                    row,
                    "total_quantity",
                    C.QUANTITY_INVALID,
                    f"{total_text!r} is not a whole number of units",
                )
            elif total != per_carton * cartons_here:
                reader.add(
                    row,
                    "total_quantity",
                    C.TOTAL_MISMATCH,
                    f"{per_carton} units × {cartons_here} carton{'s' if cartons_here != 1 else ''} "
                    f"are {per_carton * cartons_here}, not {total}",
                )
        reader.unit_check(row, values)
        dims = reader.dimensions(row, values)
        weight_ok, weight = reader.grams(row, values)
        if span is not None and span[1] - span[0] + 1 > MAX_CARTONS:
            reader.add(
                row, "carton_no", C.TOO_MANY_CARTONS, f"a shipment has at most {MAX_CARTONS:,} cartons"
            )
            span = None
        if sku and sku not in out.sku_rows:
            out.sku_rows[sku] = row
        if span is None or not sku or per_carton is None or dims is None or not weight_ok:
            continue
        expanded += span[1] - span[0] + 1
        if expanded > MAX_CARTONS:
            continue  # said once, below
        dims_column = "carton_dimensions" if reader.value(values, "carton_dimensions") else "carton_length"
        for number in range(span[0], span[1] + 1):
            _carton_add(reader, cartons, number, row, sku, per_carton, dims, weight, dims_column)
    if not table.rows:
        reader.add(None, None, C.EMPTY, "the packing list has no rows below the header")
    if expanded > MAX_CARTONS:
        reader.add(
            None,
            "carton_no",
            C.TOO_MANY_CARTONS,
            f"the file describes {expanded:,} cartons; a shipment has at most {MAX_CARTONS:,}",
        )
    out.cartons = [cartons[n] for n in sorted(cartons)]
    out.problems = reader.problems
    return out


def _carton_add(
    reader: _Reader,
    cartons: dict[int, PackedCarton],
    number: int,
    row: int,
    sku: str,
    quantity: int,
    dims: tuple[int | None, ...],
    weight: int | None,
    dims_column: str = "carton_length",
) -> None:
    carton = cartons.get(number)
    if carton is None:
        cartons[number] = PackedCarton(
            number, row, dims[0], dims[1], dims[2], weight, contents={sku: quantity}, rows={sku: row}
        )
        return
    if sku in carton.contents:
        reader.once(
            row,
            "sku_code",
            C.SKU_TWICE_IN_CARTON,
            f"{sku} is in carton {number} already (row {carton.rows[sku]}): one row per SKU and carton",
        )
        return
    carton.contents[sku], carton.rows[sku] = quantity, row
    if dims[0] is not None:
        if carton.dimensions is None:
            carton.length_mm, carton.width_mm, carton.height_mm = dims[0], dims[1], dims[2]
        elif carton.dimensions != tuple(dims):
            reader.once(
                row,
                dims_column,
                C.CARTON_CONFLICT,
                f"carton {number} is {_dims_text(carton.dimensions)} on row {carton.row}, "
                f"{_dims_text(dims)} here: give a mixed carton's size once, or the same",
            )
    if weight is not None:
        if carton.gross_weight_g is None:
            carton.gross_weight_g = weight
        elif carton.gross_weight_g != weight:
            reader.once(
                row,
                "gross_weight_kg",
                C.CARTON_CONFLICT,
                f"carton {number} weighs {carton.gross_weight_g / 1000:g} kg on row {carton.row}, "
                f"{weight / 1000:g} kg here: give a mixed carton's weight once (on one row), or the same",
            )


def _dims_text(dims: Sequence[int | None]) -> str:
    return "×".join(str(d) for d in dims) + " mm"


# --- the shipment it describes -----------------------------------------------------------------------------
@dataclass
class PackingPlan:
    spec: AsnSpec
    line_rows: list[int]  # lines.N → the row of its SKU's first appearance
    carton_rows: list[int]  # cartons.N → the row that first named it
    units: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"cartons": len(self.spec.cartons), "lines": len(self.spec.lines), "units": self.units}


def packing_list_spec(
    packing: PackingList, *, sku_ids: Mapping[str, uuid.UUID], current: AsnSpec
) -> PackingPlan:
    """The draft ``current`` with the packing list's cartons and the lines they add up to.

    ``sku_ids`` maps each SKU text of the file to the seller's SKU (by code or barcode). Lines are the SKUs in
    the order the file first names them, each with the units of every carton; a SKU already on the draft
    keeps its purchase cost, a new one takes the SKU's (``purchase_cost`` None). Customs lines of SKUs still
    shipped are kept — when a quantity changed, the declared value keeps its value per unit — and those of
    SKUs no longer shipped are dropped. The header and the freight costs stay as they are."""
    problems: list[Problem] = []
    totals: dict[uuid.UUID, int] = {}
    first_row: dict[uuid.UUID, int] = {}
    for text, row in packing.sku_rows.items():
        sku_id = sku_ids.get(text)
        if sku_id is not None and sku_id not in first_row:
            first_row[sku_id] = row
    cartons: list[CartonSpec] = []
    carton_rows: list[int] = []
    for carton in packing.cartons:
        contents: dict[uuid.UUID, int] = {}
        for text, quantity in carton.contents.items():
            sku_id = sku_ids.get(text)
            if sku_id is None:
                continue
            if sku_id in contents:
                problems.append(
                    Problem(
                        carton.rows[text],
                        "sku_code",
                        C.SKU_TWICE_IN_CARTON,
                        f"{text} is the same SKU as another row of carton {carton.number} (by code and barcode)",
                    )
                )
                continue
            contents[sku_id] = quantity
            totals[sku_id] = totals.get(sku_id, 0) + quantity
        if not contents:
            continue
        cartons.append(
            CartonSpec(
                number=carton.number,
                contents=[ContentSpec(sku_id, quantity) for sku_id, quantity in contents.items()],
                length_mm=carton.length_mm,
                width_mm=carton.width_mm,
                height_mm=carton.height_mm,
                gross_weight_g=carton.gross_weight_g,
            )
        )
        carton_rows.append(carton.row)
    costs = {line.sku: line.purchase_cost for line in current.lines}
    before = {line.sku: line.quantity for line in current.lines}
    order = sorted(totals, key=lambda sku_id: first_row.get(sku_id, 0))
    lines = [LineSpec(sku_id, totals[sku_id], costs.get(sku_id)) for sku_id in order]
    customs: list[CustomsSpec] = []
    for line in current.customs_lines:
        if not isinstance(line.sku, uuid.UUID) or line.sku not in totals:
            continue  # the draft names its SKUs by id (``spec_of``)
        value = line.declared_value
        old, new = before.get(line.sku), totals[line.sku]
        if value is not None and isinstance(old, int) and old > 0 and old != new:
            value = Money(
                (value.amount * new / old).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), value.currency
            )
        customs.append(CustomsSpec(line.sku, line.hs_code, line.origin_country, value))
    spec = AsnSpec(
        mode=current.mode,
        origin_country=current.origin_country,
        reference=current.reference,
        carrier=current.carrier,
        origin_city=current.origin_city,
        origin_port=current.origin_port,
        container_number=current.container_number,
        bill_of_lading=current.bill_of_lading,
        air_waybill=current.air_waybill,
        etd=current.etd,
        eta=current.eta,
        note=current.note,
        lines=lines,
        cartons=cartons,
        customs_lines=customs,
        costs=current.costs,
    )
    return PackingPlan(
        spec=spec,
        line_rows=[first_row.get(sku_id, 0) for sku_id in order],
        carton_rows=carton_rows,
        units=sum(totals.values()),
        problems=problems,
    )


def spec_problem_place(path: str | None, plan: PackingPlan) -> tuple[int | None, str | None]:
    """The row and column of the file behind a shipment rule's problem path (``lines.2.purchase_cost`` → the
    row that first names that SKU); (None, None) for the shipment as a whole."""
    parts = (path or "").split(".")
    if len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        if parts[0] == "lines" and index < len(plan.line_rows):
            return plan.line_rows[index] or None, "sku_code"
        if parts[0] == "cartons" and index < len(plan.carton_rows):
            column = {
                "length_mm": "carton_length",
                "width_mm": "carton_width",
                "height_mm": "carton_height",
                "gross_weight_g": "gross_weight_kg",
            }.get(parts[2] if len(parts) > 2 else "", "carton_no")
            if len(parts) > 2 and parts[2] == "contents":
                column = "sku_code"
            return plan.carton_rows[index], column
    return None, None
