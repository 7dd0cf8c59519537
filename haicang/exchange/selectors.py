"""Reads of the import framework, through the request's scope.

A party sees its own imports and profiles with ``imports:read``, and only of the kinds whose data its role
may read (a catalogue import needs ``catalog:read`` too). Writing needs ``imports:write`` and the kind's own
permission (``catalog:write``…), see :func:`import_kind_require`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from haicang.core.jobs.progress import job_progress_get
from haicang.core.models import JobProgress
from haicang.exchange.models import ImportJob, MappingProfile
from haicang.exchange.registry import Importer, importers
from haicang.parties.scoping import AccessDenied, Scope, scope_queryset

READ = "imports:read"
WRITE = "imports:write"


def import_kinds_for(scope: Scope, *, write: bool = False) -> list[Importer]:
    """The kinds the scope's party may see (or, with ``write``, import)."""
    if scope.party_kind is None:
        return []
    return [
        importer
        for importer in importers
        if scope.party_kind.value in importer.party_kinds
        and scope.can(importer.permission if write else importer.read_permission)
        and scope.can(WRITE if write else READ)
    ]


def import_kind_require(scope: Scope, kind: str) -> Importer:
    """The importer of ``kind`` if the scope may import it; AccessDenied (403) otherwise."""
    importer = importers.get(kind)
    scope.require(WRITE)
    scope.require(importer.permission)
    if scope.party_kind is None or scope.party_kind.value not in importer.party_kinds:
        raise AccessDenied(f"your party cannot import {kind} files", permission=importer.permission)
    return importer


def _readable_kinds(scope: Scope) -> list[str]:
    return [i.kind for i in import_kinds_for(scope)]


def import_jobs_visible(scope: Scope) -> QuerySet[ImportJob]:
    jobs = scope_queryset(ImportJob.objects.all(), scope, permission=READ)
    return jobs.filter(kind__in=_readable_kinds(scope)).select_related("profile")


def mapping_profiles_visible(scope: Scope) -> QuerySet[MappingProfile]:
    profiles = scope_queryset(MappingProfile.objects.all(), scope, permission=READ)
    return profiles.filter(kind__in=_readable_kinds(scope))


def import_job_progress(job: ImportJob) -> JobProgress | None:
    return job_progress_get(result_id=job.task_result_id) if job.task_result_id else None
