"""Idempotency keys: the record of what a caller's key did, claimed before a request runs.

The HTTP side lives in :mod:`haicang.core.api.idempotency`; this module knows nothing of HTTP:

- :func:`request_fingerprint` — SHA-256 over method, path and the canonical body (JSON re-serialised
  with sorted keys, anything else as sent), so the same request spelled with other whitespace matches;
- :func:`idempotency_claim` — inserts the ``in_flight`` row in its own short transaction; the unique
  ``(scope, key)`` constraint decides between concurrent requests on every database. The loser learns
  whether the key is still in flight, done (replay), or was used for another request;
- :func:`idempotency_complete` stores the response (body sealed), :func:`idempotency_release` deletes the
  row so that the client may retry (server errors), :func:`idempotency_expired_prune` deletes expired rows.

Rows are kept ``HAICANG_IDEMPOTENCY_TTL_HOURS`` (default 24); an expired row counts as absent.
Records are plumbing, not business facts: they write no audit entries.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from haicang.core.crypto import seal, unseal
from haicang.core.errors import Conflict, DomainError, ValidationFailed
from haicang.core.models.idempotency import IdempotencyRecord, IdempotencyState

DEFAULT_TTL_HOURS = 24
_CLAIM_ATTEMPTS = 3


class IdempotencyErrorCode(StrEnum):
    KEY_INVALID = "idempotency.key_invalid"
    IN_FLIGHT = "idempotency.in_flight"
    KEY_REUSED = "idempotency.key_reused"


class IdempotencyKeyInvalid(ValidationFailed):
    code: ClassVar[str] = IdempotencyErrorCode.KEY_INVALID
    title = "Invalid Idempotency-Key"


class IdempotencyKeyInFlight(Conflict):
    code: ClassVar[str] = IdempotencyErrorCode.IN_FLIGHT
    title = "A request with this Idempotency-Key is still in progress"


class IdempotencyKeyReused(DomainError):
    code: ClassVar[str] = IdempotencyErrorCode.KEY_REUSED
    status = 422
    title = "Idempotency-Key already used for another request"


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"  # this request runs and its response is stored
    REPLAY = "replay"  # the key's request is done: answer its stored response
    IN_FLIGHT = "in_flight"  # the key's request is still running
    KEY_REUSED = "key_reused"  # the key was used for a different request


@dataclass(frozen=True, slots=True)
class Claim:
    outcome: ClaimOutcome
    record: IdempotencyRecord | None


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    content_type: str
    location: str
    body: bytes


def idempotency_ttl() -> timedelta:
    hours = int(getattr(settings, "HAICANG_IDEMPOTENCY_TTL_HOURS", DEFAULT_TTL_HOURS))
    return timedelta(hours=max(hours, 1))


def _canonical_body(body: bytes, content_type: str) -> bytes:
    if body and content_type.split(";")[0].strip().lower().endswith("json"):
        try:
            parsed = json.loads(body)
        except ValueError:
            return body
        return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return body


def request_fingerprint(*, method: str, path: str, body: bytes, content_type: str = "") -> str:
    """SHA-256 (hex) of the method, the path with its query and the canonical body, each length-prefixed."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), _canonical_body(body, content_type)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def idempotency_claim(
    *, scope: str, key: str, method: str, path: str, fingerprint: str, now: datetime | None = None
) -> Claim:
    """Claim ``key`` for ``scope``: the first caller gets ``CLAIMED`` and the new ``in_flight`` row."""
    now = now or timezone.now()
    for _attempt in range(_CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    method=method.upper(),
                    path=path,
                    fingerprint=fingerprint,
                    state=IdempotencyState.IN_FLIGHT,
                    expires_at=now + idempotency_ttl(),
                )
            return Claim(ClaimOutcome.CLAIMED, record)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is None:  # released or pruned in between: try again
            continue
        if existing.expires_at <= now:  # expired counts as absent
            IdempotencyRecord.objects.filter(pk=existing.pk, expires_at__lte=now).delete()
            continue
        if existing.fingerprint != fingerprint:
            return Claim(ClaimOutcome.KEY_REUSED, existing)
        if existing.state == IdempotencyState.IN_FLIGHT:
            return Claim(ClaimOutcome.IN_FLIGHT, existing)
        return Claim(ClaimOutcome.REPLAY, existing)
    return Claim(ClaimOutcome.IN_FLIGHT, None)  # the key keeps changing hands: let the client retry


def idempotency_complete(*, record: IdempotencyRecord, response: StoredResponse) -> None:
    """Store the response of the request that claimed ``record``; its body is sealed to the row."""
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyState.IN_FLIGHT).update(
        state=IdempotencyState.COMPLETED,
        response_status=response.status,
        response_content_type=response.content_type,
        response_location=response.location,
        response_body=seal(response.body, context=record.seal_context),
        completed_at=timezone.now(),
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget an in-flight claim (the request failed on the server's side): the key may be used again."""
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyState.IN_FLIGHT).delete()


def stored_response(record: IdempotencyRecord) -> StoredResponse:
    """The response a completed record holds, its body unsealed."""
    if record.state != IdempotencyState.COMPLETED or record.response_status is None:
        raise ValueError("the idempotency record holds no response yet")
    sealed = bytes(record.response_body or b"")
    return StoredResponse(
        status=record.response_status,
        content_type=record.response_content_type,
        location=record.response_location,
        body=unseal(sealed, context=record.seal_context) if sealed else b"",
    )


def idempotency_expired_prune(*, now: datetime | None = None) -> int:
    """Delete the expired records; returns how many were deleted."""
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
