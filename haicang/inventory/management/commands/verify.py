"""``haicang verify``: check every invariant of the stock ledger; exit 1 with a readable list if any is broken."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haicang.inventory.verify import ledger_verify


class Command(BaseCommand):
    help = "Check the stock ledger's invariants (conservation, balances = moves, no negatives, counters, reserved ≤ sellable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50, help="at most this many findings per invariant")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        problems = ledger_verify(limit=limit)
        if not problems:
            self.stdout.write(self.style.SUCCESS("The stock ledger is consistent: every invariant holds."))
            return
        self.stderr.write(f"The stock ledger has {len(problems)} problem(s):")
        for problem in problems:
            self.stderr.write(f"  - {problem}")
        sys.exit(1)
