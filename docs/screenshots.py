"""Screenshots of every page in headless Chromium (Debian's package) for the README.

    python docs/screenshots.py [--url http://127.0.0.1:8599] [--out docs/screenshots]

Start the dashboard first (``streamlit run app.py --server.port 8599 --server.headless true``,
over the demo warehouse). Each page is shot whole (the window is made as tall as the page),
once its script has run and Vega has drawn its charts; each chart is checked as the tests
check it (``tests/drawn.py``), and the script fails on a chart drawn wrong.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pages import PAGES as DASHBOARD_PAGES  # noqa: E402
from tests import drawn  # noqa: E402

PAGES = [name for name, _, _ in DASHBOARD_PAGES]
WIDTH = 1400
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The height of the page's content: Streamlit scrolls inside its main block, not the window.
HEIGHT = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const side = document.querySelector("[data-testid='stSidebarContent']");
  return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0, 800);
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8599")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wrong = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, locale="fr-FR")
        for name in PAGES:
            page.set_viewport_size({"width": WIDTH, "height": 1000})
            page.goto(f"{args.url}/{name}")
            drawn.settle(page)
            page.set_viewport_size({"width": WIDTH, "height": page.evaluate(HEIGHT)})
            drawn.settle(page)  # the charts are drawn again at the new size
            charts = drawn.charts(page)
            wrong += [f"{name}: chart {c['index']}: {p}" for c in charts for p in c["problems"]]
            page.screenshot(path=args.out / f"{name}.png", full_page=True)
            print(f"{name}.png ({len(charts)} charts)")
        browser.close()
    if wrong:
        sys.exit("\n".join(wrong))


if __name__ == "__main__":
    main()
