"""``python -m warehouse report`` and ``python -m warehouse alerts``: what the monthly and
nightly cron lines run."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from warehouse.engine import make_engine
from warehouse.french import month as month_name
from warehouse.model.calendar import months_before
from warehouse.model.catalog import DEMO_MARK, is_demo, open_reader
from warehouse.report import alerts as rules_
from warehouse.report import rules_file
from warehouse.report.mail import read_settings, send, settings_path


def calendar_month(text: str) -> date:
    """``aaaa-mm``: the first day of that month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"mois illisible « {text} » (attendu aaaa-mm)") from None


def previous_month(today: date) -> date:
    return months_before(today, 1)


def report(args: argparse.Namespace) -> int:
    from warehouse.report import content, pdf, xlsx

    month = args.month or previous_month(date.today())
    agencies = tuple(a.upper() for a in args.agence)
    engine = open_reader(args.url)
    gathered = content.gather(engine, month, agencies)
    demo = is_demo(engine)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "_".join([f"{month:%Y-%m}", *agencies, *(["demonstration"] if demo else [])])
    files = (
        pdf.write(gathered, out / f"rapport_qualite_{suffix}.pdf", demo=demo),
        xlsx.write(gathered, out / f"dossier_audit_{suffix}.xlsx", demo=demo),
    )
    if demo:
        print(f"{DEMO_MARK} : rapport établi sur les chiffres inventés de la démonstration")
    for path in files:
        print(path)
    if args.mail:
        settings = read_settings(settings_path(args.mail_config))
        title = f"rapport qualité de {month_name(month)} ({gathered.scope()})"
        title = f"[{DEMO_MARK}] {title}" if demo else title
        body = (
            f"Bonjour,\n\nVeuillez trouver le {title} : le rapport (PDF) et le dossier "
            "d'audit (XLSX) avec chaque indicateur, sa définition, sa cible et la liste des "
            "demandes en retard.\n\nPilotage GRL\n"
        )
        send(settings, settings.report_to, f"Pilotage GRL — {title}", body, files)
        print(f"envoyé à {', '.join(settings.report_to)}")
    return 0


def alerts(args: argparse.Namespace) -> int:
    rules = rules_file.read_rules(Path(args.rules))
    day = args.date or date.today() - timedelta(days=1)
    reader = open_reader(args.url)  # an existing warehouse of this version: said otherwise
    rules_file.check_against_warehouse(reader, rules)
    reader.dispose()
    engine = make_engine(args.url)  # the alerts keep their state (alert_state)
    demo = is_demo(engine)
    if demo:
        print(f"{DEMO_MARK} : alertes évaluées sur les chiffres inventés de la démonstration")
    unmeasured: list = []
    crossed = rules_.evaluate(engine, rules, day, unmeasured)
    new = rules_.record(engine, crossed)
    print(f"{len(rules)} règle(s) évaluée(s) au {day:%d/%m/%Y} : {len(crossed)} franchie(s).")
    for rule, note in unmeasured:
        print(f"non évaluée  {rule.describe()} : {note}")
    fresh = {a.rule.id for a in new}
    for a in crossed:
        print(("NOUVELLE  " if a.rule.id in fresh else "active    ") + a.message)
    if args.mail and new:
        settings = read_settings(settings_path(args.mail_config))
        lines = "\n".join(f"- {a.message}" for a in new)
        body = (
            f"Bonjour,\n\n{len(new)} alerte(s) franchie(s) depuis le dernier contrôle :\n\n"
            f"{lines}\n\nElles restent affichées sur la Synthèse tant qu'elles durent ; "
            "ce message ne sera pas renvoyé pour elles.\n\nPilotage GRL\n"
        )
        subject = f"Pilotage GRL — {len(new)} alerte(s)"
        subject = f"[{DEMO_MARK}] {subject}" if demo else subject
        send(settings, settings.alerts_to, subject, body)
        rules_.mark_notified(engine, new)
        print(f"envoyé à {', '.join(settings.alerts_to)}")
    return 0
