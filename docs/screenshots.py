"""Screenshots of every page in headless Chromium (Debian's package) for the README.

    python docs/screenshots.py [--url http://127.0.0.1:8599] [--out docs/screenshots]

Start the dashboard first (``streamlit run app.py --server.port 8599 --server.headless true``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pages import PAGES as DASHBOARD_PAGES  # noqa: E402

PAGES = [name for name, _, _ in DASHBOARD_PAGES]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8599")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        for name in PAGES:
            page.goto(f"{args.url}/{name}", wait_until="networkidle")
            page.wait_for_selector("[data-testid='stSidebar']", timeout=60_000)
            page.wait_for_timeout(3_000)
            if page.locator(".vega-embed").count():
                page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=30_000)
            page.wait_for_timeout(2_000)
            page.screenshot(path=args.out / f"{name}.png", full_page=True)
            print(f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
