"""End to end in a real browser: ``streamlit run`` on a free port, Debian's Chromium driven
by Playwright. Every page opens; changing the agency and the period changes the figures; a
CSV download reads back with the figures on screen.

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

pytestmark = pytest.mark.slow  # a real browser on a real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serve(folder: Path, demo_dwellings: int | None = None):
    """``streamlit run app.py`` on a free port over the hand-made warehouse, or, given
    ``demo_dwellings``, over no warehouse at all (a first start builds the demo)."""
    env = os.environ | {"PILOTAGE_DATA_DIR": str(folder)}
    if demo_dwellings is None:
        env["WAREHOUSE_URL"] = build_warehouse(folder)
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
    with _serve(tmp_path_factory.mktemp("browser")) as base:
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


@pytest.mark.parametrize(("name", "title"), [(n, t) for n, t, _ in DASHBOARD_PAGES])
def test_every_page_opens(server, page, name, title):
    page.goto(f"{server}/{name}?{PERIOD}")
    expect(page.locator("h1").filter(has_text=title)).to_be_visible()
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Filtres")
    assert page.locator("[data-testid='stException']").count() == 0


def test_agency_and_period_change_the_figures(server, page):
    page.goto(f"{server}/?{PERIOD}")
    offered = _metric(page, "Appels présentés")
    expect(offered).to_have_text("7")  # hand-computed in tests/warehouse/test_kpis.py
    agencies = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    _choose(page, agencies, "AG01 – Nord")
    expect(offered).to_have_text("3")  # C1 C5 C9, the AG01 dwellings' calls
    assert "agences=AG01" in page.url
    page.keyboard.press("Escape")
    period = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    # Quick periods count from today: "this month" holds none of the 2025 calls.
    _choose(page, period, "Ce mois-ci")
    expect(offered).to_have_text("0")
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


def test_each_page_has_its_own_title_and_is_in_french(server, page):
    """RGAA 8.3 and 8.5: the page's language is French and each page has its own title."""
    page.goto(f"{server}/appels?{PERIOD}")
    expect(page.locator("h1").filter(has_text="Appels")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "fr"
    expect(page).to_have_title(re.compile(r"^Appels · Pilotage GRL$"))
    page.goto(f"{server}/demandes?{PERIOD}")
    expect(page.locator("h1").filter(has_text="Demandes")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Demandes · Pilotage GRL$"))


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


def _click_chart(page: Page, index: int, x: float, y: float) -> None:
    """Click the ``index``-th chart of the page at (x, y), fractions of its box."""
    chart = page.locator("[data-testid='stVegaLiteChart']").nth(index)
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)  # Vega draws after the element shows
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)


def test_clicking_a_month_bar_shows_its_days(server, page):
    page.goto(f"{server}/appels?{PERIOD}&granularite=month")
    expect(_metric(page, "Présentés")).to_have_text("7")
    _click_chart(page, 0, 0.3, 0.55)  # March: the first of two monthly bars
    expect(page).to_have_url(re.compile(r"debut=2025-03-01&fin=2025-03-31"))
    assert "granularite=day" in page.url
    expect(_metric(page, "Présentés")).to_have_text("7")  # every hand-made call is in March


def test_clicking_an_agency_bar_filters_the_dashboard_to_it(server, page):
    page.goto(f"{server}/agences?{PERIOD}&classement=complaints")
    expect(page.get_by_text("Agences classées")).to_be_visible()
    _click_chart(page, 0, 0.4, 0.3)  # the first bar: the agency with the most complaints
    expect(page).to_have_url(re.compile(r"agences=AG0\d"))


def test_first_start_shows_its_progress_then_the_figures(tmp_path, page):
    """No warehouse yet: the first visitor sees the build's steps and a progress bar, then
    the Synthèse (a small demo here; the default builds 25,000 dwellings)."""
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
