"""``haicang rebuild-balances``: recompute the balances and stock counters from the moves."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from haicang.inventory.verify import balances_rebuild


class Command(BaseCommand):
    help = "Rebuild the stock balances and counters from the moves (set-based SQL, one transaction)."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        counts = balances_rebuild()
        seconds = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {counts['balances']} balances and {counts['counters']} stock counters in {seconds:.1f} s."
            )
        )
