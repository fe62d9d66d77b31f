"""Time and peak memory of reading hostile workbooks (issue 26, case 14).

    python bench/workbooks.py row      # a call numbered row 20,000,000
    python bench/workbooks.py bomb     # a shared-strings table of 300,000 copies of 1 kB

Builds the file, then reads it in a fresh process as an import does (``open_export`` then
every chunk) and prints the outcome, the seconds and the peak resident memory (VmHWM)
before and after reading.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.read.detect import open_export  # noqa: E402
from loaders.read.export import FileRejected
from tests.loaders.test_workbook_bounds import calls, with_last_row_at, with_string_bomb  # noqa: E402


def build(kind: str) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = calls(folder / "appels.xlsx")
    return with_last_row_at(path, 20_000_000) if kind == "row" else with_string_bomb(path, 300_000)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from
    the process that built the file)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read(path: Path) -> None:
    before = peak_mb()
    started = time.perf_counter()
    try:
        rows = sum(len(chunk.frame) for chunk in open_export(path).chunks())
        outcome = f"{rows} rows read"
    except FileRejected as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    peak = peak_mb()
    print(f"{path.stat().st_size / 1e3:.0f} kB file; {outcome}")
    print(f"{seconds:.1f} s, peak memory {before:.0f} MB before reading -> {peak:.0f} MB")


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(Path(sys.argv[2]))
    else:
        built = build(sys.argv[1])
        subprocess.run([sys.executable, __file__, "read", str(built)], check=True)
