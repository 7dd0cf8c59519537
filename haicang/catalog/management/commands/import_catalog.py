"""``haicang import_catalog --seller CODE FILE``: import a CSV or Excel catalogue file, all or nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicang.catalog.errors import ImportRejected
from haicang.catalog.importing import catalog_import
from haicang.core.actors import Actor
from haicang.parties.models import Seller


class Command(BaseCommand):
    help = (
        "Create and update a seller's SKUs from a CSV (UTF-8) or Excel (.xlsx) file, matched by sku_code. "
        "Any bad row: every problem is printed with its row and column, and nothing is written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file")
        parser.add_argument("--seller", required=True, help="the seller's code")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file's extension")
        parser.add_argument("--dry-run", action="store_true", help="check the file and count; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        seller = Seller.objects.filter(code=options["seller"]).first()
        if seller is None:
            raise CommandError(f"no seller with code {options['seller']!r}")
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            result = catalog_import(
                actor=Actor.system("import_catalog"),
                seller=seller,
                file=path.read_bytes(),
                format=options["format"],
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except ImportRejected as exc:
            for problem in exc.problems:
                where = f"row {problem.row}" if problem.row else "file"
                column = f", {problem.column}" if problem.column else ""
                self.stderr.write(f"{where}{column}: {problem.code}: {problem.detail}")
            raise CommandError(f"{path.name}: {exc.detail}") from None
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{path.name}: {verb} {result.rows} rows for {seller.code}: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged; products {result.products_created} created, "
            f"{result.products_updated} updated"
        )
