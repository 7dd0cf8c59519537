"""Sealing data at rest: AES-256-GCM under the installation's data keyring.

A value is *sealed* before it is stored where it must not sit in clear (stored API responses, later the
privacy vault) and *unsealed* when it is read back::

    sealed = seal(b"...", context=b"idempotency:0192...")
    plaintext = unseal(sealed, context=b"idempotency:0192...")

Format of a sealed value: ``<key version, ASCII> "$" <96-bit random nonce> <ciphertext and 128-bit tag>``.
The version prefix names the keyring entry that sealed it, so values sealed before a key rotation still
open with the old key while new values use the current one. ``context`` is authenticated but not stored
(AES-GCM associated data, together with the version): it binds the value to the row or purpose it was
sealed for, so a sealed value copied into another row, or a tampered value, fails to open with
:class:`UnsealError` instead of yielding wrong data.

The keyring is :func:`haicang.core.keyfiles.load_data_keys` of ``settings.DATA_DIR`` —
``{"current": "<version>", "keys": {"<version>": "<base64 32-byte key>"}}``. To rotate, add a new version
and make it current; keep the old versions as long as values sealed with them exist.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
KEY_BYTES = 32
SEPARATOR = b"$"


class UnsealError(ValueError):
    """A sealed value cannot be opened: unknown key version, malformed, tampered or the wrong context."""


@dataclass(frozen=True, slots=True)
class Keyring:
    """The data keys by version and the version new values are sealed with."""

    current: str
    keys: Mapping[str, bytes]

    @classmethod
    def from_mapping(cls, ring: Mapping[str, object]) -> Keyring:
        """A keyring from its stored form (versions to base64 keys); checks every key and version."""
        raw_keys = ring.get("keys")
        if not isinstance(raw_keys, Mapping) or not raw_keys:
            raise ValueError("the data keyring names no keys")
        keys: dict[str, bytes] = {}
        for version, encoded in raw_keys.items():
            version = str(version)
            if not version or not version.isascii() or SEPARATOR.decode() in version:
                raise ValueError(f"data key version {version!r} must be non-empty ASCII without '$'")
            try:
                key = base64.b64decode(str(encoded), validate=True)
            except binascii.Error as exc:
                raise ValueError(f"data key {version!r} is not base64") from exc
            if len(key) != KEY_BYTES:
                raise ValueError(f"data key {version!r} must be {KEY_BYTES} bytes")
            keys[version] = key
        current = str(ring.get("current", ""))
        if current not in keys:
            raise ValueError(f"the current data key version {current!r} is not in the keyring")
        return cls(current=current, keys=keys)


@lru_cache(maxsize=1)
def configured_keyring() -> Keyring:
    """The installation's keyring, read once per process (``configured_keyring.cache_clear()`` re-reads it)."""
    from django.conf import settings

    from haicang.core.keyfiles import load_data_keys

    return Keyring.from_mapping(load_data_keys(settings.DATA_DIR))


def _associated_data(version: bytes, context: bytes) -> bytes:
    return version + SEPARATOR + context


def seal(plaintext: bytes, *, context: bytes, keyring: Keyring | None = None) -> bytes:
    """``plaintext`` encrypted and authenticated with the current key, bound to ``context``."""
    ring = keyring or configured_keyring()
    version = ring.current.encode("ascii")
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(ring.keys[ring.current]).encrypt(nonce, plaintext, _associated_data(version, context))
    return version + SEPARATOR + nonce + ciphertext


def unseal(sealed: bytes, *, context: bytes, keyring: Keyring | None = None) -> bytes:
    """The plaintext of a value :func:`seal` made with the same ``context``; :class:`UnsealError` if it
    was tampered with, sealed for another context or with a key version the keyring no longer holds."""
    ring = keyring or configured_keyring()
    version, separator, rest = bytes(sealed).partition(SEPARATOR)
    if not separator or len(rest) <= NONCE_BYTES:
        raise UnsealError("not a sealed value")
    key = ring.keys.get(version.decode("ascii", errors="replace"))
    if key is None and keyring is None:
        # Another process may have rotated the keys since this one read them (`haicang rotate-keys`).
        configured_keyring.cache_clear()
        key = configured_keyring().keys.get(version.decode("ascii", errors="replace"))
    if key is None:
        raise UnsealError(f"no data key of version {version.decode('ascii', errors='replace')!r}")
    nonce, ciphertext = rest[:NONCE_BYTES], rest[NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, _associated_data(version, context))
    except InvalidTag as exc:
        raise UnsealError("the sealed value was tampered with or belongs to another context") from exc


def sealed_version(sealed: bytes) -> str:
    """The key version a sealed value names (empty when it is not a sealed value)."""
    version, separator, _rest = bytes(sealed).partition(SEPARATOR)
    return version.decode("ascii", errors="replace") if separator else ""
