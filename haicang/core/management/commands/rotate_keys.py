"""``haicang rotate-keys``: add a new data key and re-seal every sealed column under it.

1. A new random key version is added to ``<data dir>/data_keys.json`` and made current (the old versions stay:
   a value sealed with one still opens). With ``HAICANG_DATA_KEYS`` set, add the version there yourself, restart,
   and run ``haicang rotate-keys --resume``.
2. Every column registered in :mod:`haicang.core.sealing` (order contacts, webhook secrets, channel
   credentials, stored idempotent answers…) is walked in batches; values sealed with an older version are
   re-sealed with the current key. Progress goes to stderr.

Idempotent and resumable: ``--resume`` skips step 1 and re-seals what is still old; running it again after a
complete run changes nothing. ``--report`` only counts the values per key version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haicang.core.crypto import configured_keyring
from haicang.core.keyfiles import KeyFileError, data_key_add
from haicang.core.sealing import ResealReport, sealed_field_reseal, sealed_fields, sealed_versions


class Command(BaseCommand):
    help = "Add a new data key and re-seal every sealed value under it (idempotent, resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Do not add a key: re-seal what is not under the current one.",
        )
        parser.add_argument("--report", action="store_true", help="Only count the values per key version.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        entries = sealed_fields()
        if options["report"]:
            ring = configured_keyring()
            self.stdout.write(f"current key version: {ring.current}")
            for entry in entries:
                counts = sealed_versions(entry)
                shown = ", ".join(f"v{v}: {n}" for v, n in sorted(counts.items())) or "empty"
                self.stdout.write(f"{entry.label}: {shown}")
            return
        if not options["resume"]:
            try:
                version = data_key_add(settings.DATA_DIR)
            except KeyFileError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"added data key version {version} (now current)")
        configured_keyring.cache_clear()
        ring = configured_keyring()
        batch_size = max(1, int(options["batch_size"]))
        unreadable = 0
        for entry in entries:

            def show(report: ResealReport) -> None:
                self.stderr.write(
                    f"\r{report.label}: {report.seen} checked, {report.resealed} re-sealed", ending=""
                )

            report = sealed_field_reseal(entry, keyring=ring, batch_size=batch_size, progress=show)
            self.stderr.write("")
            self.stdout.write(
                f"{report.label}: {report.resealed} re-sealed, {report.current} already current, "
                f"{report.skipped} changed meanwhile"
                + (f", {len(report.unreadable)} UNREADABLE" if report.unreadable else "")
            )
            unreadable += len(report.unreadable)
        if unreadable:
            raise CommandError(f"{unreadable} values could not be opened with any key (see above)")
        self.stdout.write(f"every sealed value is under key version {ring.current}")
