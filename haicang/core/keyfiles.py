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
