"""Writes of the import framework: mapping profiles, and uploading, confirming and discarding imports.

Entry points (API, pages, CLI) check the caller's permissions (``imports:write`` and the kind's own, see
``selectors.import_kind_require``); these functions check the rules of the data and audit every change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from haicang.core.actors import Actor
from haicang.core.audit import audit_record
from haicang.core.errors import ValidationFailed
from haicang.exchange.errors import (
    ImportJobState,
    ImportKindNotForParty,
    ImportOptionsInvalid,
    MappingProfileInvalid,
    MappingProfileTaken,
)
from haicang.exchange.mapping import mapping_problems
from haicang.exchange.models import ImportJob, ImportStatus, MappingProfile
from haicang.exchange.registry import Importer, importers
from haicang.exchange.running import actor_json, job_file_erase, job_file_store
from haicang.exchange.tables import FileFormat, format_guess
from haicang.parties.models import Operator, Seller

Party = Seller | Operator


def _party_fields(owner: Party) -> dict[str, Any]:
    if isinstance(owner, Seller):
        return {"seller": owner, "operator": None}
    return {"seller": None, "operator": owner}


def _party_kind(owner: Party) -> str:
    return "seller" if isinstance(owner, Seller) else "operator"


def importer_for(*, kind: str, owner: Party) -> Importer:
    """The importer of ``kind``, if a party like ``owner`` may import it."""
    importer = importers.get(kind)
    if _party_kind(owner) not in importer.party_kinds:
        raise ImportKindNotForParty(
            f"a {_party_kind(owner)} cannot import {kind} files", field="kind", kind=kind
        )
    return importer


# --- mapping profiles --------------------------------------------------------------------------------------
def _profile_clean(
    importer: Importer, partner: str, mapping: Mapping[str, Any], defaults: Mapping[str, Any]
) -> tuple[str, dict[str, str], dict[str, str]]:
    partner = (partner or "").strip()
    if not partner or len(partner) > 100:
        raise MappingProfileInvalid("name the partner in 1 to 100 characters", field="partner")
    if not isinstance(mapping, Mapping) or not isinstance(defaults, Mapping):
        raise MappingProfileInvalid("mapping and defaults are objects of text", field="mapping")
    problems = mapping_problems(mapping, defaults, importer.columns)
    if problems:
        raise MappingProfileInvalid("; ".join(problems), field="mapping", problems=problems)
    clean_mapping = {str(k).strip(): (v or "") for k, v in mapping.items()}
    clean_defaults = {str(k): str(v).strip() for k, v in defaults.items() if str(v).strip()}
    return partner, clean_mapping, clean_defaults


def mapping_profile_create(
    *,
    actor: Actor,
    owner: Party,
    kind: str,
    partner: str,
    mapping: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
) -> MappingProfile:
    importer = importer_for(kind=kind, owner=owner)
    partner, clean_mapping, clean_defaults = _profile_clean(importer, partner, mapping, defaults or {})
    try:
        with transaction.atomic():
            profile = MappingProfile.objects.create(
                **_party_fields(owner),
                kind=kind,
                partner=partner,
                mapping=clean_mapping,
                defaults=clean_defaults,
            )
            audit_record(
                actor=actor,
                action="mapping_profile.created",
                subject=profile,
                after={
                    "kind": kind,
                    "partner": partner,
                    "mapping": clean_mapping,
                    "defaults": clean_defaults,
                },
            )
    except IntegrityError as exc:
        raise MappingProfileTaken(f"{kind} already has a profile named {partner!r}", field="partner") from exc
    return profile


def mapping_profile_update(
    *,
    actor: Actor,
    profile: MappingProfile,
    partner: str | None = None,
    mapping: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> MappingProfile:
    importer = importers.get(profile.kind)
    before = {"partner": profile.partner, "mapping": profile.mapping, "defaults": profile.defaults}
    new_partner, new_mapping, new_defaults = _profile_clean(
        importer,
        profile.partner if partner is None else partner,
        profile.mapping if mapping is None else mapping,
        profile.defaults if defaults is None else defaults,
    )
    after = {"partner": new_partner, "mapping": new_mapping, "defaults": new_defaults}
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return profile
    try:
        with transaction.atomic():
            profile.partner, profile.mapping, profile.defaults = new_partner, new_mapping, new_defaults
            profile.save()
            audit_record(
                actor=actor,
                action="mapping_profile.updated",
                subject=profile,
                before={k: before[k] for k in changed},
                after=changed,
            )
    except IntegrityError as exc:
        raise MappingProfileTaken(
            f"{profile.kind} already has a profile named {new_partner!r}", field="partner"
        ) from exc
    return profile


def mapping_profile_delete(*, actor: Actor, profile: MappingProfile) -> None:
    """Delete a profile; imports made with it keep the mapping they used."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="mapping_profile.deleted",
            subject=profile,
            before={"kind": profile.kind, "partner": profile.partner},
        )
        profile.delete()


# --- imports -----------------------------------------------------------------------------------------------
MAX_OPTION_LENGTH = 200


def import_options_clean(
    importer: Importer, owner: Party, options: Mapping[str, Any] | None
) -> dict[str, str]:
    """An upload's options checked against what the kind declares: only known names, text of at most
    200 characters, required ones present; then the kind's own check. Raises ImportOptionsInvalid listing
    every problem."""
    known = {o.name: o for o in importer.options}
    clean: dict[str, str] = {}
    problems: list[str] = []
    for name, value in (options or {}).items():
        if name not in known:
            problems.append(f"{importer.kind} has no option {name!r}")
        elif not isinstance(value, str | int) or isinstance(value, bool):
            problems.append(f"the option {name} is text")
        elif len(str(value).strip()) > MAX_OPTION_LENGTH:
            problems.append(f"the option {name} has more than {MAX_OPTION_LENGTH} characters")
        elif str(value).strip():
            clean[name] = str(value).strip()
    problems += [f"give the option {o.name}" for o in importer.options if o.required and o.name not in clean]
    if not problems:
        problems = importer.options_problems(owner, clean)
    if problems:
        raise ImportOptionsInvalid("; ".join(problems), field="options", problems=problems)
    return clean


def _enqueue_after_commit(job: ImportJob, step: str) -> None:
    """Queue the ``step`` task of ``job`` once the surrounding transaction commits, so a worker (RQ's runs
    in another process and database connection) never starts before the job row it reads is committed; the
    task result id is written on the job afterwards. A rolled-back transaction queues nothing."""

    def enqueue() -> None:
        from haicang.exchange import tasks

        task = tasks.import_job_validate if step == "validate" else tasks.import_job_apply
        result_id = str(task.enqueue(job_id=str(job.pk)).id)
        ImportJob.objects.filter(pk=job.pk).update(task_result_id=result_id)
        job.task_result_id = result_id

    transaction.on_commit(enqueue)


def import_job_create(
    *,
    actor: Actor,
    owner: Party,
    kind: str,
    content: bytes,
    filename: str = "",
    file_format: str | None = None,
    profile: MappingProfile | None = None,
    options: Mapping[str, Any] | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Store an uploaded file and queue its validation once committed (``enqueue=False``: the caller runs
    it, as the CLI). ``options`` are the kind's per-upload values (``Importer.options``).

    The file is stored through Django's storage, sealed when the kind carries personal data."""
    importer = importer_for(kind=kind, owner=owner)
    clean_options = import_options_clean(importer, owner, options)
    if profile is not None and (profile.kind != kind or profile.owner_id != owner.pk):
        raise MappingProfileInvalid(
            f"the profile {profile.partner!r} is not a {kind} profile of this party", field="profile"
        )
    if len(content) > importer.max_file_bytes:
        raise ValidationFailed(
            f"the file is larger than {importer.max_file_bytes // (1024 * 1024)} MB", field="file"
        )
    fmt = FileFormat(file_format) if file_format else format_guess(filename, content)
    job = ImportJob(
        **_party_fields(owner),
        kind=kind,
        profile=profile,
        mapping=dict(profile.mapping) if profile else {},
        defaults=dict(profile.defaults) if profile else {},
        options=clean_options,
        file_format=fmt.value,
        file_size=len(content),
        file_sealed=importer.personal,
        original_filename=(filename or "")[-255:],
        contains_personal_data=importer.personal,
        created_by=actor_json(actor),
    )
    job.file_path = job_file_store(actor=actor, job=job, content=content)
    try:
        with transaction.atomic():
            job.save()
            audit_record(
                actor=actor,
                action="import_job.uploaded",
                subject=job,
                after={
                    "kind": kind,
                    "file": job.original_filename,
                    "size": job.file_size,
                    "profile": profile.partner if profile else None,
                    **({"options": clean_options} if clean_options else {}),
                },
            )
            if enqueue:
                _enqueue_after_commit(job, "validate")
    except BaseException:
        job_file_erase(actor=actor, job=job)
        raise
    return job


def import_job_confirm(*, actor: Actor, job: ImportJob, enqueue: bool = True) -> ImportJob:
    """Confirm a previewed import: it is applied in the background, all or nothing."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.PREVIEWED:
            raise ImportJobState(f"only an import ready to import can be confirmed; this one is {job.status}")
        job.status = ImportStatus.APPLYING
        job.confirmed_by, job.confirmed_at = actor_json(actor), timezone.now()
        job.save()
        audit_record(actor=actor, action="import_job.confirmed", subject=job, after={"status": job.status})
        if enqueue:
            _enqueue_after_commit(job, "apply")
    return job


DISCARDABLE = (
    ImportStatus.UPLOADED,
    ImportStatus.VALIDATING,
    ImportStatus.PREVIEWED,
    ImportStatus.INVALID,
    ImportStatus.FAILED,
)


def import_job_discard(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Give up an import that was not applied; its uploaded file is deleted."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in DISCARDABLE:
            raise ImportJobState(f"an import that is {job.status} cannot be discarded")
        before = job.status
        job.status = ImportStatus.DISCARDED
        job.finished_at = job.finished_at or timezone.now()
        job.save()
        audit_record(
            actor=actor,
            action="import_job.discarded",
            subject=job,
            before={"status": before},
            after={"status": job.status},
        )
    job_file_erase(actor=actor, job=job)
    return job
