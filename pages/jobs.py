"""The dashboard's one link to the loaders: each step (the Importer's preview and import,
the demo build of a first start) runs ``python -m loaders ... --json`` in a process of its
own, so the dashboard never imports the loaders or Great Expectations and never holds the
embedded DuckDB file while it is written. The loaders answer in JSON lines, never in the
French prose their console users read."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from warehouse.engine import PROJECT_ROOT, warehouse_url

PREVIEW_TIMEOUT_S = 300


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "loaders", "--url", warehouse_url(), *args]


def preview(paths: list[Path]) -> list[dict]:
    """How each file would be read (``python -m loaders preview``), one dict per file."""
    done = subprocess.run(
        _command("preview", *map(str, paths)),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=PREVIEW_TIMEOUT_S,
        check=False,
    )
    found = _reports(done.stdout.splitlines())
    if len(found) != len(paths):
        raise RuntimeError(
            done.stderr.strip().splitlines()[-1] if done.stderr else "aperçu impossible"
        )
    return found


def run_import(paths: list[Path]) -> Iterator[dict]:
    """Import the files (``python -m loaders import --json``); yields each file's report as
    soon as it is done."""
    process = subprocess.Popen(
        _command("import", "--json", *map(str, paths)),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield from _reports(process.stdout)
    process.wait()


def _reports(lines) -> list[dict]:
    return [json.loads(line) for line in lines if line.startswith("{")]


def build_demo(url: str, out: Path, dwellings: int) -> Iterator[dict]:
    """Write and import the demo exports (``python -m loaders demo --json``): yields
    ``{"demo_files": N, ...}`` once the files are written, then each file's report; a
    final ``{"exit_code": C, "error": ...}`` says how the process ended."""
    process = subprocess.Popen(
        [sys.executable, "-m", "loaders", "--url", url, "demo", "--json"]
        + ["--dwellings", str(dwellings), "--out", str(out)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield from (json.loads(line) for line in process.stdout if line.startswith("{"))
    error = process.stderr.read().strip().splitlines()
    yield {"exit_code": process.wait(), "error": error[-1] if error else ""}
