"""Public identifiers: time-ordered UUIDv7 for every object the API or the UI addresses."""

from __future__ import annotations

import uuid

from uuid_utils import compat


def new_id() -> uuid.UUID:
    """A new UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then random bits; sorts by creation time."""
    value: uuid.UUID = compat.uuid7()
    return value


def id_timestamp_ms(value: uuid.UUID) -> int:
    """The creation time, in Unix milliseconds, carried by a UUIDv7."""
    if value.version != 7:
        raise ValueError(f"{value} is not a UUIDv7")
    return value.int >> 80
