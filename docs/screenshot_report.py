"""Regenerate docs/report.png: the main job's report as a new user sees it, for the README.

Renders ``recommendation`` (what ``make run`` renders) with its defaults into a temporary
folder, opens it in Debian's Chromium at 1280 px wide (headless, every network request
blocked, as the report must work offline) and captures the page from the top to the end
of its first chart: the answer, then the first chart.

Run: ``.venv/bin/python docs/screenshot_report.py``
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from pai_model.display.reports.render import render_report

OUTPUT = Path(__file__).with_name("report.png")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = render_report("recommendation", out_dir=folder, progress=False)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            page.goto(report.html.as_uri())
            page.wait_for_function(
                "() => { const p = [...document.querySelectorAll('.js-plotly-plot')];"
                " return p.length > 0 && p.every(g => g.data && g.data.length > 0); }"
            )
            box = page.locator(".js-plotly-plot").first.bounding_box()
            page.screenshot(
                path=str(OUTPUT),
                full_page=True,
                clip={"x": 0, "y": 0, "width": 1280, "height": box["y"] + box["height"] + 10},
            )
            browser.close()
    if errors:
        raise SystemExit(f"console errors while drawing the report: {errors}")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
