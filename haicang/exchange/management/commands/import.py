"""``haicang import KIND FILE --seller CODE [--profile NAME] [--option NAME=VALUE] [--yes]``: an import run
in this process.

The same steps as an upload in the UI — the file is stored as an import, every row validated, then (after
``--yes`` or a yes at the prompt) applied all or nothing — with a progress bar on stderr. Any problem: a table
of every problem (row, column, value, reason) on stderr and exit status 1; nothing is written.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from haicang.core.actors import Actor
from haicang.core.errors import DomainError
from haicang.exchange import services
from haicang.exchange.models import ImportJob, ImportStatus, MappingProfile
from haicang.exchange.registry import importers
from haicang.exchange.running import import_job_apply_run, import_job_validate_run
from haicang.parties.models import Operator, Seller

BAR_WIDTH = 30


class ProgressBar:
    """``label [#####.....] 120/400`` on one line of a terminal, redrawn in place; plain lines otherwise."""

    def __init__(self, stream: OutputWrapper, label: str) -> None:
        self.stream, self.label, self.last = stream, label, -1
        self.tty = stream.isatty()

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        if total:
            percent = min(100, done * 100 // total)
            if percent == self.last:
                return
            self.last = percent
            filled = BAR_WIDTH * percent // 100
            line = f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        else:
            line = f"{self.label} … {done}"
        if self.tty:
            self.stream.write("\r" + line, ending="")
        elif total is None or done in (0, total) or self.last % 25 == 0:
            self.stream.write(line)
        self.stream.flush()

    def end(self) -> None:
        if self.tty:
            self.stream.write("")


def problem_table(problems: list[dict[str, Any]]) -> str:
    """Every problem as an aligned text table: row, column, value, code and reason."""
    header = ("row", "column", "value", "code", "reason")
    lines = [
        (
            str(p.get("row") or "—"),
            str(p.get("column") or "—") + (f" ({p['source_column']})" if p.get("source_column") else ""),
            _short(str(p.get("value") if p.get("value") is not None else "")),
            str(p.get("code", "")),
            str(p.get("reason", "")),
        )
        for p in problems
    ]
    widths = [
        max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)
    ]
    widths[-1] = 0
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    return "\n".join(out)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8) or Excel (.xlsx) file of KIND (see --list) for a seller or an operator: every "
        "row is checked first, then all rows are written or none. Exits 1 with a table of every problem."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", nargs="?", help="the import kind, e.g. catalog")
        parser.add_argument("file", nargs="?", type=Path, help="the .csv or .xlsx file")
        party = parser.add_mutually_exclusive_group()
        party.add_argument("--seller", help="the importing seller's code")
        party.add_argument("--operator", help="the importing operator's code")
        parser.add_argument("--profile", help="the partner name of a mapping profile of this kind")
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a value of the kind for the whole file, e.g. --option shipment=ASN-2026-000001 (repeatable)",
        )
        parser.add_argument(
            "--format", choices=["csv", "xlsx"], help="default: from the file's name or content"
        )
        parser.add_argument("--yes", action="store_true", help="apply without asking once the file is good")
        parser.add_argument("--list", action="store_true", help="list the import kinds and their columns")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if not options["kind"] or not options["file"]:
            raise CommandError("give KIND and FILE (or --list)")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        owner = self._owner(options)
        kind = options["kind"]
        profile = None
        if options["profile"]:
            profile = MappingProfile.objects.filter(
                kind=kind,
                partner=options["profile"],
                **{"seller" if isinstance(owner, Seller) else "operator": owner},
            ).first()
            if profile is None:
                raise CommandError(f"{owner.code} has no {kind} profile named {options['profile']!r}")
        given: dict[str, str] = {}
        for pair in options["option"]:
            name, sep, value = pair.partition("=")
            if not sep or not name.strip():
                raise CommandError(f"write an option as NAME=VALUE, not {pair!r}")
            given[name.strip()] = value.strip()
        actor = Actor.system("import")
        try:
            job = services.import_job_create(
                actor=actor,
                owner=owner,
                kind=kind,
                content=path.read_bytes(),
                filename=path.name,
                file_format=options["format"],
                profile=profile,
                options=given,
                enqueue=False,
            )
            job = self._step(import_job_validate_run, job, "checking")
            if job.status == ImportStatus.INVALID:
                self._fail(job, f"{path.name}: {job.problem_count} problems found; nothing was imported")
            self.stdout.write(f"{path.name}: {job.rows_total} rows are fine ({self._counts(job.counts)})")
            if not options["yes"] and not self._ask(f"Import them for {owner.code}? [y/N] "):
                services.import_job_discard(actor=actor, job=job)
                raise CommandError("not imported")
            job = services.import_job_confirm(actor=actor, job=job, enqueue=False)
            job = self._step(import_job_apply_run, job, "importing")
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.detail}") from None
        if job.status != ImportStatus.APPLIED:
            self._fail(job, f"{path.name}: the import failed; nothing was written")
        self.stdout.write(
            f"{path.name}: imported {job.rows_total} rows for {owner.code}: {self._counts(job.result)}"
        )

    def _owner(self, options: dict[str, Any]) -> Seller | Operator:
        if options["seller"]:
            seller = Seller.objects.filter(code=options["seller"]).first()
            if seller is None:
                raise CommandError(f"no seller with code {options['seller']!r}")
            return seller
        if options["operator"]:
            operator = Operator.objects.filter(code=options["operator"]).first()
            if operator is None:
                raise CommandError(f"no operator with code {options['operator']!r}")
            return operator
        raise CommandError("name the importing party with --seller or --operator")

    def _step(self, step: Any, job: ImportJob, label: str) -> ImportJob:
        bar = ProgressBar(self.stderr, label)
        result: ImportJob | None = step(job_id=str(job.pk), progress=bar)
        bar.end()
        job.refresh_from_db()
        return result or job

    def _fail(self, job: ImportJob, message: str) -> None:
        self.stderr.write(problem_table(job.problems))
        if job.problem_count > len(job.problems):
            self.stderr.write(f"… and {job.problem_count - len(job.problems)} more")
        raise CommandError(message)

    def _counts(self, counts: dict[str, int]) -> str:
        return ", ".join(f"{value} {name}" for name, value in counts.items()) or "nothing to write"

    def _ask(self, question: str) -> bool:
        if not sys.stdin.isatty():
            raise CommandError("the file is good; add --yes to import it without a terminal to ask")
        self.stdout.write(question, ending="")
        return input().strip().lower() in {"y", "yes"}

    def _list(self) -> None:
        for importer in importers:
            self.stdout.write(f"{importer.kind}: {importer.label} (needs {importer.permission})")
            for column in importer.columns:
                flag = " (required)" if column.required else ""
                self.stdout.write(f"  {column.name}{flag}  {column.description}")
            for option in importer.options:
                flag = " (required)" if option.required else ""
                self.stdout.write(f"  --option {option.name}=…{flag}  {option.description}")
