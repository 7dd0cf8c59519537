"""The registry of sealed columns, and re-sealing them under the current data key (``haicang rotate-keys``).

Every app that stores a value sealed with :func:`haicang.core.crypto.seal` in a database column registers the
column here, once, from its ``AppConfig.ready()``, with the function that gives a row's seal context::

    sealed_field_register(IdempotencyRecord, "response_body", context=lambda row: row.seal_context)

:func:`sealed_fields_reseal` then walks every registered column in primary-key order, batch by batch, and
re-seals each value whose key version is not the current one: unseal with its own (old) version, seal with the
current key under the same context, and write it back with a **guarded update** (only if the column still holds
the value that was read — a row changed meanwhile was sealed by its writer, under the current key). It is
idempotent (values already current are skipped) and resumable (an interrupted run leaves every value readable:
old values open with the old key, which the keyring keeps; the next run carries on).

Sealed *files* (an import's upload, ``imports/<id>.sealed``) are not re-sealed: they live at most a day
(docs/exchange.md), so they only need the old key to stay in the keyring that long.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from haicang.core.crypto import Keyring, UnsealError, configured_keyring, seal, sealed_version, unseal

Context = Callable[[Any], bytes]


@dataclass(frozen=True)
class SealedField:
    model: type[models.Model]
    field: str
    context: Context
    needs: tuple[str, ...] = ()  # other columns the context function reads (loaded with the value)

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


@dataclass
class ResealReport:
    """What one column's walk saw: rows with a value, re-sealed, already current, changed meanwhile, unreadable."""

    label: str
    seen: int = 0
    resealed: int = 0
    current: int = 0
    skipped: int = 0
    unreadable: list[str] = field(default_factory=list)


_REGISTRY: dict[str, SealedField] = {}


def sealed_field_register(
    model: type[models.Model], field_name: str, *, context: Context, needs: tuple[str, ...] = ()
) -> None:
    """Declare that ``model.field_name`` holds sealed values bound to ``context(row)``."""
    entry = SealedField(model=model, field=field_name, context=context, needs=needs)
    _REGISTRY[entry.label] = entry


def sealed_fields() -> list[SealedField]:
    return sorted(_REGISTRY.values(), key=lambda entry: entry.label)


def _batches(entry: SealedField, batch_size: int) -> Iterator[list[Any]]:
    """Rows with a value in the column, ``batch_size`` at a time, in primary-key order (keyset pagination)."""
    manager = entry.model._default_manager
    columns = ["pk", entry.field, *entry.needs]
    last: Any = None
    while True:
        queryset = manager.exclude(**{f"{entry.field}__isnull": True}).order_by("pk")
        if last is not None:
            queryset = queryset.filter(pk__gt=last)
        rows = list(queryset.only(*[c for c in columns if c != "pk"])[:batch_size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def sealed_field_reseal(
    entry: SealedField,
    *,
    keyring: Keyring | None = None,
    batch_size: int = 500,
    progress: Callable[[ResealReport], None] | None = None,
) -> ResealReport:
    """Re-seal every value of one column that is not sealed with the keyring's current version."""
    ring = keyring or configured_keyring()
    report = ResealReport(label=entry.label)
    manager = entry.model._default_manager
    for rows in _batches(entry, batch_size):
        with transaction.atomic():
            for row in rows:
                value = getattr(row, entry.field)
                if not value:
                    continue
                old = bytes(value)
                report.seen += 1
                if sealed_version(old) == ring.current:
                    report.current += 1
                    continue
                context = entry.context(row)
                try:
                    plain = unseal(old, context=context, keyring=ring)
                except UnsealError:
                    report.unreadable.append(str(row.pk))
                    continue
                fresh = seal(plain, context=context, keyring=ring)
                updated = manager.filter(pk=row.pk, **{entry.field: old}).update(**{entry.field: fresh})
                if updated == 1:
                    report.resealed += 1
                else:
                    report.skipped += 1
        if progress is not None:
            progress(report)
    return report


def sealed_versions(entry: SealedField, *, batch_size: int = 2000) -> dict[str, int]:
    """How many values of the column are sealed with each key version."""
    counts: dict[str, int] = {}
    for rows in _batches(entry, batch_size):
        for row in rows:
            value = getattr(row, entry.field)
            if value:
                version = sealed_version(bytes(value))
                counts[version] = counts.get(version, 0) + 1
    return counts
