"""Mapping profiles and import jobs.

* :class:`MappingProfile` — how one partner's files name the columns of one import kind, for one party.
* :class:`ImportJob` — one uploaded file on its way through validation, preview and an all-or-nothing apply.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicang.core.models import Entity


def _one_party(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(seller__isnull=False, operator__isnull=True)
        | Q(seller__isnull=True, operator__isnull=False),
        name=name,
    )


class MappingProfile(Entity):
    seller = models.ForeignKey(
        "parties.Seller", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    operator = models.ForeignKey(
        "parties.Operator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("import kind"), max_length=64)
    partner = models.CharField(_("partner"), max_length=100)
    mapping = models.JSONField(_("column mapping"), default=dict)  # the file's header → column ("" ignores)
    defaults = models.JSONField(_("defaults"), default=dict)  # column → value for absent columns, empty cells
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mapping profile")
        constraints = [
            _one_party("mapping_profile_one_party"),
            models.UniqueConstraint(
                fields=["seller", "kind", "partner"],
                condition=Q(seller__isnull=False),
                name="mapping_profile_unique_seller",
            ),
            models.UniqueConstraint(
                fields=["operator", "kind", "partner"],
                condition=Q(operator__isnull=False),
                name="mapping_profile_unique_operator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.partner}"

    @property
    def owner_id(self) -> object:
        return self.seller_id or self.operator_id


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    PREVIEWED = "previewed", _("Ready to import")
    INVALID = "invalid", _("Has problems")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


IN_PROGRESS = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.APPLYING)
FINISHED = (ImportStatus.APPLIED, ImportStatus.FAILED, ImportStatus.DISCARDED, ImportStatus.INVALID)


class ImportJob(Entity):
    seller = models.ForeignKey(
        "parties.Seller", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    operator = models.ForeignKey(
        "parties.Operator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    profile = models.ForeignKey(
        MappingProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # The profile's mapping and defaults as they were at upload: editing a profile never changes a job.
    mapping = models.JSONField(default=dict)
    defaults = models.JSONField(default=dict)
    options = models.JSONField(default=dict)  # values given once for the file (the kind's ``options``)
    file_path = models.CharField(max_length=500, blank=True)  # in Django's storage; "" once erased
    file_format = models.CharField(max_length=8)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sealed = models.BooleanField(default=False)  # stored encrypted (personal data)
    file_erased_at = models.DateTimeField(null=True, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    contains_personal_data = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    task_result_id = models.CharField(max_length=64, blank=True)  # the running task, for its progress
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list
    )  # the first PROBLEMS_KEPT, each {row, column, value, code, reason}
    preview = models.JSONField(default=dict)  # {columns, sources, ignored, rows: [{row, values}]}
    counts = models.JSONField(default=dict)  # what the apply would write (after validation)
    result = models.JSONField(default=dict)  # what the apply wrote
    created_by = models.JSONField(default=dict)  # the actor who uploaded (kind, label, user_id, api_key_id)
    confirmed_by = models.JSONField(default=dict)
    validated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import")
        constraints = [_one_party("import_job_one_party")]
        indexes = [
            models.Index(fields=["seller", "-created_at"], name="import_job_seller_recent"),
            models.Index(fields=["operator", "-created_at"], name="import_job_operator_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} import {self.original_filename or self.pk}"

    @property
    def owner(self) -> object:
        return self.seller if self.seller_id else self.operator

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS
