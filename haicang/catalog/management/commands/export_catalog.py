"""``haicang export_catalog --seller CODE FILE``: write a seller's SKUs as a CSV or Excel catalogue file."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicang.catalog.exporting import catalog_export
from haicang.catalog.tabular import format_guess
from haicang.parties.models import Seller


class Command(BaseCommand):
    help = "Write every SKU of a seller to a .csv or .xlsx file with the columns import_catalog reads."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", type=Path, help="where to write: name.csv or name.xlsx ('-' for CSV on stdout)"
        )
        parser.add_argument("--seller", required=True, help="the seller's code")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file's extension")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        seller = Seller.objects.filter(code=options["seller"]).first()
        if seller is None:
            raise CommandError(f"no seller with code {options['seller']!r}")
        to_stdout = str(path) == "-"
        fmt = options["format"] or ("csv" if to_stdout else format_guess(path.name, b"").value)
        exported = catalog_export(seller=seller, format=fmt)
        if to_stdout:
            self.stdout.write(exported.content.decode("utf-8-sig"), ending="")
            return
        path.write_bytes(exported.content)
        self.stderr.write(f"{path}: {exported.rows} SKUs of {seller.code}")
