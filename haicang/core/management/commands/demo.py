"""``haicang demo``: migrate the embedded database, seed the demo world, start a worker and serve."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from haicang.core.actors import Actor
from haicang.core.keyfiles import ensure_data_keys
from haicang.demo.seed import demo_world_seed


class Command(BaseCommand):
    help = (
        "Create the database, seed a realistic demo world, start a worker and serve on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="seed only; do not start a worker or serve"
        )
        parser.add_argument("--no-worker", action="store_true", help="serve without starting a worker")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="start over: drop the database's data and seed the world anew",
        )

    def handle(
        self, *args: Any, host: str, port: int, no_serve: bool, no_worker: bool, reset: bool, **options: Any
    ) -> None:
        data_dir = settings.DATA_DIR
        self.stdout.write(f"Data folder: {data_dir}")
        ensure_data_keys(data_dir)
        if reset:
            self._reset()
        self.stdout.write("Migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Seeding the demo world …")
        logins = demo_world_seed(actor=Actor.system("demo"))

        self.stdout.write(self.style.SUCCESS(f"\nHaicang demo — http://{host}:{port}/"))
        self.stdout.write("Logins:")
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.password:<26} {login.who}")
        self.stdout.write(
            f"API docs: http://{host}:{port}/api/docs/   OpenAPI: http://{host}:{port}/api/schema/\n"
        )
        if no_serve:
            return

        # A terminated demo stops its worker too: SIGTERM unwinds through the ``finally`` below.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "haicang", "worker"])
            self.stdout.write(f"Worker started (pid {worker.pid}).")
        try:
            call_command("serve", host=host, port=port)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _reset(self) -> None:
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            connection.close()
            path = Path(str(db["NAME"]))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.stdout.write(f"Reset: removed {path.name}")
        else:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(f"Reset: emptied database {db['NAME']}")


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)
