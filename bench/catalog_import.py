"""Catalogue import: the same SKUs as CSV and as XLSX, created, re-imported unchanged, then all updated.

Prints rows per second and the number of database queries, which stays flat as the file grows (bulk reads
and writes, never one query per row).
"""

from __future__ import annotations

import argparse
import itertools
from typing import Any

from bench.harness import Table, django_on, timed


def catalogue_rows(count: int, *, weight_offset: int = 0) -> tuple[list[str], list[list[object]]]:
    from stdnum import ean

    header = [
        "sku_code", "name_en", "name_zh", "style_code", "product_name_en", "colour", "size", "barcodes",
        "length_mm", "width_mm", "height_mm", "weight_g", "hs_code", "origin_country", "declared_value",
        "declared_value_currency", "purchase_cost", "purchase_cost_currency", "lithium_battery", "track_lot",
    ]  # fmt: skip
    rows: list[list[object]] = []
    sizes = ["S", "M", "L", "XL"]
    colours = ["Red", "Blue", "Black"]
    for n, (colour, size) in zip(
        range(count), itertools.cycle(itertools.product(colours, sizes)), strict=False
    ):
        style = f"ST-{n // 12:05d}"
        body = f"690{n:09d}"
        rows.append([
            f"{style}-{colour[:3].upper()}-{size}", f"Shirt {n}", f"衬衫 {n}", style, f"Shirt style {n // 12}",
            colour, size, body + ean.calc_check_digit(body), 300, 200, 30, 180 + weight_offset + n % 50,
            "610910", "CN", "4.50", "USD", "1.234567", "CNY", "false", "false",
        ])  # fmt: skip
    return header, rows


def run(*, db_label: str, count: int) -> Table:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haicang.catalog.importing import catalog_import
    from haicang.catalog.tabular import write_csv, write_xlsx
    from haicang.core.actors import Actor
    from haicang.parties.services import seller_create

    actor = Actor.system("bench")
    table = Table(
        f"Catalogue import on {db_label}: {count} SKUs per file",
        ["phase", "CSV s", "CSV rows/s", "CSV queries", "XLSX s", "XLSX rows/s", "XLSX queries"],
    )
    header, rows = catalogue_rows(count)
    _, changed = catalogue_rows(count, weight_offset=7)
    files = {
        "csv": (write_csv(header, rows), write_csv(header, changed)),
        "xlsx": (write_xlsx(header, rows), write_xlsx(header, changed)),
    }
    results: dict[str, list[tuple[float, int]]] = {}
    for fmt, (first, second) in files.items():
        seller = seller_create(actor=actor, code=f"bench-{fmt}", name=fmt, country="CN", base_currency="CNY")
        measured = []
        for data in (first, first, second):

            def once(data: bytes = data, seller: Any = seller, fmt: str = fmt) -> None:
                catalog_import(actor=actor, seller=seller, file=data, format=fmt)

            with CaptureQueriesContext(connection) as queries:
                seconds = timed(once)
            measured.append((seconds, len(queries)))
        results[fmt] = measured
    for index, phase in enumerate(["create", "unchanged", "update all"]):
        (csv_s, csv_q), (xlsx_s, xlsx_q) = results["csv"][index], results["xlsx"][index]
        table.add(
            phase,
            f"{csv_s:.2f}",
            f"{count / csv_s:,.0f}",
            csv_q,
            f"{xlsx_s:.2f}",
            f"{count / xlsx_s:,.0f}",
            xlsx_q,
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with django_on(args.url):
        print(run(db_label=args.db, count=300 if args.quick else 5000).render(), end="\n\n")


if __name__ == "__main__":
    main()
