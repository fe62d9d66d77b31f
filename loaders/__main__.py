import os
import sys

from loaders.cli import main

code = main()
# Great Expectations keeps DuckDB type objects in module caches; at interpreter shutdown
# DuckDB's bindings then print a spurious "leaked instances" report. Everything is
# committed and closed by now, so leave without the interpreter's teardown.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
