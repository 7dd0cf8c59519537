"""Sealing data at rest: AES-GCM under the versioned data keyring, bound to a context."""

from __future__ import annotations

import base64
import secrets

import pytest

from haicang.core.crypto import Keyring, UnsealError, configured_keyring, seal, unseal


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


OLD_KEY, NEW_KEY = _key(), _key()
RING_V1 = Keyring.from_mapping({"current": "1", "keys": {"1": OLD_KEY}})
RING_V2 = Keyring.from_mapping({"current": "2", "keys": {"1": OLD_KEY, "2": NEW_KEY}})


def test_a_sealed_value_opens_with_the_same_context_and_hides_the_plaintext():
    sealed = seal(b"alice@example.com", context=b"row:1", keyring=RING_V1)

    assert b"alice@example.com" not in sealed
    assert sealed.startswith(b"1$")
    assert unseal(sealed, context=b"row:1", keyring=RING_V1) == b"alice@example.com"


def test_sealing_twice_gives_different_values_because_of_the_random_nonce():
    assert seal(b"same", context=b"c", keyring=RING_V1) != seal(b"same", context=b"c", keyring=RING_V1)


def test_an_empty_value_round_trips():
    assert unseal(seal(b"", context=b"c", keyring=RING_V1), context=b"c", keyring=RING_V1) == b""


def test_a_tampered_value_does_not_open():
    sealed = bytearray(seal(b"secret", context=b"row:1", keyring=RING_V1))
    sealed[-1] ^= 0x01

    with pytest.raises(UnsealError):
        unseal(bytes(sealed), context=b"row:1", keyring=RING_V1)


def test_a_value_moved_to_another_context_does_not_open():
    sealed = seal(b"secret", context=b"row:1", keyring=RING_V1)

    with pytest.raises(UnsealError):
        unseal(sealed, context=b"row:2", keyring=RING_V1)


def test_after_rotation_new_values_use_the_new_key_and_old_values_still_open():
    old = seal(b"before", context=b"c", keyring=RING_V1)
    new = seal(b"after", context=b"c", keyring=RING_V2)

    assert new.startswith(b"2$")
    assert unseal(old, context=b"c", keyring=RING_V2) == b"before"
    assert unseal(new, context=b"c", keyring=RING_V2) == b"after"


def test_a_value_whose_key_version_was_dropped_or_relabelled_does_not_open():
    new = seal(b"after", context=b"c", keyring=RING_V2)
    relabelled = b"1" + new[1:]

    with pytest.raises(UnsealError):
        unseal(new, context=b"c", keyring=RING_V1)
    with pytest.raises(UnsealError):
        unseal(relabelled, context=b"c", keyring=RING_V2)


def test_garbage_is_not_a_sealed_value():
    with pytest.raises(UnsealError):
        unseal(b"no separator here", context=b"c", keyring=RING_V1)


@pytest.mark.parametrize(
    "ring",
    [
        {"current": "1", "keys": {}},
        {"current": "2", "keys": {"1": OLD_KEY}},
        {"current": "1", "keys": {"1": base64.b64encode(b"short").decode()}},
        {"current": "a$b", "keys": {"a$b": OLD_KEY}},
    ],
)
def test_a_broken_keyring_is_refused(ring):
    with pytest.raises(ValueError):
        Keyring.from_mapping(ring)


def test_the_configured_keyring_comes_from_the_data_folder_and_seals_by_default():
    ring = configured_keyring()

    assert ring.current in ring.keys
    assert unseal(seal(b"x", context=b"c"), context=b"c") == b"x"
