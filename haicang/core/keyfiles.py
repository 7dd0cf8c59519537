"""Keys that live in the data folder: Django's secret key and the data-encryption keyring.

Production sets ``SECRET_KEY`` and ``HAICANG_DATA_KEYS`` in the environment; the demo and development
installations get both generated once into ``HAICANG_DATA_DIR`` with owner-only permissions.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
DATA_KEYS_FILE = "data_keys.json"


def _write_private(path: Path, text: str) -> None:
    """Create ``path`` with mode 0600 unless it exists already (first writer wins)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def ensure_secret_key(data_dir: Path) -> str:
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


def ensure_data_keys(data_dir: Path) -> dict[str, object]:
    """Return the keyring ``{"current": version, "keys": {version: base64 AES-256 key}}``."""
    path = data_dir / DATA_KEYS_FILE
    if not path.exists():
        ring = {"current": "1", "keys": {"1": base64.b64encode(secrets.token_bytes(32)).decode("ascii")}}
        _write_private(path, json.dumps(ring, indent=2))
    ring_data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return ring_data


def load_data_keys(data_dir: Path) -> dict[str, object]:
    """The keyring from ``HAICANG_DATA_KEYS`` (JSON) if set, else from the data folder (created if absent)."""
    raw = os.environ.get("HAICANG_DATA_KEYS")
    if raw:
        ring: dict[str, object] = json.loads(raw)
        return ring
    return ensure_data_keys(data_dir)


# --- the blind-index key and key rotation -------------------------------------------------------------------
INDEX_KEY_NAME = "index_key"
_LOCK_FILE = ".data_keys.lock"


class KeyFileError(RuntimeError):
    """The keyring cannot be changed here (it comes from the environment) or is malformed."""


def _locked(data_dir: Path) -> Any:
    """An exclusive lock on the data folder's key file (serialises read-modify-write between processes)."""
    import fcntl

    handle = os.open(data_dir / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _unlock(handle: Any) -> None:
    import fcntl

    fcntl.flock(handle, fcntl.LOCK_UN)
    os.close(handle)


def _replace_private(path: Path, ring: dict[str, object]) -> None:
    """Write ``ring`` to ``path`` atomically (a 0600 temporary file renamed over it)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(ring, indent=2))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def load_index_key(data_dir: Path) -> bytes:
    """The 32-byte key of the blind indexes (keyed hashes for lookups by value): ``index_key`` of the keyring.

    It is separate from the data keys and never rotates with them (a new index key would orphan every stored
    hash). ``HAICANG_DATA_KEYS`` must carry it; the data folder's key file gets one added on first use."""
    raw = os.environ.get("HAICANG_DATA_KEYS")
    if raw:
        encoded = json.loads(raw).get(INDEX_KEY_NAME)
        if not encoded:
            raise KeyFileError(f"HAICANG_DATA_KEYS has no {INDEX_KEY_NAME!r} (base64 of 32 random bytes)")
        return _index_key_decode(str(encoded))
    ring = ensure_data_keys(data_dir)
    if INDEX_KEY_NAME not in ring:
        handle = _locked(data_dir)
        try:
            path = data_dir / DATA_KEYS_FILE
            ring = json.loads(path.read_text(encoding="utf-8"))
            if INDEX_KEY_NAME not in ring:  # nobody added it while we waited for the lock
                ring[INDEX_KEY_NAME] = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
                _replace_private(path, ring)
        finally:
            _unlock(handle)
    return _index_key_decode(str(ring[INDEX_KEY_NAME]))


def _index_key_decode(encoded: str) -> bytes:
    key = base64.b64decode(encoded, validate=True)
    if len(key) != 32:
        raise KeyFileError(f"the {INDEX_KEY_NAME} must be 32 bytes")
    return key


def data_key_add(data_dir: Path) -> str:
    """Add a new random data key to the data folder's keyring and make it current; the old versions stay (values
    sealed with them still open). Returns the new version. Refused when the keyring comes from the environment:
    add the version there and restart."""
    if os.environ.get("HAICANG_DATA_KEYS"):
        raise KeyFileError(
            "the data keys come from HAICANG_DATA_KEYS: add a new version there, make it current, restart, "
            "then run `haicang rotate-keys --resume`"
        )
    ensure_data_keys(data_dir)
    handle = _locked(data_dir)
    try:
        path = data_dir / DATA_KEYS_FILE
        ring = json.loads(path.read_text(encoding="utf-8"))
        keys = dict(ring.get("keys") or {})
        numbers = [int(v) for v in keys if str(v).isdigit()]
        version = str(max(numbers, default=0) + 1)
        while version in keys:
            version = str(int(version) + 1)
        keys[version] = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        ring["keys"], ring["current"] = keys, version
        _replace_private(path, ring)
    finally:
        _unlock(handle)
    return version
