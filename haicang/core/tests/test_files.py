"""Stored files go through Django's storage API: a folder under the data dir by default."""

from __future__ import annotations

import io

import pytest

from haicang.core.files import (
    FilePathInvalid,
    StoredFileNotFound,
    file_delete,
    file_exists,
    file_open,
    file_read,
    file_store,
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def test_a_stored_file_lands_under_media_root_and_reads_back(media_root, system_actor):
    name = file_store(actor=system_actor, path="labels/2026/ORD-2026-000001.pdf", content=b"%PDF-1.7 label")

    assert name == "labels/2026/ORD-2026-000001.pdf"
    assert (media_root / "labels" / "2026" / "ORD-2026-000001.pdf").read_bytes() == b"%PDF-1.7 label"
    assert file_read(path=name) == b"%PDF-1.7 label"
    with file_open(path=name) as handle:
        assert handle.read(4) == b"%PDF"


def test_a_file_object_can_be_stored(media_root, system_actor):
    name = file_store(actor=system_actor, path="reports/stock.csv", content=io.BytesIO(b"sku,qty\nA,1\n"))

    assert file_read(path=name) == b"sku,qty\nA,1\n"


def test_storing_at_a_taken_path_keeps_both_unless_overwriting(media_root, system_actor):
    first = file_store(actor=system_actor, path="photos/p.jpg", content=b"one")
    second = file_store(actor=system_actor, path="photos/p.jpg", content=b"two")
    assert first != second
    assert (file_read(path=first), file_read(path=second)) == (b"one", b"two")

    again = file_store(actor=system_actor, path="photos/p.jpg", content=b"three", overwrite=True)
    assert again == first
    assert file_read(path=first) == b"three"


def test_a_deleted_file_is_gone_and_opening_it_is_not_found(media_root, system_actor):
    name = file_store(actor=system_actor, path="tmp/x.txt", content=b"x")

    file_delete(actor=system_actor, path=name)

    assert not file_exists(path=name)
    with pytest.raises(StoredFileNotFound) as caught:
        file_open(path=name)
    assert caught.value.code == "files.not_found"


@pytest.mark.parametrize(
    "path", ["", "../etc/passwd", "/abs/file", "a/../b", "a//b", "sp ace.txt", ".hidden"]
)
def test_a_path_that_could_leave_the_storage_is_refused(media_root, system_actor, path):
    with pytest.raises(FilePathInvalid) as caught:
        file_store(actor=system_actor, path=path, content=b"x")

    assert caught.value.code == "files.path_invalid"
    assert not any(media_root.parent.rglob("passwd"))
