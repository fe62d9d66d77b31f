"""``python -m loaders``: import export files, or generate and import the demo data."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from loaders.pipeline import import_file
from loaders.read.detect import open_export
from loaders.read.export import FileRejected
from loaders.report import ImportReport
from loaders.sources import SOURCE_ORDER, SOURCES
from warehouse.engine import busy_says_so, make_engine, warehouse_url
from warehouse.french import number
from warehouse.load.setup import init_warehouse

SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".log", ""}  # "": queue_log, cdr files


def expand(paths: list[str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(files as given, and the export files found in the folders given, recursively;
    the files of those folders left aside, each with why)."""
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(f for f in p.rglob("*") if f.is_file()):
            if any(part.startswith(".") for part in f.relative_to(p).parts):
                skipped.append((f, "fichier caché"))
            elif f.suffix.lower() not in SUFFIXES:
                skipped.append(
                    (
                        f,
                        f"extension {f.suffix} non prise en charge (.csv, .txt, .log, .xlsx, sans extension)",
                    )
                )
            else:
                files.append(f)
    return files, skipped


def import_order(files: list[Path], source: str | None, profile: str | None = None) -> list[Path]:
    """Reference files first, then facts; by name within a source (older exports first)."""

    def rank(path: Path) -> tuple[int, str]:
        try:
            name = source or open_export(path, None, profile).source.name
        except FileRejected:
            return (len(SOURCE_ORDER), path.name)
        return (SOURCE_ORDER.index(name), path.name)

    return sorted(files, key=rank)


def describe(report: ImportReport) -> str:
    profile = f" · profil {report.profile}" if report.profile else ""
    head = f"{report.file} [{report.source or '?'}{profile}]"
    if report.status in ("rejected", "failed"):
        return f"REJETÉ  {head} : {report.message}"
    if report.status == "already_loaded":
        return f"IGNORÉ  {head} : {report.message}"
    parts = [
        f"{number(report.rows_read)} lues",
        f"{number(report.rows_loaded)} chargées ({number(report.rows_inserted)} nouvelles, "
        f"{number(report.rows_updated)} mises à jour)",
        f"{number(report.rows_duplicate)} doublons ou déjà à jour",
        f"{number(report.rows_quarantined)} en quarantaine",
    ]
    if report.rows_blank:
        parts.append(f"{number(report.rows_blank)} lignes vides ignorées")
    if report.rows_left_out or report.rows_grouped:
        parts.append(
            f"hors compte : {number(report.rows_left_out)} laissés de côté par le profil, "
            f"{number(report.rows_grouped)} regroupés (voir ci-dessous)"
        )
    text = f"OK      {head} : " + ", ".join(parts)
    if report.ignored_columns:
        text += f"\n        colonnes ignorées : {', '.join(report.ignored_columns)}"
    for note in report.notes:
        text += f"\n        attention : {note}"
    for reason in report.reasons:
        text += f"\n        {reason}"
    if report.rows_quarantined > len(report.reasons):
        text += f"\n        ... (chargement n° {report.load_id} : voir la table quarantine)"
    return text + check_lines(report)


def check_lines(report: ImportReport) -> str:
    """The calls per day and per hour, to compare with the telephony system's own figures."""
    if not report.calls_per_day:
        return ""
    text = "\n        à comparer avec le tableau de bord du système (appels présentés par jour) :"
    for day in report.calls_per_day:
        unknown = f", issue inconnue {number(day['unknown'])}" if day["unknown"] else ""
        text += (
            f"\n          {day['date'][8:]}/{day['date'][5:7]}/{day['date'][:4]} : "
            f"présentés {number(day['offered'])}, décrochés {number(day['answered'])}, "
            f"abandonnés {number(day['abandoned'])}, messagerie {number(day['voicemail'])}{unknown}"
        )
    hours = ", ".join(f"{h['hour']} h : {number(h['offered'])}" for h in report.calls_per_hour)
    hours = hours or "aucun"
    text += f"\n        appels présentés par heure (heure de Paris) : {hours}"
    return text


def run_import(
    paths: list[str],
    source: str | None,
    url: str | None,
    out=None,
    chunk_rows: int | None = None,
    profile: str | None = None,
    as_json: bool = False,
    demo: bool = False,
) -> int:
    out = out or sys.stdout
    files, skipped = expand(paths)
    for path, why in skipped:
        if as_json:
            record = {"file": path.name, "status": "skipped", "message": why}
            print(json.dumps(record, ensure_ascii=False), file=out)
        else:
            print(f"ÉCARTÉ  {path} : {why}", file=out, flush=True)
    if not files:
        print("Aucun fichier à importer.", file=sys.stderr)
        return 2
    engine = make_engine(url)
    init_warehouse(engine)
    failed = 0
    for path in import_order(files, source, profile):
        report = import_file(
            engine,
            path,
            source,
            chunk_size=chunk_rows,
            progress=_progress(path),
            profile=profile,
            demo=demo,
        )
        print(report.to_json() if as_json else describe(report), file=out, flush=True)
        failed += report.status in ("rejected", "failed")
    engine.dispose()
    return 1 if failed else 0


def _progress(path: Path):
    """Progress after each chunk: a bar on a terminal for files over ~5 MB; elsewhere (a
    scheduled job's log) one line per chunk on stderr."""
    if not sys.stderr.isatty():

        def line(rows_read: int) -> None:
            print(f"  {path.name} : {number(rows_read)} lignes lues", file=sys.stderr, flush=True)

        return line
    if path.stat().st_size < 5_000_000 if path.exists() else True:
        return None
    from tqdm import tqdm

    bar = tqdm(desc=path.name, unit=" lignes", leave=False, disable=None, file=sys.stderr)

    def update(rows_read: int) -> None:
        bar.update(rows_read - bar.n)
        if bar.n and bar.disable is False:
            bar.refresh()

    return update


def run_profile(args) -> int:
    from loaders.read.profile import OURS, all_profiles, profile_problems, profiles_dir
    from loaders.suggest import suggest

    if args.action == "list":
        print(f"{OURS:22s} notre format (par défaut)")
        for name, profile in all_profiles().items():
            where = "" if profile.path.parent.name == "profiles" else f" ({profile.path})"
            print(f"{name:22s} {profile.label} [{profile.source}]{where}")
        print(f"dossier des vôtres (PILOTAGE_PROFILES_DIR) : {profiles_dir() or 'non défini'}")
        for problem in profile_problems():
            print(f"IGNORÉ  {problem}")
        return 0
    if not args.file.is_file():
        print(f"fichier introuvable : {args.file}", file=sys.stderr)
        return 2
    text = suggest(args.file, args.source, args.name)
    name = args.name or text.split('name = "', 1)[1].split('"', 1)[0]
    out = args.out or Path(f"{name}.toml")
    out.write_text(text, encoding="utf-8")
    print(f"brouillon écrit : {out} ; vérifiez-le, puis déposez-le dans PILOTAGE_PROFILES_DIR")
    return 0


@busy_says_so
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    parser.add_argument("--url", help=f"warehouse SQLAlchemy URL (default: {warehouse_url()})")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import export files or folders")
    imp.add_argument("paths", nargs="+")
    imp.add_argument("--source", choices=sorted(SOURCES), help="skip source detection")
    imp.add_argument(
        "--profile",
        help="read every file with this system's profile (pilotage: our own layout); "
        "by default recognised from each file's header",
    )
    imp.add_argument("--json", action="store_true", help="one JSON report per file (for tools)")
    imp.add_argument(
        "--chunk-rows",
        type=int,
        default=None,
        help=(
            "rows read, checked and staged at a time: bounds an import's memory (default 200,000)"
        ),
    )
    look = sub.add_parser("preview", help="how files would be read, without importing them")
    look.add_argument("paths", nargs="+", type=Path)
    look.add_argument("--profile", help="force a system's profile (pilotage: our own layout)")
    look.add_argument("--rows", type=int, default=20, help="rows typed and shown")
    prof = sub.add_parser("profile", help="import profiles of telephony and CRM systems")
    prof_sub = prof.add_subparsers(dest="action", required=True)
    prof_sub.add_parser("list", help="the profiles available (shipped, then yours)")
    draft = prof_sub.add_parser("suggest", help="write a draft profile from an export")
    draft.add_argument("file", type=Path)
    draft.add_argument("--source", choices=sorted(SOURCES), help="our source it feeds")
    draft.add_argument("--name", help="the profile's name (default: from the file's name)")
    draft.add_argument("--out", type=Path, help="where to write it (default: NAME.toml)")
    demo = sub.add_parser("demo", help="write realistic demo exports and import them")
    demo.add_argument("--dwellings", type=int, default=25_000)
    demo.add_argument("--agencies", type=int, default=5)
    demo.add_argument("--years", type=int, default=3)
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--out", type=Path, default=Path("demo_exports"))
    demo.add_argument("--no-import", action="store_true", help="only write the files")
    demo.add_argument(
        "--json", action="store_true", help="JSON lines: the files written, then one report each"
    )
    sub.add_parser(
        "worker",
        help="(for the dashboard) load the loaders, then wait for one command on stdin",
    )
    args = parser.parse_args(argv)
    if args.command == "worker":
        return run_worker()
    if args.command == "profile":
        return run_profile(args)
    if args.command == "preview":
        from loaders.preview import preview, to_json

        for path in args.paths:
            print(to_json(preview(path, args.profile, args.rows)), flush=True)
        return 0
    if args.command == "import":
        return run_import(
            args.paths,
            args.source,
            args.url,
            chunk_rows=args.chunk_rows,
            profile=args.profile,
            as_json=args.json,
        )
    return run_demo(args)


def run_worker() -> int:
    """A warm process for one command of the dashboard's Importer: the loaders, Great
    Expectations and every source's validation suite are loaded first (about 3 s), then
    ``{"ready": true}`` is printed and the process waits for one JSON line on stdin,
    ``{"argv": [...]}``, the arguments of ``python -m loaders`` (``--url``, ``preview`` or
    ``import --json``...), runs it as the command line does and exits with its code. One
    command per process: each import keeps its own process, as from the command line."""
    from loaders.validate import warm_up

    warm_up()
    print(json.dumps({"ready": True}), flush=True)
    line = sys.stdin.readline()
    if not line.strip():
        return 0  # the dashboard stopped before using it
    request = json.loads(line)
    for name, value in request.get("env", {}).items():  # the dashboard's settings of now
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    argv = request["argv"]
    if "worker" in argv:
        print("erreur : un worker ne lance pas un autre worker", file=sys.stderr)
        return 2
    return main(argv)


def run_demo(args) -> int:
    """Write the demo exports, then import them as any export is imported. With ``--json``
    (the dashboard's first start reads it): ``{"demo_files": N, ...}``, then each file's
    report as ``import --json`` gives it."""
    from loaders.demo import build_demo

    if not args.json:
        print(
            f"Écriture des exports de démonstration : {number(args.dwellings)} logements, "
            f"{args.agencies} agences, {args.years} ans jusqu'à hier…",
            flush=True,
        )
    started = time.perf_counter()
    files = build_demo(args.out, args.dwellings, args.years, args.seed, args.agencies)
    seconds = time.perf_counter() - started
    if args.json:
        written = {"demo_files": len(files), "folder": str(args.out), "seconds": round(seconds)}
        print(json.dumps(written), flush=True)
    else:
        print(f"{len(files)} fichiers de démonstration écrits dans {args.out} ({seconds:.0f} s)")
    if args.no_import:
        return 0
    return run_import([str(args.out)], None, args.url, as_json=args.json, demo=True)
