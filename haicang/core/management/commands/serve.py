"""``haicang serve``: serve the UI and the API with waitress (a production-grade WSGI server)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the Haicang UI and API over HTTP (waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        from waitress import serve

        from haicang.wsgi import application

        self.stdout.write(f"Serving Haicang on http://{host}:{port}/ (Ctrl-C to stop)")
        serve(application, host=host, port=port, threads=threads, ident="haicang")
