"""The first-start lock: one process builds the demo, the others wait; a dead holder's
lock is taken over."""

from __future__ import annotations

import os
import subprocess
import sys

from warehouse.engine import claim_lock


def test_one_holder_at_a_time(tmp_path):
    lock = tmp_path / "w.building"
    assert claim_lock(lock) is True
    assert lock.read_text() == str(os.getpid())
    assert claim_lock(lock) is False  # held by a live process (this one)
    lock.unlink()
    assert claim_lock(lock) is True


def test_a_dead_holders_lock_is_taken_over(tmp_path):
    lock = tmp_path / "w.building"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    lock.write_text(dead)
    assert claim_lock(lock) is True
    assert lock.read_text() == str(os.getpid())
