from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from haicang.core.ids import new_id


class ActorKind(models.TextChoices):
    USER = "user", "User"
    API_KEY = "api_key", "API key"
    SYSTEM = "system", "System job"


class AuditEntry(models.Model):
    """One change made by one actor to one object. Written only by ``haicang.core.audit.audit_record``.

    ``changes`` holds a before/after summary of the fields that changed; it never carries personal data
    in clear (services pass summaries, the privacy vault passes field names only).
    """

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key_id = models.UUIDField(null=True, blank=True)
    actor_job = models.CharField(max_length=100, blank=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "occurred_at"], name="audit_subject_idx")
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.subject_label}"
