"""End to end in a real browser: ``streamlit run`` on a free port, Debian's Chromium driven
by Playwright. Every page opens; every chart of every page is drawn, at a desktop's and a
phone's width, and every page passes axe-core (WCAG 2.1 A and AA); the filters and the
drill-downs work from the keyboard alone; changing the agency and the period changes the
figures; a CSV download reads back with the figures on screen.

Without Chromium these tests skip and say why; CI installs it and sets
``PILOTAGE_REQUIRE_BROWSER=1`` so that they fail instead.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from pages import PAGES as DASHBOARD_PAGES
from pages import fmt
from tests import drawn
from tests.test_app_events import EVENTS
from tests.util import write_export
from tests.warehouse import survey_dataset
from tests.warehouse.kpi_dataset import build_warehouse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
PERIOD = "periode=custom&debut=2025-03-01&fin=2025-04-30"

if CHROMIUM is None:
    reason = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("PILOTAGE_REQUIRE_BROWSER") == "1":
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

# A busy CI machine (two test workers on two cores) draws a page in more than the
# default 5 s: the tests wait on what they expect to see, up to 30 s, never on a clock.
expect.set_options(timeout=30_000)

pytestmark = pytest.mark.slow  # a real browser on a real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _everything(folder: Path) -> str:
    """The hand-made warehouse with its survey and two events: every chart of every page
    has something to draw."""
    from loaders.pipeline import import_file
    from warehouse.engine import make_engine

    url = build_warehouse(folder)
    engine = make_engine(url)
    for name, rows in [*survey_dataset.FILES, ("evenements", EVENTS)]:
        assert import_file(engine, write_export(folder / f"{name}.csv", rows)).status == "loaded"
    engine.dispose()
    return url


@contextlib.contextmanager
def _serve(folder: Path, demo_dwellings: int | None = None, everything: bool = False):
    """``streamlit run app.py`` on a free port over the hand-made warehouse (``everything``:
    with its survey and events), or, given ``demo_dwellings``, over no warehouse at all
    (a first start builds the demo)."""
    env = os.environ | {"PILOTAGE_DATA_DIR": str(folder)}
    if demo_dwellings is None:
        env["WAREHOUSE_URL"] = (_everything if everything else build_warehouse)(folder)
    else:
        env.pop("WAREHOUSE_URL", None)
        env["PILOTAGE_DEMO_DWELLINGS"] = str(demo_dwellings)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.3)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with _serve(tmp_path_factory.mktemp("browser"), everything=True) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _choose(page: Page, widget, name: str) -> None:
    """Open a select widget and pick ``name``; a click that lands while the app reruns
    (as after the previous choice) leaves the list closed, so try again."""
    option = page.get_by_role("option", name=name)
    for _ in range(5):
        widget.click()
        try:
            option.wait_for(state="visible", timeout=2_000)
        except PlaywrightTimeout:
            continue
        option.click()
        return
    raise AssertionError(f"option {name!r} never showed")


def _metric(page: Page, label: str):
    tile = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return tile.locator("[data-testid='stMetricValue']")


def test_agency_and_period_change_the_figures(server, page):
    page.goto(f"{server}/?{PERIOD}")
    offered = _metric(page, "Appels présentés")
    expect(offered).to_have_text("7")  # hand-computed in tests/warehouse/test_kpis.py
    agencies = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    _choose(page, agencies, "AG01 – Nord")
    # AG01's calls are C1 C5 C9; lost calls belong to no agency: no offered calls, and why
    # (issue 25, case 4); its first-level closure is C1 and C9's, 2 of 2 (the centre's 2 of 3).
    expect(offered).to_have_text("—")
    expect(_metric(page, "Traitement au premier niveau (appels)")).to_have_text("100,0\u202f%")
    assert "agences=AG01" in page.url
    page.keyboard.press("Escape")
    period = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    # Quick periods count from today: "this month" holds none of the 2025 calls.
    _choose(page, period, "Ce mois-ci")
    # AG01 still chosen: no call this month, so no first-level closure either.
    expect(_metric(page, "Traitement au premier niveau (appels)")).to_have_text("—")
    first = fmt.day(date.today().replace(day=1))
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text(f"Du {first}")


def test_a_csv_download_reads_back(server, page):
    page.goto(f"{server}/appels?{PERIOD}")
    expect(_metric(page, "Présentés")).to_have_text("7")
    buttons = page.get_by_role("button", name="Télécharger (CSV)")
    expect(buttons.nth(2)).to_be_visible()  # the page is drawn: series, heatmap, queues
    with page.expect_download() as download:
        buttons.first.click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows and "Appels présentés" in rows[0]  # French headers
    assert sum(int(r["Appels présentés"]) for r in rows) == 7
    # named after the table and the period
    name = download.value.suggested_filename
    assert name == "appels_par_mois_2025-03-01_2025-04-30.csv", name


NOT_FOUND = "Page not found"


@pytest.mark.parametrize(
    ("path", "title"),
    [("appels", "Appels"), ("synthese", "Synthèse"), ("data", "Synthèse")],
    ids=["a-page", "the-default-page-s-own-path", "a-helper-module"],
)
def test_a_deep_link_on_a_fresh_server_opens_its_page_through_app_py(tmp_path, page, path, title):
    """The first visit after a restart opens its link: the router (``app.py``) runs first
    (the sidebar's filters are drawn), the right page shows with the link's parameters, and
    no « Page not found » dialog covers it; a helper module of ``pages/`` is no page: its
    name opens the default page and the navigation lists the pages only."""
    with _serve(tmp_path) as base:
        page.goto(f"{base}/{path}?{PERIOD}")
        # The first visit of a fresh server imports the page's modules: on a busy machine
        # its title took more than 5 s. This test checks routing; speed is benchmarked.
        expect(page.locator("h1").filter(has_text=title)).to_be_visible(timeout=30_000)
        expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Filtres")
        nav = page.locator("[data-testid='stSidebarNav']")
        expect(nav).to_contain_text("Synthèse")
        for name in ("data", "fmt", "state", "widgets", "server", "views", "app"):
            expect(nav.get_by_text(name, exact=True)).to_have_count(0)
        if path != "data":  # an unknown name may say so; a real page never
            expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
            assert "debut=2025-03-01" in page.url
        assert page.locator("[data-testid='stException']").count() == 0


# Every chart each page draws over this warehouse: a chart that vanishes fails as surely as
# a chart drawn empty.
CHARTS = {
    "synthese": 1,  # monthly trends
    "appels": 4,  # volumes, rates, two heatmaps
    "canaux": 4,  # capture share, requests by channel and by category, contact mix
    "demandes": 3,  # commitments by urgency, backlog by age, first-level closure
    "motifs": 3,  # the reasons' Pareto, failure demand by week, categories chased
    "agences": 1,  # the ranking
    "satisfaction": 2,  # themes, agencies' satisfaction against their operations
    "couts": 1,  # cost by nature
    "dimensionnement": 2,  # the gap heatmap, the daily load
    "importer": 0,
    "qualite": 0,
    "glossaire": 0,
}
# Other views of the same charts: one month (the Synthèse's trend once repeated
# « nov. 2026 » under every tick), the other grains.
VIEWS = [
    ("synthese", "periode=custom&debut=2025-03-01&fin=2025-03-31"),
    ("appels", f"{PERIOD}&granularite=week"),
    ("appels", f"{PERIOD}&granularite=day"),
    ("canaux", f"{PERIOD}&evolution=month"),
]
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


# A tile's label or change cut short (Streamlit's « … »): wider than the box that shows it.
CUT_LABELS = """() => [...document.querySelectorAll(
    "[data-testid='stMetricLabel'], [data-testid='stMetricDelta']")]
  .filter(l => [...l.querySelectorAll('div, p')].some(e => e.scrollWidth > e.clientWidth + 1))
  .map(l => l.textContent.trim())"""


def _page_problems(page: Page, name: str, title: str) -> list[str]:
    """What is wrong with the page as drawn: its charts (drawn, of a visible size, named
    in French, their legend drawn, their axis labels apart, their data as a table), its
    language and title, and axe-core's WCAG 2.1 A and AA violations."""
    problems = []
    try:
        drawn.settle(page, CHARTS[name], timeout=30_000)
    except PlaywrightTimeout:
        problems.append("the page or its charts never finished drawing")
    charts = drawn.charts(page)
    problems += [
        f"chart {c['index']} « {c['name'][:70]} »: {p}" for c in charts for p in c["problems"]
    ]
    if len(charts) != CHARTS[name]:
        problems.append(f"{len(charts)} charts drawn, {CHARTS[name]} expected")
    tables = page.evaluate(drawn.TABLES)
    if tables != len(charts):
        problems.append(f"{tables} « Données du graphique » for {len(charts)} charts")
    if page.locator("h1").filter(has_text=title).count() != 1:
        problems.append(f"no heading « {title} »")
    problems += [f"tile label cut: « {label} »" for label in page.evaluate(CUT_LABELS)]
    if page.locator("[data-testid='stException']").count():
        problems.append("an exception is shown")
    # RGAA 8.3 and 8.5: the page is in French and has a title of its own.
    if page.evaluate("document.documentElement.lang") != "fr":
        problems.append("the page is not declared in French")
    if page.title() != f"{title} · Pilotage GRL":
        problems.append(f"title « {page.title()} »")
    for rule, nodes in drawn.axe_violations(page).items():
        problems += [f"axe {rule}: {node}" for node in nodes]
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_chart_is_drawn_and_every_page_passes_axe(browser, server, viewport):
    """Every page opens, at a desktop's and a phone's width: each chart's marks exist and
    have a visible size (a squashed heatmap, a bar of no height, a series only in the
    legend fail), and axe-core finds no WCAG 2.1 A or AA violation."""
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    found = {}
    titles = {name: title for name, title, _ in DASHBOARD_PAGES}
    for name, query in [(name, PERIOD) for name in titles] + VIEWS:
        page.goto(f"{server}/{name}?{query}")
        problems = _page_problems(page, name, titles[name])
        if problems:
            found[f"{name}?{query}"] = problems
    context.close()
    assert not found, "\n".join(f"{n}: {p}" for n, ps in found.items() for p in ps)


FOCUSED_INPUT = """(label) => {
  const e = document.activeElement;
  return !!e && e.tagName === 'INPUT' && e.getAttribute('aria-label') === label;
}"""
FOCUSED_TEXT = """(text) => {
  const e = document.activeElement;
  return !!e && e.tagName === 'SUMMARY' && e.textContent.includes(text);
}"""


def _tab_to(page: Page, check: str, arg: str, limit: int = 120) -> None:
    """Press Tab until the focused element passes ``check`` (JS, given ``arg``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check, arg):
            return
    raise AssertionError(f"{arg!r} never reached with the Tab key")


def _pick_with_keys(page: Page, label: str, keys: str, option: str | None = None) -> None:
    """From the focused select box ``label``: type ``keys`` (or ArrowDown), see the option,
    press Enter. A rerun that lands meanwhile closes the list: open it again."""
    wanted = page.get_by_role("option", name=option) if option else page.get_by_role("option")
    for _ in range(5):
        if not page.evaluate(FOCUSED_INPUT, label):
            _tab_to(page, FOCUSED_INPUT, label)
        if keys == "ArrowDown":
            page.keyboard.press(keys)
        else:
            page.keyboard.type(keys)
        try:
            wanted.first.wait_for(state="visible", timeout=2_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            page.keyboard.press("Control+A")
            page.keyboard.press("Backspace")
            continue
        page.keyboard.press("Enter")
        return
    raise AssertionError(f"the options of {label!r} never showed")


def test_filters_and_drill_downs_from_the_keyboard_alone(server, page):
    """A keyboard-only walk (RGAA 7.3, 12.13): the page links show where the focus is; an
    agency is chosen in the sidebar; a month's days are shown from the list beside the
    chart, the granularity following; a chart's data opens as a table; an agency of the
    ranking filters the dashboard."""
    page.goto(f"{server}/appels?{PERIOD}&granularite=month")
    drawn.settle(page, CHARTS["appels"])
    page.keyboard.press("Tab")  # Streamlit's « Skip to main content »
    page.keyboard.press("Tab")  # the first page link
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] == "A" and ring[1] != "none" and ring[2] >= 2, ring

    _tab_to(page, FOCUSED_INPUT, "Agences")
    _pick_with_keys(page, "Agences", "Nord", "AG01 – Nord")
    expect(page).to_have_url(re.compile(r"agences=AG01"))
    page.keyboard.press("Escape")
    expect(_metric(page, "Traités")).to_have_text("3")  # C1 C5 C9
    expect(_metric(page, "Présentés")).to_have_text("—")  # lost calls belong to no agency
    # The rerun is over: the list below is the new one. For an agency the page draws its
    # answered calls and their heatmap; no rate, no offered or lost calls (issue 25, case 4).
    drawn.settle(page, 2)

    _tab_to(page, FOCUSED_INPUT, "Voir les jours d'un mois")
    _pick_with_keys(page, "Voir les jours d'un mois", "ArrowDown", "mars 2025")
    expect(page).to_have_url(re.compile(r"debut=2025-03-01&fin=2025-03-31"))
    assert "granularite=day" in page.url and "agences=AG01" in page.url
    expect(page.get_by_role("radio", name="Jour")).to_be_checked()  # issue 25, case 6

    drawn.settle(page, 2)  # AG01: answered calls and their heatmap
    _tab_to(page, FOCUSED_TEXT, "Données du graphique : présentés, traités et perdus")
    page.keyboard.press("Enter")
    table = page.locator("[data-testid='stExpander']").filter(has_text="présentés, traités")
    expect(table.locator("[data-testid='stDataFrame']")).to_be_visible()

    page.goto(f"{server}/agences?{PERIOD}")
    drawn.settle(page, CHARTS["agences"])
    _tab_to(page, FOCUSED_INPUT, "Filtrer le tableau de bord sur une agence")
    _pick_with_keys(page, "Filtrer le tableau de bord sur une agence", "ArrowDown")
    expect(page).to_have_url(re.compile(r"agences=AG0\d"))


def test_import_page_uploads_previews_and_imports(tmp_path, page):
    """A director drops a telephony export on the Importer page, sees it recognised and
    previewed, imports it, reads the report; the import runs in its own process."""
    from tests.test_app_import import LABEL, aircall_rows

    export = tmp_path / "aircall.csv"
    with open(export, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(aircall_rows())
    (tmp_path / "srv").mkdir()
    with _serve(tmp_path / "srv") as base:
        page.goto(f"{base}/importer")
        page.locator("input[type='file']").set_input_files(str(export))
        expect(page.get_by_text(LABEL)).to_be_visible()
        expect(page.get_by_text("Aucun problème dans les 6 premières lignes.")).to_be_visible()
        page.get_by_role("button", name="Importer 1 fichier(s)").click()
        # The import runs in a process of its own, which first loads the loaders and Great
        # Expectations (3 to 4 s, more on a busy machine).
        expect(page.get_by_text("Rapport : aircall.csv")).to_be_visible(timeout=30_000)
        expect(_metric(page, "Chargées")).to_have_text("6")


def _click_mark(page: Page, chart: int, label: str) -> None:
    """Click, with the mouse, the first mark of the ``chart``-th chart whose French label
    holds ``label`` (« Mois : mars 2025 ; … »)."""
    drawn.settle(page, chart + 1)
    mark = page.locator("[data-testid='stVegaLiteChart']").nth(chart)
    mark = mark.locator(f"[role='graphics-symbol'][aria-label*='{label}']").first
    mark.scroll_into_view_if_needed()
    mark.click()


def test_clicking_a_month_bar_shows_its_days(server, page):
    page.goto(f"{server}/appels?{PERIOD}&granularite=month")
    expect(_metric(page, "Présentés")).to_have_text("7")
    _click_mark(page, 0, "Mois : mars 2025")
    expect(page).to_have_url(re.compile(r"debut=2025-03-01&fin=2025-03-31"))
    assert "granularite=day" in page.url
    expect(_metric(page, "Présentés")).to_have_text("7")  # every hand-made call is in March
    # The granularity says what the chart shows (issue 25, case 6: it still said « Mois »).
    expect(page.get_by_role("radio", name="Jour")).to_be_checked()


def test_clicking_an_agency_point_filters_the_dashboard_to_it(server, page):
    page.goto(f"{server}/agences?{PERIOD}&classement=complaints")
    _click_mark(page, 0, "Agence : AG02")
    expect(page).to_have_url(re.compile(r"agences=AG02"))


# A chart's bars and, per axis, the labels it shows (Vega hides overlapping ones).
AXIS_LABELS_AND_BARS = """(chart) => {
  const svg = chart.querySelector('svg.marks');
  const shown = (t) => t.textContent.trim() && (t.getAttribute('opacity') || '1') !== '0'
    && getComputedStyle(t).opacity !== '0';
  return {
    bars: svg.querySelectorAll("g.mark-rect [role='graphics-symbol']").length,
    labels: [...svg.querySelectorAll('g.role-axis')].map(
      a => [...a.querySelectorAll('g.role-axis-label text')].filter(shown).length),
  };
}"""


def test_the_reasons_pareto_is_drawn_and_a_click_on_a_reason_filters_the_page(server, page):
    """« Motifs et non-qualité »: its three charts drawn (the Pareto's bars and its
    cumulative line, the weeks with the events, the categories), axe-clean; a click on the
    « Renseignement » bar filters the page to that reason and puts it in the URL, which
    opens the page filtered again."""
    page.goto(f"{server}/motifs?{PERIOD}")
    assert not _page_problems(page, "motifs", "Motifs et non-qualité")
    pareto = page.locator("[data-testid='stVegaLiteChart']").nth(0)
    # Every bar's reason is written under it, on a phone too (slanted, every other label
    # was hidden).
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(1_000)  # Vega lays the chart out again at the new width
    expect(pareto.locator("g.role-axis-label text").first).to_be_visible()
    drawn_labels = pareto.evaluate(AXIS_LABELS_AND_BARS)
    assert drawn_labels["bars"] in drawn_labels["labels"], drawn_labels
    page.set_viewport_size(DESKTOP)
    bar = pareto.locator(
        "g.mark-rect [role='graphics-symbol'][aria-label*='Motif : Renseignement']"
    )
    bar.first.scroll_into_view_if_needed()
    bar.first.click()
    expect(page).to_have_url(re.compile(r"motif=renseignement"))
    select = page.get_by_role("combobox", name="Motif (famille)")
    expect(select).to_have_value("Renseignement")
    page.goto(f"{server}/motifs?{PERIOD}&motif=renseignement")
    expect(select).to_have_value("Renseignement")


def test_first_start_shows_its_progress_then_the_figures(tmp_path, page):
    """No warehouse yet: the first visitor sees the build's steps and a progress bar, then
    the Synthèse (a small demo here; the default builds 25,000 dwellings), marked as
    demonstration data."""
    with _serve(tmp_path, demo_dwellings=600) as base:
        page.goto(base)
        progress = page.get_by_test_id("stProgress")
        # Its first step (the exports written) may be done by the time the page shows.
        expect(progress).to_contain_text(re.compile(r"Écriture des exports|exports écrits|Import"))
        expect(progress).to_contain_text(
            re.compile(r"Import : \d+ fichiers sur \d+"), timeout=120_000
        )
        expect(page.locator("h1").filter(has_text="Synthèse")).to_be_visible(timeout=180_000)
        expect(_metric(page, "Appels présentés")).not_to_have_text("—")
        # The demo build marked its warehouse: the page says its figures are invented.
        expect(page.get_by_text("Données de démonstration")).to_be_visible()
