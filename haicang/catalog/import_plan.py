"""Validate a whole catalogue file against the seller's catalogue and plan its writes. Pure: no Django.

The rules between rows and against what exists: a SKU code once per file; a new SKU has a name; a barcode on
one SKU of the seller only (after the import: a barcode may move between two SKUs of the same file); one SKU
per product, colour and size; kits of existing or imported plain SKUs, never of themselves or of kits; the
product fields of a style agree across its rows. Every problem is reported with its row and column; the plan
lists only what changes, so importing a file that was just exported writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from haicang.catalog.columns import COLUMN_NAMES, Header, RowValues
from haicang.catalog.errors import CatalogErrorCode, CatalogInvalid, Problem
from haicang.catalog.identifiers import BarcodeValue
from haicang.catalog.sku_fields import SKU_FIELD_RULES, empty_value, record_check


@dataclass(frozen=True)
class KnownSku:
    """An existing SKU of the seller, as the plan needs it."""

    code: str
    values: dict[str, Any]
    style_code: str | None = None
    barcodes: dict[str, str] = field(default_factory=dict)  # key → value as printed
    components: dict[str, int] = field(default_factory=dict)  # component code → quantity
    in_kits: frozenset[str] = frozenset()  # codes of the kits that contain it


@dataclass
class Snapshot:
    """What exists of the seller's catalogue, for the SKUs, styles and barcodes the file names."""

    seller_code: str
    skus: dict[str, KnownSku] = field(default_factory=dict)
    products: dict[str, dict[str, str]] = field(default_factory=dict)  # style → product fields
    variants: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (style, colour, size) → code
    barcode_owners: dict[str, str] = field(default_factory=dict)  # barcode key → SKU code


@dataclass
class SkuPlan:
    row: int
    code: str
    values: dict[str, Any]
    style_code: str | None
    barcodes: list[BarcodeValue] | None = None  # None: unchanged
    kit: dict[str, int] | None = None  # None: unchanged
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    creates: list[SkuPlan] = field(default_factory=list)
    updates: list[SkuPlan] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    products_new: dict[str, dict[str, str]] = field(default_factory=dict)
    products_changed: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.creates) + len(self.updates) + len(self.unchanged)


@dataclass
class _Final:
    row: RowValues
    values: dict[str, Any]
    style: str | None
    known: KnownSku | None


def _order(problem: Problem) -> tuple[int, int, str]:
    column = problem.column or ""
    position = COLUMN_NAMES.index(column) if column in COLUMN_NAMES else len(COLUMN_NAMES)
    return (problem.row or 0, position, column)


def problems_sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=_order)


def import_plan(
    rows: list[RowValues], header: Header, snapshot: Snapshot, *, invalid: Mapping[int, set[str]]
) -> tuple[Plan, list[Problem]]:
    """Check ``rows`` together and against ``snapshot``. ``invalid`` maps the rows that already have problems
    to their bad columns; a row whose ``sku_code`` is bad takes no part in the checks between rows."""
    problems: list[Problem] = []
    finals: dict[str, _Final] = {}
    first_row: dict[str, int] = {}
    for values in rows:
        code = values.code
        if not code or "sku_code" in invalid.get(values.row, ()):
            continue
        if code in first_row:
            problems.append(
                Problem(
                    values.row,
                    "sku_code",
                    CatalogErrorCode.ROW_DUPLICATE,
                    f"SKU {code} is also on row {first_row[code]}",
                )
            )
            continue
        first_row[code] = values.row
        if values.seller_code and values.seller_code != snapshot.seller_code:
            problems.append(
                Problem(
                    values.row,
                    "seller_code",
                    CatalogErrorCode.SELLER_MISMATCH,
                    f"this file is imported for seller {snapshot.seller_code}, not {values.seller_code}",
                )
            )
        known = snapshot.skus.get(code)
        final = dict(known.values) if known else {n: empty_value(r) for n, r in SKU_FIELD_RULES.items()}
        final.update(values.fields)
        if known is None and "name_en" not in values.fields and not header.has("name_en"):
            problems.append(
                Problem(
                    values.row,
                    "name_en",
                    CatalogErrorCode.FIELD_REQUIRED,
                    "name_en is required for a new SKU",
                )
            )
        if values.row not in invalid:
            try:
                record_check(final)
            except CatalogInvalid as exc:
                problems.append(Problem(values.row, exc.field, str(exc.code), exc.detail))
        style = values.style_code if values.style_code is not None else (known.style_code if known else None)
        finals[code] = _Final(row=values, values=final, style=style or None, known=known)

    products_new, products_changed = _products(finals, snapshot, problems)
    _barcodes(finals, snapshot, problems)
    _kits(finals, snapshot, problems)
    _variants(finals, snapshot, problems)
    problems = problems_sorted(problems)
    if problems or invalid:
        return Plan(), problems
    plan = Plan(products_new=products_new, products_changed=products_changed)
    for code, planned in finals.items():
        _plan_sku(plan, code, planned)
    return plan, problems


def _products(
    finals: dict[str, _Final], snapshot: Snapshot, problems: list[Problem]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    seen: dict[str, dict[str, tuple[str, int]]] = {}
    new: dict[str, dict[str, str]] = {}
    changed: dict[str, dict[str, str]] = {}
    for final in finals.values():
        style, row = final.style, final.row
        if style is None or row.style_code is None:
            continue
        agreed = seen.setdefault(style, {})
        for name, value in row.product.items():
            if name in agreed and agreed[name][0] != value:
                problems.append(
                    Problem(
                        row.row,
                        f"product_{name}" if name.startswith("name") else name,
                        CatalogErrorCode.PRODUCT_CONFLICT,
                        f"style {style} has {name} {agreed[name][0]!r} on row {agreed[name][1]}",
                    )
                )
            agreed.setdefault(name, (value, row.row))
        if style not in snapshot.products and style not in new:
            new[style] = {"name_en": final.values.get("name_en") or style}
    for style, agreed in seen.items():
        fields = {name: value for name, (value, _row) in agreed.items()}
        if style in new:
            new[style].update(fields)
        else:
            current = snapshot.products.get(style, {})
            diff = {name: value for name, value in fields.items() if current.get(name, "") != value}
            if diff:
                changed[style] = diff
    return new, changed


def _barcodes(finals: dict[str, _Final], snapshot: Snapshot, problems: list[Problem]) -> None:
    replaced = {code for code, f in finals.items() if f.row.barcodes is not None}
    owners: dict[str, tuple[str, int | None]] = {
        key: (code, None) for key, code in snapshot.barcode_owners.items() if code not in replaced
    }
    for code, final in finals.items():
        for barcode in final.row.barcodes or []:
            owner = owners.get(barcode.key)
            if owner is not None and owner[0] != code:
                where = f"SKU {owner[0]} (row {owner[1]})" if owner[1] else f"SKU {owner[0]}"
                problems.append(
                    Problem(
                        final.row.row,
                        "barcodes",
                        CatalogErrorCode.BARCODE_TAKEN,
                        f"barcode {barcode.value} is already on {where}",
                    )
                )
            else:
                owners[barcode.key] = (code, final.row.row)


def _kits(finals: dict[str, _Final], snapshot: Snapshot, problems: list[Problem]) -> None:
    def is_kit(code: str) -> bool:
        final = finals.get(code)
        if final is not None and final.row.kit is not None:
            return bool(final.row.kit)
        known = snapshot.skus.get(code)
        return bool(known and known.components)

    replaced = {code for code, f in finals.items() if f.row.kit is not None}
    containers: dict[str, set[str]] = {}
    for code, known in snapshot.skus.items():
        containers[code] = {kit for kit in known.in_kits if kit not in replaced}
    for code, final in finals.items():
        for component, _qty in final.row.kit or []:
            containers.setdefault(component, set()).add(code)

    for code, final in finals.items():
        kit = final.row.kit
        if not kit:
            continue
        for component, _qty in kit:
            if component == code:
                detail, error = f"{code} cannot be a component of itself", CatalogErrorCode.KIT_SELF
            elif component not in finals and component not in snapshot.skus:
                detail, error = f"there is no SKU {component}", CatalogErrorCode.KIT_COMPONENT_UNKNOWN
            elif is_kit(component):
                detail, error = (
                    f"{component} is itself a kit; list its components",
                    CatalogErrorCode.KIT_NESTED,
                )
            else:
                continue
            problems.append(Problem(final.row.row, "kit_components", error, detail))
        holders = sorted(containers.get(code, set()) - {code})
        if holders:
            problems.append(
                Problem(
                    final.row.row,
                    "kit_components",
                    CatalogErrorCode.KIT_NESTED,
                    f"{code} is a component of kit {holders[0]}, so it cannot be a kit itself",
                )
            )


def _variants(finals: dict[str, _Final], snapshot: Snapshot, problems: list[Problem]) -> None:
    owners: dict[tuple[str, str, str], tuple[str, int | None]] = {
        key: (code, None) for key, code in snapshot.variants.items() if code not in finals
    }
    for code, final in finals.items():
        if final.style is None:
            continue
        key = (final.style, final.values.get("colour", ""), final.values.get("size", ""))
        owner = owners.get(key)
        if owner is not None and owner[0] != code:
            where = f"SKU {owner[0]} (row {owner[1]})" if owner[1] else f"SKU {owner[0]}"
            column = "size" if key[2] else "colour"
            problems.append(
                Problem(
                    final.row.row,
                    column,
                    CatalogErrorCode.VARIANT_TAKEN,
                    f"{where} is already the {key[1] or '—'} / {key[2] or '—'} variant of style {key[0]}",
                )
            )
        else:
            owners[key] = (code, final.row.row)


def _plan_sku(plan: Plan, code: str, final: _Final) -> None:
    row, known = final.row, final.known
    barcodes = row.barcodes
    kit = dict(row.kit) if row.kit is not None else None
    entry = SkuPlan(row=row.row, code=code, values=final.values, style_code=final.style)
    if known is None:
        entry.barcodes = barcodes or None
        entry.kit = kit or None
        entry.after = {"code": code, "product": final.style, **final.values}
        if barcodes:
            entry.after["barcodes"] = [b.value for b in barcodes]
        if kit:
            entry.after["components"] = kit
        plan.creates.append(entry)
        return
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in final.values.items():
        if known.values.get(name) != value:
            before[name], after[name] = known.values.get(name), value
    if final.style != known.style_code:
        before["product"], after["product"] = known.style_code, final.style
    if barcodes is not None and {b.key: b.value for b in barcodes} != known.barcodes:
        entry.barcodes = barcodes
        before["barcodes"], after["barcodes"] = sorted(known.barcodes.values()), [b.value for b in barcodes]
    if kit is not None and kit != known.components:
        entry.kit = kit
        before["components"], after["components"] = known.components, kit
    if not after:
        plan.unchanged.append(code)
        return
    entry.before, entry.after = before, after
    plan.updates.append(entry)
