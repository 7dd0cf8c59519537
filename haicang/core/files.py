"""Stored files (photos, labels, reports, exchanged files) through Django's storage API.

The default storage is a folder, ``MEDIA_ROOT`` (``HAICANG_DATA_DIR/files``); an installation that needs
more switches ``STORAGES["default"]`` to S3-compatible storage (see ``docs/jobs.md``) and nothing here
changes. Paths are relative, '/'-separated names such as ``labels/2026/ORD-2026-000123.pdf``; a name that
would leave the storage is refused. The object a file belongs to records its path and audits the change:
these functions only move bytes. Files never hold personal data in clear (the privacy vault encrypts it).
"""

from __future__ import annotations

import logging
import re
from enum import StrEnum
from typing import IO, ClassVar

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from haicang.core.actors import Actor
from haicang.core.errors import NotFound, ValidationFailed

logger = logging.getLogger(__name__)

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class FilesErrorCode(StrEnum):
    PATH_INVALID = "files.path_invalid"
    NOT_FOUND = "files.not_found"


class FilePathInvalid(ValidationFailed):
    code: ClassVar[str] = FilesErrorCode.PATH_INVALID


class StoredFileNotFound(NotFound):
    code: ClassVar[str] = FilesErrorCode.NOT_FOUND


def _checked(path: str) -> str:
    parts = path.split("/")
    if not path or len(path) > 500 or not all(_PART.match(part) and ".." not in part for part in parts):
        raise FilePathInvalid(
            f"{path!r}: use a relative path of names made of letters, digits, '.', '_' or '-'", field="path"
        )
    return path


def file_store(*, actor: Actor, path: str, content: bytes | IO[bytes], overwrite: bool = False) -> str:
    """Store ``content`` at ``path`` and return the name it was stored under.

    When ``path`` is taken, the storage picks a free name next to it (returned) unless ``overwrite``.
    """
    _checked(path)
    if overwrite and default_storage.exists(path):
        default_storage.delete(path)
    body = ContentFile(content) if isinstance(content, bytes) else File(content)
    try:
        name = default_storage.save(path, body)
    except SuspiciousFileOperation as exc:
        raise FilePathInvalid(f"{path!r} cannot be stored: {exc}", field="path") from exc
    logger.info("%s stored file %s", actor, name)
    return name


def file_open(*, path: str) -> File[bytes]:
    """The stored file at ``path``, open for reading bytes; close it after use (it is a context manager)."""
    _checked(path)
    if not default_storage.exists(path):
        raise StoredFileNotFound(f"no stored file at {path!r}", field="path")
    return default_storage.open(path, "rb")


def file_read(*, path: str) -> bytes:
    """The whole content of the stored file at ``path``."""
    with file_open(path=path) as handle:
        data: bytes = handle.read()
    return data


def file_exists(*, path: str) -> bool:
    return default_storage.exists(_checked(path))


def file_delete(*, actor: Actor, path: str) -> None:
    """Remove the stored file at ``path``; removing a file that is not there is not an error."""
    default_storage.delete(_checked(path))
    logger.info("%s deleted file %s", actor, path)
