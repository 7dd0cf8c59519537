"""Writing to the outbox: :func:`outbox_emit`, called by a service inside the transaction of its change.

**Subject version.** Every event carries the version of its subject: an integer that grows with every change
of the subject, in commit order. Delivery is at least once and not ordered (a retry may overtake a newer
event), so a receiver keeps the highest version it has applied per subject and drops an event whose version is
not higher. A subject with its own version column passes it; otherwise (``subject_version=None``) the outbox
hands out the next number from :class:`SubjectVersion`, bumped with an upsert inside the caller's transaction:
the row stays locked until commit, so two transactions changing one subject get versions in commit order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from haicang.integration.catalogue import event_type_get
from haicang.integration.errors import EventTypeUnknown, OutboxOutsideTransaction
from haicang.integration.models import OutboxEvent, SubjectVersion


@dataclass(frozen=True, slots=True)
class Subject:
    """What an event is about, addressed from outside: a type such as ``orders.order`` and an id."""

    type: str
    id: str


def subject_version_next(subject: Subject) -> int:
    """The next version of ``subject``, in one upsert statement (locks the row until the transaction ends)."""
    table = connection.ops.quote_name(SubjectVersion._meta.db_table)
    sql = (
        f"INSERT INTO {table} (subject_type, subject_id, version) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (subject_type, subject_id) DO UPDATE SET version = {table}.version + 1 "
        "RETURNING version"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [subject.type, subject.id])
        row = cursor.fetchone()
    return int(row[0])


def outbox_emit(
    *,
    event_type: str,
    subject: Subject,
    subject_version: int | None = None,
    seller_id: uuid.UUID | None = None,
    operator_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> OutboxEvent:
    """Record that ``event_type`` happened to ``subject``, for the parties named. Must run inside the caller's
    transaction (the row commits or rolls back with the change). No payload: the relay renders it at delivery
    time through each receiving party's scope."""
    event = outbox_event_build(
        event_type=event_type,
        subject=subject,
        subject_version=subject_version,
        seller_id=seller_id,
        operator_id=operator_id,
        occurred_at=occurred_at,
    )
    event.save(force_insert=True)
    return event


def outbox_event_build(
    *,
    event_type: str,
    subject: Subject,
    subject_version: int | None = None,
    seller_id: uuid.UUID | None = None,
    operator_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> OutboxEvent:
    """The row :func:`outbox_emit` writes, checked but not yet saved: for a hot path that writes it together
    with the change's own rows (``haicang.core.rows.rows_insert``) in the same transaction."""
    if not connection.in_atomic_block:
        raise OutboxOutsideTransaction("outbox_emit runs inside the transaction of the change it announces")
    known = event_type_get(event_type)
    if known is None:
        raise EventTypeUnknown(f"{event_type!r} is not in the event catalogue", field="event_type")
    if seller_id is None and operator_id is None:
        raise EventTypeUnknown("an event concerns a seller, an operator or both", field="seller_id")
    version = subject_version_next(subject) if subject_version is None else subject_version
    return OutboxEvent(
        event_type=event_type,
        schema_version=known.schema_version,
        subject_type=subject.type,
        subject_id=subject.id,
        subject_version=version,
        seller_id=seller_id,
        operator_id=operator_id,
        occurred_at=occurred_at or timezone.now(),
    )
