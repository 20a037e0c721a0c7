"""Reports built from hostile text open in Chromium without running any of it.

The inputs are ``tests/data/hostile_catalog.csv`` (a region name ``<img src=x
onerror=alert(1)>``, a hardware key ``<script>alert(2)</script>``, a source ``<svg
onload=alert(3)>``, a note with a ``javascript:`` link and an ``<iframe>``), copied with
payloads that set ``window.__pwned`` appended to each text field, a fleet of those offers,
and a title parameter ``<img src=y onerror=alert(6)>``. Opened from disk with the network
blocked, a report must open no dialog, set no flag, carry no element with an event
attribute, request nothing but itself, and still show the hostile strings as text. A
control page with the same strings unescaped shows that these checks catch a leak.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from pai_model.display.reports.render import render_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE_CATALOG = Path(__file__).parents[1] / "data" / "hostile_catalog.csv"
TITLE = "<img src=y onerror=alert(6)>"
#: Appended to the text fields of the catalog's copy: each sets the flag if parsed as HTML.
FLAG_IMG = '<img src=x onerror="window.__pwned=1">'
FLAG_SCRIPT = "<script>window.__pwned=2</script>"
REGION_NAME = "<img src=x onerror=alert(1)>"
HARDWARE = "<script>alert(2)</script>"
SOURCE = "<svg onload=alert(3)>"


@dataclass
class Opened:
    """What a page did when opened: dialogs, the flag, requests, and what it shows."""

    dialogs: list[str]
    pwned: str  # ``typeof window.__pwned``
    requests: list[str]
    event_attributes: list[str]  # outerHTML of elements with an ``on...`` attribute
    text: str  # the page's innerText
    chart_text: str  # legends, titles and hover labels of every chart, hovered trace by trace
    title: str


def open_page(page: object, html: Path, *, charts: bool = True) -> Opened:
    """Open ``html`` in ``page``, hover every trace of every chart, and report what ran."""
    dialogs: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(html.as_uri())
    chart_text = ""
    if charts:
        page.wait_for_function(
            """() => {
                const plots = [...document.querySelectorAll('.js-plotly-plot')];
                return plots.length > 0 && plots.every(p => p.data && p.data.length > 0);
            }""",
            timeout=30_000,
        )
        # hover labels are drawn on demand: draw each trace's, keep what every chart shows
        chart_text = page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
                const shown = [gd.textContent];
                gd.data.forEach((trace, i) => {
                    Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: 0}]);
                    shown.push(gd.querySelector('.hoverlayer').textContent);
                });
                return shown.join(' ');
            }).join(' ')"""
        )
    # an image's error event comes after its failed load; give any handler its turn
    page.wait_for_timeout(300)
    return Opened(
        dialogs=dialogs,
        pwned=page.evaluate("typeof window.__pwned"),
        requests=requests,
        event_attributes=page.evaluate(
            """[...document.querySelectorAll('*')]
                .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')))
                .map(e => e.outerHTML.slice(0, 200))"""
        ),
        text=page.inner_text("body"),
        chart_text=chart_text,
        title=page.title(),
    )


@pytest.fixture(scope="module")
def hostile_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile catalog with flag payloads added, and a fleet of its two offers."""
    folder = tmp_path_factory.mktemp("hostile")
    with HOSTILE_CATALOG.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        for column in ("region_name", "source", "note"):
            row[column] = f"{row[column]} {FLAG_IMG}".strip()
    rows[1]["region_name"] += f" {FLAG_SCRIPT}"
    catalog = folder / "hostile.csv"
    with catalog.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    fleet = folder / "hostile_fleet.csv"
    fleet.write_text(
        "region_id,hardware,spec,quantity,usage_hours_per_day,months\n"
        f"cn-wulanchabu,{HARDWARE},,2,20,6\n"
        "cn-shanghai,`code`_x_,,1,6,3\n",  # out of stock in the catalog: a reason shown
        encoding="utf-8",
    )
    return {"catalog": catalog, "fleet": fleet, "folder": folder}


@pytest.fixture(scope="module")
def hostile_reports(hostile_inputs: dict[str, Path]) -> dict[str, Path]:
    out = hostile_inputs["folder"] / "reports"
    given = {"catalog": str(hostile_inputs["catalog"]), "title": TITLE}
    return {
        "breakeven_by_region": render_report(
            "breakeven_by_region", given, out_dir=out, progress=False
        ).html,
        "fleet_plan": render_report(
            "fleet_plan",
            {**given, "fleet": str(hostile_inputs["fleet"])},
            out_dir=out,
            progress=False,
        ).html,
    }


def assert_nothing_ran(opened: Opened, html: Path) -> None:
    assert opened.dialogs == []
    assert opened.pwned == "undefined"
    assert opened.event_attributes == []
    assert opened.requests == [html.as_uri()]  # no image, frame or script fetched


def test_breakeven_report_of_a_hostile_catalog_runs_none_of_it(hostile_reports, offline_page):
    html = hostile_reports["breakeven_by_region"]
    opened = open_page(offline_page, html)
    assert_nothing_ran(opened, html)
    assert offline_page.blocked_requests == []
    # the hostile strings are shown as text: in the tables and summary, and in the charts
    for text in (REGION_NAME, HARDWARE, SOURCE, TITLE, FLAG_IMG, "javascript:alert(4)"):
        assert text in opened.text, text
    for text in (REGION_NAME, HARDWARE, FLAG_SCRIPT):
        assert text in opened.chart_text, text
    assert opened.title == TITLE


def test_fleet_report_of_a_hostile_catalog_runs_none_of_it(hostile_reports, offline_page):
    html = hostile_reports["fleet_plan"]
    opened = open_page(offline_page, html)
    assert_nothing_ran(opened, html)
    assert offline_page.blocked_requests == []
    assert HARDWARE in opened.text and TITLE in opened.text
    assert opened.title == TITLE


def test_the_checks_catch_hostile_text_left_unescaped(tmp_path, offline_page):
    # control: the same strings written raw into a page do run, and are seen to run
    page = tmp_path / "leaky.html"
    page.write_text(
        f"<html><head><title>leaky</title></head><body><p>{REGION_NAME}</p>"
        f"<p>{FLAG_IMG}</p><p>{FLAG_SCRIPT}</p></body></html>",
        encoding="utf-8",
    )
    opened = open_page(offline_page, page, charts=False)
    assert opened.dialogs == ["alert: 1"]
    assert opened.pwned == "number"
    assert len(opened.event_attributes) == 2
    # both images load "x" (Chromium may ask for it once or twice): the page and x, no other
    assert sorted(set(opened.requests)) == [page.as_uri(), (tmp_path / "x").as_uri()]
