import base64
import json
import stat

from haicang.core.keyfiles import ensure_data_keys, ensure_secret_key, load_data_keys


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = ensure_secret_key(tmp_path)
    second = ensure_secret_key(tmp_path)

    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_the_data_keyring_holds_a_current_256_bit_key(tmp_path):
    ring = ensure_data_keys(tmp_path)

    current = ring["current"]
    keys = ring["keys"]
    assert isinstance(keys, dict)
    assert len(base64.b64decode(keys[current])) == 32
    assert ensure_data_keys(tmp_path) == ring


def test_a_keyring_in_the_environment_wins_over_the_data_folder(tmp_path, monkeypatch):
    ring = {"current": "7", "keys": {"7": base64.b64encode(b"k" * 32).decode()}}
    monkeypatch.setenv("HAICANG_DATA_KEYS", json.dumps(ring))

    assert load_data_keys(tmp_path) == ring
    assert not (tmp_path / "data_keys.json").exists()
