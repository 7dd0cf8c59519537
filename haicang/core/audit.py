"""The audit log: one writer (``audit_record``) and the selectors that read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.json_values import json_safe
from haicang.core.models.audit import AuditEntry


def diff_summary(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """Only the fields whose values differ, as ``{"before": {...}, "after": {...}}``."""
    before = dict(before or {})
    after = dict(after or {})
    keys = [
        k for k in dict.fromkeys([*before, *after]) if json_safe(before.get(k)) != json_safe(after.get(k))
    ]
    return {
        "before": {k: json_safe(before[k]) for k in keys if k in before},
        "after": {k: json_safe(after[k]) for k in keys if k in after},
    }


def audit_record(
    *,
    actor: Actor,
    action: str,
    subject: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    summary: str = "",
    occurred_at: datetime | None = None,
) -> AuditEntry:
    """Write what ``actor`` did to ``subject``. Call it inside the service's transaction."""
    entry = audit_entry_build(
        actor=actor,
        action=action,
        subject=subject,
        before=before,
        after=after,
        summary=summary,
        occurred_at=occurred_at,
    )
    entry.save(force_insert=True)
    return entry


def audit_entry_build(
    *,
    actor: Actor,
    action: str,
    subject: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    summary: str = "",
    occurred_at: datetime | None = None,
) -> AuditEntry:
    """The entry :func:`audit_record` writes, not yet saved: for a hot path that writes it together with the
    change's own rows (``haicang.core.rows.rows_insert``) inside the service's transaction."""
    return AuditEntry(
        occurred_at=occurred_at or timezone.now(),
        actor_kind=actor.kind,
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
        actor_job=actor.job,
        actor_label=actor.label[:200],
        action=action,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=str(subject.pk),
        subject_label=str(subject)[:200],
        summary=summary[:500],
        changes=diff_summary(before, after),
    )


def audit_record_many(
    *,
    actor: Actor,
    action: str,
    changes: Iterable[tuple[models.Model, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    summary: str = "",
    occurred_at: datetime | None = None,
) -> int:
    """One entry per ``(subject, before, after)``, written in bulk (for imports of many objects at once)."""
    when = occurred_at or timezone.now()
    entries = [
        audit_entry_build(
            actor=actor,
            action=action,
            subject=subject,
            before=before,
            after=after,
            summary=summary,
            occurred_at=when,
        )
        for subject, before, after in changes
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def audit_entries_for(*, subject: models.Model) -> QuerySet[AuditEntry]:
    """Every entry about ``subject``, newest first."""
    return audit_entries_for_ref(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=str(subject.pk),
    )


def audit_entries_for_ref(*, content_type: ContentType, subject_id: str) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject_type=content_type, subject_id=subject_id).select_related(
        "actor_user", "subject_type"
    )


def audit_entries() -> QuerySet[AuditEntry]:
    """Every entry, newest first, with the acting user and the subject type loaded; callers narrow it."""
    return AuditEntry.objects.select_related("actor_user", "subject_type")
