"""Blind indexes: a keyed hash of a personal value, stored beside its sealed form so that rows can be found by
the value (an order by the customer's e-mail) without the value ever sitting in clear.

``blind_index(purpose, value)`` is HMAC-SHA256 under the keyring's ``index_key`` (separate from the data keys,
never rotated with them: see :func:`haicang.core.keyfiles.load_index_key`) over ``<purpose>:<value>``. The
caller normalises ``value`` first (lower-case e-mail, E.164 phone) so that equal values hash equally; the
purpose keeps an e-mail's hash from matching the same text indexed as something else. An empty value has no
index (``""``).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    from django.conf import settings

    from haicang.core.keyfiles import load_index_key

    return load_index_key(settings.DATA_DIR)


def blind_index(purpose: str, value: str) -> str:
    """The hex HMAC-SHA256 of ``value`` (already normalised) for ``purpose``; ``""`` for an empty value."""
    if not value:
        return ""
    message = f"{purpose}:{value}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def email_normalise(email: str) -> str:
    """The form of an e-mail address that is indexed: trimmed and lower-cased."""
    return email.strip().lower()
