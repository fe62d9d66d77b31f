"""What can go wrong with the warehouse itself, told apart in one place and said in French.

A database driver reports a damaged file, a full disk, a read-only file system or a file
another process holds as exceptions of its own, chained under SQLAlchemy's, in English and
with the SQL that met them. :func:`classify` turns them into a :class:`WarehouseFault`:
one French sentence saying what happened and what to do. The command lines print it and
exit with code 2 (:func:`says_faults`), the dashboard shows it (``app.py``), an import
stops on it (``loaders.pipeline``). Each fault leaves the warehouse as it was: the
transaction that met it rolls back.
"""

from __future__ import annotations

import errno
import functools
import re
import sys

FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
# What DuckDB says, in its own words (its exceptions carry no error code).
CORRUPT_WORDS = (
    "not a valid duckdb database file",
    "corrupt database file",
    "could not read enough bytes",
    "does not match stored checksum",
    "serialization error",
)
FULL_WORDS = ("no space left on device", "disk quota exceeded", "file too large")
READ_ONLY_WORDS = (
    "read-only file system",
    "read-only mode",
    "permission denied",
    "operation not permitted",
)
DRIVERS = ("duckdb", "_duckdb", "psycopg", "psycopg2")
# PostgreSQL's SQLSTATE classes and codes.
PG_FULL = ("53100",)  # disk_full
PG_READ_ONLY = ("25006",)  # read_only_sql_transaction
PG_CORRUPT = ("XX001", "XX002")  # data_corrupted, index_corrupted
INTACT = "rien n'a été écrit, l'entrepôt est resté tel qu'avant"


class WarehouseFault(RuntimeError):
    """The warehouse cannot be used as it is; the message is one French sentence."""

    label = "Entrepôt inutilisable"


class WarehouseBusy(WarehouseFault):
    """The DuckDB file stayed locked by another process longer than we wait."""

    label = "Entrepôt occupé"


class WarehouseMissing(WarehouseFault):
    """A reader was pointed at a DuckDB file that does not exist (a volume not mounted, a
    moved file): said, never replaced by an empty or a demo warehouse."""

    label = "Entrepôt introuvable"

    def __init__(self, path) -> None:
        super().__init__(
            f"aucun entrepôt à {path} : vérifiez WAREHOUSE_URL (fichier déplacé, volume non "
            "monté ?), ou créez-le par un import (python -m loaders import ...)"
        )


class WarehouseCorrupt(WarehouseFault):
    label = "Entrepôt endommagé"


class WarehouseFull(WarehouseFault):
    label = "Disque plein"


class WarehouseReadOnly(WarehouseFault):
    label = "Entrepôt en lecture seule"


def _chain(error: BaseException):
    """The error, the driver's error under SQLAlchemy's (``orig``), and their causes."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def classify(error: BaseException, where: object = "") -> WarehouseFault | None:
    """The fault ``error`` is, or None for anything else (a bug keeps its traceback).
    ``where`` names the warehouse (its file, or its server) in the sentence."""
    if isinstance(error, WarehouseFault):
        return error
    where = where or _file_named(error)
    at = f" {where}" if where else ""
    for current in _chain(error):
        code = getattr(current, "errno", None) if isinstance(current, OSError) else None
        state = str(getattr(current, "sqlstate", "") or getattr(current, "pgcode", "") or "")
        text = str(current).lower() if _speaks(current) else ""
        if code in FULL or state in PG_FULL or any(w in text for w in FULL_WORDS):
            return WarehouseFull(
                f"plus de place sur le disque de l'entrepôt{at} : {INTACT} ; libérez de la "
                "place (ou agrandissez le volume), puis relancez"
            )
        if code in READ_ONLY or state in PG_READ_ONLY or any(w in text for w in READ_ONLY_WORDS):
            return WarehouseReadOnly(
                f"l'entrepôt{at} est en lecture seule (système de fichiers monté en lecture "
                f"seule, ou droits du fichier) : {INTACT} ; rendez-le inscriptible pour "
                "l'utilisateur du service, puis relancez"
            )
        if state in PG_CORRUPT or any(w in text for w in CORRUPT_WORDS):
            return WarehouseCorrupt(
                f"le fichier de l'entrepôt{at} est endommagé et ne peut pas être lu : rien n'y "
                "a été écrit ; restaurez la dernière sauvegarde (ou reconstruisez-le : python "
                "-m warehouse init, puis les imports)"
            )
    return None


def _speaks(error: BaseException) -> bool:
    """An error whose words may be read: the driver's own, or the system's; never
    SQLAlchemy's, which carry the SQL and its parameters (a motif could say anything)."""
    module = type(error).__module__.split(".", 1)[0]
    return isinstance(error, OSError) or module in DRIVERS


def _file_named(error: BaseException) -> str:
    """The DuckDB file a driver's message names (``file "/srv/data/warehouse.duckdb"``)."""
    for current in _chain(error):
        if _speaks(current):
            found = re.search(r'"([^"]+?\.duckdb)(?:\.wal)?"', str(current))
            if found:
                return found.group(1)
    return ""


def says_faults(main):
    """A command's ``main``: a fault of the warehouse (:func:`classify`) is one French
    sentence on stderr and exit code 2, never a traceback."""

    @functools.wraps(main)
    def run(argv: list[str] | None = None) -> int:
        try:
            return main(argv)
        except Exception as error:  # noqa: BLE001 - classified, or raised again
            fault = classify(error)
            if fault is None:
                raise
            print(f"{fault.label} : {fault}", file=sys.stderr)
            return 2

    return run
