"""Run a command; print its wall time and the peak memory of it and its children as JSON.

    python bench/peak.py OUT.json -- command args...

The peak is ``ru_maxrss`` of this wrapper's waited-for children (the largest resident set
any of them reached), so one wrapper per measured command gives that command's own peak.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    out, sep, *command = sys.argv[1:]
    assert sep == "--", "usage: peak.py OUT.json -- command..."
    start = time.perf_counter()
    code = subprocess.call(command)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(out).write_text(json.dumps({"wall_s": wall, "peak_mb": peak_kb / 1024, "exit": code}))
    return code


if __name__ == "__main__":
    sys.exit(main())
