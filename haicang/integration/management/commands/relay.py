"""``haicang relay``: one pass of the webhook relay (fan out new events, deliver what is due)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haicang.integration.relay import relay_run


class Command(BaseCommand):
    help = "Deliver due webhooks once: fan out new outbox events, then POST what is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=50, help="deliveries to attempt at most (default 50)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = relay_run(limit=options["limit"])
        self.stdout.write(
            f"fanned out {report.fanned_out}, delivered {report.delivered}, "
            f"retrying {report.retrying}, dead {report.dead}"
        )
