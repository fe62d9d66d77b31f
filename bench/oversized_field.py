"""Time of importing a call log whose third row holds one oversized motif (issue 26, case 13).

    python bench/oversized_field.py 50000000          # a 50 MB field, DuckDB
    BENCH_URL=postgresql+psycopg://... python bench/oversized_field.py 4000000

Writes 1,000 good calls and the oversized one to a temporary folder, imports the file into
a fresh warehouse and prints the outcome and the seconds; run it under
``/usr/bin/time -f "%e s %M KB"`` for the peak memory.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PILOTAGE_PSEUDONYM_KEY", "bench-key-not-a-secret-0123456789abcdef")

from loaders.pipeline import import_file  # noqa: E402
from tests.loaders.intake import HEADER, call_line  # noqa: E402
from warehouse.engine import make_engine  # noqa: E402
from warehouse.load.setup import init_warehouse  # noqa: E402


def main(size: int, rows: int = 1_000) -> None:
    folder = Path(tempfile.mkdtemp())
    lines = [HEADER] + [call_line(n) for n in range(1, rows + 1)]
    lines.insert(3, call_line(rows + 1, motif="x" * size))
    path = folder / "appels.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    engine = make_engine(os.environ.get("BENCH_URL") or f"duckdb:///{folder / 'w.duckdb'}")
    init_warehouse(engine)
    started = time.perf_counter()
    report = import_file(engine, path)
    print(
        f"{size:,} characters: {report.status}, {report.rows_loaded} loaded, "
        f"{report.rows_quarantined} quarantined, {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
