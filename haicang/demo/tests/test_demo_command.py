"""End to end: `haicang demo` on a fresh data folder migrates, seeds, starts a worker and serves."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


@pytest.mark.timeout(180)
def test_demo_serves_the_ui_and_the_openapi_schema_on_a_fresh_data_folder(tmp_path):
    # given a fresh data folder and the embedded database
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["HAICANG_DATA_DIR"] = str(tmp_path / "var")

    # when the demo starts
    demo = subprocess.Popen(
        [sys.executable, "-m", "haicang", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/api/schema/")
                break
            except OSError:
                time.sleep(0.5)

        # then the schema and the login page are served, and the keys were generated into the data folder
        assert status == 200, f"demo did not serve; exit code {demo.poll()}"
        assert b"openapi" in body
        login_status, login_page = _get(f"http://127.0.0.1:{port}/login/")
        assert login_status == 200
        assert b"<form" in login_page
        assert (tmp_path / "var" / "secret_key").exists()
        assert (tmp_path / "var" / "data_keys.json").exists()
        assert (tmp_path / "var" / "haicang.sqlite3").exists()
    finally:
        demo.terminate()
        output, _ = demo.communicate(timeout=30)
    assert "lumen.planner" in output and "lumen.planner-demo-2026" in output


@pytest.mark.timeout(180)
def test_reset_starts_the_demo_world_over(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["HAICANG_DATA_DIR"] = str(tmp_path / "var")
    command = [sys.executable, "-m", "haicang", "demo", "--no-serve"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=150, check=True)
    database = tmp_path / "var" / "haicang.sqlite3"
    with sqlite3.connect(database) as db:  # a row only the old database has
        db.execute("INSERT INTO auth_group (name) VALUES ('made before the reset')")

    again = subprocess.run(
        [*command, "--reset"], env=env, capture_output=True, text=True, timeout=150, check=True
    )

    assert "Reset: removed haicang.sqlite3" in again.stdout
    with sqlite3.connect(database) as db:
        assert db.execute(
            "SELECT COUNT(*) FROM auth_group WHERE name = 'made before the reset'"
        ).fetchone() == (0,)
    assert "lumen.owner" in first.stdout and "lumen.owner" in again.stdout
