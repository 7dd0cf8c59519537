"""Signing and verifying webhook bodies. Pure functions, no Django.

Headers of every delivery:

* ``Haicang-Event-Id``: the event's UUID (the same on every retry — deduplicate on it);
* ``Haicang-Timestamp``: Unix seconds when this attempt was signed;
* ``Haicang-Signature``: ``v1=<hex>`` — HMAC-SHA256 with a secret over ``<timestamp>.<body>`` — once per live
  secret, comma-separated (two during a secret rotation).

A receiver accepts the body if one ``v1`` matches one of its secrets and the timestamp is within the replay
window (5 minutes) of its clock.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

REPLAY_WINDOW_SECONDS = 300
SCHEME = "v1"


class SignatureRejected(Exception):
    """The body is not to be trusted: ``reason`` says why (bad header, stale timestamp, no matching secret)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def signature_compute(*, secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """The ``Haicang-Signature`` value: one ``v1=<hex>`` per secret, in the given order."""
    if not secrets:
        raise ValueError("signing needs at least one secret")
    return ",".join(
        f"{SCHEME}={signature_compute(secret=s, timestamp=timestamp, body=body)}" for s in secrets
    )


def signature_verify(
    *,
    body: bytes,
    timestamp: str,
    signature: str,
    secrets: Sequence[str],
    now: float | None = None,
    tolerance: int = REPLAY_WINDOW_SECONDS,
) -> None:
    """Raise :class:`SignatureRejected` unless ``signature`` (the header) signs ``timestamp.body`` with one of
    ``secrets`` and ``timestamp`` is no more than ``tolerance`` seconds away from ``now``."""
    try:
        signed_at = int(timestamp)
    except (TypeError, ValueError):
        raise SignatureRejected("the timestamp is not a whole number of seconds") from None
    current = time.time() if now is None else now
    if abs(current - signed_at) > tolerance:
        raise SignatureRejected("the timestamp is outside the replay window")
    candidates = [
        value.strip()
        for scheme, _, value in (part.strip().partition("=") for part in signature.split(","))
        if scheme == SCHEME
    ]
    if not candidates:
        raise SignatureRejected("no v1 signature in the header")
    for secret in secrets:
        expected = signature_compute(secret=secret, timestamp=signed_at, body=body)
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            return
    raise SignatureRejected("no signature matches a known secret")
