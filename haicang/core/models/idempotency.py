"""What an ``Idempotency-Key`` already did: one row per caller and key (see ``haicang.core.idempotency``)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from haicang.core.models.base import Entity

IDEMPOTENCY_KEY_MAX_LENGTH = 255
# Visible ASCII only (no spaces or control characters): UUIDs, ULIDs and most client-made keys fit.
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}\Z"
idempotency_key_validator = RegexValidator(
    IDEMPOTENCY_KEY_PATTERN,
    _("An Idempotency-Key is 1 to 255 visible ASCII characters."),
    code="idempotency.key_invalid",
)


class IdempotencyState(models.TextChoices):
    IN_FLIGHT = "in_flight", _("In flight")
    COMPLETED = "completed", _("Completed")


class IdempotencyRecord(Entity):
    """A caller's key, the request it was first used for (as a fingerprint) and, once the request is
    done, its response. The response body is sealed (:mod:`haicang.core.crypto`) with the row's id as
    context: it may carry personal data or secrets (an issued API key), so it never sits in clear."""

    scope = models.CharField(
        max_length=100, help_text=_("Whose key: `<credential model>:<id>` or `user:<id>` for a session.")
    )
    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH, validators=[idempotency_key_validator])
    method = models.CharField(max_length=10)
    path = models.TextField()
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of method, path and canonical body."))
    state = models.CharField(
        max_length=10, choices=IdempotencyState.choices, default=IdempotencyState.IN_FLIGHT
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_content_type = models.CharField(max_length=255, blank=True, default="")
    response_location = models.TextField(blank=True, default="")
    response_body = models.BinaryField(
        null=True, blank=True, help_text=_("Sealed: key version, nonce, AES-GCM.")
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    # The lease of the request that holds an in-flight key: once it runs out (the request crashed or its
    # process died), a retry with the same key and body takes the key over under a new claim token.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_scope_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.state})"

    @property
    def seal_context(self) -> bytes:
        return f"idempotency:{self.pk}".encode("ascii")
