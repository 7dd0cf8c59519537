"""When to try a webhook again, and which answers are final. Pure functions, no Django.

Waits after the 1st, 2nd… failed attempt: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 6 h, 9 h (about 24 h
over 10 attempts), each ±20 % jitter so that many receivers coming back at once are not hit together.
"""

from __future__ import annotations

import random
from datetime import timedelta
from enum import StrEnum

BACKOFF_MINUTES: tuple[int, ...] = (1, 5, 15, 30, 60, 120, 240, 360, 540)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
MAX_AGE = timedelta(hours=24)
JITTER = 0.2
TIMEOUT_SECONDS = 5.0
RETRYABLE_4XX = frozenset({408, 429})


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    PERMANENT = "permanent"


def outcome_of(status_code: int | None) -> Outcome:
    """2xx delivered; 4xx other than 408/429 permanent; anything else (5xx, 3xx, no answer) worth a retry."""
    if status_code is not None and 200 <= status_code < 300:
        return Outcome.DELIVERED
    if status_code is not None and 400 <= status_code < 500 and status_code not in RETRYABLE_4XX:
        return Outcome.PERMANENT
    return Outcome.RETRY


def backoff(attempt: int, *, rng: random.Random | None = None) -> timedelta | None:
    """The wait after failed attempt number ``attempt`` (1-based), or None when no attempt is left."""
    if attempt < 1 or attempt >= MAX_ATTEMPTS:
        return None
    base = BACKOFF_MINUTES[attempt - 1] * 60.0
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return timedelta(seconds=base * factor)
