"""``haicang import_fx_rates FILE``: record dated FX rates from a CSV file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from haicang.core.actors import Actor
from haicang.network.errors import FxImportInvalid
from haicang.network.services import fx_rates_import_csv


class Command(BaseCommand):
    help = "Import FX rates from a CSV file with columns date,base,quote,rate[,source] (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, header row first")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with path.open("rb") as handle, transaction.atomic():
                result = fx_rates_import_csv(actor=Actor.system("import-fx-rates"), file=handle)
        except FxImportInvalid as exc:
            lines = [
                f"row {e['row']}" + (f", {e['column']}" if e["column"] else "") + f": {e['detail']}"
                for e in exc.context.get("errors", [])
            ]
            raise CommandError("\n".join([f"{exc.code}: nothing was imported", *lines])) from None
        span = f"{result.first_date} to {result.last_date}" if result.first_date else ""
        self.stdout.write(f"Imported {result.rows} FX rates ({', '.join(result.pairs)}) {span}.")
