"""A process killed with SIGKILL in the middle of a batch of ledger work leaves the ledger consistent: every
batch is one transaction, so it is in the database whole or not at all, and ``haicang verify`` is clean."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from haicang.inventory.models import Move
from haicang.inventory.tests.crash_batches import PER_BATCH, database_url
from haicang.inventory.tests.factories import StockWorld, make_stock_world
from haicang.inventory.verify import ledger_verify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


def child_env(w: StockWorld) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "HAICANG_DATA_DIR": str(settings.DATA_DIR)}
    env["DJANGO_SETTINGS_MODULE"] = "haicang.settings_test"
    env["CRASH_WORLD"] = ",".join(str(pk) for pk in (w.seller.pk, w.sku.pk, w.receiving.pk, w.pick.pk))
    return env


def kill_mid_batch(env: dict[str, str], *, after: int, fraction: float) -> list[str]:
    """Start the child, let it commit ``after`` batches, then SIGKILL it ``fraction`` of the way into the next
    batch (timed from the batches before). Returns the lines it printed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "haicang.inventory.tests.crash_batches"],
        env=env,
        cwd=Path(settings.BASE_DIR).parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        for line in child.stdout or []:
            lines.put((time.monotonic(), line.strip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[tuple[float, str]] = []
    try:
        while True:
            seen.append(lines.get(timeout=60))
            if seen[-1][1] == f"begin {after + 1}":
                break
        begins = [t for t, line in seen if line.startswith("begin")]
        batch_seconds = (begins[-1] - begins[1]) / (len(begins) - 2)
        time.sleep(batch_seconds * fraction)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    reader.join(timeout=10)
    while not lines.empty():
        seen.append(lines.get())
    return [line for _, line in seen]


@pytest.mark.parametrize("fraction", [0.3, 0.7])
def test_a_process_killed_in_the_middle_of_a_batch_of_moves_leaves_the_ledger_consistent(fraction):
    # given a child process posting batches of receipts, putaways and shipments, one transaction per batch
    w = make_stock_world()
    env = child_env(w)

    # when it is killed with SIGKILL part-way through a batch (tried again if the batch beat the signal)
    for run in range(3):
        printed = kill_mid_batch({**env, "CRASH_RUN": f"run{run}"}, after=3, fraction=fraction)
        if printed[-1].startswith("begin"):
            break
    interrupted = int(printed[-1].split()[1])
    committed = {int(line.split()[1]) for line in printed if line.startswith("committed")}
    assert printed[-1].startswith("begin") and committed >= {1, 2, 3}, printed

    # then every batch in the ledger is whole, the interrupted one is absent, and `haicang verify` is clean
    per_batch = Counter(
        Move.objects.filter(document_ref__startswith=f"run{run}-").values_list("document_ref", flat=True)
    )
    assert set(per_batch.values()) == {PER_BATCH}
    assert {int(ref.split("-")[1]) for ref in per_batch} == committed
    assert interrupted not in committed
    assert ledger_verify() == []
    verify = subprocess.run(
        [sys.executable, "-m", "haicang", "verify"], env=env, capture_output=True, text=True, timeout=60
    )
    assert verify.returncode == 0, verify.stderr
    assert "every invariant holds" in verify.stdout
