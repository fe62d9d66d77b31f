"""A warm loaders process, kept ready for the Importer's next command.

Starting ``python -m loaders`` costs 3 to 6 s before it reads a line: the loaders, pandas
and Great Expectations load, and every source's validation suite is built. A spare process
(``python -m loaders worker``) does that ahead, then waits for one command on its standard
input; it runs it exactly as the command line does and exits. The dashboard keeps one spare
per process, started when the Importer is opened and replaced as soon as it is taken: each
preview and each import still runs in a process of its own (the dashboard never imports the
loaders), and a small file goes from the click to its report in about a second.

The command carries the dashboard's current settings (``warehouse.config``), applied by
the worker before it runs: a spare started earlier never uses stale ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from warehouse.config import SETTINGS
from warehouse.engine import PROJECT_ROOT

_lock = threading.Lock()
_spare: list[subprocess.Popen] = []  # at most one


def _start() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "loaders", "worker"],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def prepare() -> None:
    """Have a spare warming up or ready (the Importer calls it when it is shown)."""
    with _lock:
        if not _spare or _spare[0].poll() is not None:
            _spare[:] = [_start()]


def run(argv: list[str]) -> subprocess.Popen:
    """``python -m loaders`` with ``argv``, in the spare process (a fresh one when there is
    none): returns it once it has the command, its answers to be read on its stdout. A new
    spare starts warming up for the next command."""
    with _lock:
        ready = [p for p in _spare if p.poll() is None]
        process = ready[0] if ready else _start()
        _spare[:] = [_start()]
    first = process.stdout.readline()
    if not first.startswith('{"ready"'):  # it died warming up: its error output says why
        process.wait()
        return process
    settings = {name: os.environ.get(name) for name in SETTINGS}
    process.stdin.write(json.dumps({"argv": argv, "env": settings}) + "\n")
    process.stdin.close()
    process.stdin = None  # said all it will hear: communicate() must not flush it again
    return process
