"""The catalogue's import: a whole CSV or Excel catalogue file, all or nothing, through the import framework.

The framework (``haicang.exchange``) reads the file and maps its header to the catalogue's columns
(``importer.CATALOG_COLUMNS``); :class:`~haicang.catalog.importer.CatalogImporter` is the ``catalog`` import
kind. Here are its two halves:

1. :func:`catalog_rows_check` parses every row (``columns``): every bad cell is a problem. What exists of the
   seller's catalogue for the file's SKUs, styles and barcodes is loaded in a few bulk queries (never one per
   row) and the rows are checked together (``import_plan``).
2. :func:`catalog_plan_write` writes the plan with bulk inserts and updates; each changed SKU gets its audit
   entry, and the seller one entry for the import. The framework runs it in one transaction after checking
   again, so any problem anywhere means nothing is written.

:func:`catalog_import` is the synchronous entry point (the catalogue's upload page and API, and
``haicang import_catalog``): it runs the framework in-process and raises :class:`ImportRejected`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import IO, Any

from django.utils import timezone

from haicang.catalog.columns import RowValues, header_check, row_parse
from haicang.catalog.errors import CatalogErrorCode, ImportRejected, Problem
from haicang.catalog.import_plan import KnownSku, Plan, SkuPlan, Snapshot, import_plan, problems_sorted
from haicang.catalog.models import Barcode, KitComponent, Product, Sku
from haicang.catalog.selectors import sku_values
from haicang.catalog.sku_fields import SKU_FIELD_RULES, FieldKind, SkuStatus
from haicang.core.actors import Actor
from haicang.core.audit import audit_record, audit_record_many
from haicang.exchange.errors import ExchangeErrorCode
from haicang.exchange.mapping import MappedTable
from haicang.exchange.registry import ImportContext, Progress, no_progress
from haicang.exchange.tables import FileFormat, format_guess
from haicang.parties.models import Seller

CHUNK = 500

# The framework's codes for the shape of a file, as the catalogue has always named them.
_CATALOG_CODES: dict[str, str] = {
    ExchangeErrorCode.FILE_INVALID: CatalogErrorCode.FILE_INVALID,
    ExchangeErrorCode.COLUMN_UNKNOWN: CatalogErrorCode.COLUMN_UNKNOWN,
    ExchangeErrorCode.COLUMN_DUPLICATE: CatalogErrorCode.COLUMN_DUPLICATE,
    ExchangeErrorCode.COLUMN_MISSING: CatalogErrorCode.COLUMN_MISSING,
}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    products_created: int
    products_updated: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _chunks[T](items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``, for ``IN (…)`` filters within every database's limits."""
    for batch in batched(items, size):
        yield list(batch)


def catalog_import(
    *,
    actor: Actor,
    seller: Seller,
    file: bytes | IO[bytes],
    format: FileFormat | str | None = None,
    filename: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Create or update ``seller``'s SKUs from a catalogue file (upsert by ``sku_code``), all or nothing.

    Raises :class:`ImportRejected` listing every problem (row, column, code, reason); nothing is written then.
    ``dry_run`` checks everything and counts what would change, then rolls back.
    """
    from haicang.catalog.importer import CATALOG_IMPORTER
    from haicang.exchange.running import import_run

    data = file if isinstance(file, bytes) else file.read()
    name = filename or str(getattr(file, "name", "") or "")
    fmt = FileFormat(format) if format else format_guess(name, data)
    outcome = import_run(
        importer=CATALOG_IMPORTER,
        context=ImportContext(actor=actor, owner=seller, filename=name),
        data=data,
        fmt=fmt,
        dry_run=dry_run,
    )
    if outcome.problems:
        raise ImportRejected(
            [
                Problem(p.row, p.column, str(_CATALOG_CODES.get(p.code, p.code)), p.reason)
                for p in outcome.problems
            ],
            rows=outcome.rows,
        )
    return ImportResult(rows=outcome.rows, **outcome.counts)


@dataclass
class Checked:
    """Every row parsed and checked: the plan when there is no problem."""

    plan: Plan | None
    problems: list[Problem]
    rows: int

    @property
    def counts(self) -> dict[str, int]:
        plan = self.plan or Plan()
        return {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": len(plan.unchanged),
            "products_created": len(plan.products_new),
            "products_updated": len(plan.products_changed),
        }


def catalog_rows_check(*, seller: Seller, table: MappedTable, progress: Progress = no_progress) -> Checked:
    """Parse every row of ``table`` (the catalogue's columns) and check them together and against the
    seller's catalogue. Writes nothing."""
    header = header_check(list(table.columns))
    # The framework names a missing sku_code column already; the rules between columns stay the catalogue's.
    problems: list[Problem] = [
        p
        for p in header.problems
        if not (p.column == "sku_code" and p.code == CatalogErrorCode.COLUMN_MISSING)
    ]
    rows: list[RowValues] = []
    invalid: dict[int, set[str]] = {}
    total = len(table.rows)
    for done, mapped in enumerate(table.rows, start=1):
        cells = [mapped.values.get(name, "") for name in table.columns]
        values, row_problems = row_parse(header, mapped.row, cells, default_currency=seller.base_currency)
        rows.append(values)
        if row_problems:
            problems.extend(row_problems)
            invalid[mapped.row] = {p.column or "" for p in row_problems}
        if done % CHUNK == 0:
            progress(done, total, "rows checked")
    progress(total, total, "rows checked")
    if not header.has("sku_code"):
        return Checked(None, problems_sorted(problems), len(rows))
    snapshot = _snapshot(seller, rows)
    plan, cross_problems = import_plan(rows, header, snapshot, invalid=invalid)
    problems.extend(cross_problems)
    problems = problems_sorted(problems)
    return Checked(None if problems else plan, problems, len(rows))


def catalog_plan_write(*, actor: Actor, seller: Seller, plan: Plan, filename: str) -> None:
    """Write a checked plan; call it inside a transaction (the framework's apply step)."""
    _write(actor=actor, seller=seller, plan=plan, filename=filename)


# --- what exists -------------------------------------------------------------------------------------------
def _snapshot(seller: Seller, rows: Sequence[RowValues]) -> Snapshot:
    snapshot = Snapshot(seller_code=seller.code)
    codes = {r.code for r in rows if r.code} | {c for r in rows for c, _q in (r.kit or [])}
    skus: dict[Any, Sku] = {}
    for batch in _chunks(sorted(codes)):
        for sku in Sku.objects.filter(seller=seller, code__in=batch).select_related("product"):
            skus[sku.pk] = sku
    barcodes: dict[Any, dict[str, str]] = {}
    components: dict[Any, dict[str, int]] = {}
    in_kits: dict[Any, set[str]] = {}
    for ids in _chunks(list(skus)):
        for barcode in Barcode.objects.filter(sku_id__in=ids).order_by("created_at"):
            barcodes.setdefault(barcode.sku_id, {})[barcode.key] = barcode.value
        for link in KitComponent.objects.filter(kit_id__in=ids).select_related("component"):
            components.setdefault(link.kit_id, {})[link.component.code] = link.quantity
        for link in KitComponent.objects.filter(component_id__in=ids).select_related("kit"):
            in_kits.setdefault(link.component_id, set()).add(link.kit.code)
    for pk, sku in skus.items():
        snapshot.skus[sku.code] = KnownSku(
            code=sku.code,
            values=sku_values(sku),
            style_code=sku.product.style_code if sku.product else None,
            barcodes=barcodes.get(pk, {}),
            components=components.get(pk, {}),
            in_kits=frozenset(in_kits.get(pk, set())),
        )
    keys = {b.key for r in rows for b in (r.barcodes or [])}
    for batch in _chunks(sorted(keys)):
        for key, code in Barcode.objects.filter(seller=seller, key__in=batch).values_list("key", "sku__code"):
            snapshot.barcode_owners[key] = code
    styles = {r.style_code for r in rows if r.style_code} | {
        k.style_code for k in snapshot.skus.values() if k.style_code
    }
    product_ids: list[Any] = []
    for batch in _chunks(sorted(styles)):
        for product in Product.objects.filter(seller=seller, style_code__in=batch):
            snapshot.products[product.style_code] = {
                "name_en": product.name_en,
                "name_zh": product.name_zh,
                "brand": product.brand,
                "category": product.category,
            }
            product_ids.append(product.pk)
    for product_batch in _chunks(product_ids):
        variants = Sku.objects.filter(product_id__in=product_batch).values_list(
            "product__style_code", "colour", "size", "code"
        )
        for style, colour, size, code in variants:
            snapshot.variants[(style, colour, size)] = code
    return snapshot


# --- writing -----------------------------------------------------------------------------------------------
def _money_columns(name: str) -> list[str]:
    if SKU_FIELD_RULES[name].kind is FieldKind.MONEY:
        return [f"{name}_amount", f"{name}_currency"]
    return [name]


def _write(*, actor: Actor, seller: Seller, plan: Plan, filename: str) -> None:
    now = timezone.now()
    product_ids = _write_products(actor=actor, seller=seller, plan=plan, now=now)
    sku_ids: dict[str, Any] = {}

    created: list[Sku] = []
    for entry in plan.creates:
        sku = Sku(
            seller=seller, code=entry.code, product_id=product_ids.get(entry.style_code or ""), **entry.values
        )
        sku.is_kit = bool(entry.kit)
        if sku.status == SkuStatus.DISCONTINUED:
            sku.discontinued_at = now
        created.append(sku)
    Sku.objects.bulk_create(created, batch_size=CHUNK)
    sku_ids.update({sku.code: sku.pk for sku in created})

    updated: list[Sku] = []
    columns: set[str] = {"updated_at"}
    by_code = {entry.code: entry for entry in plan.updates}
    for batch in _chunks(sorted(by_code)):
        for sku in Sku.objects.filter(seller=seller, code__in=batch):
            entry = by_code[sku.code]
            for name in entry.after:
                if name in SKU_FIELD_RULES:
                    setattr(sku, name, entry.values[name])
                    columns.update(_money_columns(name))
            if "status" in entry.after:
                sku.discontinued_at = now if sku.status == SkuStatus.DISCONTINUED else None
                columns.add("discontinued_at")
            if "product" in entry.after:
                sku.product_id = product_ids.get(entry.style_code or "")
                columns.add("product")
            if entry.kit is not None:
                sku.is_kit = bool(entry.kit)
                columns.add("is_kit")
            sku.updated_at = now
            updated.append(sku)
            sku_ids[sku.code] = sku.pk
    if updated:
        Sku.objects.bulk_update(updated, sorted(columns), batch_size=CHUNK)

    _write_barcodes(seller=seller, entries=[*plan.creates, *plan.updates], sku_ids=sku_ids)
    _write_kits(seller=seller, entries=[*plan.creates, *plan.updates], sku_ids=sku_ids)

    audit_record_many(
        actor=actor,
        action="sku.created",
        changes=[(sku, None, entry.after) for sku, entry in zip(created, plan.creates, strict=True)],
        summary="catalogue import",
        occurred_at=now,
    )
    audit_record_many(
        actor=actor,
        action="sku.updated",
        changes=[(sku, by_code[sku.code].before, by_code[sku.code].after) for sku in updated],
        summary="catalogue import",
        occurred_at=now,
    )
    audit_record(
        actor=actor,
        action="catalog.imported",
        subject=seller,
        summary=f"{filename or 'catalogue file'}: {len(plan.creates)} created, {len(plan.updates)} updated, "
        f"{len(plan.unchanged)} unchanged",
        after={
            "file": filename,
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": len(plan.unchanged),
        },
        occurred_at=now,
    )


def _write_products(*, actor: Actor, seller: Seller, plan: Plan, now: Any) -> dict[str, Any]:
    new = [Product(seller=seller, style_code=style, **fields) for style, fields in plan.products_new.items()]
    Product.objects.bulk_create(new, batch_size=CHUNK)
    changed: list[tuple[Product, dict[str, str], dict[str, str]]] = []
    fields: set[str] = {"updated_at"}
    for batch in _chunks(sorted(plan.products_changed)):
        for product in Product.objects.filter(seller=seller, style_code__in=batch):
            diff = plan.products_changed[product.style_code]
            before = {name: getattr(product, name) for name in diff}
            for name, value in diff.items():
                setattr(product, name, value)
            fields.update(diff)
            product.updated_at = now
            changed.append((product, before, diff))
    if changed:
        Product.objects.bulk_update([p for p, _b, _a in changed], sorted(fields), batch_size=CHUNK)
    audit_record_many(
        actor=actor,
        action="product.created",
        changes=[(p, None, {"style_code": p.style_code, "name_en": p.name_en}) for p in new],
        summary="catalogue import",
        occurred_at=now,
    )
    audit_record_many(
        actor=actor, action="product.updated", changes=changed, summary="catalogue import", occurred_at=now
    )
    styles = {e.style_code for e in [*plan.creates, *plan.updates] if e.style_code}
    ids: dict[str, Any] = {}
    for batch in _chunks(sorted(styles)):
        ids.update(
            Product.objects.filter(seller=seller, style_code__in=batch).values_list("style_code", "pk")
        )
    return ids


def _write_barcodes(*, seller: Seller, entries: list[SkuPlan], sku_ids: dict[str, Any]) -> None:
    replaced = [sku_ids[e.code] for e in entries if e.barcodes is not None]
    for batch in _chunks(replaced):
        Barcode.objects.filter(sku_id__in=batch).delete()
    Barcode.objects.bulk_create(
        [
            Barcode(seller=seller, sku_id=sku_ids[e.code], value=b.value, kind=b.kind.value, key=b.key)
            for e in entries
            for b in (e.barcodes or [])
        ],
        batch_size=CHUNK,
    )


def _write_kits(*, seller: Seller, entries: list[SkuPlan], sku_ids: dict[str, Any]) -> None:
    kits = [e for e in entries if e.kit is not None]
    if not kits:
        return
    for batch in _chunks([sku_ids[e.code] for e in kits]):
        KitComponent.objects.filter(kit_id__in=batch).delete()
    missing = sorted({c for e in kits for c in (e.kit or {}) if c not in sku_ids})
    for batch in _chunks(missing):
        sku_ids.update(Sku.objects.filter(seller=seller, code__in=batch).values_list("code", "pk"))
    KitComponent.objects.bulk_create(
        [
            KitComponent(kit_id=sku_ids[e.code], component_id=sku_ids[code], quantity=quantity)
            for e in kits
            for code, quantity in (e.kit or {}).items()
        ],
        batch_size=CHUNK,
    )
