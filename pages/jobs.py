"""The dashboard's one link to the loaders: each step (the Importer's preview and import,
the demo build of a first start) runs ``python -m loaders ... --json`` in a process of its
own (the Importer's in a warm spare, :mod:`pages.worker`), so the dashboard never imports the loaders or Great Expectations and never holds the
embedded DuckDB file while it is written. The loaders answer in JSON lines, never in the
French prose their console users read."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pages import worker
from warehouse.engine import PROJECT_ROOT, warehouse_url

PREVIEW_TIMEOUT_S = 300


def _arguments(*args: str) -> list[str]:
    return ["--url", warehouse_url(), *args]


class JobFailed(RuntimeError):
    """A loaders process ended without its answer; the message is the one it gave, in
    French (a warehouse held too long, a broken profile...) or says it gave none."""


def prepare() -> None:
    """Warm a loaders process up for the Importer's next command."""
    worker.prepare()


@contextmanager
def staged_uploads(uploads: list[tuple[str, bytes]]) -> Iterator[list[Path]]:
    """The uploaded files on disk for the time of one loaders process, then gone: each in a
    folder of its own (two uploads may share a name), in a private temporary folder
    (mode 700) removed as soon as the process has read them, whatever happened. Nothing a
    user uploads stays on the server's disk, whether they import it or not."""
    with tempfile.TemporaryDirectory(prefix="pilotage-import-") as folder:
        paths = []
        for index, (name, content) in enumerate(uploads):
            path = Path(folder) / str(index) / name
            path.parent.mkdir()
            path.write_bytes(content)
            paths.append(path)
        yield paths


def distinct_names(names: list[str]) -> list[str]:
    """The uploads' names, each told apart: a second ``appels.csv`` becomes
    ``appels (2).csv`` (the name its preview, its report and the load history show)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        base = Path(name).name
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            stem, suffix = Path(base).stem, Path(base).suffix
            base = f"{stem} ({seen[base]}){suffix}"
        out.append(base)
    return out


def preview(uploads: list[tuple[str, bytes]]) -> list[dict]:
    """How each uploaded file would be read (``python -m loaders preview``), one dict per
    file, in the order given; :class:`JobFailed` when the process could not tell."""
    with staged_uploads(uploads) as paths:
        # A process of its own, not the warm spare: a preview loads no Great Expectations
        # (1 to 2 s), while the spare, started with the page, warms up for the import.
        done = subprocess.run(
            [sys.executable, "-m", "loaders", *_arguments("preview", *map(str, paths))],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=PREVIEW_TIMEOUT_S,
            check=False,
        )
    found = _reports(done.stdout.splitlines())
    if len(found) != len(uploads):
        raise JobFailed(_said(done.stderr, done.returncode, "la lecture des fichiers"))
    return found


def run_import(uploads: list[tuple[str, bytes]]) -> Iterator[dict]:
    """Import the uploaded files (``python -m loaders import --json``): yields each file's
    report as soon as it is done, then ``{"exit_code": C, "error": "..."}``: a non-zero
    code with no report for some file is an import that did not run (its French reason in
    ``error``)."""
    with staged_uploads(uploads) as paths:
        process = worker.run(_arguments("import", "--json", *map(str, paths)))
        yield from _reports(process.stdout)
        code = process.wait()
        error = process.stderr.read()
    yield {"exit_code": code, "error": _said(error, code, "l'import") if code else ""}


def _said(stderr: str, code: int, what: str) -> str:
    """The last line a loaders process wrote on its error output (its French message, or
    a traceback's last line), or that it said nothing."""
    lines = [line for line in (stderr or "").strip().splitlines() if line.strip()]
    if lines:
        return lines[-1]
    return f"{what} s'est arrêté(e) sans message (code de sortie {code})"


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
