"""``python -m warehouse``: create the schema, export KPIs, purge old call detail, write
the monthly report, evaluate the alerts."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import replace
from datetime import date

from warehouse import config
from warehouse.engine import WarehouseMissing, busy_says_so, make_engine, warehouse_url
from warehouse.french import number, percent
from warehouse.kpis import Filters, compute_all
from warehouse.load.retention import purge_calls, retention_months, retention_start
from warehouse.load.setup import init_warehouse
from warehouse.model.calendar import CALENDAR_START, calendar_end
from warehouse.model.catalog import DEMO_MARK, SchemaOutdated, is_demo, open_reader

COLUMNS = ["id", "value", "unit", "definition", "reference"]


def _french(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return number(value, 0 if unit in ("calls", "requests") else 4 if unit == "ratio" else 2)


def render(rows, fmt: str, excel: bool = True) -> str:
    """Rows of KPI values as a table, CSV (French Excel by default) or JSON."""
    if fmt == "json":
        return json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
        writer.writerow([*COLUMNS, "note"])
        for r in rows:
            if r.value is None:
                value = ""
            else:
                value = f"{r.value:.6g}".replace(".", ",") if excel else f"{r.value:.6g}"
            writer.writerow([r.id, value, r.unit, r.definition, r.reference, r.note])
        return buffer.getvalue()
    width = max(len(r.id) for r in rows)
    lines = [f"{'id':<{width}}  {'valeur':>14}  unité"]
    for r in rows:
        shown = _french(r.value, r.unit) if r.value is not None else "—"
        lines.append(
            f"{r.id:<{width}}  {shown:>14}  {r.unit}" + (f"  ({r.note})" if r.note else "")
        )
    return "\n".join(lines) + "\n"


def render_reasons(engine, filters: Filters, fmt: str, excel: bool = True) -> str:
    """The ``reasons`` table (per motif family and motif, ranked by handle time) as a
    table, CSV or JSON: ratios as fractions, durations in seconds."""
    from warehouse.kpis import DEFAULT_SETTINGS, failure

    with engine.connect() as conn:
        rows = failure.reasons(conn, filters, DEFAULT_SETTINGS)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    columns = list(rows[0]) if rows else ["motif_family", "motif"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
        writer.writerow(columns)
        for r in rows:
            cells = ["" if r[c] is None else r[c] for c in columns]
            if excel:
                cells = [f"{v:.6g}".replace(".", ",") if isinstance(v, float) else v for v in cells]
            writer.writerow(cells)
        return buffer.getvalue()
    lines = [f"{'motif':<50} {'appels':>7} {'durée (s)':>10} {'part':>7} {'évitable':>9}"]
    for r in rows:
        name = r["motif"] or r["motif_family"] or "(sans motif)"
        lines.append(
            f"{name[:50]:<50} {r['offered_calls']:>7} {number(r['handle_time_s'], 0):>10} "
            f"{percent(r['handle_time_share']):>7} {percent(r['failure_demand_share']):>9}"
        )
    return "\n".join(lines) + "\n"


def calendar_day(text: str) -> date:
    """A day of the warehouse's calendar, as ``aaaa-mm-jj``."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date illisible « {text} » (attendu aaaa-mm-jj)"
        ) from None
    if not CALENDAR_START <= day <= calendar_end():
        raise argparse.ArgumentTypeError(
            f"{day.day:02d}/{day.month:02d}/{day.year:04d} hors du calendrier de l'entrepôt "
            f"({CALENDAR_START:%d/%m/%Y} au {calendar_end():%d/%m/%Y})"
        )
    return day


def _report_commands(sub) -> None:
    from warehouse.report.run import calendar_month

    r = sub.add_parser("report", help="the monthly report: a PDF and an XLSX audit pack")
    r.add_argument("--month", type=calendar_month, help="aaaa-mm (default: last month)")
    r.add_argument("--agence", action="append", default=[], help="agency code (repeatable)")
    r.add_argument("--out", required=True, help="folder the two files are written to")
    a = sub.add_parser("alerts", help="evaluate the alert rules, mail what newly crossed")
    a.add_argument(
        "--rules",
        default=config.get("PILOTAGE_ALERT_RULES"),
        help="rules file (default: PILOTAGE_ALERT_RULES or alertes.toml)",
    )
    a.add_argument("--date", type=calendar_day, help="reference day (default: yesterday)")
    for command in (r, a):
        command.add_argument("--mail", action="store_true", help="send by mail (SMTP)")
        command.add_argument(
            "--mail-config", help="mail settings (default: PILOTAGE_MAIL_CONFIG or mail.toml)"
        )


@busy_says_so
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description=__doc__)
    parser.add_argument("--url", help=f"warehouse SQLAlchemy URL (default: {warehouse_url()})")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create the schema (idempotent)")
    k = sub.add_parser("kpis", help="print every KPI of the catalogue")
    k.add_argument("--start", type=calendar_day, required=True)
    k.add_argument("--end", type=calendar_day, required=True)
    k.add_argument("--organisme")
    k.add_argument("--agence", action="append", default=[], help="agency code (repeatable)")
    k.add_argument("--canal", action="append", default=[], help="channel code (repeatable)")
    k.add_argument("--categorie", action="append", default=[], help="category (repeatable)")
    k.add_argument("--file", action="append", default=[], dest="queue", help="queue code")
    k.add_argument("--format", choices=["table", "csv", "json"], default="table")
    k.add_argument("--plain-csv", action="store_true", help="CSV with ',' and no BOM")
    k.add_argument(
        "--motifs", action="store_true", help="the reasons table (per motif) instead of the KPIs"
    )
    purge = sub.add_parser(
        "purge", help="turn call detail older than the retention period into daily aggregates"
    )
    purge.add_argument(
        "--months",
        type=int,
        default=retention_months(),
        help="months of call detail kept (default: PILOTAGE_RETENTION_MONTHS or 36)",
    )
    _report_commands(sub)
    args = parser.parse_args(argv)
    if args.command in ("report", "alerts"):
        from warehouse.report import run
        from warehouse.report.alerts import RulesError
        from warehouse.report.mail import MailError

        try:
            return getattr(run, args.command)(args)
        except (RulesError, MailError, SchemaOutdated, WarehouseMissing) as error:
            print(f"erreur : {error}", file=sys.stderr)
            return 2
    if args.command == "init":
        init_warehouse(make_engine(args.url))
        return 0
    if args.command == "purge":
        engine = make_engine(args.url)
        init_warehouse(engine)  # the tables and columns of a warehouse built before them
        report = purge_calls(engine, retention_start(date.today(), args.months))
        print(
            f"{number(report.calls_purged, 0)} appels antérieurs au "
            f"{report.kept_from:%d/%m/%Y} agrégés ({number(report.aggregate_rows, 0)} lignes "
            "jour x file x agence) puis supprimés du détail."
        )
        return 0
    if args.end < args.start:
        parser.error("--end précède --start")
    try:
        return _kpis(args)
    except (SchemaOutdated, WarehouseMissing) as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 2


def _kpis(args) -> int:
    filters = Filters(
        args.start,
        args.end,
        args.organisme,
        tuple(a.upper() for a in args.agence),
        tuple(c.lower() for c in args.canal),
        tuple(c.lower() for c in args.categorie),
        tuple(q.upper() for q in args.queue),
    )
    engine = open_reader(args.url)
    if args.motifs:
        text = render_reasons(engine, filters, args.format, not args.plain_csv)
    else:
        rows = compute_all(engine, filters)
        if is_demo(engine):  # every row of every format says the figures are invented
            rows = [replace(r, note=" ; ".join(n for n in (DEMO_MARK, r.note) if n)) for r in rows]
        text = render(rows, args.format, excel=not args.plain_csv)
    if args.format == "csv" and not args.plain_csv:
        sys.stdout.buffer.write(text.encode("utf-8-sig"))
    else:
        sys.stdout.write(text)
    return 0
