"""API-key material: generation and digests. Keys look like ``hc_3fK9xQ2b_<secret>``; only the SHA-256 digest
of the whole key is stored, with the visible prefix ``hc_3fK9xQ2b`` to tell keys apart. Pure, no Django."""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass

_ALPHABET = string.ascii_letters + string.digits
KEY_START = "hc_"


@dataclass(frozen=True)
class KeyMaterial:
    prefix: str
    plaintext: str
    digest: str


def key_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def key_generate() -> KeyMaterial:
    prefix = KEY_START + "".join(secrets.choice(_ALPHABET) for _ in range(8))
    plaintext = f"{prefix}_{secrets.token_urlsafe(32)}"
    return KeyMaterial(prefix=prefix, plaintext=plaintext, digest=key_digest(plaintext))


def key_looks_valid(plaintext: str) -> bool:
    return plaintext.startswith(KEY_START) and plaintext.count("_") >= 2 and 40 <= len(plaintext) <= 100
