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

**Lease.** An in-flight row is leased to the request that claimed it for
``HAICANG_IDEMPOTENCY_LEASE_SECONDS`` (default 60) under a random claim token. A request that crashed
without releasing its key (its process killed, the database gone mid-way) would otherwise leave the key
answering 409 until it expires; once the lease has run out, a retry with the same key *and the same request*
takes the row over with a guarded update (a new token and lease; of concurrent retries exactly one wins, the
others still get 409). Completing or releasing is guarded by the token, so a late answer of the first
request, if it was only slow, neither overwrites nor deletes the new holder's claim. The price: a request
that really runs longer than the lease may run twice — keep the lease above the longest API call.
Records are plumbing, not business facts: they write no audit entries.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from haicang.core.crypto import seal, unseal
from haicang.core.errors import Conflict, DomainError, ValidationFailed
from haicang.core.models.idempotency import IdempotencyRecord, IdempotencyState

DEFAULT_TTL_HOURS = 24
DEFAULT_LEASE_SECONDS = 60
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
    taken_over: bool = False  # CLAIMED from a request whose lease ran out


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    content_type: str
    location: str
    body: bytes


def idempotency_ttl() -> timedelta:
    hours = int(getattr(settings, "HAICANG_IDEMPOTENCY_TTL_HOURS", DEFAULT_TTL_HOURS))
    return timedelta(hours=max(hours, 1))


def idempotency_lease() -> timedelta:
    seconds = int(getattr(settings, "HAICANG_IDEMPOTENCY_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    return timedelta(seconds=max(seconds, 1))


def _lease_ran_out(now: datetime) -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)


def _held_by(record: IdempotencyRecord) -> Q:
    """The row is still ``record``'s claim: in flight under the same token."""
    token = Q(claim_token__isnull=True) if record.claim_token is None else Q(claim_token=record.claim_token)
    return Q(pk=record.pk, state=IdempotencyState.IN_FLIGHT) & token


def _take_over(existing: IdempotencyRecord, *, now: datetime) -> IdempotencyRecord | None:
    """Take an in-flight row whose lease ran out; None if it is still leased or another retry won it."""
    token = uuid.uuid4()
    taken = IdempotencyRecord.objects.filter(_held_by(existing), _lease_ran_out(now)).update(
        claim_token=token, lease_expires_at=now + idempotency_lease()
    )
    if taken != 1:
        return None
    return IdempotencyRecord.objects.filter(pk=existing.pk, claim_token=token).first()


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
                    lease_expires_at=now + idempotency_lease(),
                    claim_token=uuid.uuid4(),
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
            if existing.lease_expires_at is not None and existing.lease_expires_at > now:
                return Claim(ClaimOutcome.IN_FLIGHT, existing)
            taken = _take_over(existing, now=now)
            if taken is not None:
                return Claim(ClaimOutcome.CLAIMED, taken, taken_over=True)
            continue  # another retry took it over (or it completed) in between: look again
        return Claim(ClaimOutcome.REPLAY, existing)
    return Claim(ClaimOutcome.IN_FLIGHT, None)  # the key keeps changing hands: let the client retry


def idempotency_complete(*, record: IdempotencyRecord, response: StoredResponse) -> bool:
    """Store the response of the request that claimed ``record``; its body is sealed to the row. False (and
    nothing stored) when the claim was lost: its lease ran out and a retry took the key over."""
    updated = IdempotencyRecord.objects.filter(_held_by(record)).update(
        state=IdempotencyState.COMPLETED,
        response_status=response.status,
        response_content_type=response.content_type,
        response_location=response.location,
        response_body=seal(response.body, context=record.seal_context),
        completed_at=timezone.now(),
        lease_expires_at=None,
    )
    return updated == 1


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget an in-flight claim (the request failed on the server's side): the key may be used again.
    A claim that was taken over in the meantime belongs to the retry and stays."""
    IdempotencyRecord.objects.filter(_held_by(record)).delete()


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
